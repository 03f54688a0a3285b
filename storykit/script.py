"""The screenplay model: scene headings (sluglines) and the elements of a script, as the Fountain
and FDX readers produce them and the exports, the importer and the script reports read them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A slugline: INT. / EXT. / INT./EXT. / I/E / EST, the place, and the time after the last dash.
_SLUGLINE = re.compile(
    r"^(?P<setting>INT\.?/EXT|INT\./EXT|EXT\.?/INT|I/E|INT|EXT|EST)\.?(?:\s+|$)(?P<rest>.*)$",
    re.IGNORECASE,
)
_TIME = re.compile(r"\s+[-–—]+\s+(?P<time>[^-–—]+?)\s*$")
_SCENE_NUMBER = re.compile(r"\s*#[\w.\-]+#\s*$")


@dataclass
class Slugline:
    """The parts of a scene heading: INT/EXT/INT-EXT (or "" for a free title), place, time."""

    setting: str = ""  # "INT", "EXT", "INT/EXT" or "" (a title, not a slugline)
    location: str = ""
    time: str = ""  # DAY, NIGHT, CONTINUOUS ... as written, or ""
    number: str = ""  # a Fountain scene number (#12A#), without the #


def parse_slugline(heading: str) -> Slugline:
    """ "INT. SLEEPPOD ARENA - NIGHT" -> Slugline("INT", "SLEEPPOD ARENA", "NIGHT")."""
    text = heading.strip()
    number = ""
    if found := _SCENE_NUMBER.search(text):
        number = found.group().strip().strip("#")
        text = text[: found.start()]
    match = _SLUGLINE.match(text)
    if not match:
        return Slugline(number=number)
    word = match.group("setting").upper().replace(".", "")
    setting = {"I/E": "INT/EXT", "EXT/INT": "INT/EXT", "EST": "EXT"}.get(word, word)
    rest = match.group("rest").strip()
    time = ""
    if found := _TIME.search(rest):
        time, rest = found.group("time"), rest[: found.start()]
    return Slugline(setting, rest.strip(" .-–—"), time.strip(), number)


# The kinds of element a script holds; FDX paragraph types map onto the same names.
ELEMENT_KINDS = (
    "scene",  # a scene heading
    "section",  # `#` (level = the number of #); in FDX a "New Act" is a level-1 section
    "synopsis",
    "action",
    "cue",  # a character cue: the name, without its (extensions) and ^
    "parenthetical",
    "dialogue",
    "lyric",
    "transition",
    "centered",
    "page-break",
)


@dataclass
class Element:
    """One element of a screenplay: its kind, its text and where it starts (1-based)."""

    kind: str
    text: str
    line: int
    column: int = 1
    level: int = 0  # for sections: the number of #
    extensions: list[str] = field(default_factory=list)  # for cues: V.O., O.S., CONT'D ...
    dual: bool = False  # for cues: the right column of dual dialogue (`^`)
    forced: bool = False  # written with @ (cues), . (scenes), ! (action), > (transitions)


@dataclass
class Note:
    """A `[[note]]` (or an FDX ScriptNote): for the writer, never printed."""

    text: str
    line: int
    column: int = 1


@dataclass
class Script:
    """A whole screenplay: its title page (keys lower-cased), its elements in order, its notes."""

    path: str
    title_page: dict[str, str] = field(default_factory=dict)
    elements: list[Element] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    format: str = "fountain"  # or "fdx"
    treatment: str = ""  # the treatment it tells, once the project has tied it to one

    @property
    def cues(self) -> list[Element]:
        return [e for e in self.elements if e.kind == "cue"]

    @property
    def title(self) -> str:
        return self.title_page.get("title", "").split("\n")[0].strip(" *_")

    @property
    def scenes(self) -> list[ScriptScene]:
        """The script cut at its scene headings (what comes before the first is no scene), each
        with the act (level-1 section or FDX New Act) it falls in."""
        scenes: list[ScriptScene] = []
        act = ""
        after_section = False  # the synopses right after a section are the section's
        for element in self.elements:
            if element.kind == "section":
                act = element.text if element.level == 1 else act
                after_section = True
                continue
            if element.kind == "synopsis" and after_section:
                continue
            after_section = False
            if element.kind == "scene":
                scenes.append(ScriptScene(element, act, len(scenes) + 1))
            elif scenes:
                scenes[-1].elements.append(element)
        return scenes

    def section_synopses(self) -> dict[int, list[str]]:
        """Line of each section -> the synopses written right under it."""
        found: dict[int, list[str]] = {}
        current: int | None = None
        for element in self.elements:
            if element.kind == "section":
                current = element.line
                found[current] = []
            elif element.kind == "synopsis" and current is not None:
                found[current].append(element.text)
            else:
                current = None
        return found

    @property
    def acts(self) -> list[str]:
        return [e.text for e in self.elements if e.kind == "section" and e.level == 1]


@dataclass
class ScriptScene:
    """One scene of a script: its heading element and what follows up to the next heading."""

    heading: Element
    act: str
    number: int
    elements: list[Element] = field(default_factory=list)

    @property
    def slugline(self) -> Slugline:
        return parse_slugline(self.heading.text)

    @property
    def speakers(self) -> list[str]:
        """Cue names in order of first speech, each once."""
        return list(dict.fromkeys(e.text for e in self.elements if e.kind == "cue"))


# How a script prints, in lines, on the usual page: Courier 12, 6 lines to the inch, 55 lines
# of script to a page; action runs 60 characters wide, dialogue 35, parentheticals 25.
LINES_PER_PAGE = 55
_WIDTH = {"dialogue": 35, "parenthetical": 25, "lyric": 35}


def _wrapped(text: str, width: int) -> int:
    lines = 0
    for line in text.split("\n"):
        lines += max(1, -(-len(line.strip()) // width))
    return lines


def printed_lines(elements: list[Element]) -> int:
    """How many lines `elements` take when printed, the blank lines between them included."""
    total = 0
    for element in elements:
        if element.kind in ("section", "synopsis"):
            continue  # never printed
        if element.kind == "page-break":
            total += -total % LINES_PER_PAGE
            continue
        if element.kind not in ("dialogue", "parenthetical", "lyric"):
            total += 1  # the blank line before a block; speech follows its cue directly
        total += _wrapped(element.text, _WIDTH.get(element.kind, 60))
    return total
