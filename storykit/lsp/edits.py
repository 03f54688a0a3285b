"""Changing a story from the editor: rename an entry everywhere, and the code actions a finding
offers (its safe fix, a new bible entry, a word for `lint.words`, a suppression comment).

Every edit is computed from the snapshot's texts, checked against them, and handed to the
editor as one workspace edit; nothing here writes a file.
"""

from __future__ import annotations

import json
import re

import yaml
from lsprotocol import types

from storykit.lint.finding import Finding
from storykit.lsp.analysis import Snapshot, Span
from storykit.lsp.navigation import target_at
from storykit.lsp.protocol import Places, finding_span
from storykit.model import Entry, slugify

_SUFFIX = r"(?=(?:'s|’s|s'|s’|'|’|es|s)?(?!\w))"
_PLAIN = re.compile(r"[A-Za-z0-9À-ɏ][\w .'’&-]*")
NAME_RULES = ("unknown-name", "near-miss-name", "spelling")
_QUOTED = re.compile(r"'(.+?)'(?:\s|$|[,;:.])")


class Refused(Exception):
    """A rename that cannot be made safely; the message says why and where."""


# --- Rename -----------------------------------------------------------------------------------


def prepare_rename(
    snapshot: Snapshot, places: Places, path: str, line: int, column: int
) -> types.Range | None:
    target = target_at(snapshot, path, line, column)
    return places.range(target.span) if target else None


def _name_pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in name.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + _SUFFIX, re.IGNORECASE)


def rename(
    snapshot: Snapshot, places: Places, path: str, line: int, column: int, new_name: str
) -> types.WorkspaceEdit:
    """One edit: the entry's `name:` (and each alias holding the name) and every mention."""
    target = target_at(snapshot, path, line, column)
    if target is None:
        raise Refused("no bible name here to rename")
    entry = target.entry
    new_name = new_name.strip()
    if not _PLAIN.fullmatch(new_name) or "  " in new_name:
        raise Refused(f"'{new_name}' is not a plain name (letters, digits, spaces, ' - . &)")
    _check_clash(snapshot, entry, new_name)
    ref = snapshot.ref_of(entry)
    uses = snapshot.references(ref)
    ambiguous = [u for u in uses if u.ambiguous]
    if ambiguous:
        first = ambiguous[0].span
        others = len(ambiguous) - 1
        raise Refused(
            f"rename refused: '{ambiguous[0].surface}' at {first.path}:{first.line}:{first.column} "
            f"also names another entry"
            + (f" (and {others} more places)" if others else "")
            + "; make the mention unambiguous first"
        )
    changes: dict[str, list[types.TextEdit]] = {}
    old = _name_pattern(entry.name)
    for key, value in [
        ("name", entry.name),
        *((f"aliases.{i}", a) for i, a in enumerate(entry.aliases)),
    ]:
        if key != "name" and not old.search(value):
            continue  # an alias without the name ("her father") stays as it is
        edit = _yaml_value_edit(snapshot, places, entry, key, value, old, new_name)
        if edit is None:
            raise Refused(f"cannot find {key} '{value}' in {entry.position.path}; save the file")
        changes.setdefault(places.uri(entry.position.path), []).append(edit)
    for use in uses:
        edit = _mention_edit(snapshot, places, use.span, old, new_name)
        if edit is not None:
            changes.setdefault(places.uri(use.span.path), []).append(edit)
    return types.WorkspaceEdit(changes=changes)


def _check_clash(snapshot: Snapshot, entry: Entry, new_name: str) -> None:
    for other in snapshot.entries:
        if (
            other is entry
            or other.treatment not in (entry.treatment, "all")
            and entry.treatment != "all"
        ):
            continue
        if new_name in other.names:
            raise Refused(f"'{new_name}' already names {other.kind_name} {other.id}")


def _yaml_value_edit(
    snapshot: Snapshot,
    places: Places,
    entry: Entry,
    key: str,
    value: str,
    old: re.Pattern[str],
    new_name: str,
) -> types.TextEdit | None:
    where = entry.field_positions.get(key)
    if where is None:
        return None
    lines = snapshot.texts.get(where.path, "").split("\n")
    if not 0 < where.line <= len(lines):
        return None
    row = lines[where.line - 1]
    start = row.find(value, where.column - 1)
    if start < 0:
        return None
    new_value = old.sub(lambda m: _cased(m.group(), new_name), value, count=1)
    span = Span(where.path, where.line, start + 1, where.line, start + len(value) + 1)
    return types.TextEdit(range=places.range(span), new_text=new_value)


