"""Reading a story in the editor: hover, go to definition, find references, completion and the
outline view, each a function of one snapshot and one place."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types

from storykit.lsp.analysis import EntryRef, NameUse, Snapshot, Span
from storykit.lsp.protocol import Places
from storykit.model import Character, Entry, Thread

# In a YAML line, the key whose value the cursor is in: `to: am|`, `- {to: am|`, `setup: [ca|`.
_YAML_KEY = re.compile(r"(?:^|[\s{,\[-])(treatment|to|setup|payoff|characters)\s*:\s*[^:]*$")
_YAML_LIST_ITEM = re.compile(r"^\s*-\s+[\w-]*$")
_YAML_BLOCK_KEY = re.compile(r"^\s*(\w+)\s*:\s*$")
_ID = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class Target:
    """What the cursor is on: an entry, and the mention it was found through (if any)."""

    entry: Entry
    use: NameUse | None
    span: Span


def target_at(snapshot: Snapshot, path: str, line: int, column: int) -> Target | None:
    """The entry under the cursor: a mention in prose, or a name or id in a bible file."""
    use = snapshot.use_at(path, line, column)
    if use is not None:
        entry = snapshot.entry(use.ref)
        return Target(entry, use, use.span) if entry else None
    if not path.endswith((".yaml", ".yml")):
        return None
    text = snapshot.texts.get(path, "").split("\n")
    row = text[line - 1] if 0 < line <= len(text) else ""
    for match in _ID.finditer(row):
        if match.start() <= column - 1 <= match.end():
            word = match.group()
            span = Span(path, line, match.start() + 1, line, match.end() + 1)
            own = snapshot.entry_of_file(path)
            if own is not None and (word == own.id or word in own.name.split()):
                return Target(own, None, span)
            entry = _entry_by_id(snapshot, word, own)
            return Target(entry, None, span) if entry else None
    return None


def _entry_by_id(snapshot: Snapshot, word: str, near: Entry | None) -> Entry | None:
    found = [e for e in snapshot.entries if e.id == word]
    if near is not None:  # a reference in one treatment's file means that treatment's entry
        found.sort(key=lambda e: e.treatment != near.treatment)
    return found[0] if found else None


# --- Hover ------------------------------------------------------------------------------------


def hover(
    snapshot: Snapshot, places: Places, path: str, line: int, column: int
) -> types.Hover | None:
    target = target_at(snapshot, path, line, column)
    if target is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(
            types.MarkupKind.Markdown, describe(snapshot, target.entry, path)
        ),
        range=places.range(target.span),
    )


def describe(snapshot: Snapshot, entry: Entry, path: str = "") -> str:
    """An entry as a hover card: name, kind, role, description, relationships, first appearance."""
    kind = entry.kind_name
    if isinstance(entry, Character):
        kind = f"{entry.role} character"
    elif hasattr(entry, "kind"):
        kind = f"{entry.kind} ({entry.kind_name})"
    lines = [f"**{_escape(entry.name)}** — {kind}, treatment `{entry.treatment}`"]
    if entry.aliases:
        lines.append("also: " + ", ".join(_escape(a) for a in entry.aliases))
    if entry.description:
        lines.append("")
        lines.append(_escape(_first_sentence(entry.description)))
    if isinstance(entry, Character) and entry.relationships:
        people = []
        for relation in entry.relationships:
            other = snapshot.project.characters.get(relation.to) if snapshot.project else None
            people.append(f"{relation.relation} {_escape(other.name if other else relation.to)}")
        lines.append("")
        lines.append("relationships: " + "; ".join(people))
    if isinstance(entry, Thread) and (entry.setup or entry.payoff):
        lines.append("")
        lines.append(
            f"setup: {', '.join(entry.setup) or '—'}; payoff: {', '.join(entry.payoff) or '—'}"
        )
    first = first_appearance(snapshot, snapshot.ref_of(entry), path)
    lines.append("")
    if first is None:
        lines.append("not mentioned in any outline or script")
    else:
        where = ", ".join(p for p in (first.beat, first.act) if p)
        lines.append(
            f"first appears: `{first.span.path}:{first.span.line}`"
            + (f" ({_escape(where)})" if where else "")
        )
    lines.append(f"defined in `{entry.position.path}`")
    return "\n".join(lines)


def first_appearance(snapshot: Snapshot, ref: EntryRef, path: str = "") -> NameUse | None:
    """The first mention in `path` if it names the entry, else in the first outline (in
    project order) that does."""
    uses = snapshot.references(ref)
    here = [u for u in uses if u.span.path == path]
    found = here or uses
    return found[0] if found else None


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(?:\s|$)", flat)
    return match.group(1) if match else flat


def _escape(text: str) -> str:
    """Markdown's active characters escaped, so a name is shown as written."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|])", r"\\\1", text)


# --- Definition and references ----------------------------------------------------------------


def definition(
    snapshot: Snapshot, places: Places, path: str, line: int, column: int
) -> types.Location | None:
    target = target_at(snapshot, path, line, column)
    if target is None:
        return None
    where = target.entry.where("name")
    span = Span(
        where.path, where.line, where.column, where.line, where.column + len(target.entry.name)
    )
    return places.location(span)


def references(
    snapshot: Snapshot, places: Places, path: str, line: int, column: int, declaration: bool
) -> list[types.Location]:
    target = target_at(snapshot, path, line, column)
    if target is None:
        return []
    found = [places.location(u.span) for u in snapshot.references(snapshot.ref_of(target.entry))]
    if declaration:
        defined = definition(snapshot, places, path, line, column)
        if defined is not None:
            found.insert(0, defined)
    return found


