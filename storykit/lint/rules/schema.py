"""The schema rule."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.lint.rules._load import load_findings


@rule("schema", "SK001", Severity.ERROR, reads=("bible", "outlines"), load_error=True)
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A bible file that does not fit its kind: a missing field, a wrong type, an unknown key.

    **What it does.** Checks every bible file, outline front matter and `storykit.yaml` against
    the fields its kind allows (`storykit schema KIND` prints them), and every reference to a
    treatment, character, structure or beat against what exists. An unknown key comes with the
    nearest known key as a did-you-mean.

    **Why is this bad?** A misspelt key is silently ignored by anything that reads YAML loosely:
    `nmae: Korin` leaves the character without a name, and every later check works on a bible
    that is not the one the writer meant.

    **Example.**

        id: korin
        nmae: Korin          # unknown key 'nmae' (did you mean 'name'?)
        treatment: bedsync
    """
    yield from load_findings(RULE, context)
