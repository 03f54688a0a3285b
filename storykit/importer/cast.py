"""Who speaks and where: characters drafted from a script's cues, places from its sluglines.

A cue is read as a name: its (extensions) and `^` are already off; a trailing CONT'D written
without brackets goes too. Variant cues of one person are merged: a cue whose words are part of
a longer cue (McGREGOR in MAGGIE McGREGOR) or of the capitals that introduce a character in
action ("MAGGIE McGREGOR, the harbourmaster") becomes an alias of the longer name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from storykit.model import slugify
from storykit.script import Script

_CONTD = re.compile(r"\s+CONT['’]?D\.?$", re.IGNORECASE)
# Runs of two or more words in capitals (Mc/Mac/O' names allowed), as action introduces people.
_CAPS_RUN = re.compile(r"\b(?:(?:Ma?c|O['’])?[A-Z][A-Z'’\-]+(?:\s+|\b)){2,}")
_SMALL = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"}


def display_name(cue: str) -> str:
    """ "RUTH" -> "Ruth", "McGREGOR" -> "McGregor", "O'BRIEN" -> "O'Brien", "DR. SMITH" ->
    "Dr. Smith": capitals read as a name is written in prose."""
    words = []
    for word in cue.split():
        if any(c.islower() for c in word):  # forced mixed case: keep what was written small
            last = max(i for i, c in enumerate(word) if c.islower())
            words.append(word[: last + 1] + word[last + 1 :].capitalize())
            continue
        parts = re.split(r"(['’\-])", word.lower())
        words.append("".join(p.capitalize() if len(p) > 1 or p.isalpha() else p for p in parts))
    return " ".join(words)


def place_name(location: str) -> str:
    """ "THE WRECK OF THE MARIGOLD" -> "The Wreck of the Marigold"."""
    words = display_name(location).split()
    return " ".join(w.lower() if i and w.lower() in _SMALL else w for i, w in enumerate(words))


@dataclass
class DraftCharacter:
    name: str
    cues: list[str]  # every cue that names them, the main one first
    speeches: int
    scenes: int
    first_line: int
    aliases: list[str] = field(default_factory=list)

    id: str = ""

    def __post_init__(self) -> None:
        self.id = self.id or slugify(self.name) or "character"


@dataclass
class DraftPlace:
    name: str
    location: str  # as the sluglines write it
    scenes: int
    first_line: int
    settings: list[str] = field(default_factory=list)  # INT, EXT ...

    id: str = ""

    def __post_init__(self) -> None:
        self.id = self.id or slugify(self.name) or "place"


def cue_name(cue: str) -> str:
    return _CONTD.sub("", cue.strip()).strip()


def draft_cast(script: Script) -> list[DraftCharacter]:
    """One draft per person who speaks, most speeches first."""
    speeches: Counter[str] = Counter()
    scenes: dict[str, set[int]] = {}
    first: dict[str, int] = {}
    scene_number = 0  # 0: before the first scene heading
    for element in script.elements:
        if element.kind == "scene":
            scene_number += 1
        elif element.kind == "cue":
            name = cue_name(element.text)
            speeches[name] += 1
            scenes.setdefault(name, set()).add(scene_number)
            first.setdefault(name, element.line)
    introduced = _introductions(script)
    groups = _merge_variants(list(speeches), introduced)
    drafts = []
    for main, cues in groups.items():
        full = introduced.get(main, main)
        drafts.append(
            DraftCharacter(
                name=display_name(full),
                cues=cues,
                speeches=sum(speeches[c] for c in cues),
                scenes=len(set().union(*(scenes[c] for c in cues))),
                first_line=min(first[c] for c in cues),
                aliases=_aliases(display_name(full), [display_name(c) for c in cues]),
            )
        )
    return sorted(drafts, key=lambda d: (-d.speeches, d.first_line))


def _aliases(name: str, cues: list[str]) -> list[str]:
    """The variant cues, and a full name's first word (Maggie, for Maggie McGregor)."""
    words = name.split()
    first = (
        [words[0]]
        if len(words) > 1 and words[0].rstrip(".") not in ("Dr", "Mr", "Mrs", "Ms")
        else []
    )
    return list(dict.fromkeys(a for a in [*cues, *first] if a != name))


def _introductions(script: Script) -> dict[str, str]:
    """cue -> the longer capitals that introduce it in action (MAGGIE McGREGOR for McGREGOR)."""
    runs = [
        " ".join(m.group().split())
        for e in script.elements
        if e.kind == "action"
        for m in _CAPS_RUN.finditer(e.text)
    ]
    found: dict[str, str] = {}
    cues = {cue_name(c.text) for c in script.cues}
    for cue in cues:
        longer = [r for r in runs if cue.split() != r.split() and _part_of(cue, r)]
        if len(set(longer)) == 1:
            found[cue] = longer[0]
    return found


def _part_of(short: str, long: str) -> bool:
    words, longer = short.casefold().split(), long.casefold().split()
    return len(words) < len(longer) and all(w in longer for w in words)


def _merge_variants(cues: list[str], introduced: dict[str, str]) -> dict[str, list[str]]:
    """main cue -> [main, variants...]: a cue that is part of exactly one longer cue, or
    introduced by the same capitals as another cue, joins it."""
    groups: dict[str, list[str]] = {}
    joined: dict[str, str] = {}
    for cue in cues:
        longer = [c for c in cues if _part_of(cue, c)]
        same = [
            c
            for c in cues
            if c != cue and introduced.get(c) and introduced.get(c) == introduced.get(cue)
        ]
        target = (
            longer[0]
            if len(longer) == 1
            else (same[0] if len(same) == 1 and cues.index(same[0]) < cues.index(cue) else None)
        )
        if target is not None and target not in joined:
            joined[cue] = target
    for cue in cues:
        if cue in joined:
            continue
        groups[cue] = [cue, *(c for c in cues if joined.get(c) == cue)]
    return groups


def draft_places(script: Script) -> list[DraftPlace]:
    """One draft per place the sluglines name (its part before a dash), in order of appearance."""
    places: dict[str, DraftPlace] = {}
    for scene in script.scenes:
        slug = scene.slugline
        if not slug.location:
            continue
        location = re.split(r"\s+[-–—]+\s+", slug.location)[0].strip()
        key = location.casefold()
        if key not in places:
            places[key] = DraftPlace(place_name(location), location, 0, scene.heading.line)
        place = places[key]
        place.scenes += 1
        if slug.setting and slug.setting not in place.settings:
            place.settings.append(slug.setting)
    return list(places.values())
