"""Apply the safe fixes of lint findings: exact text edits in Markdown, ruamel.yaml round-trips in YAML.

Only fixes a rule marked safe reach here (mojibake; a near-miss name with exactly one candidate).
Every edit is checked against the text it replaces and skipped when the text is not there, so a
stale finding never damages a file; a file is written through a temporary file in the same folder
and renamed over the original, so an interrupted fix never leaves half a file; and a second run
finds nothing left to change.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import yaml

from storykit.lint.finding import Finding, Fix
from storykit.model import Project

# ruamel.yaml would wrap long scalars at 80 columns; a fix must not re-wrap the writer's lines.
_NO_WRAP = 1 << 20


@dataclass(frozen=True)
class FileChange:
    path: str
    before: str
    after: str


def apply_fixes(project: Project, findings: list[Finding], *, write: bool) -> str:
    """Apply the fixes carried by `findings`; return a unified diff of what changes.

    With `write=False` nothing is written (`storykit lint --diff`).
    """
    by_path: dict[str, list[Fix]] = {}
    for finding in findings:
        if finding.fix is not None and finding.fix not in by_path.get(finding.fix.path, []):
            by_path.setdefault(finding.fix.path, []).append(finding.fix)
    changes = [change for path in sorted(by_path) if (change := plan(project, path, by_path[path]))]
    if write:
        for change in changes:
            write_atomically(project.root / change.path, change.after)
    return "".join(diff(change) for change in changes)


def plan(project: Project, path: str, fixes: list[Fix]) -> FileChange | None:
    """The file's text after its fixes, or None when nothing (safely) changes."""
    file = project.root / path
    try:
        before = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if before != project.sources.get(path, before):
        return None  # changed on disk since it was linted: the findings may not hold any more
    if path.endswith((".yaml", ".yml")):
        after = fix_yaml(before, [f for f in fixes if f.key is not None])
    else:
        after = fix_text(before, [f for f in fixes if f.key is None])
    return FileChange(path, before, after) if after != before else None


def diff(change: FileChange) -> str:
    lines = difflib.unified_diff(
        change.before.splitlines(keepends=True),
        change.after.splitlines(keepends=True),
        fromfile=f"a/{change.path}",
        tofile=f"b/{change.path}",
    )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    return text


def fix_text(text: str, fixes: list[Fix]) -> str:
    """Exact edits at line:column, each applied only if its old text is there; overlaps skipped."""
    starts = [0]
    for i, character in enumerate(text):
        if character == "\n":
            starts.append(i + 1)
    edits: list[tuple[int, int, str]] = []
    for fix in fixes:
        if not 1 <= fix.line <= len(starts):
            continue
        offset = starts[fix.line - 1] + fix.column - 1
        if fix.old and text[offset : offset + len(fix.old)] == fix.old:
            edits.append((offset, offset + len(fix.old), fix.new))
    result = text
    last_start = len(text) + 1
    for start, end, new in sorted(set(edits), reverse=True):
        if end > last_start:
            continue  # overlaps an edit after it: keep the text rather than guess
        result = result[:start] + new + result[end:]
        last_start = start
    return result


# --- YAML -----------------------------------------------------------------------------------------


