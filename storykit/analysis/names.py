"""Bible names in prose: one longest-first phrase matcher, the table of every name and alias,
which entries a name means in a treatment, and the phrases that are never unknown names.

Names and aliases match whole words, case-sensitively, with possessives and plurals on the last
word ("Amelia's", "BedSync’s", "SSUs", "Dream Coders'"). In an outline of treatment T a name
resolves to T's own entry (or an `all` entry); a name that only other treatments know is a
*foreign* mention.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Generic, NamedTuple, TypeVar

from storykit.model import ALL_TREATMENTS, Entry, Project
from storykit.text import WordClass, Words, phrase_words, word_forms

V = TypeVar("V")

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


_ARTICLES = ("the", "a", "an")


def name_variants(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The ways prose writes a name: as the bible does, with either apostrophe ("Godber's",
    "Godber’s"), without its article ("the King" is also "King", "the Finnish woman" also "a
    Finnish woman"), and capitalised where a sentence starts ("The horses", "His son Rip")."""
    if not words:
        return []
    found = [words]
    if len(words) > 1 and words[0] in _ARTICLES:
        found.append(words[1:])
    for each in list(found):
        if each[0][:1].islower():
            found.append((each[0][:1].upper() + each[0][1:], *each[1:]))
    for each in list(found):
        for old, new in (("'", "’"), ("’", "'")):
            if any(old in w for w in each):
                found.append(tuple(w.replace(old, new) for w in each))
    return list(dict.fromkeys(found))


# EntryRef is a named tuple, not a frozen dataclass: a series has tens of thousands of mentions,
# and a tuple is made and hashed in C.
class EntryRef(NamedTuple):
    kind: str  # character | device | thread
    id: str
    treatment: str

    @classmethod
    def of(cls, entry: Entry) -> EntryRef:
        return cls(entry.kind_name, entry.id, entry.treatment)


class PhraseMatcher(Generic[V]):
    """Phrases (tuples of words), each with a value, found at a word of prose longest first.

    A phrase's last word matches with a possessive or plural ("Dream Coders'"); with `casefold`
    every word matches in any case. The one matcher of names (`NameTable`) and of the phrases
    that are never unknown names (`KnownPhrases`)."""

    def __init__(self, *, casefold: bool = False) -> None:
        self.casefold = casefold
        self.phrases: dict[tuple[str, ...], V] = {}
        self.first_words: set[str] = set()
        # first word -> the lengths (2 or more, longest first) of the phrases it starts: a
        # longer phrase starts with its first word exactly, so only those lengths are looked up
        self.lengths: dict[str, tuple[int, ...]] = {}
        # word as written -> (its longer phrases' lengths, the one-word phrase it is, or None)
        self._plans: dict[str, tuple[tuple[int, ...], V | None]] = {}
        self._starts: dict[str, bool] = {}  # word as written -> may_start(word)

    def _fold(self, word: str) -> str:
        return word.casefold() if self.casefold else word

    def setdefault(self, words: tuple[str, ...], value: V) -> V:
        """The value of the phrase `words`, added with `value` when new (empty phrases: none)."""
        if self.casefold:
            words = tuple(w.casefold() for w in words)
        if words not in self.phrases:
            self.phrases[words] = value
            self.first_words.add(words[0])
            if len(words) > 1:
                known = self.lengths.get(words[0], ())
                self.lengths[words[0]] = tuple(sorted({*known, len(words)}, reverse=True))
            self._plans.clear()
            self._starts.clear()
        return self.phrases[words]

    def may_start(self, word: str) -> bool:
        """Whether a phrase may start with `word`: a first word, or its possessive or plural."""
        starts = self._starts.get(word)
        if starts is None:
            fold = self._fold
            starts = any(fold(f) in self.first_words for f in word_forms(word))
            self._starts[word] = starts
        return starts

    def matches_at(self, texts: list[str], i: int) -> list[tuple[int, V]]:
        """Every phrase starting at word i, longest first: (number of words, value) each."""
        text = texts[i]
        plan = self._plans.get(text)
        if plan is None:  # per distinct word, once
            fold, phrases = self._fold, self.phrases
            single = next(
                (v for f in word_forms(text) if (v := phrases.get((fold(f),))) is not None), None
            )
            plan = self._plans[text] = (self.lengths.get(fold(text), ()), single)
        lengths, single = plan
        found: list[tuple[int, V]] = []
        for length in lengths:
            if length > len(texts) - i:
                continue
            head = tuple(map(self._fold, texts[i : i + length - 1]))
            for last in word_forms(texts[i + length - 1]):
                value = self.phrases.get((*head, self._fold(last)))
                if value is not None:
                    found.append((length, value))
                    break
        if single is not None:
            found.append((1, single))
        return found

    def longest_at(self, texts: list[str], i: int) -> int:
        """The number of words of the longest phrase starting at word i (0: none)."""
        found = self.matches_at(texts, i)
        return found[0][0] if found else 0


# (word index, every name starting there longest first as (number of words, entries))
NameMatches = tuple[int, list[tuple[int, list[EntryRef]]]]


