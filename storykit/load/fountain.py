"""Fountain screenplays → a script model with line numbers, and the script as an outline of the
project, so the name rules that read outlines read a screenplay unchanged.

The PyPI parsers (jouvence, screenplain, fountain-parser, fountain-py) all drop line numbers,
and some drop notes or dual dialogue; the linter must point at the script's own lines, so this
is a small reader of the parts of the Fountain spec that carry names: title page, scene
headings, sections, synopses, character cues (extensions, `^` dual dialogue, `@` forced),
parentheticals, dialogue, transitions, action; notes and boneyard are skipped.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from storykit.errors import UsageError, did_you_mean
from storykit.load.dictionary import english
from storykit.load.files import FileProblem, read_text
from storykit.model import Act, Beat, Outline, Paragraph, Project, slugify
from storykit.text import WORD

_TITLE_KEY = re.compile(r"^([A-Za-z][A-Za-z ]*):(.*)$")
_SCENE = re.compile(r"^(?:INT\.?/EXT|I/E|INT|EXT|EST)[. ]", re.IGNORECASE)
_TRANSITION = re.compile(r"^[A-Z0-9 .'\-]+TO:$")
_CUE = re.compile(r"^(?P<forced>@)?(?P<name>[^(^]+?)\s*(?P<ext>(?:\([^)]*\)\s*)*)(?P<dual>\^)?\s*$")
_SCENE_NUMBER = re.compile(r"#[\w.\-]+#\s*$")
_EXTENSION = re.compile(r"\(([^)]*)\)")


@dataclass
class Element:
    """One element of a screenplay: its kind, its text and where it starts (1-based)."""

    kind: str  # scene | section | synopsis | action | cue | parenthetical | dialogue | transition | lyric | page-break
    text: str
    line: int
    column: int = 1
    level: int = 0  # for sections: the number of #
    extensions: list[str] = field(default_factory=list)  # for cues: V.O., O.S., CONT'D ...
    dual: bool = False  # for cues: the right column of dual dialogue (`^`)
    forced: bool = False  # written with @ (cues), . (scenes), ! (action), > (transitions)


@dataclass
class Script:
    path: str
    title_page: dict[str, str] = field(default_factory=dict)
    elements: list[Element] = field(default_factory=list)

    @property
    def cues(self) -> list[Element]:
        return [e for e in self.elements if e.kind == "cue"]


def _blank_between(text: str, opening: str, closing: str) -> str:
    """`text` with every `opening`...`closing` span blanked out, newlines kept so every line
    after a note or a boneyard keeps its number. One pass: an unclosed opening (or ten thousand
    of them) ends the search instead of rescanning the rest of the file each time."""
    parts: list[str] = []
    position = 0
    while (start := text.find(opening, position)) >= 0:
        end = text.find(closing, start + len(opening))
        if end < 0:
            break
        end += len(closing)
        parts.append(text[position:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _is_caps(text: str) -> bool:
    return any(c.isalpha() for c in text) and not any(c.islower() for c in text)


def parse_fountain(text: str, path: str = "script.fountain") -> Script:
    """Read a Fountain screenplay; never fails: what is not recognised is action, as in the spec."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = _blank_between(_blank_between(text, "/*", "*/"), "[[", "]]")
    lines = text.split("\n")
    script = Script(path)
    i = _title_page(lines, script)
    action: list[str] = []
    action_line = 0

    def flush() -> None:
        nonlocal action
        if any(line.strip() for line in action):
            while not action[-1].strip():
                action.pop()
            script.elements.append(Element("action", "\n".join(action), action_line))
        action = []

    def add(kind: str, content: str, number: int, **extra: object) -> None:
        flush()
        script.elements.append(Element(kind, content, number, **extra))  # type: ignore[arg-type]

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        number = i + 1
        before_blank = i == 0 or not lines[i - 1].strip()
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if not stripped:
            flush()
            i += 1
            continue
        if stripped.startswith("!"):  # forced action
            if not action:
                action_line = number
            action.append(line.replace("!", " ", 1))
            i += 1
            continue
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            add("section", stripped[level:].strip(), number, level=level)
        elif stripped.startswith("=") and not stripped.startswith("==="):
            add("synopsis", stripped[1:].strip(), number)
        elif stripped.startswith("===") and set(stripped) == {"="}:
            add("page-break", "", number)
        elif before_blank and (
            _SCENE.match(stripped) or (stripped.startswith(".") and stripped[1:2].isalnum())
        ):
            forced = stripped.startswith(".")
            add("scene", stripped[1:] if forced else stripped, number, forced=forced)
        elif stripped.startswith(">") and not stripped.endswith("<"):
            add("transition", stripped[1:].strip(), number, forced=True)
        elif before_blank and _TRANSITION.match(stripped) and not after.strip():
            add("transition", stripped, number)
        elif stripped.startswith("~"):
            add("lyric", stripped[1:].strip(), number)
        elif before_blank and after.strip() and (cue := _cue(line, number)):
            flush()
            script.elements.append(cue)
            i = _dialogue(lines, i + 1, script)
            continue
        else:
            if not action:
                action_line = number
            action.append(line)
        i += 1
    flush()
    return script


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
    """Parentheticals and dialogue lines after a cue, up to the next blank line."""
    speech: list[str] = []
    speech_line = 0

    def flush() -> None:
        nonlocal speech
        if speech:
            script.elements.append(Element("dialogue", "\n".join(speech), speech_line))
        speech = []

    while i < len(lines) and lines[i].strip():
        stripped = lines[i].strip()
        if stripped.startswith("(") and stripped.endswith(")"):
            flush()
            script.elements.append(Element("parenthetical", stripped, i + 1))
        else:
            if not speech:
                speech_line = i + 1
            speech.append(lines[i])
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

    def word(self, word: str) -> str:
        if not _is_caps(word) or len(word) < 2:
            return word
        known = self.words.get(word.casefold())
        if known is not None and len(known) == len(word):
            return known
        if word in self.project_words or len(word) <= 3:
            return word  # an acronym (VR), reported as the outline rules report acronyms
        lower = word.lower()
        if len(lower) == len(word) and _english_word(lower):
            return lower  # BANG, THE DOOR SLAMS: emphasis, not names
        titled = word[:1] + word[1:].lower()
        return titled if len(titled) == len(word) else word

    def text(self, text: str) -> str:
        """`text` with capitals read as above, every offset kept (findings point at the script)."""
        return WORD.sub(lambda m: self.word(m.group()), text)