def fix_yaml(text: str, fixes: list[Fix]) -> str:
    """Set each fixed value with a ruamel.yaml round trip, keeping comments, order and quoting.

    ruamel.yaml re-emits the whole document, and may lay out parts the fix never touched in its
    own way (sequence indentation, for one). Only the lines of the changed values are taken from
    its output; everything else stays byte for byte, and the result is checked by loading it.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    if not fixes:
        return text
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = _NO_WRAP
    try:
        data = rt.load(text)
        expected = yaml.safe_load(text)
    except (YAMLError, yaml.YAMLError):
        return text
    # 0-based first and last line of each changed value, and the column where it ends
    spans: list[tuple[int, int]] = []
    ends: dict[int, int] = {}
    changed = False
    for fix in fixes:
        assert fix.key is not None
        parts = _key_parts(fix.key)
        container = _walk(data, parts[:-1])
        plain = _walk(expected, parts[:-1])
        if container is None or plain is None:
            continue
        last = parts[-1]
        try:
            current = container[last]
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(current, str) or str(current) != fix.old:
            continue  # not what the finding saw: leave it
        container[last] = _same_style(current, fix.new)
        plain[last] = fix.new
        found = _value_lines(text, parts)
        if found is None:
            return text
        first, last, end_column = found
        spans.append((first, last))
        if first == last:
            ends[first] = end_column
        changed = True
    if not changed:
        return text
    out = StringIO()
    rt.dump(data, out)
    result = _keep_comment_gaps(text, _splice(text, out.getvalue(), spans), ends)
    try:
        if yaml.safe_load(result) != expected:
            return text  # the splice did not give exactly the fixed document: change nothing
    except yaml.YAMLError:
        return text
    return result


def _key_parts(key: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in key.split(".")]


def _walk(value: Any, parts: list[str | int]) -> Any:
    for part in parts:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _same_style(current: str, new: str) -> str:
    """`new` as the same kind of scalar as `current`: quoted stays quoted, folded stays folded."""
    from ruamel.yaml.scalarstring import FoldedScalarString, ScalarString

    if not isinstance(current, ScalarString):
        return new
    replacement = type(current)(new)
    if isinstance(current, FoldedScalarString) and isinstance(replacement, FoldedScalarString):
        folds = getattr(current, "fold_pos", [])
        moved = [_map_offset(str(current), new, i) for i in folds]
        replacement.fold_pos = moved  # type: ignore[attr-defined]
    return replacement


def _map_offset(old: str, new: str, offset: int) -> int:
    """Where `offset` of `old` lands in `new` (a fold point moves with the text around it)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if i1 <= offset < i2:
            return j1 + (offset - i1) if tag == "equal" else j1
    return len(new)


def _value_lines(text: str, parts: list[str | int]) -> tuple[int, int, int] | None:
    """The 0-based first and last line of the value at `parts`, and the column where it ends."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            return None
        if node is None:
            return None
    if node is None:
        return None
    end = node.end_mark.line
    if node.end_mark.column == 0 and end > node.start_mark.line:
        end -= 1  # a block scalar ends at the start of the next line
    return node.start_mark.line, end, node.end_mark.column


def _keep_comment_gaps(before: str, after: str, ends: dict[int, int]) -> str:
    """Keep the space between a one-line value and its comment as the writer left it.

    ruamel.yaml keeps a comment at its old column, so a value that got shorter would push its
    comment away from it; the writer's gap is what they chose, so the comment moves instead.
    """
    old, new = before.split("\n"), after.split("\n")
    if len(old) != len(new):
        return after
    for line, end_column in ends.items():
        tail = old[line][end_column:]
        comment = tail.lstrip()
        if not comment.startswith("#") or not new[line].endswith(comment):
            continue
        value_part = new[line][: -len(comment)].rstrip()
        new[line] = value_part + tail[: len(tail) - len(comment)] + comment
    return "\n".join(new)


def _splice(before: str, dumped: str, spans: list[tuple[int, int]]) -> str:
    """`before`, with the lines of `spans` replaced by what ruamel.yaml emitted for them."""
    old = before.splitlines(keepends=True)
    new = dumped.splitlines(keepends=True)
    result: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)

    def inside(line: int) -> bool:
        return any(first <= line <= last for first, last in spans)

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            # Line for line: ruamel's own layout of a neighbouring line is not taken along.
            result.extend(new[j1 + k] if inside(i1 + k) else old[i1 + k] for k in range(i2 - i1))
            continue
        touches = any(i1 <= last and first < max(i2, i1 + 1) for first, last in spans)
        result.extend(new[j1:j2] if tag != "equal" and touches else old[i1:i2])
    return "".join(result)


# --- Writing ------------------------------------------------------------------------------------


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename it over `path`."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
