"""The English dictionary, read from pyspellchecker's data file once and lazily, and storykit's
shipped supplement (`storykit/lint/words.txt`): the words the speller and the script reader
know. The speller itself is the analysis' (storykit.analysis.dictionary)."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping

SUPPLEMENT_FILE = "lint/words.txt"
_ENGLISH_CACHE: dict[str, tuple[Mapping[str, int], frozenset[str]]] = {}


def english() -> tuple[Mapping[str, int], frozenset[str]]:
    """pyspellchecker's English word frequencies and storykit's supplement, read once."""
    cached = _ENGLISH_CACHE.get("english")
    if cached is None:
        from importlib.resources import files

        frequency = english_frequency()
        text = files("storykit").joinpath(SUPPLEMENT_FILE).read_text(encoding="utf-8")
        supplement = frozenset(
            line.split("#", 1)[0].strip().casefold()
            for line in text.splitlines()
            if line.split("#", 1)[0].strip()
        )
        cached = _ENGLISH_CACHE["english"] = (frequency, supplement)
    return cached


def english_frequency() -> Mapping[str, int]:
    """pyspellchecker's English word frequencies, exactly as `SpellChecker(language="en")`
    holds them: its data file, keys lowercased and the counts of a word's spellings summed.

    Read here rather than through a SpellChecker, which also lowercases every key (in the file
    shipped they already are) and works out statistics storykit never asks for. It reads the
    file at every call: ask `english()`, which keeps what it read.
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
