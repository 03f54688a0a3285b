"""What lint and compile share: words in prose, which bible entry each name refers to, and who is
present in which beat.

Names and aliases match whole words, case-sensitively, with possessives and plurals on the last
word ("Amelia's", "BedSync’s", "SSUs", "Dream Coders'"). In an outline of treatment T a name
resolves to T's own entry (or an `all` entry); a name that only other treatments know is a
*foreign* mention.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from typing import Any, NamedTuple

from storykit.model import ALL_TREATMENTS, Beat, Character, Entry, Outline, Paragraph, Project

# A word: letters and digits, joined by inner apostrophes or hyphens ("Amelia's", "De-synchers").
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Between two words, what makes the second open a sentence: an end mark (a colon too), then space.
SENTENCE_GAP = re.compile(r"[.!?:]['’\"”)\]]*\s")
# Splitting at the words leaves gap, word, gap, word, ..., gap: the regex engine does the walk.
_WORD_SPLIT = re.compile(f"({WORD.pattern})")

_SUFFIXES = ("'s", "’s", "s'", "s’", "'", "’", "es", "s")


def base_forms(word: str) -> list[str]:
    """The word and what it may be the possessive or plural of: SSUs -> [SSUs, SSU]."""
    return list(_forms(word))


@lru_cache(maxsize=1 << 16)
def _forms(word: str) -> tuple[str, ...]:
    """base_forms, remembered: prose repeats its words, and every name lookup asks for them."""
    forms = [word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: -len(suffix)]
            if suffix in ("s'", "s’"):
                stem = word[:-1]  # "Coders'" -> "Coders", then plural again below
                forms.append(stem)
                stem = stem[:-1]
            forms.append(stem)
    return tuple(forms)


class Token(NamedTuple):
    """One word of a text, for code that looks at a few words (`Words` holds them all)."""

    text: str
    start: int
    end: int
    sentence_start: bool


class Words:
    """The words of a text as parallel lists of texts and of start and end offsets; whether a
    word opens a sentence (where capitals mean nothing) is asked of `opens_sentence`.

    A megabyte of prose is a million words: lists made by the regex engine and itertools cost a
    fraction of a million objects, and let a pass over the words ask its question once per
    distinct word (`WordClass`) instead of once per word.
    """

    __slots__ = ("text", "texts", "starts", "ends", "vocabulary")

    def __init__(self, text: str, vocabulary: set[str] | None = None) -> None:
        parts = _WORD_SPLIT.split(text)
        offsets = list(accumulate(map(len, parts), initial=0))
        self.text = text
        self.texts: list[str] = parts[1::2]
        self.starts: list[int] = offsets[1:-1:2]
        self.ends: list[int] = offsets[2::2]
        # The words of every text tokenised with this one (an index's paragraphs), this one's
        # added: a WordClass decides them in one go instead of checking each text's words.
        self.vocabulary = vocabulary
        if vocabulary is not None:
            vocabulary.update(self.texts)

    def opens_sentence(self, i: int) -> bool:
        """Whether word i opens the text, or follows an end mark and a space (SENTENCE_GAP)."""
        # Asked of a few words (name candidates, group words), so not worked out for all.
        return (
            i == 0 or SENTENCE_GAP.search(self.text, self.ends[i - 1], self.starts[i]) is not None
        )

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i: int) -> Token:
        return Token(self.texts[i], self.starts[i], self.ends[i], self.opens_sentence(i))

    def __iter__(self) -> Iterator[Token]:
        return map(self.__getitem__, range(len(self.texts)))


def tokens(text: str) -> list[Token]:
    """The words of `text`, each marked if it opens a sentence (where capitals mean nothing)."""
    return list(Words(text))


class WordClass:
    """The words that pass a test (may start a name, capitalised, misspelt): the test runs once
    per distinct word, and a text is searched for the members with set operations."""

    def __init__(self, test: Callable[[str], bool]) -> None:
        self._test = test
        self._members: set[str] = set()
        self._asked: set[str] = set()
        self._vocabulary: set[str] | None = None  # the vocabulary all decided, at this size
        self._vocabulary_size = 0

    def positions(self, words: Words) -> list[int]:
        """The indices of the words of the class, in order."""
        members = self._members_of(words)
        if members.isdisjoint(words.texts):  # stops at the first member: cheap either way
            return []
        texts = words.texts  # compress and map walk the words in C
        return list(compress(range(len(texts)), map(members.__contains__, texts)))

    def found_in(self, words: Words) -> bool:
        """Whether any word of the class is among `words`."""
        return not self._members_of(words).isdisjoint(words.texts)

    def _members_of(self, words: Words) -> set[str]:
        """The members, with every word of `words` decided."""
        vocabulary = words.vocabulary
        if vocabulary is None:  # a text's words on their own
            if not self._asked.issuperset(words.texts):
                self._decide(set(words.texts))
        elif vocabulary is not self._vocabulary or len(vocabulary) != self._vocabulary_size:
            self._decide(vocabulary)  # it only grows: the same size is the same words
            self._vocabulary, self._vocabulary_size = vocabulary, len(vocabulary)
        return self._members

    def _decide(self, words: set[str]) -> None:
        new = words - self._asked
        self._members.update(w for w in new if self._test(w))
        self._asked |= new


# EntryRef and Mention are named tuples, not frozen dataclasses: a series has tens of thousands
# of mentions, and a tuple is made and hashed in C.
class EntryRef(NamedTuple):
    kind: str  # character | device | thread
    id: str
    treatment: str


class Mention(NamedTuple):
    """One occurrence of a bible name in an outline."""

    entry: EntryRef
    outline: str
    beat: int  # index into outline.beats; -1 for an act's intro paragraph
    act: int
    line: int
    column: int
    start: int  # offset in the paragraph
    end: int
    surface: str  # the words as written ("Amelia's")
    paragraph: Paragraph
    foreign: bool = False  # the name belongs only to other treatments


@dataclass
class NameTable:
    """Every name and alias of the bible, as word tuples, for longest-first matching."""

    phrases: dict[tuple[str, ...], list[EntryRef]] = field(default_factory=dict)
    first_words: set[str] = field(default_factory=set)
    longest: int = 1
    # first word -> the lengths (2 or more, longest first) of the names it starts: a name of
    # several words starts with its first word exactly, so only those lengths need a look-up
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # word -> whether a name may start with it; asked once per word of prose, so remembered
    _starts: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    _single: dict[str, list[EntryRef] | None] = field(default_factory=dict, repr=False)
    _starting: WordClass = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._starting = WordClass(self.may_start)

    @classmethod
    def of(cls, entries: list[Entry]) -> NameTable:
        table = cls()
        for entry in entries:
            ref = EntryRef(entry.kind_name, entry.id, entry.treatment)
            for name in entry.names:
                words = tuple(m.group() for m in WORD.finditer(name))
                if not words:
                    continue
                refs = table.phrases.setdefault(words, [])
                if ref not in refs:
                    refs.append(ref)
                table.first_words.add(words[0])
                table.longest = max(table.longest, len(words))
                if len(words) > 1:
                    known = table.lengths.get(words[0], ())
                    table.lengths[words[0]] = tuple(sorted({*known, len(words)}, reverse=True))
        return table

    def may_start(self, word: str) -> bool:
        """Whether a name may start with `word`: a first word, or its possessive or plural."""
        starts = self._starts.get(word)
        if starts is None:
            starts = self._starts[word] = any(f in self.first_words for f in _forms(word))
        return starts

    def start_positions(self, words: Words) -> list[int]:
        """The indices of the words a name may start with, in order: the only places to look."""
        return self._starting.positions(words)

    def match_at(self, words: Words, i: int) -> tuple[int, list[EntryRef]] | None:
        """The longest name starting at word i: (number of words, entries), or None."""
        found = self.matches_at(words, i)
        return found[0] if found else None

    def matches_at(self, words: Words, i: int) -> list[tuple[int, list[EntryRef]]]:
        """Every name starting at word i, longest first: (number of words, entries) each."""
        return self._matches_at(words.texts, i) if self.may_start(words.texts[i]) else []

    def _matches_at(self, texts: list[str], i: int) -> list[tuple[int, list[EntryRef]]]:
        phrases = self.phrases
        found: list[tuple[int, list[EntryRef]]] = []
        for length in self.lengths.get(texts[i], ()):
            if length > len(texts) - i:
                continue
            head = tuple(texts[i : i + length - 1])
            for last in _forms(texts[i + length - 1]):
                refs = phrases.get((*head, last))
                if refs:
                    found.append((length, refs))
                    break
        text = texts[i]
        if text not in self._single:  # the one-word name a word is (or none), wherever it stands
            self._single[text] = next(
                (refs for last in _forms(text) if (refs := phrases.get((last,)))), None
            )
        single = self._single[text]
        if single:
            found.append((1, single))
        return found

    def all_matches(self, words: Words) -> list[tuple[int, list[tuple[int, list[EntryRef]]]]]:
        """(word index, every name starting there, longest first) wherever a name starts."""
        found = []
        texts = words.texts
        for i in self.start_positions(words):  # may_start holds there
            here = self._matches_at(texts, i)
            if here:
                found.append((i, here))
        return found


def resolve(refs: list[EntryRef], treatment: str) -> tuple[list[EntryRef], bool]:
    """The entries a name means in `treatment`, and whether they are foreign to it."""
    own = [r for r in refs if r.treatment in (treatment, ALL_TREATMENTS)]
    return (own, False) if own else (refs, True)


@dataclass
class Index:
    """Mentions of every entry in every outline, and presence by beat."""

    project: Project
    names: NameTable
    mentions: list[Mention] = field(default_factory=list)
    by_entry: dict[EntryRef, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    # outline name -> beat index -> character ids named in that beat
    presence: dict[str, dict[int, set[str]]] = field(default_factory=dict)
    # (id of a name table's entry list, treatment) -> resolve() of it: asked at every mention
    _resolved: dict[tuple[int, str], tuple[list[EntryRef], bool]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def resolved(self, refs: list[EntryRef], treatment: str) -> tuple[list[EntryRef], bool]:
        """`resolve`, remembered: a name is resolved in a treatment at its every mention."""
        key = (id(refs), treatment)  # the table's own lists, alive as long as the index
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = resolve(refs, treatment)
        return found

    def ref(self, entry: Entry) -> EntryRef:
        return EntryRef(entry.kind_name, entry.id, entry.treatment)

    def mentions_of(self, entry: Entry, outline: str | None = None) -> list[Mention]:
        found = self.by_entry.get(self.ref(entry), [])
        return [m for m in found if outline is None or m.outline == outline]

    def present_in(self, outline: Outline, beat_index: int) -> list[Character]:
        """Characters named in the beat, in bible order."""
        return self.characters(self.presence.get(outline.name, {}).get(beat_index, set()))

    def characters(self, ids: set[str]) -> list[Character]:
        """The characters with these ids, in bible order."""
        # Sorting the few ids, not filtering the whole cast: a series has a thousand characters.
        order: dict[str, int] = _derived(
            self, "bible_order", lambda: {c: n for n, c in enumerate(self.project.characters)}
        )
        cast = self.project.characters
        return [cast[i] for i in sorted(ids & order.keys(), key=order.__getitem__)]

    def entry(self, ref: EntryRef) -> Entry:
        tables: dict[str, Mapping[str, Entry]] = {
            "character": self.project.characters,
            "device": self.project.devices,
            "thread": self.project.threads,
        }
        return tables[ref.kind][ref.id]


def paragraphs_of(outline: Outline) -> Iterator[tuple[int, int, Paragraph]]:
    """(beat index or -1, act index, paragraph) for every paragraph of the outline, in order."""
    beat_index = 0
    for act in outline.acts:
        for paragraph in act.intro:
            yield -1, act.index, paragraph
        for beat in act.beats:
            for paragraph in beat.paragraphs:
                yield beat_index, act.index, paragraph
            beat_index += 1


def find_names(
    paragraph: Paragraph, names: NameTable, words: Words | None = None
) -> Iterator[tuple[Token, Token, list[EntryRef]]]:
    """(first word, last word, entries) for every bible name in the paragraph, longest first."""
    words = Words(paragraph.text) if words is None else words
    yield from _longest_names(words, names.all_matches(words))


def _longest_names(
    words: Words, matches: list[tuple[int, list[tuple[int, list[EntryRef]]]]]
) -> Iterator[tuple[Token, Token, list[EntryRef]]]:
    for first, last, refs in _longest_spans(matches):
        yield words[first], words[last], refs


def _longest_spans(
    matches: list[tuple[int, list[tuple[int, list[EntryRef]]]]],
) -> Iterator[tuple[int, int, list[EntryRef]]]:
    """(first word index, last word index, entries) of the longest names, none overlapping."""
    after = 0  # the first word after the last name found
    for i, here in matches:
        if i < after:
            continue
        length, refs = here[0]
        yield i, i + length - 1, refs
        after = i + length


def build_index(project: Project) -> Index:
    names = NameTable.of(project.entries)
    index = Index(project=project, names=names)
    for outline in project.outlines.values():  # every word first: the vocabulary is complete
        for _, _, paragraph in paragraphs_of(outline):
            paragraph_tokens(index, paragraph)
    mentions, by_entry = index.mentions, index.by_entry
    for outline in project.outlines.values():
        presence: dict[int, set[str]] = defaultdict(set)
        name, treatment = outline.name, outline.treatment
        resolved: dict[int, tuple[list[EntryRef], bool]] = {}  # id of an entry list -> resolve
        for beat_index, act_index, paragraph in paragraphs_of(outline):
            words = paragraph_tokens(index, paragraph)
            starts, ends, text = words.starts, words.ends, paragraph.text
            for first, last, refs in _longest_spans(name_matches(index, paragraph)):
                found = resolved.get(id(refs))
                if found is None:
                    found = resolved[id(refs)] = index.resolved(refs, treatment)
                own, foreign = found
                start, end = starts[first], ends[last]
                line, column = paragraph.locate(start)
                surface = text[start:end]
                for ref in own:
                    mention = Mention(
                        ref,
                        name,
                        beat_index,
                        act_index,
                        line,
                        column,
                        start,
                        end,
                        surface,
                        paragraph,
                        foreign,
                    )
                    mentions.append(mention)
                    by_entry[ref].append(mention)
                    if ref.kind == "character" and not foreign and beat_index >= 0:
                        presence[beat_index].add(ref.id)
        index.presence[name] = dict(presence)
    return index


def beat_label(beat: Beat) -> str:
    return beat.name


# --- Prose scanning for the name and text rules ---------------------------------------------------
#
# Everything below is computed once per index and shared by unknown-name, near-miss-name,
# spelling and count-mismatch: each paragraph is tokenised once, the dictionaries are sets, and
# fuzzy matching runs over the unique candidates of the whole project, never per token pair.

# Words that are capitalised wherever they stand, so never a name candidate.
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August") + (
    "September",
    "October",
    "November",
    "December",
)
ALWAYS_CAPITALISED: frozenset[str] = frozenset(
    ("I", "Mr", "Mrs", "Ms", "Dr", "St", *_DAYS, *_MONTHS)
)
# An opening quote or bracket right before a word: the quotation may open its own sentence.
_OPENERS = ("“", '"', "‘", "(", "[", "'")
# Between two words of one run of capitalised words: spaces only (a comma ends the run).
_RUN_GAP = re.compile(r"[ \t]*\n?[ \t]*")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")


def paragraph_tokens(index: Index, paragraph: Paragraph) -> Words:
    """The words of a paragraph, tokenised once per index (the rules share them)."""
    cache: dict[int, Words] = index.__dict__.setdefault("_tokens", {})
    found = cache.get(id(paragraph))
    if found is None:
        vocabulary: set[str] = _derived(index, "vocabulary", set)
        found = cache[id(paragraph)] = Words(paragraph.text, vocabulary)
    return found


def name_matches(
    index: Index, paragraph: Paragraph
) -> list[tuple[int, list[tuple[int, list[EntryRef]]]]]:
    """Every name at every word of a paragraph, nested ones included (`NameTable.all_matches`),
    found once per index: the index keeps the longest, the story rules want them all."""
    cache: dict[int, Any] = index.__dict__.setdefault("_matches", {})
    found = cache.get(id(paragraph))
    if found is None:
        found = cache[id(paragraph)] = index.names.all_matches(paragraph_tokens(index, paragraph))
    return found  # type: ignore[no-any-return]


def _derived(index: Index, key: str, build: Any) -> Any:
    """A value computed from the index once, kept with it (the rules share one index)."""
    store: dict[str, Any] = index.__dict__.setdefault("_derived", {})
    if key not in store:
        store[key] = build()
    return store[key]


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(m.group() for m in WORD.finditer(text))


@dataclass
class PhraseSet:
    """Known phrases (tuples of words) matched longest-first, possessives and plurals included."""

    phrases: set[tuple[str, ...]] = field(default_factory=set)
    first_words: set[str] = field(default_factory=set)
    longest: int = 1
    casefold: bool = False
    # first word -> the lengths (2 or more, longest first) of the phrases it starts
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # word -> (lengths of the longer phrases it starts, whether it is a one-word phrase)
    _starts: dict[str, tuple[tuple[int, ...], bool]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def add(self, words: tuple[str, ...]) -> None:
        if not words:
            return
        if self.casefold:
            words = tuple(w.casefold() for w in words)
        self.phrases.add(words)
        self.first_words.add(words[0])
        self.longest = max(self.longest, len(words))
        if len(words) > 1:
            known = self.lengths.get(words[0], ())
            self.lengths[words[0]] = tuple(sorted({*known, len(words)}, reverse=True))
        self._starts.clear()

    def match_at(self, words: Words, i: int) -> int:
        """The number of words of the longest known phrase starting at word i (0: none)."""
        fold = str.casefold if self.casefold else str
        texts = words.texts
        text = texts[i]
        plan = self._starts.get(text)
        if plan is None:
            # Per word, once: the lengths of the longer phrases it starts (a longer phrase starts
            # with its first word exactly), and whether it is a one-word phrase.
            plan = self._starts[text] = (
                self.lengths.get(fold(text), ()),
                any((fold(f),) in self.phrases for f in _forms(text)),
            )
        lengths, single = plan
        for length in lengths:
            if length > len(texts) - i:
                continue
            head = tuple(fold(w) for w in texts[i : i + length - 1])
            for last in _forms(texts[i + length - 1]):
                if (*head, fold(last)) in self.phrases:
                    return length
        return 1 if single else 0


def known_phrases(index: Index) -> tuple[PhraseSet, PhraseSet]:
    """(case-sensitive, case-insensitive) phrases that are never unknown names.

    Case-sensitive: every bible name and alias of any treatment, the singular of a plural name
    ("a Dream Coder" is one of the Dream Coders, "the SleepPod arena" one of the SleepPods), the
    treatment titles, and words capitalised wherever they stand (I, weekdays, months). Case-
    insensitive: the project's `lint.words`.
    """

    def build() -> tuple[PhraseSet, PhraseSet]:
        exact, folded = PhraseSet(), PhraseSet(casefold=True)
        for entry in index.project.entries:
            for name in entry.names:
                words = _phrase(name)
                exact.add(words)
                last = words[-1] if words else ""
                if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
                    exact.add((*words[:-1], last[:-1]))
        for treatment in index.project.treatments.values():
            exact.add(_phrase(treatment.title))
        for word in ALWAYS_CAPITALISED:
            exact.add((word,))
        for word in index.project.config.lint.words:
            folded.add(_phrase(str(word)))
        return exact, folded

    result: tuple[PhraseSet, PhraseSet] = _derived(index, "known_phrases", build)
    return result


# --- The English dictionary (pyspellchecker), loaded once, lazily ---------------------------------

SUPPLEMENT_FILE = "lint/words.txt"


@dataclass
class Speller:
    """pyspellchecker's English dictionary, the shipped supplement and a project's own words."""

    frequency: Mapping[str, int]
    extra: set[str]
    _corrections: dict[str, str | None] = field(default_factory=dict)
    # word as written -> knows(word): prose repeats a few thousand words a million times
    _known: dict[str, bool] = field(default_factory=dict, repr=False)
    _search: tuple[list[str], frozenset[str]] | None = field(default=None, repr=False)

    def knows(self, word: str) -> bool:
        """Whether `word` (any case; curly apostrophes, possessives) is a word of the dictionary."""
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = self._knows(word)
        return known

    def _knows(self, word: str) -> bool:
        word = word.replace("’", "'").casefold()
        if word in self.frequency or word in self.extra:
            return True
        if "-" in word:
            return all(self.knows(part) for part in word.split("-") if part)
        stem = _POSSESSIVE.sub("", word)
        return bool(stem) and (stem in self.frequency or stem in self.extra)

    def correction(self, word: str) -> str | None:
        """The most frequent dictionary word within one edit, else two edits, of `word`; else
        two dictionary words it runs together; or None."""
        key = word.casefold()
        if key not in self._corrections:
            self._corrections[key] = self._correct(key)
        return self._corrections[key]

    def _correct(self, word: str) -> str | None:
        if word in self.frequency:
            return word
        words, characters = self._search_space()
        # One edit away: the thousand or so strings one edit makes, looked up, cost a tenth of a
        # pass over every word; most misspellings are found so.
        near = [known for known in _one_edit(word, characters) if known in self.frequency]
        if near:
            return min(near, key=lambda known: (-self.frequency[known], known))
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        # Two edits away: one pass of rapidfuzz over all the words, in the file's order (grouping
        # them by length first took longer in Python than the search, and so does the result
        # list `process.extract` makes for all).
        best: tuple[int, str] | None = None  # (-frequency, word)
        for known, _, _ in process.extract_iter(
            word, words, scorer=Levenshtein.distance, score_cutoff=2
        ):
            candidate = (-self.frequency[known], known)
            if best is None or candidate < best:
                best = candidate
        if best:
            return best[1]
        return self._split(word)

    def _search_space(self) -> tuple[list[str], frozenset[str]]:
        """The dictionary's words as a list (rapidfuzz would search a mapping's values), and
        every character they hold (perhaps more): what one edit may put into a word."""
        if self._search is None:
            if isinstance(self.frequency, SortedCounts):
                self._search = self.frequency.words, self.frequency.characters
            else:
                self._search = list(self.frequency), frozenset("".join(self.frequency))
        return self._search

    def _split(self, word: str) -> str | None:
        """Two words run together ("selffulfillment" -> "self-fulfillment"), or None."""
        splits = [
            (min(self.frequency[word[:i]], self.frequency[word[i:]]), f"{word[:i]}-{word[i:]}")
            for i in range(2, len(word) - 1)
            if word[:i] in self.frequency
            and word[i:] in self.frequency
            and min(i, len(word) - i) >= 3
        ]
        return max(splits)[1] if splits else None


def _one_edit(word: str, characters: frozenset[str]) -> set[str]:
    """Every string one deletion, substitution or insertion (of one of `characters`) from `word`."""
    found = {word[:i] + word[i + 1 :] for i in range(len(word))}
    found.update(word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in characters)
    found.update(word[:i] + c + word[i:] for i in range(len(word) + 1) for c in characters)
    found.discard(word)
    return found


def _english() -> tuple[Mapping[str, int], frozenset[str]]:
    cached = _ENGLISH_CACHE.get("english")
    if cached is None:
        from importlib.resources import files

        frequency = _english_frequency()
        text = files("storykit").joinpath(SUPPLEMENT_FILE).read_text(encoding="utf-8")
        supplement = frozenset(
            line.split("#", 1)[0].strip().casefold()
            for line in text.splitlines()
            if line.split("#", 1)[0].strip()
        )
        cached = _ENGLISH_CACHE["english"] = (frequency, supplement)
    return cached


def _english_frequency() -> Mapping[str, int]:
    """pyspellchecker's English word frequencies, exactly as `SpellChecker(language="en")`
    holds them: its data file, keys lowercased and the counts of a word's spellings summed.

    Read here rather than through a SpellChecker, which also lowercases every key (in the file
    shipped they already are) and works out statistics storykit never asks for.
    """
    import gzip
    import pkgutil

    try:
        data = pkgutil.get_data("spellchecker", "resources/en.json.gz")
    except OSError:
        data = None
    if not data:  # a pyspellchecker that keeps its data elsewhere: ask it
        from spellchecker import SpellChecker

        return dict(SpellChecker(language="en").word_frequency.dictionary)
    return read_frequencies(gzip.decompress(data))


def read_frequencies(data: bytes) -> Mapping[str, int]:
    """A JSON object of words and their counts, keys lowercased and the counts of a word's
    spellings summed: as pyspellchecker reads its data files."""
    import json

    sorted_counts = SortedCounts.read(data)
    if sorted_counts is not None:
        return sorted_counts
    frequency: dict[str, int] = {}
    for key, count in json.loads(data.decode("utf-8")).items():
        frequency[key.lower()] = frequency.get(key.lower(), 0) + count
    return frequency


_USUAL_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789'-\":, \n{}"


class SortedCounts(Mapping[str, int]):
    """Word counts kept as the words, sorted, and beside each its count as written in the file;
    a word is found by bisection and its count read when asked.

    A lint asks for about a thousand words and the counts of a few: cutting pyspellchecker's
    file at its quotes takes a third of the time `json.loads` takes to build the dict of all
    160,000.
    """

    def __init__(self, words: list[str], counts: list[str], characters: frozenset[str]) -> None:
        self.words = words  # ascending, so no two alike
        self._counts = counts  # beside each word, the text after it: ': 50,\n'
        self.characters = characters  # every character of the words, and perhaps a few more

    @classmethod
    def read(cls, data: bytes) -> SortedCounts | None:
        """The counts of a JSON object written one lowercase word a line in sorted order (as
        pyspellchecker ships its dictionaries), or None for a file written otherwise."""
        import operator
        from itertools import islice

        if b"\\" in data:  # an escape: only a JSON reader knows what it stands for
            return None
        # Lowercase: no ASCII capital, and the other characters (a few hundred) unchanged by
        # lower(). Asked of the bytes, this is a tenth of the time of text != text.lower().
        others = data.translate(None, bytes(range(128))).decode("utf-8")
        if not data.islower() or others != others.lower():
            return None
        parts = data.decode("utf-8").split('"')
        words, counts = parts[1::2], parts[2::2]
        if parts[0] != "{\n" or not words:
            return None
        # Between two words only ': <digits>,\n', after the last ': <digits>\n}': every quote
        # is a key's, every value a count.
        shape = "".join(counts).encode("utf-8").translate(None, b"0123456789")
        if shape != b": ,\n" * (len(words) - 1) + b": \n}":
            return None
        if not all(map(operator.lt, words, islice(words, 1, None))):
            return None
        # The characters of the file: the usual ones, and what is left without them.
        rare = data.translate(None, _USUAL_CHARACTERS.encode("ascii")).decode("utf-8")
        return cls(words, counts, frozenset(_USUAL_CHARACTERS + rare))

    def _position(self, word: str) -> int:
        i = bisect.bisect_left(self.words, word)
        return i if i < len(self.words) and self.words[i] == word else -1

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._position(word) >= 0

    def __getitem__(self, word: str) -> int:
        i = self._position(word)
        if i < 0:
            raise KeyError(word)
        return int(self._counts[i].strip(":,\n} "))

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


_ENGLISH_CACHE: dict[str, tuple[Mapping[str, int], frozenset[str]]] = {}
# id of the (one, cached) English frequency table -> the corrections found with it
_SHARED_CORRECTIONS: dict[int, dict[str, str | None]] = {}


def speller(index: Index) -> Speller:
    """The English dictionary plus the project dictionary: every word of every bible name and
    alias, the treatment titles, `lint.words`, and storykit's shipped supplement."""

    def build() -> Speller:
        frequency, supplement = _english()
        extra = set(supplement)
        project = index.project
        texts = [n for e in project.entries for n in e.names]
        texts += [t.title for t in project.treatments.values()]
        texts += [str(w) for w in project.config.lint.words]
        for text in texts:
            for word in WORD.finditer(text):
                folded = word.group().replace("’", "'").casefold()
                extra.add(folded)
                extra.update(base.casefold() for base in base_forms(folded))
                extra.update(part for part in folded.split("-") if part)
        # A correction depends on the English dictionary only: lint after lint (a watch, the
        # tests, a build after a lint) shares the corrections.
        shared = _SHARED_CORRECTIONS.setdefault(id(frequency), {})
        return Speller(frequency, extra, _corrections=shared)

    result: Speller = _derived(index, "speller", build)
    return result


