"""Fountain screenplays → a script model with line numbers, and the script as an outline of the
project, so the name rules that read outlines read a screenplay unchanged.

The reader follows the Fountain 1.1 syntax (fountain.io/syntax): a title page of `Key: value`
lines; scene headings (INT, EXT, EST, INT./EXT, INT/EXT, I/E, or forced with `.`, with an
optional `#number#`); character cues in capitals (forced with `@`, with `(V.O.)`-style
extensions and `^` for the second speaker of dual dialogue) followed by parentheticals and
dialogue (a line of two spaces keeps a speech going); transitions ending in `TO:` (or forced
with `>`); `>centered<` text; `~` lyrics; `===` page breaks; `#` sections and `=` synopses;
`!` forced action; `[[notes]]` (kept aside, with their lines) and `/* boneyard */` (dropped).
Whatever is none of these is action, as the spec says. Every element keeps its line and column:
the PyPI parsers drop them, and the linter must point at the script's own lines.
"""

from __future__ import annotations

import re

from storykit.script import Element, Note, Script

__all__ = ["Element", "Script", "parse_fountain"]

_TITLE_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9 ]*):(.*)$")
_SCENE = re.compile(r"^(?:INT\.?/EXT|INT/EXT|I/E|INT|EXT|EST)[. ]", re.IGNORECASE)
_TRANSITION = re.compile(r"^[^a-z]*TO:$")
_CUE = re.compile(r"^(?P<forced>@)?(?P<name>[^(^]+?)\s*(?P<ext>(?:\([^)]*\)\s*)*)(?P<dual>\^)?\s*$")
_SCENE_NUMBER = re.compile(r"#[\w.\-]+#\s*$")
_EXTENSION = re.compile(r"\(([^)]*)\)")
_PAGE_BREAK = re.compile(r"^\s*={3,}\s*$")
_HOLD = "  "  # a line of exactly two spaces: blank to the eye, yet part of the block it is in