class NameTable:
    """Every name and alias of the bible, as word tuples, for longest-first matching."""

    def __init__(self) -> None:
        self.matcher: PhraseMatcher[list[EntryRef]] = PhraseMatcher()
        self._starting = WordClass(self.matcher.may_start)
        # (id of one of the table's entry lists, treatment) -> resolve(): asked at every mention;
        # the lists live as long as the table
        self._resolved: dict[tuple[int, str], tuple[list[EntryRef], bool]] = {}

    @classmethod
    def of(cls, entries: list[Entry]) -> NameTable:
        table = cls()
        for entry in entries:
            ref = EntryRef.of(entry)
            for name in entry.names:
                for words in name_variants(phrase_words(name)):
                    refs = table.matcher.setdefault(words, [])
                    if ref not in refs:
                        refs.append(ref)
        return table

    def matches_at(self, words: Words, i: int) -> list[tuple[int, list[EntryRef]]]:
        """Every name starting at word i, longest first: (number of words, entries) each."""
        texts = words.texts
        return self.matcher.matches_at(texts, i) if self.matcher.may_start(texts[i]) else []

    def all_matches(self, words: Words) -> list[NameMatches]:
        """(word index, every name starting there, longest first) wherever a name starts."""
        found = []
        texts = words.texts
        for i in self._starting.positions(words):  # may_start holds there
            here = self.matcher.matches_at(texts, i)
            if here:
                found.append((i, here))
        return found

    def resolved(self, refs: list[EntryRef], treatment: str) -> tuple[list[EntryRef], bool]:
        """`resolve`, remembered: a name is resolved in a treatment at its every mention."""
        key = (id(refs), treatment)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = resolve(refs, treatment)
        return found


def resolve(refs: list[EntryRef], treatment: str) -> tuple[list[EntryRef], bool]:
    """The entries a name means in `treatment`, and whether they are foreign to it."""
    own = [r for r in refs if r.treatment in (treatment, ALL_TREATMENTS)]
    return (own, False) if own else (refs, True)


def longest_spans(matches: list[NameMatches]) -> Iterator[tuple[int, int, list[EntryRef]]]:
    """(first word index, last word index, entries) of the longest names, none overlapping."""
    after = 0  # the first word after the last name found
    for i, here in matches:
        if i < after:
            continue
        length, refs = here[0]
        yield i, i + length - 1, refs
        after = i + length


class KnownPhrases(NamedTuple):
    """Phrases that are never unknown names: `exact` case-sensitively, `folded` in any case."""

    exact: PhraseMatcher[bool]
    folded: PhraseMatcher[bool]

    def longest_at(self, words: Words, i: int) -> int:
        """The words the longest known phrase at word i covers (0: none)."""
        texts = words.texts
        return self.exact.longest_at(texts, i) or self.folded.longest_at(texts, i)


def known_phrases(project: Project) -> KnownPhrases:
    """Case-sensitive: every bible name and alias of any treatment, the singular of a plural
    name ("a Dream Coder" is one of the Dream Coders, "the SleepPod arena" one of the
    SleepPods), the treatment titles, and words capitalised wherever they stand (I, weekdays,
    months). Case-insensitive: the project's `lint.words`."""
    exact: PhraseMatcher[bool] = PhraseMatcher()
    folded: PhraseMatcher[bool] = PhraseMatcher(casefold=True)

    def add(matcher: PhraseMatcher[bool], words: tuple[str, ...]) -> None:
        if words:
            matcher.setdefault(words, True)

    for entry in project.entries:
        for name in entry.names:
            words = phrase_words(name)
            for variant in name_variants(words):
                add(exact, variant)
            last = words[-1] if words else ""
            if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
                add(exact, (*words[:-1], last[:-1]))
            if entry.kind_name == "character" and len(words) > 1 and last[:1].isupper():
                add(exact, (last + "s",))  # the family: "the Sheridans", "the Carraways"
                for title in ("Mr", "Mrs", "Miss", "Ms", "Dr"):
                    add(exact, (title, last))  # "Mr. Carraway" is Nick Carraway's surname
    for treatment in project.treatments.values():
        add(exact, phrase_words(treatment.title))
    for word in ALWAYS_CAPITALISED:
        add(exact, (word,))
    for word in project.config.lint.words:
        add(folded, phrase_words(str(word)))
    return KnownPhrases(exact, folded)


def namesakes(entries: list[Entry]) -> dict[EntryRef, list[Entry]]:
    """For each entry, the other entries of its treatment that share a name or alias with it,
    any case (a device and the thread about it), in bible order."""
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, each in enumerate(entries):
        for name in {n.casefold() for n in each.names}:
            by_name[each.treatment, name].append(number)
    table: dict[EntryRef, list[Entry]] = {}
    for number, each in enumerate(entries):
        kin = {k for n in each.names for k in by_name[each.treatment, n.casefold()]}
        table[EntryRef.of(each)] = [entries[k] for k in sorted(kin - {number})]
    return table
