"""The mojibake rule: text damaged by a wrong encoding ("otherâ€™s"), with the repaired text."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from storykit.analysis import paragraphs_of
from storykit.lint.finding import Finding, Fix, Severity
from storykit.lint.registry import LintContext, rule
from storykit.load.yamlsrc import YamlProblem, parse_yaml
from storykit.model import Position
from storykit.text import line_column

# Characters that stay inside a damaged word when the span grows to whole words.
_WORDISH = "'’‘-"


@rule("mojibake", "SK501", Severity.ERROR, reads=("bible", "outlines"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """Text damaged by a wrong encoding ("otherâ€™s"), with the repaired text as suggestion.

    **What it does.** Runs ftfy's encoding repair (`ftfy.fix_encoding`, which undoes text
    that was encoded in one charset and decoded in another, and nothing else: curly quotes,
    dashes and accents that are right stay as they are) over every outline paragraph and every
    string value of every bible file and storykit.yaml. Each damaged word is reported where it
    stands, with the repaired word as suggestion; `storykit lint --fix` repairs it (in YAML
    through a round-trip that keeps comments, key order and quoting).

    **Why is this bad?** Mojibake is what a copy through a mis-set editor, e-mail or
    spreadsheet leaves behind. It prints as gibberish in every treatment, PDF and site built
    from the bible, and it hides words from every other check: "otherâ€™s" is nobody's
    possessive.

    **Example.**

        they begin to exchange ideas and challenge each otherâ€™s beliefs
        # damaged by a wrong encoding: 'otherâ€™s' should read 'other’s'
    """
    project = context.project
    for outline in project.outlines.values():
        for _, _, paragraph in paragraphs_of(outline):
            for start, old, new in damaged_words(paragraph.text):
                line, column = paragraph.locate(start)
                yield _finding(
                    old,
                    new,
                    Position(outline.path, line, column),
                    outline.treatment,
                    Fix(outline.path, line, column, old, new),
                )
    for path, source in project.sources.items():
        if not path.endswith((".yaml", ".yml")) or source.isascii():
            continue
        try:
            document = parse_yaml(source, path, project.config.limits)
        except YamlProblem:
            continue  # the schema rule reports files that do not parse
        treatment = _treatment_of(document.value, path)
        seen: set[int] = set()  # an aliased value is one string, however often it is repeated
        for key, value in _strings(document.value, ""):
            if value.isascii() or id(value) in seen:
                continue
            seen.add(id(value))
            repaired = _repair(value)
            if repaired == value:
                continue
            where = document.positions.get(key, Position(path))
            for _start, old, new in damaged_words(value):
                at = _locate_in_source(source, where, old)
                yield _finding(
                    old, new, at, treatment, Fix(path, at.line, at.column, value, repaired, key)
                )


def _finding(old: str, new: str, where: Position, treatment: str | None, fix: Fix) -> Finding:
    return RULE.finding(
        f"damaged by a wrong encoding: '{old}' should read '{new}'",
        where,
        treatment=treatment,
        suggestion=new,
        fix=fix,
        end=None if "\n" in old else (where.line, where.column + len(old)),
    )


def _repair(text: str) -> str:
    import ftfy

    if not _may_be_damaged(text):
        return text
    return str(ftfy.fix_encoding(text))


# ftfy's repair leaves alone any text its badness pattern (ftfy.badness.BADNESS_RE, what
# `is_bad` searches) does not match, and every match of that pattern holds a non-ASCII
# character and is at most 7 characters long. So searching only around the non-ASCII
# characters is the same test on a fraction of the text: prose with curly quotes is mostly ASCII.
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_REACH = 8


def _may_be_damaged(text: str) -> bool:
    from ftfy.badness import BADNESS_RE

    search, end = BADNESS_RE.search, len(text)
    return any(
        search(text, max(0, m.start() - _REACH), min(end, m.end() + _REACH))
        for m in _NON_ASCII.finditer(text)
    )


def damaged_words(text: str) -> list[tuple[int, str, str]]:
    """(offset, damaged word, repaired word) for every word ftfy's repair changes."""
    if text.isascii():
        return []
    return list(_damaged_words(text))


@lru_cache(maxsize=1 << 15)
def _damaged_words(text: str) -> tuple[tuple[int, str, str], ...]:
    # Remembered: the spelling rule asks for every paragraph too, to leave these words alone.
    repaired = _repair(text)
    if repaired == text:
        return ()
    old_parts, new_parts = _SPACES.split(text), _SPACES.split(repaired)
    if len(old_parts) != len(new_parts) or old_parts[1::2] != new_parts[1::2]:
        return tuple(_changed_words(text, repaired, 0))  # the repair moved spaces: rare
    # The repair kept every space where it was (it almost always does): compare the two word
    # by word, so that a paragraph of many damaged words costs linear time, not cubic.
    found: list[tuple[int, str, str]] = []
    offset = 0
    for i, (old, new) in enumerate(zip(old_parts, new_parts, strict=True)):
        if i % 2 == 0 and old != new:
            found.extend(_changed_words(old, new, offset))
        offset += len(old)
    return tuple(found)


_SPACES = re.compile(r"([ \t\n\r\f\v]+)")


def _changed_words(text: str, repaired: str, base: int) -> Iterator[tuple[int, str, str]]:
    """(offset + base, damaged word, repaired word) for each change between the two texts."""
    # Compare only what lies between the common start and end: the matcher is quadratic, and
    # a damaged word is a few characters in a paragraph of hundreds.
    prefix = len(os.path.commonprefix([text, repaired]))
    suffix = 0
    limit = min(len(text), len(repaired)) - prefix
    while suffix < limit and text[-1 - suffix] == repaired[-1 - suffix]:
        suffix += 1
    spans: list[tuple[int, int, int, int]] = []
    matcher = SequenceMatcher(
        None,
        text[prefix : len(text) - suffix],
        repaired[prefix : len(repaired) - suffix],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        i1, i2, j1, j2 = i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix
        # Grow the change to whole words on both sides; the text around it is equal, so the
        # two sides grow alike.
        while i1 > 0 and j1 > 0 and _wordish(text[i1 - 1]):
            i1, j1 = i1 - 1, j1 - 1
        while i2 < len(text) and j2 < len(repaired) and _wordish(text[i2]):
            i2, j2 = i2 + 1, j2 + 1
        if spans and i1 <= spans[-1][1]:
            spans[-1] = (spans[-1][0], i2, spans[-1][2], j2)
        else:
            spans.append((i1, i2, j1, j2))
    for i1, i2, j1, j2 in spans:
        yield base + i1, text[i1:i2], repaired[j1:j2]


def _wordish(character: str) -> bool:
    return character.isalnum() or character in _WORDISH


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(dotted key path, value) for every string in a YAML document."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}.{i}" if path else str(i))


def _treatment_of(value: Any, path: str) -> str | None:
    if isinstance(value, dict):
        treatment = value.get("id" if path.startswith("bible/treatments/") else "treatment")
        if isinstance(treatment, str):
            return treatment
    return None


def _locate_in_source(source: str, value_at: Position, word: str) -> Position:
    """Where `word` stands in the file: searched from the value's start, else the value itself."""
    lines = source.split("\n")
    offset = sum(len(line) + 1 for line in lines[: value_at.line - 1]) + value_at.column - 1
    found = source.find(word, offset)
    if found < 0:
        return value_at
    line, column = line_column(source, found)
    return Position(value_at.path, line, column)
