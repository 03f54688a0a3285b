"""The English dictionary (pyspellchecker's word frequencies, read once, lazily), storykit's
shipped supplement, the project's own words, and the speller the name and spelling rules ask."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from storykit.model import Project
from storykit.text import POSSESSIVE, WORD, base_forms

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
        stem = POSSESSIVE.sub("", word)
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


def project_speller(project: Project) -> Speller:
    """The English dictionary plus the project dictionary: every word of every bible name and
    alias, the treatment titles, `lint.words`, and storykit's shipped supplement."""
    frequency, supplement = _english()
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
    # A correction depends on the English dictionary only: lint after lint (a watch, the
    # tests, a build after a lint) shares the corrections.
    shared = _SHARED_CORRECTIONS.setdefault(id(frequency), {})
    return Speller(frequency, extra, _corrections=shared)
