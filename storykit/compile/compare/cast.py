"""Who plays which part in each outline, and what each outline's world is built from.

Every function is derived from the bible and the outline, never guessed from a list of names:

- protagonist: the character the bible gives `role: protagonist`, else the most-mentioned one;
- antagonist or opposing force: a character with `role: antagonist`; else an organisation,
  faction or thread whose name and description speak of power (corporate, control, profit,
  exploit, harvest, manipulate);
- mentor or ally: a character with an ally-like relationship (ally, friend, best friend, mentor)
  to or from the protagonist; the most mentioned wins;
- the voice of natural sleep: the character most associated with natural-sleep words (natural,
  organic, authentic, unfiltered, holistic, opting out …) in the bible and in the outline's own
  sentences, or tied to the faction against the technology;
- the technologist: the character whose occupation (weighing double) and description use the
  words of the trade (technologist, engineer, researcher, programmer, inventor, coder …), a
  point more for one described as making it (created, built, perfected, designed, invented).

Only entries the outline actually mentions qualify; ties go to the entry mentioned more often,
then to bible order. Each pick carries a short `basis` saying why it was made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storykit.analysis import Index
from storykit.model import Character, Entry, Outline, Project

NATURAL_SLEEP = re.compile(
    r"\b(natural(?:ly)?|organic|authentic|unfiltered|holistic|opt(?:s|ed)? out|"
    r"refus\w*|reject\w*|de-synch\w*)\b",
    re.IGNORECASE,
)
POWER = re.compile(
    r"\b(corporat\w*|control\w*|profit\w*|exploit\w*|harvest\w*|manipulat\w*|elites?)\b",
    re.IGNORECASE,
)
TRADE = re.compile(
    r"\b(technologist|technician|engineer|researcher|scientist|programmer|coder|inventor|"
    r"developer|hacker)s?\b",
    re.IGNORECASE,
)
# Where a sentence ends, for "the ending": an end mark (not a colon, unlike the index's sentence
# starts: "a decision looms over the citizens:" has not ended yet), closing quotes, then space.
SENTENCE_END = re.compile(r"[.!?]['’\"”)\]]*\s+")
MAKING = re.compile(r"\b(creat\w*|built|build\w*|perfect\w*|design\w*|invent\w*)\b", re.IGNORECASE)
ALLY_RELATIONS = ("ally-of", "friend-of", "best-friend-of", "mentor-of", "mentored-by")


@dataclass(frozen=True)
class Pick:
    """An entry chosen for a function in one outline, and the reason in a few words."""

    id: str
    name: str
    kind: str  # character | device | thread
    basis: str


@dataclass(frozen=True)
class Function:
    id: str
    label: str


FUNCTIONS = (
    Function("protagonist", "Protagonist"),
    Function("antagonist", "Antagonist or opposing force"),
    Function("ally", "Mentor or ally"),
    Function("natural-sleep", "Voice of natural sleep"),
    Function("technologist", "The technologist"),
)

WORLD = (
    Function("technology", "Central technology"),
    Function("faction", "Faction against it"),
    Function("antagonist", "Antagonist"),
    Function("ending", "Ending"),
)


@dataclass
class OutlineFacts:
    """The cast functions and world of one outline."""

    cast: dict[str, Pick | None]
    world: dict[str, Pick | str | None]


def _text_of(entry: Entry) -> str:
    parts = [entry.name, *entry.aliases, entry.description]
    if isinstance(entry, Character):
        parts += [entry.occupation, entry.arc.want, entry.arc.need, entry.arc.change]
    return " ".join(parts)


class _Scorer:
    def __init__(self, project: Project, index: Index, outline: Outline) -> None:
        self.project = project
        self.index = index
        self.outline = outline
        self.order = {id(e): n for n, e in enumerate(project.entries)}
        self.sentences = _sentences(outline)

    def mentions(self, entry: Entry) -> int:
        return len(self.index.mentions_of(entry, self.outline.name))

    def characters(self) -> list[Character]:
        return [c for c in self.project.characters.values() if self._mentioned(c)]

    def entries(self, kinds: tuple[str, ...]) -> list[Entry]:
        """Entries of the outline's treatment it mentions, of these kinds (thread is a kind)."""
        return [
            e
            for e in self.project.entries_of(self.outline.treatment)
            if _kind(e) in kinds and self._mentioned(e)
        ]

    def _mentioned(self, entry: Entry) -> bool:
        return entry.treatment in (self.outline.treatment, "all") and self.mentions(entry) > 0

    def best(self, scored: list[tuple[float, Entry, str]]) -> Pick | None:
        """The highest score; ties to the most mentioned, then bible order."""
        positive = [item for item in scored if item[0] > 0]
        if not positive:
            return None
        score, entry, basis = max(
            positive,
            key=lambda item: (item[0], self.mentions(item[1]), -self.order.get(id(item[1]), 0)),
        )
        return Pick(entry.id, entry.name, entry.kind_name, basis)

    def sentences_naming(self, entry: Entry) -> list[str]:
        names = [n for n in entry.names if n]
        return [s for s in self.sentences if any(_names(s, n) for n in names)]


