"""The duplicate-id rule."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.lint.rules._load import load_findings


@rule("duplicate-id", "SK002", Severity.ERROR, reads=("bible",), load_error=True)
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802
    """Two entries of one kind with the same id.

    **What it does.** Reports the second file that claims an id already used by another entry of
    the same kind, pointing at the first.

    **Why is this bad?** Ids are how threads, relationships and outlines refer to entries; with
    two `lila` characters, every reference to `lila` means whichever file loaded first.

    **Example.** `bible/characters/lila.yaml` and `bible/characters/lila-2.yaml` both say
    `id: lila`: give the second its own id (`lila-bedtime-nexus`).
    """
    yield from load_findings(RULE, context)