# --- Name candidates -----------------------------------------------------------------------------


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


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _spans(index: Index, outline: Outline, paragraph: Paragraph) -> Iterator[tuple[int, int]]:
    """Runs of capitalised words no known phrase covers, split where a known phrase stands:
    (index of the first word, index past the last) each."""
    exact, folded = known_phrases(index)
    words = paragraph_tokens(index, paragraph)
    text, starts, ends = paragraph.text, words.starts, words.ends
    # Only capitalised words start or continue a run, and a lowercase word ends one: walk from
    # capital to capital (a tenth of the words) instead of over every word.
    capitalised: WordClass = _derived(index, "capitalised", lambda: WordClass(_capitalised))
    capitals = capitalised.positions(words)
    first = -1  # the run's first word, or -1 for no run
    last = -2  # word index of the run's last word
    k = 0
    while k < len(capitals):
        i = capitals[k]
        if first >= 0 and (i != last + 1 or not _RUN_GAP.fullmatch(text, ends[last], starts[i])):
            yield first, last + 1
            first = -1
        covered = exact.match_at(words, i) or folded.match_at(words, i)
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


def name_candidates(index: Index) -> list[NameCandidate]:
    """Every name candidate of every outline, classified once for all the name rules."""
    return list(_derived(index, "name_candidates", lambda: _collect_candidates(index)))