def _english_word(word: str) -> bool:
    words = english()[0]  # read once (a tenth of a second), and only when a script is read
    return word in words or word.rstrip("s") in words


def _cases(project: Project) -> _Cases:
    words: dict[str, str] = {}
    texts = [n for e in project.entries for n in e.names]
    texts += [t.title for t in project.treatments.values()]
    for text in texts:
        for match in WORD.finditer(text):
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

    def paragraph(text: str, line: int, column: int = 1) -> None:
        nonlocal beat
        # Leading spaces stand for the columns before the text: Paragraph counts from column 1.
        item = Paragraph(" " * (column - 1) + cases.text(text), line)
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
            paragraph(_place(element.text), element.line, 2 if element.forced else 1)
        elif element.kind == "cue":
            paragraph(element.text, element.line, element.column)
        elif element.kind in ("action", "dialogue", "lyric", "synopsis"):
            paragraph(element.text, element.line)
    return outline


def _place(heading: str) -> str:
    """A scene heading without INT./EXT. and its #scene number#: spaces keep the columns."""
    heading = _SCENE_NUMBER.sub(lambda m: " " * len(m.group()), heading)
    match = _SCENE.match(heading)
    return " " * match.end() + heading[match.end() :] if match else heading


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
    script = parse_fountain(text, shown)
    outline = script_outline(project, script, chosen, path.stem)
    return dataclasses.replace(
        project,
        outlines={outline.name: outline},
        # Suppressions and fixes work on project.sources; a script is read, never rewritten.
        sources={k: v for k, v in project.sources.items() if not k.startswith("outlines/")},
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
        guess = did_you_mean(treatment, project.treatments)
        raise UsageError(
            f"no treatment '{treatment}' in {project.config.title}",
            f"did you mean '{guess}'?"
            if guess
            else f"treatments: {', '.join(project.treatments) or 'none'}",
        )
    return treatment