def _mention_edit(
    snapshot: Snapshot, places: Places, span: Span, old: re.Pattern[str], new_name: str
) -> types.TextEdit | None:
    lines = snapshot.texts.get(span.path, "").split("\n")
    if span.line == span.end_line:
        written = lines[span.line - 1][span.column - 1 : span.end_column - 1]
    else:
        written = "\n".join(
            [
                lines[span.line - 1][span.column - 1 :],
                *lines[span.line : span.end_line - 1],
                lines[span.end_line - 1][: span.end_column - 1],
            ]
        )
    match = old.search(written)
    if match is None:
        return None  # named through an alias that does not hold the name
    before = written[: match.start()].split("\n")
    start_line = span.line + len(before) - 1
    start_column = (span.column if len(before) == 1 else 1) + len(before[-1])
    inside = match.group().split("\n")
    end_line = start_line + len(inside) - 1
    end_column = (start_column if len(inside) == 1 else 1) + len(inside[-1])
    edit_span = Span(span.path, start_line, start_column, end_line, end_column)
    return types.TextEdit(range=places.range(edit_span), new_text=_cased(match.group(), new_name))


def _cased(written: str, new_name: str) -> str:
    """The new name as the old one was written: a script's cue in capitals stays in capitals."""
    return new_name.upper() if written.isupper() and not new_name.isupper() else new_name


# --- Code actions -----------------------------------------------------------------------------


def code_actions(
    snapshot: Snapshot, places: Places, path: str, first_line: int, last_line: int
) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    for finding in snapshot.findings_in(path):
        end = finding.end_line or finding.line
        if end < first_line or finding.line > last_line:
            continue
        actions.extend(_actions_for(snapshot, places, finding))
    return actions


def _actions_for(snapshot: Snapshot, places: Places, finding: Finding) -> list[types.CodeAction]:
    found: list[types.CodeAction] = []
    fix = _fix_action(snapshot, places, finding)
    if fix is not None:
        found.append(fix)
    if finding.rule in NAME_RULES:
        word = _named(snapshot, finding)
        if word:
            if finding.rule == "unknown-name":
                for kind in ("character", "device"):
                    action = _new_entry_action(snapshot, places, finding, word, kind)
                    if action is not None:
                        found.append(action)
            action = _lint_words_action(snapshot, places, word)
            if action is not None:
                found.append(action)
    suppress = _suppression_action(snapshot, places, finding)
    if suppress is not None:
        found.append(suppress)
    return found


def _action(title: str, edit: types.WorkspaceEdit, preferred: bool = False) -> types.CodeAction:
    return types.CodeAction(
        title=title, kind=types.CodeActionKind.QuickFix, edit=edit, is_preferred=preferred or None
    )


def _fix_action(snapshot: Snapshot, places: Places, finding: Finding) -> types.CodeAction | None:
    fix = finding.fix
    if fix is None:
        return None
    lines = snapshot.texts.get(fix.path, "").split("\n")
    old_lines = fix.old.split("\n")
    end_line = fix.line + len(old_lines) - 1
    end_column = (fix.column if len(old_lines) == 1 else 1) + len(old_lines[-1])
    if not 0 < end_line <= len(lines):
        return None
    written = "\n".join(lines[fix.line - 1 : end_line])
    start = fix.column - 1
    if written[start : start + len(fix.old)] != fix.old:
        return None  # the text moved since the lint: no blind edit
    span = Span(fix.path, fix.line, fix.column, end_line, end_column)
    edit = types.WorkspaceEdit(
        changes={places.uri(fix.path): [types.TextEdit(places.range(span), fix.new)]}
    )
    return _action(f"Fix: '{fix.old}' → '{fix.new}'", edit, preferred=True)


def _named(snapshot: Snapshot, finding: Finding) -> str | None:
    """The word or name a name finding is about, as written, without a possessive."""
    match = _QUOTED.search(finding.message)
    if match is None:
        return None
    return re.sub(r"(?:['’]s|['’])$", "", match.group(1))


def _yaml_scalar(text: str) -> str:
    return text if _PLAIN.fullmatch(text) and not text.endswith((" ", ":")) else json.dumps(text)


def _new_entry_action(
    snapshot: Snapshot, places: Places, finding: Finding, name: str, kind: str
) -> types.CodeAction | None:
    treatment = snapshot.treatment_of(finding.path) or "all"
    ident = slugify(name)
    folder = {"character": "characters", "device": "devices"}[kind]
    path = f"bible/{folder}/{ident}.yaml"
    if not ident or path in snapshot.texts or (snapshot.root / path).exists():
        return None
    body = [f"id: {ident}", f"name: {_yaml_scalar(name)}", f"treatment: {treatment}"]
    body += ["role: minor"] if kind == "character" else ["kind: technology"]
    body += [f"description: {_yaml_scalar(f'{name}, first named in {finding.path}.')}"]
    schema = f"# yaml-language-server: $schema=../../.storykit/schemas/{kind}.json"
    text = "\n".join([*body, schema, ""])
    uri = places.uri(path)
    edit = types.WorkspaceEdit(
        document_changes=[
            types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)),
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[
                    types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)), text)
                ],
            ),
        ]
    )
    return _action(f"Add '{name}' to the bible as a {kind} ({path})", edit)