def _blank_between(
    text: str, opening: str, closing: str, found: list[tuple[int, str]] | None = None
) -> str:
    """`text` with every `opening`...`closing` span blanked out, newlines kept so every line
    after a note or a boneyard keeps its number; `found` collects (offset, inner text). One
    pass: an unclosed opening (or ten thousand of them) ends the search instead of rescanning
    the rest of the file each time."""
    parts: list[str] = []
    position = 0
    while (start := text.find(opening, position)) >= 0:
        end = text.find(closing, start + len(opening))
        if end < 0:
            break
        if found is not None:
            found.append((start, text[start + len(opening) : end]))
        end += len(closing)
        parts.append(text[position:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _is_caps(text: str) -> bool:
    return any(c.isalpha() for c in text) and not any(c.islower() for c in text)


def _blank(line: str) -> bool:
    return not line.strip() and line != _HOLD


def _notes(text: str, script: Script) -> str:
    found: list[tuple[int, str]] = []
    text = _blank_between(text, "[[", "]]", found)
    for offset, inner in found:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        script.notes.append(Note(" ".join(inner.split()), line, column))
    return text


def parse_fountain(text: str, path: str = "script.fountain") -> Script:
    """Read a Fountain screenplay; never fails: what is not recognised is action, as in the spec."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    script = Script(path)
    text = _notes(_blank_between(text, "/*", "*/"), script)
    lines = text.split("\n")
    i = _title_page(lines, script)
    reader = _Reader(lines, script)
    while i < len(lines):
        i = reader.step(i)
    reader.flush()
    return script


class _Reader:
    """The body of a Fountain file, one block at a time; action lines gather until a blank."""

    def __init__(self, lines: list[str], script: Script) -> None:
        self.lines = lines
        self.script = script
        self.action: list[str] = []
        self.action_line = 0

    def flush(self) -> None:
        action = self.action
        if any(line.strip() for line in action):
            while not action[-1].strip():
                action.pop()
            column = min(len(x) - len(x.lstrip()) for x in action if x.strip()) + 1
            self.script.elements.append(
                Element("action", "\n".join(action), self.action_line, column)
            )
        self.action = []

    def add(self, kind: str, text: str, line: int, column: int = 1, **extra: object) -> None:
        self.flush()
        self.script.elements.append(Element(kind, text, line, column, **extra))  # type: ignore[arg-type]

    def add_action(self, line: str, number: int) -> None:
        if not self.action:
            self.action_line = number
        self.action.append(line)

    def step(self, i: int) -> int:
        """Read the element at line index `i`; return the index of the next line to read."""
        lines = self.lines
        line = lines[i]
        stripped = line.strip()
        number = i + 1
        column = len(line) - len(line.lstrip()) + 1
        before_blank = i == 0 or _blank(lines[i - 1])
        after_blank = i + 1 >= len(lines) or _blank(lines[i + 1])
        if _blank(line):
            if line == _HOLD and self.action:
                self.action.append("")
            else:
                self.flush()
            return i + 1
        continues = not stripped.startswith(("!", "#", "=", "~")) and not _PAGE_BREAK.match(line)
        if self.action and not before_blank and continues:  # action goes on to its blank line
            self.add_action(line, number)
            return i + 1
        if self._marked(line, number, column, before_blank):
            return i + 1
        if before_blank and after_blank and self._between_blanks(stripped, number, column):
            return i + 1
        if before_blank and not after_blank and (cue := _cue(line, number)):
            self.flush()
            self.script.elements.append(cue)
            return _dialogue(lines, i + 1, self.script)
        self.add_action(line, number)
        return i + 1

    def _marked(self, line: str, number: int, column: int, before_blank: bool) -> bool:
        """An element its first character marks (! # = ~ . >), read; False if none is."""
        stripped = line.strip()
        if stripped.startswith("!"):  # forced action: ! becomes a space, columns kept
            self.add_action(line.replace("!", " ", 1), number)
        elif stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            self.add("section", stripped[level:].strip(), number, column, level=level)
        elif _PAGE_BREAK.match(line):
            self.add("page-break", "", number, column)
        elif stripped.startswith("="):
            self.add("synopsis", stripped[1:].strip(), number, column)
        elif stripped.startswith("~"):
            self.add("lyric", stripped[1:].strip(), number, column + 1)
        elif stripped.startswith(".") and stripped[1:2].isalnum() and before_blank:
            self.add("scene", stripped[1:].strip(), number, column + 1, forced=True)
        elif stripped.startswith(">") and stripped.endswith("<") and len(stripped) > 1:
            self.add("centered", stripped[1:-1].strip(), number, column + 1)
        elif stripped.startswith(">"):
            self.add("transition", stripped[1:].strip(), number, column + 1, forced=True)
        else:
            return False
        return True

    def _between_blanks(self, stripped: str, number: int, column: int) -> bool:
        """A scene heading or a transition: a line alone between blank lines."""
        if _SCENE.match(stripped):
            self.add("scene", stripped, number, column)
        elif _TRANSITION.match(stripped):
            self.add("transition", stripped, number, column)
        else:
            return False
        return True


def _title_page(lines: list[str], script: Script) -> int:
    """Read the title page, if the file starts with one; return the index of the first line after."""
    if not lines or not _TITLE_KEY.match(lines[0]):
        return 0
    key = ""
    i = 0
    while i < len(lines) and lines[i].strip():
        match = _TITLE_KEY.match(lines[i])
        if match and not lines[i][:1].isspace():
            key = match.group(1).strip().lower()
            script.title_page[key] = match.group(2).strip()
        elif key:  # an indented continuation line
            joined = f"{script.title_page[key]}\n{lines[i].strip()}"
            script.title_page[key] = joined.strip()
        i += 1
    return i


def _cue(line: str, number: int) -> Element | None:
    """A character cue: an all-caps name (or @forced), with (extensions) and ^ for dual dialogue."""
    indent = len(line) - len(line.lstrip())
    match = _CUE.match(line.strip())
    if not match:
        return None
    name = match.group("name").strip()
    forced = bool(match.group("forced"))
    if not name or (not forced and not _is_caps(name)):
        return None
    extensions = [e.strip() for e in _EXTENSION.findall(match.group("ext") or "")]
    column = indent + 1 + (1 if forced else 0)
    return Element(
        "cue",
        name,
        number,
        column,
        extensions=extensions,
        dual=bool(match.group("dual")),
        forced=forced,
    )


def _dialogue(lines: list[str], i: int, script: Script) -> int:
    """Parentheticals, dialogue and lyric lines after a cue, up to the next blank line (a line
    of two spaces is no blank: it keeps the speech going)."""
    speech: list[str] = []
    speech_line = 0

    def flush() -> None:
        nonlocal speech
        if speech:
            while speech and not speech[-1].strip():
                speech.pop()
            script.elements.append(Element("dialogue", "\n".join(speech), speech_line))
        speech = []

    while i < len(lines) and not _blank(lines[i]):
        stripped = lines[i].strip()
        if stripped.startswith("(") and stripped.endswith(")"):
            flush()
            column = len(lines[i]) - len(lines[i].lstrip()) + 1
            script.elements.append(Element("parenthetical", stripped, i + 1, column))
        elif stripped.startswith("~"):
            flush()
            column = len(lines[i]) - len(lines[i].lstrip()) + 2
            script.elements.append(Element("lyric", stripped[1:].strip(), i + 1, column))
        else:
            if not speech:
                speech_line = i + 1
            speech.append("" if lines[i] == _HOLD else lines[i])
        i += 1
    flush()
    return i
