"""The English dictionary (pyspellchecker's word frequencies, read once, lazily), storykit's
shipped supplement, the project's own words, and the speller the name and spelling rules ask."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from storykit.dialects import Dialect, dialect_of
from storykit.load.dictionary import SortedCounts, english
from storykit.model import Project
from storykit.text import CONTRACTION, POSSESSIVE, WORD, base_forms

# No English word is longer (the longest in major dictionaries has 45 letters): a "word" past
# this is not corrected, so that no word costs more than linear time.
MAX_WORD_LENGTH = 45
# Two-edit searches one lint may make (each a pass over the whole dictionary, ~10 ms): a text
# of thousands of distinct unknown words gets one-edit corrections for the rest.
MAX_FUZZY_SEARCHES = 100


@dataclass
class Speller:
    """pyspellchecker's English dictionary, the shipped supplement and a project's own words,
    and the Hunspell dictionary of the project's dialect (`language:`), if it names one."""

    frequency: Mapping[str, int]
    extra: set[str]
    dialect: Dialect | None = None
    _corrections: dict[str, str | None] = field(default_factory=dict)
    # word as written -> knows(word): prose repeats a few thousand words a million times
    _known: dict[str, bool] = field(default_factory=dict, repr=False)
    _search: tuple[list[str], frozenset[str]] | None = field(default=None, repr=False)
    # Two-edit searches left to this speller (one lint): each is a pass over the dictionary.
    _fuzzy_left: int = field(default=0, repr=False)

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
            # A compound the dialect knows whole ("pince-nez") is known before its parts.
            if self.dialect is not None and self.dialect.knows(word):
                return True
            return all(self.knows(part) for part in word.split("-") if part)
        stem = POSSESSIVE.sub("", word)
        if stem and (stem in self.frequency or stem in self.extra):
            return True
        contraction = CONTRACTION.match(word)
        if contraction and self._base(contraction.group(1), contraction.group(2)):
            return True  # "I'm", "there'll", "don't": the word before the ending is English
        if self._derived(word):
            return True
        # In lowercase: the dialect's proper nouns ("Bertha", "Lestrade") are names, not words.
        return self.dialect is not None and self.dialect.knows(word)

    def _derived(self, word: str) -> bool:
        """A regular derivation of a dictionary word of five letters or more: a prefix
        ("unredressed", "reapproached", "bisulphate"), "-ish" ("brickish"), or the archaic
        verb endings "-eth" and "-est" ("taketh")."""
        known = self._plain
        for prefix in _PREFIXES:
            if (
                word.startswith(prefix)
                and len(word) - len(prefix) >= 5
                and known(word[len(prefix) :])
            ):
                return True
        for ending, adds in (("ish", ("", "e")), ("eth", ("", "e")), ("est", ("", "e"))):
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                stem = word[: -len(ending)]
                if any(known(stem + add) for add in adds):
                    return True
        return False

    def _plain(self, word: str) -> bool:
        if word in self.frequency or word in self.extra:
            return True
        return self.dialect is not None and self.dialect.knows(word)

    def _base(self, base: str, ending: str) -> bool:
        if ending.endswith("t") and base in ("ca", "wo", "sha", "ai"):
            return True  # can't, won't, shan't, ain't
        return base == "i" or base in self.frequency or base in self.extra

    def __post_init__(self) -> None:
        self._fuzzy_left = MAX_FUZZY_SEARCHES

    def correction(self, word: str) -> str | None:
        """The most frequent dictionary word within one edit, else two edits, of `word`; else
        two dictionary words it runs together; or None.

        Bounded: a word longer than MAX_WORD_LENGTH gets no correction (its one-edit strings
        alone would be quadratic in its length), and a lint makes at most MAX_FUZZY_SEARCHES
        two-edit searches; after that a word gets a one-edit correction or none.
        """
        key = word.casefold()
        if len(key) > MAX_WORD_LENGTH:
            return None
        if key not in self._corrections:
            # Kept even when the budget cut it short: a word's answer stays the same for the
            # rest of the process (a watch's next lint reports the same finding, not a new one).
            self._corrections[key] = self._correct(key)
        return self._corrections[key]

    def _correct(self, word: str) -> str | None:
        if word in self.frequency:
            return word
        found = self._correct_english(word)
        if self.dialect is None:
            return found
        # A suggestion must be a word of the dialect: "colur" is "colour" in en-GB.
        if found is not None and all(self.dialect.knows(part) for part in found.split("-")):
            return found
        suggestion = self.dialect.suggest(word)
        return suggestion.casefold() if suggestion and " " not in suggestion else found

    def _correct_english(self, word: str) -> str | None:
        words, characters = self._search_space()
        # One edit away: the thousand or so strings one edit makes, looked up, cost a tenth of a
        # pass over every word; most misspellings are found so.
        near = [known for known in _one_edit(word, characters) if known in self.frequency]
        if near:
            return min(near, key=lambda known: (-self.frequency[known], known))
        if self._fuzzy_left <= 0:
            return self._split(word)  # the budget is spent: no two-edit search
        self._fuzzy_left -= 1
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


_PREFIXES: tuple[str, ...] = ("un", "re", "non", "dis", "mis", "over", "under", "out", "pre")
_PREFIXES += ("bi", "sub", "super", "counter", "semi", "anti", "inter")


def _one_edit(word: str, characters: frozenset[str]) -> set[str]:
    """Every string one deletion, substitution or insertion (of one of `characters`) from `word`."""
    found = {word[:i] + word[i + 1 :] for i in range(len(word))}
    found.update(word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in characters)
    found.update(word[:i] + c + word[i:] for i in range(len(word) + 1) for c in characters)
    found.discard(word)
    return found


# (id of the (one, cached) English frequency table, language) -> the corrections found
_SHARED_CORRECTIONS: dict[tuple[int, str], dict[str, str | None]] = {}


def project_speller(project: Project) -> Speller:
    """The English dictionary plus the project dictionary: every word of every bible name and
    alias, the treatment titles, `lint.words`, and storykit's shipped supplement."""
    frequency, supplement = english()
    extra = set(supplement)
    texts = [n for e in project.entries for n in e.names]
    texts += [t.title for t in project.treatments.values()]
    texts += [str(w) for w in project.config.lint.words]
    for text in texts:
        for word in WORD.finditer(text):
            folded = word.group().replace("’", "'").casefold()
            extra.add(folded)
            extra.update(base.casefold() for base in base_forms(folded))
            extra.update(part for part in folded.split("-") if part)
    # A correction depends on the English dictionary and the dialect only: lint after lint (a
    # watch, the tests, a build after a lint) shares the corrections.
    language = project.config.language
    shared = _SHARED_CORRECTIONS.setdefault((id(frequency), language), {})
    return Speller(frequency, extra, dialect_of(language), _corrections=shared)
