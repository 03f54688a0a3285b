"""Run the selected rules over a project; apply severities and inline suppressions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from storykit.analysis import Analysis
from storykit.errors import LoadError, Problem, did_you_mean_hint
from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import (
    LintContext,
    Rule,
    all_rules,
    iter_checks,
    rule_by_name,
    select_rules,
)
from storykit.lint.suppressions import collect_suppressions, suppressed
from storykit.model import Project
from storykit.runtime import garbage_collection_paused


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    # What the rules derived from the project: a build reuses its index instead of a second.
    analysis: Analysis | None = field(default=None, repr=False, compare=False)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == Severity.ERROR for f in self.findings)


class RulePlan(NamedTuple):
    """Which rules a lint runs, in which pass, and the severities storykit.yaml sets."""

    first: list[Rule]  # every rule that does not read the suppressions
    last: list[Rule]  # the rules that do (`unused-suppression`), over what the first used
    only_last: bool  # selected alone: the first run only to learn which suppressions are used
    overrides: dict[str, Severity]


def plan_rules(project: Project, select: Iterable[str], ignore: Iterable[str]) -> RulePlan:
    """The rules of a lint of `project`: CLI `select`/`ignore` add to storykit.yaml's."""
    config = project.config.lint
    _check_settings(project)
    chosen = list(select) or list(config.select)
    dropped = [*config.ignore, *ignore]
    rules = select_rules(chosen, dropped)
    first = [r for r in rules if "suppressions" not in r.reads]
    only_last = bool(chosen) and not first
    if only_last:  # --select unused-suppression alone: which suppressions do the others use?
        first = [r for r in select_rules((), dropped) if "suppressions" not in r.reads]
    overrides = {
        rule_by_name(name).name: Severity.parse(level) for name, level in config.severity.items()
    }
    return RulePlan(first, [r for r in rules if "suppressions" in r.reads], only_last, overrides)


def lint_project(
    project: Project,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> LintResult:
    """Lint `project`; CLI `select`/`ignore` add to (and take precedence over) storykit.yaml's.

    The rules that read the suppressions (`unused-suppression`) run last, over what the
    others' findings used; selected alone, they still need the others run, their findings
    dropped."""
    first, last, only_last, overrides = plan_rules(project, select, ignore)
    context = LintContext(project)
    with garbage_collection_paused():  # the index and the rules make many acyclic objects
        findings = list(iter_checks(first, context))
        findings += _script_findings(project, [r for r in first if "scripts" in r.reads])
    suppressions = collect_suppressions(project, {r.code: r.name for r in all_rules()})
    kept = [f for f in findings if not suppressed(f, suppressions)]
    if only_last:
        kept = []  # the others ran only to learn which suppressions are used
    context.suppressions = suppressions
    context.rules_run = {r.name for r in first}
    kept.extend(iter_checks(last, context))
    for finding in kept:
        if finding.rule in overrides:
            finding.severity = overrides[finding.rule]
    kept.sort(key=lambda f: f.sort_key)
    return LintResult(kept, context)


def _script_findings(project: Project, rules: list[Rule]) -> list[Finding]:
    """The findings of the rules that read scripts, on each script under scripts/; a script is
    never rewritten, so they carry no fix."""
    from storykit.lint.script import script_views

    found = []
    for view in script_views(project):
        for finding in iter_checks(rules, LintContext(view)):
            finding.fix = None
            found.append(finding)
    return found


def _check_settings(project: Project) -> None:
    """Rule names and severities in storykit.yaml's `lint:` must exist: say where, and what was meant."""
    config = project.config
    known = [r.name for r in all_rules()] + [r.code for r in all_rules()]
    problems: list[Problem] = []

    def check(name: object, key: str) -> None:
        if isinstance(name, str) and name in known:
            return
        where = config.where(key)
        problems.append(
            Problem(
                where.path,
                where.line,
                where.column,
                f"unknown rule '{name}' in {key.rsplit('.', 1)[0] if key.count('.') > 1 else key}",
                did_you_mean_hint(str(name), known, "see: storykit rules"),
            )
        )

    for setting in ("select", "ignore"):
        for i, name in enumerate(getattr(config.lint, setting)):
            check(name, f"lint.{setting}.{i}")
    for name, level in config.lint.severity.items():
        check(name, f"lint.severity.{name}")
        if str(level).upper() not in Severity.__members__:
            where = config.where(f"lint.severity.{name}")
            problems.append(
                Problem(
                    where.path,
                    where.line,
                    where.column,
                    f"unknown severity '{level}' for {name}",
                    "use error, warning or info",
                )
            )
    if problems:
        raise LoadError(problems)