def _names(sentence: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", sentence) is not None


def _sentences(outline: Outline) -> list[str]:
    found = []
    for beat in outline.beats:
        for paragraph in beat.paragraphs:
            found += [s for s in _split_sentences(paragraph.text) if s]
    return found


def _split_sentences(text: str) -> list[str]:
    pieces, start = [], 0
    for match in SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return pieces


def first_sentence(text: str) -> str:
    return next((s for s in _split_sentences(text) if s), "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def facts_of(project: Project, index: Index, outline: Outline) -> OutlineFacts:
    scorer = _Scorer(project, index, outline)
    characters = scorer.characters()

    protagonist = scorer.best(
        [(2.0, c, "role: protagonist") for c in characters if c.role == "protagonist"]
    ) or scorer.best([(1.0, c, "most mentioned") for c in characters])

    faction = scorer.best(
        [
            (len(NATURAL_SLEEP.findall(_text_of(d))), d, "faction; natural-sleep words")
            for d in scorer.entries(("faction",))
        ]
    )

    antagonist = scorer.best(
        [(1.0, c, "role: antagonist") for c in characters if c.role == "antagonist"]
    ) or scorer.best(
        [
            (len(POWER.findall(_text_of(e))), e, f"{_kind(e)}; words of power")
            for e in scorer.entries(("organisation", "faction", "thread"))
            if faction is None or e.id != faction.id
        ]
    )

    ally = None
    if protagonist is not None:
        ally = scorer.best(
            [
                (
                    1.0,
                    c,
                    f"{c.name} {relation} {protagonist.name}"
                    if forward
                    else f"{protagonist.name} {relation} {c.name}",
                )
                for c in characters
                if c.id != protagonist.id
                for relation, forward in _relations(project, c, protagonist.id)
            ]
        )

    def natural_score(character: Character) -> tuple[float, Character, str]:
        bible = len(NATURAL_SLEEP.findall(_text_of(character)))
        prose = sum(len(NATURAL_SLEEP.findall(s)) for s in scorer.sentences_naming(character))
        tied = 0
        if faction is not None:
            faction_entry = project.devices.get(faction.id)
            if faction_entry is not None and (
                any(_names(_text_of(character), n) for n in faction_entry.names)
                or any(_names(faction_entry.description, n) for n in character.names)
            ):
                tied = 2
        basis = [f"{_plural(bible + prose, 'natural-sleep word')} in bible and outline"]
        if tied:
            basis.append(f"tied to {faction.name}")  # type: ignore[union-attr]
        return bible + prose + tied, character, "; ".join(basis)

    if ally is None and protagonist is not None:
        ally = scorer.best(
            [
                (
                    shared,
                    c,
                    f"no ally in the bible; beside {protagonist.name} in {_plural(shared, 'beat')}",
                )
                for c in characters
                if c.id != protagonist.id
                and c.role == "supporting"
                and (antagonist is None or c.id != antagonist.id)
                for shared in [_beats_together(index, outline, c.id, protagonist.id)]
            ]
        )

    natural = scorer.best([natural_score(c) for c in characters])

    def trade_score(character: Character) -> tuple[float, Character, str]:
        in_job = len(TRADE.findall(character.occupation))
        in_description = len(TRADE.findall(character.description))
        if not in_job and not in_description:
            return 0, character, ""
        # Between two of the trade, the one who made the technology ("the device he created").
        maker = 1 if MAKING.search(character.description) else 0
        basis = f"occupation: {character.occupation}" if in_job else "described as one"
        basis += "; described as a maker" if maker else ""
        return 2 * in_job + in_description + maker, character, basis

    technologist = scorer.best([trade_score(c) for c in characters])

    treatment = project.treatments.get(outline.treatment)
    title = treatment.title if treatment else outline.title
    technology = scorer.best(
        [(1.0, d, "most-mentioned technology") for d in scorer.entries(("technology",))]
    ) or scorer.best(
        [
            (
                2.0 if d.name == title else 1.0,
                d,
                f"no technology in the bible; the {_kind(d)} the treatment is named after"
                if d.name == title
                else f"no technology in the bible; most-mentioned {_kind(d)}",
            )
            for d in scorer.entries(("place", "organisation"))
        ]
    )

    final = outline.beats[-1] if outline.beats else None
    return OutlineFacts(
        cast={
            "protagonist": protagonist,
            "antagonist": antagonist,
            "ally": ally,
            "natural-sleep": natural,
            "technologist": technologist,
        },
        world={
            "technology": technology,
            "faction": faction,
            "antagonist": antagonist,
            "ending": first_sentence(final.text) if final else None,
        },
    )


def _beats_together(index: Index, outline: Outline, one: str, other: str) -> int:
    presence = index.presence.get(outline.name, {})
    return sum(1 for ids in presence.values() if one in ids and other in ids)


def _kind(entry: Entry) -> str:
    return getattr(entry, "kind", entry.kind_name)


def _relations(project: Project, character: Character, other: str) -> list[tuple[str, bool]]:
    """Ally-like relations between `character` and `other`: (relation, stated by character)."""
    found = [
        (r.relation, True)
        for r in character.relationships
        if r.to == other and r.relation in ALLY_RELATIONS
    ]
    other_character = project.characters.get(other)
    if other_character is not None:
        found += [
            (r.relation, False)
            for r in other_character.relationships
            if r.to == character.id and r.relation in ALLY_RELATIONS
        ]
    return found
