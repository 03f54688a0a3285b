"""Words in prose, sentences, and where an offset stands: the text layer every other layer shares.

One tokenizer (`WORD`, `Words`), one definition of a sentence opening (`SENTENCE_GAP`,
`Words.opens_sentence`), one offset → (line, column) helper (`line_column`), and the forms a
word takes with a possessive or plural (`word_forms`). It imports nothing of storykit.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import accumulate, compress
from typing import NamedTuple, TypeVar

# A word: letters and digits, joined by inner apostrophes or hyphens ("Amelia's", "De-synchers").
# Not underscores: in Markdown they are emphasis ("_At length_"), never part of a word.
# An emphasis inside a word ("_Wee_-ary", sung) keeps it one word, and marks it (`emphasised`).
WORD = re.compile(r"[^\W_]+(?:_*[-'’]_*[^\W_]+)*")
# Between two words, what makes the second open a sentence: an end mark (a colon too), then space.
SENTENCE_GAP = re.compile(r"[.!?:]['’\"”)\]]*\s")
# A contraction: "I'm", "don't", "we'll", "that's" (the base is checked, not the ending).
CONTRACTION = re.compile(r"^(.+?)(n['’]t|['’](?:m|ll|d|ve|re|s))$", re.IGNORECASE)
# A possessive ending: "Corin's", "Coders'", "Jess’".
POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
# Splitting at the words leaves gap, word, gap, word, ..., gap: the regex engine does the walk.
_WORD_SPLIT = re.compile(f"({WORD.pattern})")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")

_SUFFIXES = ("'s", "’s", "s'", "s’", "'", "’", "es", "s")

Text = TypeVar("Text", str, bytes)


def line_starts(text: Text) -> list[int]:
    """The offset of every line's first character: 0, then one past each newline."""
    newline = "\n" if isinstance(text, str) else b"\n"
    starts = [0]
    at = text.find(newline)  # type: ignore[arg-type]
    while at >= 0:
        starts.append(at + 1)
        at = text.find(newline, at + 1)  # type: ignore[arg-type]
    return starts


def line_column(text: Text, offset: int, starts: list[int] | None = None) -> tuple[int, int]:
    """(line, column), both 1-based, of a character (or, in bytes, a byte) offset into `text`.

    `starts` is `line_starts(text)`, for a caller that asks often of one text: a table looked
    up by bisection, not a count of the text before (a megabyte pasted into one paragraph,
    naming someone on every line, made counting quadratic)."""
    if starts is None:  # asked once: count, no table
        newline = "\n" if isinstance(text, str) else b"\n"
        line = text.count(newline, 0, offset) + 1  # type: ignore[arg-type]
        return line, offset - (text.rfind(newline, 0, offset) + 1) + 1  # type: ignore[arg-type]
    if len(starts) == 1:  # most paragraphs are one line
        return 1, offset + 1
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def base_forms(word: str) -> list[str]:
    """The word and what it may be the possessive or plural of: SSUs -> [SSUs, SSU]."""
    return list(word_forms(word))


@lru_cache(maxsize=1 << 16)
def word_forms(word: str) -> tuple[str, ...]:
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


def phrase_words(text: str) -> tuple[str, ...]:
    """The words of a name or phrase, as a phrase matcher keys it."""
    return tuple(m.group() for m in WORD.finditer(text))


def urls_in(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses, whose words are not prose."""
    return [(m.start(), m.end()) for m in _URL.finditer(text)]


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
        # The words of every text tokenised with this one (an analysis' paragraphs), this one's
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

    def sentence_start(self, offset: int) -> int:
        """The offset where the sentence around `offset` begins."""
        # The last word at or before `offset` that opens a sentence, looking back from there.
        for i in range(bisect.bisect_right(self.starts, offset) - 1, -1, -1):
            if self.opens_sentence(i):
                return self.starts[i]
        return 0

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


# Italics in Markdown: _words_ (the Gutenberg texts' and many writers' way) or *words*.
_ITALICS = re.compile(r"(?<![\w*_])([_*])(?=\S)([^_*\n]+?)(?<=\S)\1(?![\w*_])")


def foreign_spans(text: str, knows: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Spans of italics most of whose lowercase words are not English: a foreign phrase, set
    in italics as English sets one ("_Nemo me impune lacessit_", "_affaire de cœur_")."""
    spans = []
    for match in _ITALICS.finditer(text):
        words = [w for w in WORD.findall(match.group(2))]
        if not words:
            continue
        foreign = sum(1 for w in words if not knows(w))
        if foreign and foreign * 3 >= len(words):
            spans.append((match.start(), match.end()))
    return spans
