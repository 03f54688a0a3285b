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

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from storykit.errors import UsageError, did_you_mean_hint
from storykit.load.dictionary import english
from storykit.load.files import FileProblem, read_text
from storykit.model import Act, Beat, Entry, Outline, Paragraph, Project, slugify
from storykit.script import Element, Note, Script
from storykit.text import WORD

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


# --- The script as an outline of the project -------------------------------------------------------


@dataclass
class _Cases:
    """How the bible writes each word of its names, to read a script's capitals: the name rules
    match case-sensitively, and a script writes KORIN where an outline writes Korin."""

    words: dict[str, str]
    project_words: set[str]

    def word(self, word: str, cue: bool = False) -> str:
        if len(word) < 2:
            return word
        known = self.words.get(word.casefold())
        if not _is_caps(word):  # McGREGOR, forced with @: as the bible writes McGregor
            shouted = sum(c.isupper() for c in word) > 2
            return known if shouted and known is not None and len(known) == len(word) else word
        if known is not None and len(known) == len(word):
            return known
        if word in self.project_words:
            return word  # an acronym (VR), reported as the outline rules report acronyms
        titled = word[:1] + word[1:].lower()
        if cue:  # a cue is a character's name, whatever its words mean (ROSE, HUNTER)
            return titled if len(titled) == len(word) else word
        lower = word.lower()
        if len(word) <= 3:
            # IN, OF, A BIT: small words in capitals are emphasis; other short capitals are
            # acronyms, reported as the outline rules report acronyms
            return lower if len(lower) == len(word) and _english_word(lower) else word
        if len(lower) == len(word) and _english_word(lower):
            return lower  # BANG, THE DOOR SLAMS: emphasis, not names
        return titled if len(titled) == len(word) else word

    def text(self, text: str, cue: bool = False) -> str:
        """`text` with capitals read as above, every offset kept (findings point at the script)."""
        return WORD.sub(lambda m: self.word(m.group(), cue), text)


def _english_word(word: str) -> bool:
    known, _ = english()  # read once, when a script is read: storykit's English dictionary
    if word in known or word.rstrip("s") in known:
        return True
    # British spellings of the American list's words (HARBOUR, COLOUR, REALISE) are words too.
    american = word.replace("our", "or").replace("ise", "ize").replace("yse", "yze")
    return american != word and (american in known or american.rstrip("s") in known)


# Words of a bible name that are no reason to capitalise a word of a script ("The Wreck of the
# Marigold" must not turn THE DOOR SLAMS into "The door").
_FUNCTION_WORDS = frozenset(
    ("a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with")
)


def case_reader(project: Project) -> _Cases:
    """How to read a script's capitals against this project's bible (see _Cases)."""
    return _cases(project)


def _cases(project: Project) -> _Cases:
    words: dict[str, str] = {}
    for text in (n for e in project.entries for n in e.names):
        for match in WORD.finditer(text):
            if match.group().casefold() not in _FUNCTION_WORDS:
                words.setdefault(match.group().casefold(), match.group())
    for title in (t.title for t in project.treatments.values()):
        for match in WORD.finditer(title):  # a title's coinages (BedSync), not its words
            if not _english_word(match.group().lower()):
                words.setdefault(match.group().casefold(), match.group())
    project_words = {w for phrase in project.config.lint.words for w in str(phrase).split()}
    return _Cases(words, project_words)