def _collect_candidates(index: Index) -> list[NameCandidate]:
    spell = speller(index)
    # (outline, paragraph, beat, act, start offset, end offset, words, opens a sentence)
    raw: list[tuple[Outline, Paragraph, int, int, int, int, int, bool]] = []
    for outline in index.project.outlines.values():
        for beat_index, act_index, paragraph in paragraphs_of(outline):
            text = paragraph.text
            words = paragraph_tokens(index, paragraph)
            for first, past in _spans(index, outline, paragraph):
                opens = _opens(text, words, first)
                head = words.texts[first]
                if opens and spell.knows(head) and not head.isupper():
                    first += 1  # an ordinary word capitalised by its place
                    if first == past:
                        continue
                    opens = False
                start, end = words.starts[first], words.ends[past - 1]
                run = (outline, paragraph, beat_index, act_index, start, end, past - first, opens)
                raw.append(run)
    stems = {_POSSESSIVE.sub("", p.text[start:end]) for _, p, _, _, start, end, _, _ in raw}
    near = _near_names(index, stems)
    result: list[NameCandidate] = []
    for outline, paragraph, beat_index, act_index, start, end, length, opens in raw:
        surface = paragraph.text[start:end]
        stem = _POSSESSIVE.sub("", surface)
        matches = _closest(index, near.get(stem, []), outline.treatment)
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


