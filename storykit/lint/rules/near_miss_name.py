"""The near-miss-name rule: a name one or two edits from a bible name ("Corin" for Korin)."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.lint.finding import Finding, Fix, Severity
from storykit.lint.fix import rename_is_safe
from storykit.lint.registry import LintContext, rule
from storykit.model import Position


@rule("near-miss-name", "SK102", Severity.WARNING, reads=("bible", "outlines", "scripts"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A name in an outline one or two edits away from a bible name or alias ("Corin" for Korin).

    **What it does.** Compares every name candidate of the outlines (see `unknown-name`) with
    the names and aliases of the bible, by Levenshtein distance (rapidfuzz), over the unique
    candidates of the whole project: within one edit of a name of four letters or fewer, within
    two of a longer one. The names of the outline's own treatment (and `all`) are tried first,
    then those of every treatment. A possessive is compared without its "'s". A word that is a
    bible name anywhere is never a near miss, and a near miss is not also reported as an
    unknown name. When exactly one name is that close, `storykit lint --fix` replaces the word
    with it, if that is safe: the word is no dictionary word, no word of a known name and no
    form of one ("Bohemian" of "Bohemia"); otherwise only `--fix --unsafe-fixes` does.

    **Why is this bad?** A misspelt name splits one character into two for every tool that
    reads the outline (presence, threads, counts), and for a reader who wonders whether
    "Corin" is a new person.

    **Example.**

        Her longstanding friend Corin works as an Ethics Monitor.
        # 'Corin' is one edit from the bible's 'Korin' (fix: Korin)
    """
    known = context.speller.knows
    name_words = {
        word.casefold()
        for entry in context.project.entries
        for n in entry.names
        for word in n.split()
    }
    for candidate in context.name_candidates:
        if candidate.kind != "near-miss":
            continue
        line, column = candidate.line_column
        outline = candidate.outline
        names = candidate.matches
        listed = " or ".join(f"'{n}'" for n in names)
        fix = None
        if len(names) == 1 and "\n" not in candidate.stem:
            safe = rename_is_safe(candidate.stem, names[0], known, name_words)
            fix = Fix(outline.path, line, column, candidate.stem, names[0], safe=safe)
        yield RULE.finding(
            f"'{candidate.text}' is not in the bible; did you mean {listed}?",
            Position(outline.path, line, column),
            treatment=outline.treatment,
            suggestion=names[0] if len(names) == 1 else ", ".join(names),
            fix=fix,
            end=None if "\n" in candidate.text else (line, column + len(candidate.text)),
        )