def script_outline(project: Project, script: Script, treatment: str, name: str) -> Outline:
    """The script as an outline: `#` sections as acts, scenes as beats, and each scene's action,
    cues and dialogue as paragraphs at their own lines and columns."""
    cases = _cases(project)
    outline = Outline(
        name=name,
        path=script.path,
        treatment=treatment,
        title=script.title_page.get("title", name).split("\n")[0],
        structure=project.config.structure,
    )
    act = Act(name="", line=1, index=0)
    outline.acts.append(act)
    beat: Beat | None = None

    def paragraph(text: str, line: int, column: int = 1, kind: str = "") -> None:
        nonlocal beat
        # Leading spaces stand for the columns before the text: Paragraph counts from column 1.
        item = Paragraph(" " * (column - 1) + cases.text(text, kind == "cue"), line, kind)
        if beat is None:
            beat = Beat("", "", line, act.index)
            act.beats.append(beat)
        beat.paragraphs.append(item)

    for element in script.elements:
        if element.kind == "section" and element.level == 1:
            if act.beats or act.intro:
                act = Act(name=element.text, line=element.line, index=len(outline.acts))
                outline.acts.append(act)
            else:
                act.name, act.line = element.text, element.line
            beat = None
        elif element.kind == "scene":
            beat = Beat(element.text, slugify(element.text), element.line, act.index)
            act.beats.append(beat)
            heading = heading_reading(project.entries_of(treatment), element.text)
            paragraph(heading, element.line, element.column, "heading")
        elif element.kind == "cue":
            paragraph(element.text, element.line, element.column, "cue")
        elif element.kind in ("action", "dialogue", "lyric", "synopsis"):
            paragraph(element.text, element.line)
    return outline


def heading_reading(entries: list[Entry], heading: str) -> str:
    """A scene heading as the name rules read it: INT./EXT. and the scene number blanked, the
    place written as the bible writes the entry it names; "at" stands where INT. stood, so the
    place is not taken for a word opening a sentence (columns kept)."""
    place = _as_named(entries, _place(heading))
    return "at" + place[2:] if place.startswith("   ") else place


def _as_named(entries: list[Entry], place: str) -> str:
    """The place of a heading written as the bible writes the entry it names, when one has
    that name in another case (THE WRECK OF THE MARIGOLD -> The Wreck of the Marigold)."""
    names = {n.casefold(): n for e in entries for n in e.names}
    for part in re.split(r"\s+[-–—]+\s+", place.strip()):
        known = names.get(part.casefold())
        if known is not None and len(known) == len(part):
            start = place.index(part)
            place = place[:start] + known + place[start + len(part) :]
    return place


def _place(heading: str) -> str:
    """A scene heading without INT./EXT., its #scene number# and its time of day (what follows
    the last " - ": DAY, NIGHT, CONTINUOUS): spaces keep the columns."""
    heading = _SCENE_NUMBER.sub(lambda m: " " * len(m.group()), heading)
    match = _SCENE.match(heading)
    place = " " * match.end() + heading[match.end() :] if match else heading
    dash = place.rfind(" - ")
    return place[:dash] + " " * (len(place) - dash) if dash > 0 else place


def load_script(project: Project, path: Path, treatment: str | None) -> Project:
    """The project as the name rules should see a script: the bible, with the script as its only
    outline. `treatment` may be omitted when the project has a single treatment."""
    chosen = _treatment(project, treatment, path)
    try:
        text = read_text(path.resolve(), path.resolve().parent, project.config.limits)
    except FileProblem as problem:
        raise UsageError(str(problem.problem)) from problem
    try:
        shown = path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    if path.suffix.lower() == ".fdx":
        from storykit.load.fdx import FdxProblem, parse_fdx

        try:
            script = parse_fdx(text, shown)
        except FdxProblem as problem:
            raise UsageError(str(problem.problem)) from problem
    else:
        script = parse_fountain(text, shown)
    outline = script_outline(project, script, chosen, path.stem)
    return dataclasses.replace(
        project,
        outlines={outline.name: outline},
        scripts={},  # this script alone, not the project's scripts/ as well
        # Suppressions and fixes work on project.sources; a script is read, never rewritten.
        sources={
            **{k: v for k, v in project.sources.items() if not k.startswith("outlines/")},
            shown: text,  # the rules that quote a cue read it as written
        },
        load_problems=[],
    )


def _treatment(project: Project, treatment: str | None, path: Path) -> str:
    if treatment is None:
        if len(project.treatments) == 1:
            return next(iter(project.treatments))
        raise UsageError(
            f"which treatment is {path.name} a draft of?",
            f"pass --treatment, one of: {', '.join(project.treatments)}",
        )
    if treatment not in project.treatments:
        raise UsageError(
            f"no treatment '{treatment}' in {project.config.title}",
            did_you_mean_hint(
                treatment,
                project.treatments,
                f"treatments: {', '.join(project.treatments) or 'none'}",
            ),
        )
    return treatment
