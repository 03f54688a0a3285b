"""The unknown-name rule: capitalised names and terms in outline prose that the bible does not know."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.model import Position


@rule("unknown-name", "SK101", Severity.WARNING, reads=("bible", "outlines", "scripts"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A capitalised name or term in an outline that the bible does not know.

    **What it does.** Reads the prose of every outline (beat paragraphs and act intros) and
    takes each capitalised word, or run of capitalised words, as a name candidate. A candidate
    is known, and not reported, when a bible name or alias of any treatment covers it
    (possessives and plurals included, and the singular of a plural name: "a Dream Coder" is one
    of the Dream Coders), or a treatment title, or a word or phrase of the project's
    `lint.words`, or a word capitalised wherever it stands (I, weekdays, months). A run is split
    where a known name stands: in "Lavish Jax" only "Lavish" is reported. A word that opens a
    sentence or a quotation is capitalised by its place, so it is a candidate only when it is
    not an English word; and when the dictionary can correct it ("Reccesses"), it is left to
    `spelling`. A candidate one or two edits from a bible name is left to `near-miss-name`.
    All-caps acronyms are candidates too, unless `lint.words` lists them. A character cue of a
    script the bible lacks is left to `unknown-speaker`.

    **Why is this bad?** A name the bible does not know is either a character, place or
    technology nobody has written down (so nothing checks its continuity), or a slip: a garbled
    sentence, a term the story never defines. A script editor would circle it either way.

    **Example.**

        Amelia harnesses unconventional technology that would revert Synthesizers to their
        natural rhythms.        # 'Synthesizers' is not in the bible: what are they?

    Add the term to the bible (as an entry, or an alias of one), or to `lint.words` in
    storykit.yaml when it is an ordinary term of the story's world.
    """
    for candidate in context.name_candidates:
        if candidate.kind != "unknown" or candidate.paragraph.kind == "cue":
            continue  # a script's cue the bible lacks is `unknown-speaker`'s, once per speaker
        line, column = candidate.line_column
        outline = candidate.outline
        yield RULE.finding(
            f"'{candidate.text}' is not a name the bible knows",
            Position(outline.path, line, column),
            treatment=outline.treatment,
            suggestion="add it to the bible (an entry or an alias), or to lint.words in storykit.yaml",
            end=_end(candidate.text, line, column),
        )


def _end(text: str, line: int, column: int) -> tuple[int, int] | None:
    return None if "\n" in text else (line, column + len(text))
