"""The count-mismatch rule: "the trio", "both of them", "the four of them" disagreeing with who is there."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from storykit.analysis import Analysis, Mention, paragraphs_of
from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.model import Character, Outline, Paragraph, Position
from storykit.text import WordClass

NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
WORDS = {n: w for w, n in NUMBERS.items()}
GROUPS = {
    "duo": 2,
    "pair": 2,
    "twosome": 2,
    "trio": 3,
    "threesome": 3,
    "quartet": 4,
    "foursome": 4,
    "quintet": 5,
    "fivesome": 5,
    "sextet": 6,
}
_NUMBER = "|".join(NUMBERS)
# A group word with its determiner ("the trio", "the unlikely pair"), unless it is a group of
# something else ("a pair of shoes", "a trio of guards"): "of them" and "of us" still count.
_GROUP_NOUN = re.compile(
    r"\b(?:the|this|that|our|their)\s+(?:[a-z]+\s+)?(" + "|".join(GROUPS) + r")\b"
    r"(?!\s+of\s+(?!them\b|us\b))",
    re.IGNORECASE,
)
_N_OF_THEM = re.compile(r"\b(?:the|all)\s+(" + _NUMBER + r")\s+of\s+(?:them|us)\b", re.IGNORECASE)
_BOTH = re.compile(r"\b(?:both\s+of\s+(?:them|us)|(?:they|we)\s+both)\b", re.IGNORECASE)
# The patterns are slow to try at every character of every paragraph, and few paragraphs hold a
# group word. Each pattern's group word, number, and "them" or "us" follow a space, so each
# opens a word of the paragraph; "both" may also follow a hyphen or apostrophe inside one
# ("x-both"). A pattern runs only on paragraphs with words that start so. (IGNORECASE here as
# there: the same casing.)
_OPENS_GROUP_NOUN = re.compile(r"(?:" + "|".join(GROUPS) + r")\b", re.IGNORECASE)
_OPENS_NUMBER = re.compile(r"(?:" + _NUMBER + r")\b", re.IGNORECASE)
_OPENS_THEM = re.compile(r"(?:them|us)\b", re.IGNORECASE)
_HOLDS_BOTH = re.compile(r"(?:\w+[-'’])*both\b", re.IGNORECASE)


@rule("count-mismatch", "SK203", Severity.WARNING, reads=("bible", "outlines", "scripts"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A group word ("the trio", "both of them", "the four of them") disagreeing with who is there.

    **What it does.** Finds the group words of every outline paragraph: duo, pair, trio,
    threesome, quartet, foursome, quintet (after the, this, that, our or their, and not "a trio
    of guards"), "the three of them", "all four of them", "both of them", "they both". Bare
    "both" ("both Max and Zara") and counts of others ("three of Ruth's friends") are not group
    words. The group's referent is the characters named earlier in the same sentence, when two
    or more are (a group word refers back to who was just named); otherwise the characters in play at that beat: those named in the beat, and the
    principal characters (protagonist, antagonist, supporting) named both at or before the beat
    and at or after it. The rule fires when the referent's size differs from the number the
    word says, and lists who is in play.

    **Why is this bad?** A count is a continuity fact a reader checks without meaning to: when
    four people are in the room and the outline says "the trio", either someone silently left,
    or the writer forgot someone, and the next draft inherits the confusion.

    **Example.**

        # Amelia, Korin, Jax and Agnes are all in play in the Finale
        their attempts turn chaotic as the trio feels the cumulative pressure
        # 'the trio', but four characters are in play here: Amelia, Korin, Jax, Agnes
    """
    index = context.index
    by_paragraph: dict[Paragraph, list[Mention]] = defaultdict(list)
    first_named: dict[str, dict[str, int]] = defaultdict(dict)  # outline -> id -> reading order
    for number, mention in enumerate(index.mentions):
        if mention.entry.kind == "character" and not mention.foreign:
            by_paragraph[mention.paragraph].append(mention)
            first_named[mention.outline].setdefault(mention.entry.id, number)
    nouns, numbers, them, both = map(
        _words_matching, (_OPENS_GROUP_NOUN, _OPENS_NUMBER, _OPENS_THEM, _HOLDS_BOTH)
    )
    # Most paragraphs hold none of these words: one look for any of them, then which.
    any_of_them = WordClass(
        lambda word: any(p.match(word) for p in (_OPENS_GROUP_NOUN, _OPENS_NUMBER, _HOLDS_BOTH))
    )
    for outline in context.project.outlines.values():
        for beat_index, _, paragraph in paragraphs_of(outline):
            tokens = context.words(paragraph)
            if not any_of_them.found_in(tokens):
                continue
            held = _group_words(
                paragraph.text,
                nouns=nouns.found_in(tokens),
                counts=numbers.found_in(tokens) and them.found_in(tokens),
                both=both.found_in(tokens),
            )
            for start, end, number in held:
                found = _check(context, outline, beat_index, paragraph, start, number, by_paragraph)
                if found:
                    words = paragraph.text[start:end]
                    line, column = paragraph.locate(start)
                    order = first_named[outline.name]
                    referent = sorted(found[0], key=lambda c: order.get(c.id, len(order)))
                    yield _finding(outline, words, line, column, referent, found[1])


