"""The unused-suppression rule: inline `storykit: ignore` comments that suppress nothing."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.errors import did_you_mean_hint
from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, all_rules, rule
from storykit.model import Position


@rule("unused-suppression", "SK601", Severity.WARNING, reads=("suppressions",))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """An inline `storykit: ignore` comment that suppresses nothing, or names no rule.

    **What it does.** After every other selected rule has run, looks at each suppression
    comment (`<!-- storykit: ignore RULE -->` in an outline, `# storykit: ignore RULE` in a
    bible file) and reports it when no finding of the rules it names was there to suppress, or
    when it names a rule that does not exist (with the nearest rule name as a did-you-mean).
    It runs last, and is selected, ignored and given a severity like any other rule.

    **Why is this bad?** A suppression outlives the finding it silenced: after a rewrite it
    hides nothing today but will hide the next real problem on that line. A misspelt rule name
    suppresses nothing at all, while the writer believes the finding is handled.

    **Example.**

        <!-- storykit: ignore unseeded, dropped-thred -->
        # suppression names no rule 'dropped-thred' (did you mean 'dropped-thread'?)
    """
    active = context.rules_run | {"all"}
    known = {r.name for r in all_rules()} | {"all"}
    for s in context.suppressions:
        where = Position(s.path, s.line, s.column)
        if not s.used and (s.rules & active):
            yield RULE.finding(
                f"suppression of {', '.join(sorted(s.rules & active))} suppresses nothing",
                where,
                suggestion="remove the comment",
            )
    for s in context.suppressions:
        where = Position(s.path, s.line, s.column)
        for name in sorted(s.rules - known):
            yield RULE.finding(
                f"suppression names no rule '{name}'",
                where,
                suggestion=did_you_mean_hint(name, known, "see: storykit rules"),
            )
