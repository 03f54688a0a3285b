"""The YAML half of `storykit lint --fix`: a fixed value's changed words, edited where they are
written inside its scalar, and the file read back to prove it means exactly the fixed document."""

from __future__ import annotations

import re
from typing import Any

import yaml

from storykit.lint.finding import Fix
from storykit.model import Project

try:  # the loader's own composer: the pure-Python one disagrees on tabs, for one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def fix_yaml(
    text: str,
    fixes: list[Fix],
    project: Project | None = None,
    skipped: list[tuple[Fix, str]] | None = None,
) -> str:
    """Set each fixed value by editing only the words that change inside its scalar's source.

    A fix carries the whole value (`old`) and the value it should become (`new`): the words
    that differ are replaced where they stand literally in the scalar, whatever its style
    (plain over several lines, quoted, folded). A word written with escapes is not there
    literally and is left alone. After each edit the file must read back as exactly the
    document with that value changed, or the edit is undone.
    """
    skipped = [] if skipped is None else skipped
    unique: dict[tuple[str, str, str], Fix] = {}
    for fix in fixes:
        assert fix.key is not None
        unique.setdefault((fix.key, fix.old, fix.new), fix)
    if not unique:
        return text
    expected = _read(text, project)
    if expected is None:
        skipped.extend((fix, "the file does not parse") for fix in unique.values())
        return text
    spans: list[tuple[int, int, Fix, list[str | int]]] = []
    for fix in unique.values():
        parts = _key_parts(fix.key or "")
        span = _scalar_span(text, parts)
        current = _walk(expected, parts[:-1])
        try:
            value = current[parts[-1]] if current is not None else None
        except (KeyError, IndexError, TypeError):
            value = None
        if span is None or value != fix.old:
            skipped.append((fix, "the value is not what was found"))
            continue
        spans.append((span[0], span[1], fix, parts))
    result = text
    for start, end, fix, parts in sorted(spans, key=lambda s: s[0], reverse=True):
        edited = _replace_words(result[start:end], fix.old, fix.new)
        if edited is None:
            skipped.append((fix, "its words are not written literally (escapes?)"))
            continue
        candidate = result[:start] + edited + result[end:]
        _walk(expected, parts[:-1])[parts[-1]] = fix.new
        if _read(candidate, project) != expected:
            _walk(expected, parts[:-1])[parts[-1]] = fix.old
            skipped.append((fix, "the fixed file would not read back as the fixed value"))
            continue
        result = candidate
    return result


def _read(text: str, project: Project | None) -> Any:
    from storykit.load.yamlsrc import YamlProblem, parse_yaml
    from storykit.model import Limits

    limits = project.config.limits if project is not None else Limits()
    try:
        return parse_yaml(normalise(text), "fix", limits).value
    except YamlProblem:
        return None


def _replace_words(source: str, old: str, new: str) -> str | None:
    """`source` (a scalar as written) with the words where `old` and `new` differ replaced,
    or None when those words are not in it literally or the two differ in more than words."""
    old_parts, new_parts = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    if len(old_parts) != len(new_parts) or old_parts[1::2] != new_parts[1::2]:
        return None
    pairs = {(a, b) for a, b in zip(old_parts[::2], new_parts[::2], strict=True) if a != b}
    result = source
    for a, b in sorted(pairs, key=lambda pair: -len(pair[0])):
        if a not in result:
            return None
        result = result.replace(a, b)
    return result


def _scalar_span(text: str, parts: list[str | int]) -> tuple[int, int] | None:
    """Where the scalar at `parts` is written in `text` (raw), as offsets."""
    try:
        node = yaml.compose(normalise(text), Loader=_Loader)  # as the loader reads it
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
    if not isinstance(node, yaml.ScalarNode):
        return None
    starts = line_starts(text)
    start = offset(starts, text, node.start_mark.line + 1, node.start_mark.column + 1)
    end = offset(starts, text, node.end_mark.line + 1, node.end_mark.column + 1)
    if start is None:
        return None
    return start, len(text) if end is None else end


def _key_parts(key: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in key.split(".")]


def _walk(value: Any, parts: list[str | int]) -> Any:
    for part in parts:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def normalise(text: str) -> str:
    """The text as the loader reads it: no BOM, every line break a LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offset of each line's first character in `text` (raw: a BOM, CRLF or lone CR in it),
    so that line:column of the loader's normalised text finds the same character here."""
    first = 1 if text.startswith("\ufeff") else 0
    return [first, *(m.end() for m in _LINE_BREAK.finditer(text))]


def offset(starts: list[int], text: str, line: int, column: int) -> int | None:
    """The offset in `text` of line:column (1-based), or None when there is no such place."""
    if not 1 <= line <= len(starts) or column < 1:
        return None
    found = starts[line - 1] + column - 1
    end = starts[line] if line < len(starts) else len(text)
    return found if found <= end else None
