"""The typed story bible: every entry, outline and structure storykit loads, with its source position."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from storykit.script import Script, Slugline, parse_slugline
from storykit.text import line_column, line_starts

ALL_TREATMENTS = "all"

Role = Literal["protagonist", "antagonist", "supporting", "minor"]
DeviceKind = Literal["technology", "faction", "place", "organisation", "event", "item"]

ROLES: tuple[str, ...] = ("protagonist", "antagonist", "supporting", "minor")
# The leads: in play between their first and last beat, expected in the second act and the
# climax, listed first in a treatment.
LEAD_ROLES: tuple[str, ...] = ("protagonist", "antagonist", "supporting")
DEVICE_KINDS: tuple[str, ...] = ("technology", "faction", "place", "organisation", "event", "item")

_SLUG_RUN = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ "Fun and Games" -> "fun-and-games"; how beat headings meet structure beats."""
    return _SLUG_RUN.sub("-", text.lower().replace("'", "").replace("’", "")).strip("-")


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file: path relative to the project, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass
class Entry:
    """What every bible entry shares: an id, a display name, the treatment it belongs to."""

    id: str
    name: str
    treatment: str
    position: Position
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    notes: str = ""
    # Where each key and value sits in the source, by key path ("name", "relationships.0.to").
    field_positions: dict[str, Position] = field(default_factory=dict, repr=False, compare=False)

    kind_name = "entry"

    @property
    def names(self) -> list[str]:
        """The name and every alias: the words that refer to this entry in prose."""
        return [self.name, *self.aliases]

    def where(self, key: str) -> Position:
        """The position of `key` (a dotted path) in the source, else of the entry itself."""
        return self.field_positions.get(key, self.position)


@dataclass
class Relationship:
    to: str
    relation: str
    position: Position


@dataclass
class Arc:
    want: str = ""
    need: str = ""
    change: str = ""


@dataclass
class Character(Entry):
    role: str = "supporting"
    occupation: str = ""
    age: int | str | None = None
    relationships: list[Relationship] = field(default_factory=list)
    arc: Arc = field(default_factory=Arc)

    kind_name = "character"


@dataclass
class Device(Entry):
    kind: str = "technology"

    kind_name = "device"


@dataclass
class Thread(Entry):
    characters: list[str] = field(default_factory=list)
    setup: list[str] = field(default_factory=list)
    payoff: list[str] = field(default_factory=list)

    kind_name = "thread"


@dataclass
class WorldRules(Entry):
    rules: list[str] = field(default_factory=list)

    kind_name = "rules"


@dataclass
class Treatment:
    id: str
    title: str
    position: Position
    logline: str = ""
    premise: str = ""
    year: int | None = None
    setting: str = ""
    source: str = ""
    themes: list[str] = field(default_factory=list)
    field_positions: dict[str, Position] = field(default_factory=dict, repr=False, compare=False)

    kind_name = "treatment"

    @property
    def name(self) -> str:
        return self.title

    def where(self, key: str) -> Position:
        return self.field_positions.get(key, self.position)


@dataclass(eq=False)
class Paragraph:
    """One paragraph of beat text, verbatim from the source; `line` is its first line.

    `kind` is "" for prose; a script read as an outline marks its cues "cue" and its scene
    headings "heading" (names are read there, spelling is not).

    Compared and hashed by identity: the analysis keys what it derives by the paragraph itself
    (two paragraphs with the same words at the same line are still two places)."""

    text: str
    line: int
    kind: str = ""

    @cached_property
    def _line_starts(self) -> list[int]:
        return line_starts(self.text)

    def locate(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, in the file, of a character offset into `text`."""
        line, column = line_column(self.text, offset, self._line_starts)
        return self.line + line - 1, column


@dataclass
class Scene:
    """A `###` section under a beat: a slugline (`INT. PLACE - TIME`) or a free title.

    Its paragraphs are also its beat's (every rule that reads a beat reads its scenes); the
    `place` device its location names is `Project.place_of(treatment, scene)`."""

    heading: str
    line: int
    paragraphs: list[Paragraph] = field(default_factory=list)

    @cached_property
    def slugline(self) -> Slugline:
        return parse_slugline(self.heading)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass
class Beat:
    """A `##` section of an outline. `slot` is the structure beat it fills, or None.

    `paragraphs` is what the rules read: all of the beat's text, its scenes' included (with
    their sluglines' places and speeches as the loader reads them, see
    load.outline.read_scene_text); `intro` is the text before its first scene."""

    name: str
    slug: str
    line: int
    act_index: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    slot: str | None = None
    scenes: list[Scene] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The beat's text as written: its own and its scenes' paragraphs."""
        if not self.scenes:
            return "\n\n".join(p.text for p in self.paragraphs)
        own = [*self.intro, *(p for scene in self.scenes for p in scene.paragraphs)]
        return "\n\n".join(p.text for p in own)

    @property
    def intro(self) -> list[Paragraph]:
        if not self.scenes:
            return self.paragraphs
        first = self.scenes[0].line
        return [p for p in self.paragraphs if p.line < first]


@dataclass
class Act:
    """A `#` section of an outline; paragraphs before its first beat are kept as its intro."""

    name: str
    line: int
    index: int
    intro: list[Paragraph] = field(default_factory=list)
    beats: list[Beat] = field(default_factory=list)


@dataclass
class Outline:
    name: str  # file stem: the outline's handle on the command line and in build/
    path: str  # relative to the project
    treatment: str
    title: str
    structure: str
    variant: str = ""
    acts: list[Act] = field(default_factory=list)
    source: str = ""  # the whole file, for exact edits and suppressions
    field_positions: dict[str, Position] = field(default_factory=dict, repr=False, compare=False)

    @property
    def beats(self) -> list[Beat]:
        return [beat for act in self.acts for beat in act.beats]

    @property
    def scenes(self) -> list[Scene]:
        return [scene for beat in self.beats for scene in beat.scenes]

    @property
    def label(self) -> str:
        return f"{self.title} ({self.variant})" if self.variant else self.title

    def where(self, key: str) -> Position:
        return self.field_positions.get(key, Position(self.path, 1, 1))


@dataclass
class StructureBeat:
    id: str
    name: str
    page: int
    act: int
    end: int | None = None
    climax: bool = False


@dataclass
class Structure:
    id: str
    name: str
    pages: int
    beats: list[StructureBeat]
    path: str = ""

    def beat(self, beat_id: str) -> StructureBeat | None:
        return next((b for b in self.beats if b.id == beat_id), None)

    @property
    def climax(self) -> StructureBeat | None:
        return next((b for b in self.beats if b.climax), None)


@dataclass
class LintConfig:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)
    # Report real-world names (London, Christmas) and capitalised ordinary words as well.
    strict_names: bool = False