def _lint_words_action(snapshot: Snapshot, places: Places, word: str) -> types.CodeAction | None:
    config = "storykit.yaml"
    text = snapshot.texts.get(config)
    if text is None:
        return None
    changed = add_lint_word(text, word)
    if changed is None:
        return None
    line, column, insert = changed
    span = Span(config, line, column, line, column)
    edit = types.WorkspaceEdit(
        changes={places.uri(config): [types.TextEdit(places.range(span), insert)]}
    )
    return _action(f"Add '{word}' to lint.words in storykit.yaml", edit)


def add_lint_word(text: str, word: str) -> tuple[int, int, str] | None:
    """Where and what to insert in storykit.yaml so `lint.words` holds `word`: (line, column,
    text), checked by reading the result back; None when that cannot be done by an insertion."""
    lines = text.split("\n")
    value = _yaml_scalar(word)
    lint = next((i for i, row in enumerate(lines) if re.match(r"lint\s*:\s*(#.*)?$", row)), None)
    if lint is None:
        line, column = len(lines), len(lines[-1]) + 1
        insert = ("\n" if lines[-1] else "") + f"lint:\n  words: [{value}]\n"
    else:
        body = lint + 1
        while body < len(lines) and (not lines[body].strip() or lines[body][:1] in " \t#"):
            body += 1
        words = next(
            (i for i in range(lint + 1, body) if re.match(r"\s+words\s*:", lines[i])), None
        )
        if words is None:
            line, column, insert = lint + 2, 1, f"  words: [{value}]\n"
        elif "[" in lines[words]:
            row = lines[words]
            close = row.find("]", row.find("["))
            if close < 0:
                return None
            empty = not row[row.find("[") + 1 : close].strip()
            line, column, insert = words + 1, close + 1, (value if empty else f", {value}")
        else:
            items = [i for i in range(words + 1, body) if re.match(r"\s*-\s", lines[i])]
            if not items:
                return None
            last = items[-1]
            indent = lines[last][: len(lines[last]) - len(lines[last].lstrip())]
            line, column, insert = last + 2, 1, f"{indent}- {value}\n"
    if not _holds_word(_inserted(lines, line, column, insert), word):
        return None
    return line, column, insert


def _inserted(lines: list[str], line: int, column: int, insert: str) -> str:
    if line > len(lines):
        return "\n".join(lines) + insert
    row = lines[line - 1]
    changed = [*lines[: line - 1], row[: column - 1] + insert + row[column - 1 :], *lines[line:]]
    return "\n".join(changed)


def _holds_word(text: str, word: str) -> bool:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    lint = data.get("lint") if isinstance(data, dict) else None
    words = lint.get("words") if isinstance(lint, dict) else None
    return isinstance(words, list) and word in [str(w) for w in words]


def _suppression_action(
    snapshot: Snapshot, places: Places, finding: Finding
) -> types.CodeAction | None:
    path = finding.path
    lines = snapshot.texts.get(path, "").split("\n")
    if not 0 < finding.line <= len(lines) or path.endswith(".fountain"):
        return None
    rule = finding.rule
    if path.endswith(".md"):
        start = finding.line  # the paragraph's first line: a comment covers what follows it
        while start > 1 and _in_paragraph(lines[start - 2]):
            start -= 1
        above = lines[start - 2] if start > 1 else ""
        existing = re.match(r"(\s*<!--\s*storykit:\s*ignore\s+[\w\s,-]+?)(\s*-->)", above)
        if existing:
            column = len(existing.group(1)) + 1
            span = Span(path, start - 1, column, start - 1, column)
            new_text = f", {rule}"
        else:
            span = Span(path, start, 1, start, 1)
            new_text = f"<!-- storykit: ignore {rule} -->\n"
    else:
        row = lines[finding.line - 1]
        span = Span(path, finding.line, len(row) + 1, finding.line, len(row) + 1)
        new_text = f"  # storykit: ignore {rule}"
    edit = types.WorkspaceEdit(
        changes={places.uri(path): [types.TextEdit(places.range(span), new_text)]}
    )
    return _action(f"Silence {rule} here (a suppression comment)", edit)


def _in_paragraph(row: str) -> bool:
    stripped = row.lstrip()
    return bool(stripped) and not stripped.startswith(("#", "<!--"))


def finding_range(places: Places, finding: Finding) -> types.Range:
    return places.range(finding_span(finding))
