"""Name candidates: capitalised words in outline prose that no known phrase covers, each given
to exactly one of the three name rules.

The decision is made here, once, and shared: `unknown-name` reports the candidates of kind
"unknown", `near-miss-name` those of kind "near-miss" (within an edit or two of a bible name),
and `spelling` those of kind "spelling" (a sentence-initial word the dictionary lacks but can
correct, "Reccesses"). A candidate is never reported by two of them.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storykit.analysis.mentions import paragraphs_of
from storykit.analysis.names import ALWAYS_CAPITALISED
from storykit.model import ALL_TREATMENTS, Outline, Paragraph, Project
from storykit.text import POSSESSIVE, WordClass, Words, foreign_spans
from storykit.worldnames import common_word, ordinary_run, proper_nouns, zipf

if TYPE_CHECKING:
    from storykit.analysis.context import Analysis
    from storykit.analysis.dictionary import Speller

# An opening quote or bracket right before a word: the quotation may open its own sentence.
_OPENERS = ("“", '"', "‘", "(", "[", "'")
# The titles before a person's name: what follows is a person, whoever it is ("Mr. Gribsby").
TITLES = frozenset(
    [
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Miss",
        "Lady",
        "Lord",
        "Sir",
        "Dame",
        "Inspector",
        "Captain",
        "Colonel",
        "Major",
        "Professor",
        "Uncle",
        "Aunt",
        "Cousin",
        "Madame",
        "Monsieur",
        "Signor",
        "Signora",
        "Mister",
        "Master",
    ]
)
# Between two words of one run of capitalised words: spaces only (a comma ends the run).
_RUN_GAP = re.compile(r"[ \t]*\n?[ \t]*")


@dataclass(frozen=True)
class NameCandidate:
    """A capitalised word or run of words in an outline that no known phrase covers.

    `kind` says which rule reports it: "near-miss" (within an edit or two of a bible name),
    "spelling" (a sentence-initial word the dictionary lacks but can correct), or "unknown".
    """

    outline: Outline
    paragraph: Paragraph
    beat: int
    act: int
    start: int  # offsets into paragraph.text
    end: int
    text: str  # as written ("Corin's")
    stem: str  # without a possessive ("Corin"): what is compared with names
    sentence_start: bool
    kind: str
    matches: tuple[str, ...] = ()  # for near-miss: the bible names that close, best first

    @property
    def line_column(self) -> tuple[int, int]:
        return self.paragraph.locate(self.start)


def near_miss_limit(name: str) -> int:
    """How many edits a candidate may be from `name` to be a near miss: 1 for short names."""
    return 1 if len(name) <= 4 else 2


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _spans(
    analysis: Analysis, paragraph: Paragraph, capitalised: WordClass
) -> Iterator[tuple[int, int]]:
    """Runs of capitalised words no known phrase covers, split where a known phrase stands:
    (index of the first word, index past the last) each."""
    known = analysis.known_phrases
    words = analysis.words(paragraph)
    text, starts, ends = paragraph.text, words.starts, words.ends
    # Only capitalised words start or continue a run, and a lowercase word ends one: walk from
    # capital to capital (a tenth of the words) instead of over every word.
    capitals = capitalised.positions(words)
    first = -1  # the run's first word, or -1 for no run
    last = -2  # word index of the run's last word
    k = 0
    while k < len(capitals):
        i = capitals[k]
        if first >= 0 and (i != last + 1 or not _RUN_GAP.fullmatch(text, ends[last], starts[i])):
            yield first, last + 1
            first = -1
        covered = known.longest_at(words, i)
        if covered:
            if first >= 0:
                yield first, last + 1
                first = -1
            k = bisect.bisect_left(capitals, i + covered, k + 1)
            continue
        if first < 0:
            first = i
        last = i
        k += 1
    if first >= 0:
        yield first, last + 1


def _opens(text: str, words: Words, i: int) -> bool:
    """Whether word i opens a sentence or a quotation, where a capital means nothing."""
    return words.opens_sentence(i) or text.endswith(_OPENERS, 0, words.starts[i])


# (outline, paragraph, beat, act, start offset, end offset, words, opens a sentence)
_Run = tuple[Outline, Paragraph, int, int, int, int, int, bool]


def _runs(analysis: Analysis) -> list[_Run]:
    """Every run of unknown capitalised words, an ordinary word capitalised by its place (the
    first of a sentence) left out, and unless `lint.strict_names` what is not a story's name:
    real-world names, titles and emphasis (`storykit.worldnames.ordinary_run`)."""
    spell = analysis.speller
    strict = analysis.project.config.lint.strict_names
    capitalised = WordClass(_capitalised)
    raw: list[_Run] = []
    for outline in analysis.project.outlines.values():
        for beat_index, act_index, paragraph in paragraphs_of(outline):
            text = paragraph.text
            words = analysis.words(paragraph)
            cue = paragraph.kind == "cue"
            foreign: list[tuple[int, int]] | None = None
            for first, past in _spans(analysis, paragraph, capitalised):
                if foreign is None:
                    foreign = foreign_spans(text, spell.knows) if "_" in text or "*" in text else []
                if foreign and any(a <= words.starts[first] < b for a, b in foreign):
                    continue  # a foreign phrase in italics: "_Nemo me impune lacessit_"
                # After a title ("Mr. Gribsby") the full stop ends an abbreviation, not a sentence.
                titled = first > 0 and words.texts[first - 1] in TITLES
                opens = not cue and not titled and _opens(text, words, first)
                head = words.texts[first]
                if "_" in head:
                    first += 1  # "_Wee_-ary": a word stressed in the middle, sung, not a name
                elif _elided(text, words.starts[first]):
                    first += 1  # "’Pon my word": a word with a letter dropped, not a name
                elif opens and _ordinary_opening(analysis, head):
                    first += 1  # an ordinary word capitalised by its place
                else:
                    opens = opens and not _name_like(analysis, head)
                if first == past:
                    continue
                if first > 0 and words.texts[first] is not head:
                    opens = False
                if not strict and not cue and _titled_or_foreign(words, first, past):
                    continue
                if not strict and not cue:
                    person = first > 0 and words.texts[first - 1] in TITLES
                    run = words.texts[first:past]
                    why = ordinary_run(run, _ordinary_word(spell), person=person)
                    if why and not _name_after_all(analysis, words, first, past, why):
                        continue
                start, end = words.starts[first], words.ends[past - 1]
                raw.append(
                    (outline, paragraph, beat_index, act_index, start, end, past - first, opens)
                )
    return raw


def _ordinary_word(spell: Speller) -> Callable[[str], bool]:
    """An ordinary word by Hunspell's stems, or one of the project's own words."""
    return lambda word: (
        common_word(word) or word.casefold() in spell.extra or word in ALWAYS_CAPITALISED
    )


def _name_after_all(analysis: Analysis, words: Words, first: int, past: int, why: str) -> bool:
    """Whether a run `ordinary_run` set aside is still a name by where it stands: ordinary
    words after "the" ("the Grey Gate", a place the story named); one ordinary word right
    before a bible name ("Lavish Jax"); or one word within one edit of a bible name ("the
    fisherman Tam" for Tom), since a typo is likelier than a coincidence."""
    texts, text = words.texts, words.text
    if why == "title" and first > 0 and texts[first - 1] == "the" and past - first >= 2:
        return not all(w.isupper() for w in texts[first:past])
    if why in ("contraction", "address", "region", "title") or past - first != 1:
        return False
    before_name = past < len(texts) and analysis.known_phrases.longest_at(words, past)
    if why == "word" and before_name and text[words.ends[first] : words.starts[past]] == " ":
        return True
    stem = POSSESSIVE.sub("", texts[first])
    if len(stem) < 3 or zipf(stem) >= 5.0:
        return False  # "No", "Am", "Then": too short or too common to be a slip for a name
    near = _near_cached(analysis, {stem}).get(stem, [])
    return any(d == 1 and n.casefold() != stem.casefold() for n, d in near)


def _near_cached(analysis: Analysis, stems: set[str]) -> dict[str, list[tuple[str, int]]]:
    """`_near_names`, each stem compared with the bible once per analysis."""
    cache: dict[str, list[tuple[str, int]]] = analysis.__dict__.setdefault("_near_miss_cache", {})
    new = stems - cache.keys()
    if new:
        found = _near_names(analysis.project, new)
        cache.update({stem: found.get(stem, []) for stem in new})
    return {stem: cache[stem] for stem in stems if cache[stem]}


# Titles of the peerage and of rulers: "the Dukes of Buccleuch", "Duchess of Devonshire" name
# real houses and places; a story's own (the King of Bohemia) is in its bible.
_NOBLE = frozenset(
    [
        "Duke",
        "Duchess",
        "Earl",
        "Countess",
        "Count",
        "Marquis",
        "Marquess",
        "Baron",
        "Baroness",
        "Viscount",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Emperor",
        "Empress",
        "Archduke",
        "Bishop",
        "Archbishop",
    ]
)
_PARTICLES = frozenset(("de", "du", "des", "la", "le", "di", "da", "del", "von", "van"))


def _titled_or_foreign(words: Words, first: int, past: int) -> bool:
    """Whether a run is a noble title and its seat ("Dukes of Buccleuch", either side of the
    "of"), or a foreign name joined by a particle around a letter English lacks ("Hôtel de
    Ville")."""
    texts = words.texts
    head = POSSESSIVE.sub("", texts[first])
    singular = head[:-1] if head.endswith("s") else head
    if (head in _NOBLE or singular in _NOBLE) and past + 1 < len(texts) and texts[past] == "of":
        return True
    if first >= 2 and texts[first - 1] == "of":
        before = texts[first - 2]
        if before in _NOBLE or before.rstrip("s") in _NOBLE:
            return True
    left = first >= 2 and texts[first - 1] in _PARTICLES and texts[first - 2][:1].isupper()
    right = past + 1 < len(texts) and texts[past] in _PARTICLES and texts[past + 1][:1].isupper()
    if left or right:
        partner = texts[first - 2] if left else texts[past + 1]
        return any(not c.isascii() for c in texts[first] + partner)
    return False


def _elided(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] == "’" and (start < 2 or not text[start - 2].isalnum())


def _ordinary_opening(analysis: Analysis, head: str) -> bool:
    """Whether a sentence's capitalised first word is an ordinary word there: a dictionary
    word (one letter, "A", included), unless written in capitals or a near miss of a bible
    name that Hunspell knows as a name ("Joe" for Jo)."""
    if not analysis.speller.knows(head):
        return False
    if head.isupper() and len(head) > 1:
        return False
    if head in proper_nouns() and not common_word(head):
        return False  # "Bertha", "Joe": names Hunspell knows, never ordinary words
    return not (len(head) > 2 and head in proper_nouns() and _near_cached(analysis, {head}))


def _name_like(analysis: Analysis, head: str) -> bool:
    """Whether a sentence's first word the dictionary lacks is used as a name in English
    ("Bertha", "Ferdie"), so an unknown name rather than a misspelt word ("Reccesses")."""
    return head in proper_nouns() or zipf(head) >= 1.5


def collect_candidates(analysis: Analysis) -> list[NameCandidate]:
    """Every name candidate of every outline, classified once for all the name rules."""
    spell = analysis.speller
    raw = _runs(analysis)
    stems = {POSSESSIVE.sub("", p.text[start:end]) for _, p, _, _, start, end, _, _ in raw}
    project = analysis.project
    near = _near_cached(analysis, stems)
    treatments_of = _name_treatments(project)
    result: list[NameCandidate] = []
    for outline, paragraph, beat_index, act_index, start, end, length, opens in raw:
        surface = paragraph.text[start:end]
        stem = POSSESSIVE.sub("", surface)
        matches = _closest(treatments_of, near.get(stem, []), outline.treatment)
        if matches:
            kind = "near-miss"
        elif opens and length == 1 and spell.correction(stem) is not None:
            kind = "spelling"  # "Reccesses": a misspelt word, not a name
        else:
            kind = "unknown"
        result.append(
            NameCandidate(
                outline,
                paragraph,
                beat_index,
                act_index,
                start,
                end,
                surface,
                stem,
                opens,
                kind,
                tuple(matches),
            )
        )
    return result


def _near_names(project: Project, stems: set[str]) -> dict[str, list[tuple[str, int]]]:
    """For each unique candidate, the bible names and aliases within reach, with distances.
    A name Hunspell knows is a name in its own right two edits away ("Morgan" is not a slip
    for Jordan); one edit away it is still a likely slip ("Josie" for Jose)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    names = sorted({n for e in project.entries for n in e.names if n})
    found: dict[str, list[tuple[str, int]]] = {}
    for stem in stems:
        close = [
            (name, int(distance))
            for name, distance, _ in process.extract(
                stem, names, scorer=OSA.distance, score_cutoff=2, limit=None
            )
            if 0 < distance <= near_miss_limit(name)
            and distance <= near_miss_limit(stem)
            and (distance == 1 or stem not in proper_nouns())
        ]
        if close:
            found[stem] = close
    return found


def _closest(
    treatments_of: dict[str, set[str]], close: list[tuple[str, int]], treatment: str
) -> list[str]:
    """The nearest names, preferring those of `treatment` (or `all`) over other treatments'."""
    if not close:
        return []
    own = [(n, d) for n, d in close if treatments_of[n] & {treatment, ALL_TREATMENTS}]
    pool = own or close
    best = min(d for _, d in pool)
    return sorted({n for n, d in pool if d == best})


def _name_treatments(project: Project) -> dict[str, set[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for entry in project.entries:
        for name in entry.names:
            table[name].add(entry.treatment)
    return table