def near_miss_limit(name: str) -> int:
    """How many edits a candidate may be from `name` to be a near miss: 1 for short names."""
    return 1 if len(name) <= 4 else 2


def _near_names(index: Index, stems: set[str]) -> dict[str, list[tuple[str, int]]]:
    """For each unique candidate, the bible names and aliases within reach, with distances."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    names = sorted({n for e in index.project.entries for n in e.names if n})
    found: dict[str, list[tuple[str, int]]] = {}
    for stem in stems:
        close = [
            (name, int(distance))
            for name, distance, _ in process.extract(
                stem, names, scorer=Levenshtein.distance, score_cutoff=2, limit=None
            )
            if 0 < distance <= near_miss_limit(name) and distance <= near_miss_limit(stem)
        ]
        if close:
            found[stem] = close
    return found


def _closest(index: Index, close: list[tuple[str, int]], treatment: str) -> list[str]:
    """The nearest names, preferring those of `treatment` (or `all`) over other treatments'."""
    if not close:
        return []
    treatments_of: dict[str, set[str]] = _derived(
        index, "name_treatments", lambda: _name_treatments(index)
    )
    own = [(n, d) for n, d in close if treatments_of[n] & {treatment, ALL_TREATMENTS}]
    pool = own or close
    best = min(d for _, d in pool)
    return sorted({n for n, d in pool if d == best})