# --- Completion -------------------------------------------------------------------------------


def completion(snapshot: Snapshot, path: str, line: int, column: int) -> list[types.CompletionItem]:
    text = snapshot.texts.get(path, "").split("\n")
    before = text[line - 1][: column - 1] if 0 < line <= len(text) else ""
    if path.endswith((".yaml", ".yml")):
        return _yaml_completion(snapshot, text, line, before)
    if path.endswith((".md", ".fountain")):
        return _name_completion(snapshot, path)
    return []


def _name_completion(snapshot: Snapshot, path: str) -> list[types.CompletionItem]:
    items: dict[str, types.CompletionItem] = {}
    for entry in snapshot.visible_entries(path):
        for name in entry.names:
            if not name or name in items:
                continue
            detail = f"{entry.kind_name} {entry.id}" + (" (alias)" if name != entry.name else "")
            items[name] = types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Reference,
                detail=detail,
                documentation=types.MarkupContent(
                    types.MarkupKind.Markdown, describe(snapshot, entry)
                ),
            )
    return list(items.values())


def _yaml_completion(
    snapshot: Snapshot, text: list[str], line: int, before: str
) -> list[types.CompletionItem]:
    key = None
    match = _YAML_KEY.search(before)
    if match:
        key = match.group(1)
    elif _YAML_LIST_ITEM.match(before):  # `  - ca|` under `setup:` or `characters:`
        for row in reversed(text[: line - 1]):
            block = _YAML_BLOCK_KEY.match(row)
            if block:
                key = block.group(1)
                break
            if not row.strip().startswith("-"):
                break
    if snapshot.project is None or key is None:
        return []
    if key == "treatment":
        choices = [(t.id, t.title) for t in snapshot.project.treatments.values()]
        choices.append(("all", "every treatment"))
    elif key in ("to", "characters"):
        choices = [(c.id, c.name) for c in snapshot.project.characters.values()]
    elif key in ("setup", "payoff"):
        choices = [(b, "beat") for b in snapshot.beat_ids()]
    else:
        return []
    return [
        types.CompletionItem(label=ident, kind=types.CompletionItemKind.Value, detail=detail)
        for ident, detail in choices
    ]


# --- The outline view -------------------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SLUGLINE = re.compile(r"^(?:INT\.?/EXT|I/E|INT|EXT|EST)[. ]|^\.(?!\.)\S", re.IGNORECASE)
_KINDS = {1: types.SymbolKind.Module, 2: types.SymbolKind.Class, 3: types.SymbolKind.Event}


def symbols(snapshot: Snapshot, places: Places, path: str) -> list[types.DocumentSymbol]:
    """Acts, beats and scenes of an outline or script (`#`, `##`, `###`; a script's sections
    and scene headings); a bible file's entry."""
    lines = snapshot.texts.get(path, "").split("\n")
    if path.endswith(".md"):
        heads = _markdown_heads(lines)
    elif path.endswith(".fountain"):
        heads = _fountain_heads(lines)
    else:
        entry = snapshot.entry_of_file(path)
        if entry is None:
            return []
        where = entry.where("name")
        span = Span(path, where.line, where.column, where.line, where.column + len(entry.name))
        whole = Span(path, 1, 1, len(lines), len(lines[-1]) + 1)
        return [
            types.DocumentSymbol(
                name=entry.name,
                detail=f"{entry.kind_name} {entry.id}",
                kind=types.SymbolKind.Object,
                range=places.range(whole),
                selection_range=places.range(span),
            )
        ]
    return _tree(places, path, lines, heads)


def _markdown_heads(lines: list[str]) -> list[tuple[int, int, str]]:
    """(level, line, title) of each heading, outside front matter and fenced code."""
    heads: list[tuple[int, int, str]] = []
    fenced = False
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    for number in range(start, len(lines)):
        row = lines[number]
        if _FENCE.match(row):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(row)
        if match:
            heads.append((len(match.group(1)), number + 1, match.group(2)))
    return heads


def _fountain_heads(lines: list[str]) -> list[tuple[int, int, str]]:
    heads: list[tuple[int, int, str]] = []
    for number, row in enumerate(lines, start=1):
        stripped = row.strip()
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            heads.append((1 if level == 1 else 2, number, stripped.lstrip("#").strip()))
        elif _SLUGLINE.match(stripped) and (number == 1 or not lines[number - 2].strip()):
            heads.append((3, number, stripped.lstrip(".")))
    return heads


def _tree(
    places: Places, path: str, lines: list[str], heads: list[tuple[int, int, str]]
) -> list[types.DocumentSymbol]:
    roots: list[types.DocumentSymbol] = []
    stack: list[tuple[int, types.DocumentSymbol]] = []
    for i, (level, line, title) in enumerate(heads):
        # A section runs to the line before the next heading of its level or above.
        end = next((h[1] - 1 for h in heads[i + 1 :] if h[0] <= level), len(lines))
        while end > line and not lines[end - 1].strip():
            end -= 1
        full = Span(path, line, 1, end, len(lines[end - 1]) + 1)
        title_span = Span(path, line, 1, line, len(lines[line - 1]) + 1)
        symbol = types.DocumentSymbol(
            name=title or "(untitled)",
            detail={1: "act", 2: "beat", 3: "scene"}[level],
            kind=_KINDS[level],
            range=places.range(full),
            selection_range=places.range(title_span),
            children=[],
        )
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(symbol)  # type: ignore[union-attr]
        stack.append((level, symbol))
    return roots
