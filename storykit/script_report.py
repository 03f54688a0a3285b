"""The reports screenwriting apps give about a script, each row linked to the bible entry it
is about: the scene list with page estimates (1 page ≈ 55 printed lines), characters by scenes
and speeches, locations by scene, and INT/EXT and DAY/NIGHT counts.

A pure function from a script (and, for the links, the project and treatment) to plain data;
the terminal table, the JSON and the HTML page are drawn from the same data.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from storykit.model import Entry, Project, find_place
from storykit.script import LINES_PER_PAGE, Script, printed_lines

_CONTD = re.compile(r"\s+CONT['’]?D\.?$", re.IGNORECASE)


@dataclass
class SceneRow:
    number: int
    heading: str
    line: int
    act: str
    setting: str  # INT, EXT, INT/EXT or ""
    location: str
    time: str
    page: float  # where it starts
    eighths: int  # how long it is, in eighths of a page (the industry's measure), at least 1
    speakers: list[str]
    place: str | None  # the bible's place id

    @property
    def length(self) -> str:
        """ "1 3/8" pages, as Final Draft's scene report writes lengths."""
        whole, rest = divmod(self.eighths, 8)
        parts = [str(whole)] if whole else []
        if rest:
            parts.append(f"{rest}/8")
        return " ".join(parts) or "0"


@dataclass
class CharacterRow:
    cue: str
    scenes: int
    speeches: int
    words: int
    first_scene: int
    entry: str | None  # the bible's character id


@dataclass
class LocationRow:
    location: str
    scenes: list[int]
    settings: list[str]
    entry: str | None


@dataclass
class ScriptReport:
    path: str
    title: str
    treatment: str | None
    pages: float
    scenes: list[SceneRow] = field(default_factory=list)
    characters: list[CharacterRow] = field(default_factory=list)
    locations: list[LocationRow] = field(default_factory=list)
    settings: dict[str, int] = field(default_factory=dict)  # INT / EXT / INT/EXT / none
    times: dict[str, int] = field(default_factory=dict)  # DAY / NIGHT / ... / none

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for row, scene in zip(data["scenes"], self.scenes, strict=True):
            row["length"] = scene.length
        return data


def _entry(entries: list[Entry], name: str) -> str | None:
    wanted = name.casefold()
    return next(
        (
            e.id
            for e in entries
            if e.kind_name == "character" and wanted in (n.casefold() for n in e.names)
        ),
        None,
    )


def script_report(
    script: Script, project: Project | None = None, treatment: str | None = None
) -> ScriptReport:
    entries = project.entries_of(treatment) if project and treatment else []
    scenes = script.scenes
    first = scenes[0].heading.line if scenes else 0
    before = printed_lines([e for e in script.elements if e.line < first])
    report = ScriptReport(script.path, script.title, treatment, 0.0)
    speeches: Counter[str] = Counter()
    words: Counter[str] = Counter()
    in_scenes: dict[str, set[int]] = {}
    first_scene: dict[str, int] = {}
    locations: dict[str, LocationRow] = {}
    for scene in scenes:
        lines = printed_lines([scene.heading, *scene.elements])
        slug = scene.slugline
        speakers: list[str] = []
        speaker = None
        for element in scene.elements:
            if element.kind == "cue":
                speaker = _CONTD.sub("", element.text).strip()
                speeches[speaker] += 1
                in_scenes.setdefault(speaker, set()).add(scene.number)
                first_scene.setdefault(speaker, scene.number)
                speakers.append(speaker)
            elif element.kind in ("dialogue", "lyric") and speaker:
                words[speaker] += len(element.text.split())
            elif element.kind not in ("parenthetical",):
                speaker = None
        place = find_place(entries, slug.location)
        report.scenes.append(
            SceneRow(
                number=scene.number,
                heading=scene.heading.text,
                line=scene.heading.line,
                act=scene.act,
                setting=slug.setting,
                location=slug.location,
                time=slug.time,
                page=round(1 + before / LINES_PER_PAGE, 1),
                eighths=max(1, round(lines * 8 / LINES_PER_PAGE)),
                speakers=list(dict.fromkeys(speakers)),
                place=place.id if place else None,
            )
        )
        before += lines
        if slug.location:
            row = locations.setdefault(
                slug.location.casefold(),
                LocationRow(slug.location, [], [], place.id if place else None),
            )
            row.scenes.append(scene.number)
            if slug.setting and slug.setting not in row.settings:
                row.settings.append(slug.setting)
        report.settings[slug.setting or "none"] = report.settings.get(slug.setting or "none", 0) + 1
        time = slug.time.upper() or "none"
        report.times[time] = report.times.get(time, 0) + 1
    report.pages = round(before / LINES_PER_PAGE, 1)
    report.characters = sorted(
        (
            CharacterRow(
                cue,
                len(in_scenes[cue]),
                speeches[cue],
                words[cue],
                first_scene[cue],
                _entry(entries, cue),
            )
            for cue in speeches
        ),
        key=lambda row: (-row.scenes, -row.speeches, row.cue),
    )
    report.locations = sorted(locations.values(), key=lambda row: (-len(row.scenes), row.scenes[0]))
    return report
