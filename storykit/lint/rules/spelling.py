"""The spelling rule: misspelt words in outline prose, with the bible's names as project dictionary."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from storykit.analysis.dictionary import Speller
from storykit.analysis.mentions import paragraphs_of
from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.lint.rules.mojibake import damaged_words
from storykit.model import Outline, Paragraph, Position
from storykit.text import WordClass, foreign_spans, urls_in


@rule("spelling", "SK502", Severity.WARNING, reads=("bible", "outlines", "scripts"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A misspelt word in an outline, checked against English plus the project's own words.

    **What it does.** Checks every lowercase word of every outline paragraph against
    pyspellchecker's English dictionary, extended by the project dictionary: every word of
    every bible name and alias, the treatment titles, the project's `lint.words`, and a short
    supplement shipped with storykit (`storykit/lint/words.txt`: ordinary English words the
    dictionary lacks, such as "dreamscapes"). Hyphenated words are checked part by part;
    possessives and curly apostrophes are understood; words with digits, URLs and e-mail
    addresses are skipped. Capitalised words are names (see `unknown-name`), except a word
    that opens a sentence, is not in the dictionary and has a close correction ("Reccesses").
    The suggestion is the most frequent dictionary word within one edit, else two, else the two
    dictionary words the word runs together ("self-fulfillment"), else none. Words damaged by a
    wrong encoding are left to `mojibake`.

    **Why is this bad?** A misspelling in an outline travels into every treatment PDF, beat
    sheet and pitch document built from it, and a reader who meets "selffulfillment" stops
    reading the story to read the typing.

    **Example.**

        the acknowledgment that genuine connection and selffulfillment are gifts
        # 'selffulfillment' is not in the dictionary

    A coinage of the story's world belongs in `lint.words` in storykit.yaml.
    """
    spell = context.speller
    for candidate in context.name_candidates:
        if candidate.kind == "spelling" and _spelt(candidate.paragraph):
            line, column = candidate.line_column
            yield _finding(
                candidate.outline, line, column, candidate.stem, spell.correction(candidate.stem)
            )
    # What is misspelt in a word is asked once per distinct word of the project, not per word.
    parts: dict[str, tuple[tuple[int, str], ...]] = {}

    def misspelt_parts(word: str) -> tuple[tuple[int, str], ...]:
        if word not in parts:
            parts[word] = _unknown_parts(spell, word)
        return parts[word]

    misspelt = WordClass(lambda word: bool(misspelt_parts(word)))
    for outline in context.project.outlines.values():
        for paragraph in filter(_spelt, (p for _, _, p in paragraphs_of(outline))):
            words = context.words(paragraph)
            found = misspelt.positions(words)
            if not found:
                continue
            text = paragraph.text
            skipped = urls_in(text) if "/" in text or "@" in text else []
            # Words damaged by a wrong encoding are the mojibake rule's: one finding, one fix.
            skipped += [(start, start + len(old)) for start, old, _ in damaged_words(text)]
            # A foreign phrase set in italics, as English sets one ("_Nemo me impune lacessit_")
            skipped += foreign_spans(text, spell.knows)
            for i in found:
                start = words.starts[i]
                if skipped and any(a <= start < b for a, b in skipped):
                    continue
                if start and text[start - 1] == "’" and not text[start - 2 : start - 1].isalnum():
                    continue  # "’im", "’ittle": a letter dropped on purpose, as speech is written
                for offset, word in misspelt_parts(words.texts[i]):
                    line, column = paragraph.locate(start + offset)
                    yield _finding(outline, line, column, word, spell.correction(word))


def _spelt(paragraph: Paragraph) -> bool:
    """Prose, dialogue and action are spelt; a script's cues and scene headings are names."""
    return paragraph.kind not in ("cue", "heading")


def _unknown_parts(spell: Speller, word: str) -> tuple[tuple[int, str], ...]:
    """(offset in the word, part) of a lowercase word that the dictionary lacks, hyphenated
    words part by part; words with digits and capitalised words are not checked, nor a word
    with a letter English does not use ("employé", "cœur"), nor a rhyming compound
    ("niminy-piminy"), nor a foreign part of a compound ("pince-nez", "parti-striped")."""
    if not word[:1].islower() or _has_digit(word) or "_" in word or _FRENCH_ELISION.match(word):
        return ()  # a name, a number, a word stressed in its middle ("_Wee_-ary"), "d'or"
    if "-" not in word:
        if spell.knows(word) or not word.isascii():
            return ()
        return ((0, word),)
    parts = word.split("-")
    if len(parts) == 2 and _rhyming(*parts):
        return ()
    found = []
    offset = 0
    for part in parts:
        unknown = part and part[:1].islower() and not spell.knows(part)
        if unknown and part.isascii() and not _foreign_word(part):
            found.append((offset, part))
        offset += len(part) + 1
    return tuple(found)


def _rhyming(left: str, right: str) -> bool:
    """A reduplicated compound: two parts alike but for their first letters (niminy-piminy)."""
    return len(left) == len(right) >= 3 and left[2:] == right[2:] and left != right


@lru_cache(maxsize=1 << 12)
def _foreign_word(part: str) -> bool:
    """A common word of French, Spanish, Italian or German: in a compound, a borrowing."""
    from storykit.worldnames import zipf

    return any(zipf(part, language) >= 3.5 for language in ("fr", "es", "it", "de"))


_FRENCH_ELISION = re.compile(r"^[dl]['’][^\W\d_]{2,}$")


@lru_cache(maxsize=1 << 16)
def _has_digit(word: str) -> bool:
    # Remembered: asked for every word of every outline, of a vocabulary of a few thousand.
    return any(c.isdigit() for c in word)


def _finding(
    outline: Outline, line: int, column: int, word: str, correction: str | None
) -> Finding:
    if correction and word[:1].isupper():
        correction = correction[:1].upper() + correction[1:]
    return RULE.finding(
        f"'{word}' is not in the dictionary"
        + (f"; did you mean '{correction}'?" if correction else ""),
        Position(outline.path, line, column),
        treatment=outline.treatment,
        suggestion=correction,
        end=(line, column + len(word)),
    )