def _words_matching(pattern: re.Pattern[str]) -> WordClass:
    return WordClass(lambda word: pattern.match(word) is not None)


def group_words(text: str) -> list[tuple[int, int, int]]:
    """(start, end, number) of every group word in `text`."""
    return _group_words(text, nouns=True, counts=True, both=True)


def _group_words(text: str, *, nouns: bool, counts: bool, both: bool) -> list[tuple[int, int, int]]:
    """group_words, running only the patterns asked for."""
    found = []
    # IGNORECASE is Unicode-aware: "paır" (dotless ı) and "ſix" (long s) match too, but they are
    # not the words, so a match whose word is not in the table is no group word.
    if nouns:
        found += [
            (m.start(), m.end(), GROUPS[word])
            for m in _GROUP_NOUN.finditer(text)
            if (word := m.group(1).lower()) in GROUPS
        ]
    if counts:
        found += [
            (m.start(), m.end(), NUMBERS[word])
            for m in _N_OF_THEM.finditer(text)
            if (word := m.group(1).lower()) in NUMBERS
        ]
    if both:
        found += [(m.start(), m.end(), 2) for m in _BOTH.finditer(text)]
    return sorted(set(found))


def _check(
    analysis: Analysis,
    outline: Outline,
    beat_index: int,
    paragraph: Paragraph,
    start: int,
    number: int,
    by_paragraph: dict[Paragraph, list[Mention]],
) -> tuple[list[Character], bool] | None:
    """(referent, whether the sentence names it) when the group's count disagrees, else None."""
    index = analysis.index
    first = analysis.words(paragraph).sentence_start(start)
    # Names before the group word in its sentence: a group word refers back to who was named.
    named = {m.entry.id for m in by_paragraph.get(paragraph, []) if first <= m.start < start}
    if len(named) >= 2:
        referent = index.characters(named)
        in_sentence = True
    elif beat_index >= 0:
        referent = index.in_play(outline, beat_index)
        in_sentence = False
    else:
        return None  # an act's intro, with no beat to be in play at
    if not referent or len(referent) == number:
        return None
    return referent, in_sentence


def _finding(
    outline: Outline,
    words: str,
    line: int,
    column: int,
    referent: list[Character],
    in_sentence: bool,
) -> Finding:
    count = WORDS.get(len(referent), str(len(referent)))
    noun = "character" if len(referent) == 1 else "characters"
    names = _names(referent)
    message = (
        f"'{words}', but this sentence names {count} {noun}: {names}"
        if in_sentence
        else f"'{words}', but {count} {noun} {'is' if len(referent) == 1 else 'are'} in play "
        f"here: {names}"
    )
    return RULE.finding(
        message,
        Position(outline.path, line, column),
        treatment=outline.treatment,
        suggestion=f"name who is meant, or make the count {count}",
        end=None if "\n" in words else (line, column + len(words)),
    )


def _names(characters: list[Character]) -> str:
    return ", ".join(c.name for c in characters)