def _name_treatments(index: Index) -> dict[str, set[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for entry in index.project.entries:
        for name in entry.names:
            table[name].add(entry.treatment)
    return table


# --- Presence: who is in play at a beat ----------------------------------------------------------

PRINCIPAL_ROLES = ("protagonist", "antagonist", "supporting")


def in_play(index: Index, outline: Outline, beat_index: int) -> list[Character]:
    """The characters in play at a beat, in bible order: those named in it, and the principal
    characters (protagonist, antagonist, supporting) first named at or before it and named
    again at or after it."""
    presence = index.presence.get(outline.name, {})
    spans: dict[str, tuple[dict[str, int], dict[str, int]]] = _derived(index, "spans", dict)
    if outline.name not in spans:  # asked at every group word: worked out once per outline
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        for beat, ids in presence.items():
            for character_id in ids:
                first[character_id] = min(first.get(character_id, beat), beat)
                last[character_id] = max(last.get(character_id, beat), beat)
        spans[outline.name] = first, last
    first, last = spans[outline.name]
    cast = index.project.characters
    between = {
        i
        for i in first
        if first[i] <= beat_index <= last[i] and i in cast and cast[i].role in PRINCIPAL_ROLES
    }
    return index.characters(presence.get(beat_index, set()) | between)


def urls_in(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses, whose words are not prose."""
    return [(m.start(), m.end()) for m in _URL.finditer(text)]
