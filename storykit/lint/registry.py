"""The rules, in the order they run; choosing them by name; their severities.

Each rule lives in its own module under `rules/`, named after it, and documents itself in its
docstring (What it does / Why is this bad? / Example): `storykit rules NAME` prints it. What a
rule reads and whether its errors mean "the project could not be loaded" are declared on the
rule (`@rule(..., reads=..., load_error=...)`); everything else asks the registry.

Adding a rule: its module under `rules/`, its line in `all_rules`, and its fixture folder
`tests/rules/<name>/` (tests/test_rule_registry.py says which is missing).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storykit.analysis import Analysis
from storykit.errors import UsageError, did_you_mean_hint
from storykit.lint.finding import Finding, Fix, Severity
from storykit.model import Position, Project

if TYPE_CHECKING:
    from storykit.lint.suppressions import Suppression

Check = Callable[["LintContext"], Iterable[Finding]]

# What a rule may read: the bible files, the outlines, the screenplays linted as outlines
# (`storykit lint SCRIPT.fountain` runs the rules that read scripts), and the inline
# suppressions (a rule that reads them runs last, once the others' findings are filtered).
READS = ("bible", "outlines", "scripts", "suppressions")


@dataclass(frozen=True)
class Rule:
    name: str
    code: str
    severity: Severity
    check: Check
    reads: frozenset[str]
    # Its errors mean a file could not be loaded (exit 2, contract §7), not a finding (exit 1).
    load_error: bool = False

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.check) or ""

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n")[0].replace("\n", " ")

    def finding(
        self,
        message: str,
        where: Position,
        *,
        treatment: str | None = None,
        suggestion: str | None = None,
        fix: Fix | None = None,
        severity: Severity | None = None,
        end: tuple[int, int] | None = None,
    ) -> Finding:
        """A finding of this rule at `where` (the exact words' start)."""
        return Finding(
            rule=self.name,
            severity=severity or self.severity,
            message=message,
            path=where.path,
            line=where.line,
            column=where.column,
            end_line=end[0] if end else None,
            end_column=end[1] if end else None,
            treatment=treatment,
            suggestion=suggestion,
            fix=fix,
        )


def rule(
    name: str,
    code: str,
    severity: Severity,
    *,
    reads: Iterable[str],
    load_error: bool = False,
) -> Callable[[Check], Rule]:
    """Declare a rule over its check:
    `@rule("unknown-name", "SK101", Severity.WARNING, reads=("outlines", "scripts"))`.

    reads: what the rule looks at, of `READS`; load_error: whether its findings mean a file of
    the project could not be loaded."""
    declared = frozenset(reads)
    unknown = sorted(declared - set(READS))
    if unknown or not declared:
        raise ValueError(f"rule {name}: reads must be some of {', '.join(READS)}, not {unknown}")

    def wrap(check: Check) -> Rule:
        return Rule(name, code, severity, check, declared, load_error)

    return wrap


class LintContext(Analysis):
    """What a rule receives: the project's analysis (`storykit.analysis.Analysis`: the index,
    the tokens, the name candidates ..., each built once and shared by every rule), and for the
    rules that read the suppressions, those and which rules ran before them."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        # Set by the engine before the rules that read the suppressions run.
        self.suppressions: list[Suppression] = []
        self.rules_run: set[str] = set()


def all_rules() -> list[Rule]:
    """Every rule, in running order: the one place rules are registered."""
    from storykit.lint.rules import (
        contradiction,
        count_mismatch,
        dropped_thread,
        duplicate_id,
        foreign_name,
        missing_beat,
        mojibake,
        name_collision,
        near_miss_name,
        relationship,
        schema,
        spelling,
        unknown_name,
        unknown_speaker,
        unseeded,
        unused_entry,
        unused_suppression,
    )

    return [
        schema.RULE,
        duplicate_id.RULE,
        relationship.RULE,
        unknown_name.RULE,
        near_miss_name.RULE,
        foreign_name.RULE,
        unknown_speaker.RULE,
        name_collision.RULE,
        unseeded.RULE,
        dropped_thread.RULE,
        count_mismatch.RULE,
        contradiction.RULE,
        missing_beat.RULE,
        unused_entry.RULE,
        mojibake.RULE,
        spelling.RULE,
        unused_suppression.RULE,
    ]


def load_rules() -> list[Rule]:
    """The rules whose errors mean a file could not be loaded (exit 2)."""
    return [r for r in all_rules() if r.load_error]


def rule_by_name(name: str) -> Rule:
    rules = {r.name: r for r in all_rules()} | {r.code: r for r in all_rules()}
    if name not in rules:
        raise UsageError(
            f"no rule named '{name}'",
            did_you_mean_hint(name, rules, "see: storykit rules"),
        )
    return rules[name]


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """The rules to run: `select` (all when empty) minus `ignore`; names or codes, checked."""
    chosen = {rule_by_name(n).name for n in select}
    dropped = {rule_by_name(n).name for n in ignore}
    return [r for r in all_rules() if (not chosen or r.name in chosen) and r.name not in dropped]


def iter_checks(rules: list[Rule], context: LintContext) -> Iterator[Finding]:
    for current in rules:
        yield from current.check(context)
