"""The unknown-speaker rule: a character cue of a script that names no one the bible knows."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz.distance import Levenshtein

from storykit.analysis.mentions import paragraphs_of
from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.model import Entry, Outline, Paragraph, Position

_CONTD = re.compile(r"\s+CONT['’]?D\.?$", re.IGNORECASE)


@rule("unknown-speaker", "SK105", Severity.WARNING, reads=("bible", "scripts"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A character who speaks in a script but is in no bible entry, whatever their name.

    **What it does.** Reads every character cue of every script (extensions such as `(V.O.)`,
    `(CONT'D)` and the dual-dialogue `^` are not part of the name) and looks for a bible
    entry of the script's treatment (or `all`) whose name or alias it is, in any case. A cue
    no entry has is reported once, at its first speech, with how often it speaks and the
    nearest bible name when one is within an edit, or two with the same first letter (`JAKS`
    for Jax). A cue that is one
    treatment's name in another treatment's script is `foreign-name`'s, and one that
    `near-miss-name` already reports is left to it.

    **Why is this bad?** A speaking part is a part: it needs casting, and the bible's presence,
    thread and count checks cannot see someone it lacks. The name rules miss speakers whose
    names are ordinary words in capitals (`SARAH`, `BORIS`, `HOPE`), and a misspelt cue
    (`JAKS (V.O.)`) silently splits one character's lines between two people.

    **Example.**

        JAKS (V.O.)
        Amelia, wake up.
        # 'JAKS' speaks (1 speech) but is no character of the bible; did you mean 'Jax'?
    """
    flagged = {
        (c.outline.path, c.line_column[0])
        for c in context.name_candidates
        if c.kind == "near-miss" and c.paragraph.kind == "cue"
    }
    everyone = context.project.entries
    for outline in context.project.outlines.values():
        own = context.project.entries_of(outline.treatment)
        cues: dict[str, list[Paragraph]] = {}
        for _, _, paragraph in paragraphs_of(outline):
            if paragraph.kind == "cue":
                cues.setdefault(_cue(context, outline, paragraph).casefold(), []).append(paragraph)
        for key, paragraphs in cues.items():
            first = paragraphs[0]
            name = _cue(context, outline, first)
            if not name or _named(own, key) or _named(everyone, key):
                continue
            if any((outline.path, p.line) in flagged for p in paragraphs):
                continue
            yield _finding(outline, first, name, len(paragraphs), _nearest(own, key))


def _cue(context: LintContext, outline: Outline, paragraph: Paragraph) -> str:
    """The cue as the script writes it (the paragraph holds the name rules' reading of it)."""
    read = paragraph.text.strip()
    lines = context.project.sources.get(outline.path, "").split("\n")
    written = ""
    if 0 < paragraph.line <= len(lines):
        written = lines[paragraph.line - 1][: len(paragraph.text)].strip().lstrip("@")
    if written.casefold() != read.casefold():  # an FDX cue is not where its <Paragraph> is
        written = read.upper()
    return _CONTD.sub("", written).strip()


def _named(entries: list[Entry], key: str) -> bool:
    return any(key == name.casefold() for entry in entries for name in entry.names)


def _nearest(entries: list[Entry], key: str) -> str | None:
    best: tuple[int, str] | None = None
    for entry in entries:
        if entry.kind_name != "character":
            continue
        for name in entry.names:
            known = name.casefold()
            distance = Levenshtein.distance(key, known)
            # Two edits only from a name with the same first letter: JAKS is Jax, BORIS no Korin.
            close = distance <= 1 or (distance == 2 and len(key) > 3 and key[:1] == known[:1])
            if close and (best is None or distance < best[0]):
                best = (distance, name)
    return best[1] if best else None


def _finding(
    outline: Outline, first: Paragraph, name: str, speeches: int, nearest: str | None
) -> Finding:
    column = len(first.text) - len(first.text.lstrip()) + 1
    times = f"{speeches} speech{'es' if speeches != 1 else ''}"
    hint = f"; did you mean '{nearest}'?" if nearest else ""
    return RULE.finding(
        f"'{name}' speaks ({times}) but is no character of the bible{hint}",
        Position(outline.path, first.line, column),
        treatment=outline.treatment,
        suggestion=nearest or "add a character entry (storykit import drafts one)",
        end=(first.line, column + len(name)),
    )