@dataclass
class Limits:
    """Guards against hostile input; each is settable under `limits:` in storykit.yaml."""

    max_file_bytes: int = 2_000_000
    max_yaml_nodes: int = 100_000
    max_depth: int = 50


@dataclass
class ProjectConfig:
    title: str
    path: str = "storykit.yaml"
    author: str = ""
    contact: str = ""
    draft_date: str = ""
    language: str = "en"
    structure: str = "save-the-cat"
    pages: int | None = None
    lint: LintConfig = field(default_factory=LintConfig)
    limits: Limits = field(default_factory=Limits)
    field_positions: dict[str, Position] = field(default_factory=dict, repr=False, compare=False)

    def where(self, key: str) -> Position:
        return self.field_positions.get(key, Position(self.path, 1, 1))


@dataclass
class Project:
    """A whole loaded project: config, bible, outlines and the structures they may use."""

    root: Path
    config: ProjectConfig
    treatments: dict[str, Treatment] = field(default_factory=dict)
    characters: dict[str, Character] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    threads: dict[str, Thread] = field(default_factory=dict)
    rules: dict[str, WorldRules] = field(default_factory=dict)
    outlines: dict[str, Outline] = field(default_factory=dict)
    # The screenplays under scripts/, by path relative to the project, each tied to a treatment.
    scripts: dict[str, Script] = field(default_factory=dict)
    structures: dict[str, Structure] = field(default_factory=dict)
    # Every file read, relative path -> text: rules and --fix work from these, never re-reading disk.
    sources: dict[str, str] = field(default_factory=dict, repr=False)
    # Entries that lost an id clash: kept so the duplicate-id rule can point at both files.
    duplicates: list[tuple[Entry | Treatment, Entry | Treatment]] = field(default_factory=list)
    # Problems the loader found but could load past; the schema, duplicate-id and relationship
    # rules report them (typed loosely to keep the model free of the errors module).
    load_problems: list[Any] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        """Characters, devices and threads: the entries that are named in prose."""
        return [*self.characters.values(), *self.devices.values(), *self.threads.values()]

    def entries_of(self, treatment: str) -> list[Entry]:
        return [e for e in self.entries if e.treatment in (treatment, ALL_TREATMENTS)]

    def place_of(self, treatment: str, scene: Scene) -> Device | None:
        """The `place` device a scene's location names (name or alias, any case; the part
        before a dash also counts: "NEXUS - CONTROL ROOM" is at the Nexus), else None."""
        return find_place(self.entries_of(treatment), scene.slugline.location)

    def outlines_of(self, treatment: str) -> list[Outline]:
        return [o for o in self.outlines.values() if o.treatment == treatment]


def _place_key(text: str) -> str:
    words = text.casefold().replace("’", "'").split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def find_place(entries: list[Entry], location: str) -> Device | None:
    """The place among `entries` that `location` (a slugline's place) names, else None."""
    if not location.strip():
        return None
    places = {
        _place_key(name): entry
        for entry in entries
        if isinstance(entry, Device) and entry.kind == "place"
        for name in entry.names
    }
    wanted = [location, re.split(r"\s+[-–—]+\s+|\s*/\s*", location)[0]]
    return next((places[k] for k in map(_place_key, wanted) if k in places), None)


def as_plain(value: Any) -> Any:
    """A dataclass tree as plain dicts and lists (for JSON), positions dropped."""
    from dataclasses import fields, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: as_plain(getattr(value, f.name))
            for f in fields(value)
            if f.name not in ("field_positions", "position", "source")
        }
    if isinstance(value, dict):
        return {k: as_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_plain(v) for v in value]
    return value
