"""Run the selected rules over a project; apply severities and inline suppressions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from storykit.errors import LoadError, Problem, did_you_mean
from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, all_rules, iter_checks, rule_by_name, select_rules
from storykit.load.project import garbage_collection_paused
from storykit.model import Project

UNUSED_SUPPRESSION = "unused-suppression"
_MARKDOWN_SUPPRESSION = re.compile(r"<!--\s*storykit:\s*ignore\s+([\w\s,-]+?)\s*-->")
_YAML_SUPPRESSION = re.compile(r"#\s*storykit:\s*ignore\s+([\w\s,-]+)$")


@dataclass
class Suppression:
    path: str
    line: int  # where the comment is
    column: int
    rules: set[str]
    lines: range  # the lines it covers
    used: bool = False


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == Severity.ERROR for f in self.findings)


def lint_project(
    project: Project,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> LintResult:
    """Lint `project`; CLI `select`/`ignore` add to (and take precedence over) storykit.yaml's."""
    config = project.config.lint
    _check_settings(project)
    chosen = list(select) or list(config.select)
    dropped = [*config.ignore, *ignore]
    # unused-suppression is the engine's own check, not a registered rule: select/ignore it here.
    report_unused = (
        not chosen or UNUSED_SUPPRESSION in chosen
    ) and UNUSED_SUPPRESSION not in dropped
    named = [n for n in chosen if n != UNUSED_SUPPRESSION]
    only_unused = bool(chosen) and not named  # --select unused-suppression alone
    rules = select_rules(named, [n for n in dropped if n != UNUSED_SUPPRESSION])
    overrides = {_rule_name(name): Severity.parse(level) for name, level in config.severity.items()}
    context = LintContext(project)
    with garbage_collection_paused():  # the index and the rules make many acyclic objects
        findings = list(iter_checks(rules, context))
    for finding in findings:
        if finding.rule in overrides:
            finding.severity = overrides[finding.rule]
    suppressions = collect_suppressions(project)
    kept = [f for f in findings if not _suppressed(f, suppressions)]
    if only_unused:
        kept = []  # the rules ran only to learn which suppressions are used
    if report_unused:
        extra = [*_unused(suppressions, {r.name for r in rules}), *_unknown(suppressions)]
        for finding in extra:
            finding.severity = overrides.get(UNUSED_SUPPRESSION, finding.severity)
        kept.extend(extra)
    kept.sort(key=lambda f: f.sort_key)
    return LintResult(kept)


def _rule_name(name: str) -> str:
    return UNUSED_SUPPRESSION if name == UNUSED_SUPPRESSION else rule_by_name(name).name


def collect_suppressions(project: Project) -> list[Suppression]:
    found: list[Suppression] = []
    for path, text in project.sources.items():
        lines = text.split("\n")
        markdown = path.endswith(".md")
        for number, line in enumerate(lines, start=1):
            match = (_MARKDOWN_SUPPRESSION if markdown else _YAML_SUPPRESSION).search(line)
            if not match:
                continue
            rules = {_canonical(r) for r in re.split(r"[\s,]+", match.group(1)) if r.strip()}
            if markdown:  # covers the block that follows: up to the next blank line
                end = number + 1
                while end <= len(lines) and lines[end - 1].strip():
                    end += 1
                covered = range(number + 1, max(end, number + 2))
            else:
                covered = range(number, number + 1)
            found.append(Suppression(path, number, match.start() + 1, rules, covered))
    return found


def _suppressed(finding: Finding, suppressions: list[Suppression]) -> bool:
    for suppression in suppressions:
        if (
            suppression.path == finding.path
            and finding.line in suppression.lines
            and (finding.rule in suppression.rules or "all" in suppression.rules)
        ):
            suppression.used = True
            return True
    return False


def _unused(suppressions: list[Suppression], active: set[str]) -> list[Finding]:
    return [
        Finding(
            rule=UNUSED_SUPPRESSION,
            severity=Severity.WARNING,
            message=f"suppression of {', '.join(sorted(s.rules & (active | {'all'})))} suppresses nothing",
            path=s.path,
            line=s.line,
            column=s.column,
            suggestion="remove the comment",
        )
        for s in suppressions
        if not s.used and (s.rules & active or "all" in s.rules)
    ]


def _canonical(name: str) -> str:
    """A rule's name for a name or code written in a suppression ("SK101" -> "unknown-name")."""
    name = name.strip()
    codes = {r.code: r.name for r in all_rules()}
    return codes.get(name.upper(), name)


def _unknown(suppressions: list[Suppression]) -> list[Finding]:
    """Suppressions naming a rule that does not exist: they silently suppress nothing."""
    known = {r.name for r in all_rules()} | {UNUSED_SUPPRESSION, "all"}
    found = []
    for s in suppressions:
        for name in sorted(s.rules - known):
            guess = did_you_mean(name, known)
            found.append(
                Finding(
                    rule=UNUSED_SUPPRESSION,
                    severity=Severity.WARNING,
                    message=f"suppression names no rule '{name}'",
                    path=s.path,
                    line=s.line,
                    column=s.column,
                    suggestion=f"did you mean '{guess}'?" if guess else "see: storykit rules",
                )
            )
    return found


def _check_settings(project: Project) -> None:
    """Rule names and severities in storykit.yaml's `lint:` must exist: say where, and what was meant."""
    config = project.config
    known = [r.name for r in all_rules()] + [r.code for r in all_rules()] + [UNUSED_SUPPRESSION]
    problems: list[Problem] = []

    def check(name: object, key: str) -> None:
        if isinstance(name, str) and name in known:
            return
        where = config.where(key)
        guess = did_you_mean(str(name), known)
        problems.append(
            Problem(
                where.path,
                where.line,
                where.column,
                f"unknown rule '{name}' in {key.rsplit('.', 1)[0] if key.count('.') > 1 else key}",
                f"did you mean '{guess}'?" if guess else "see: storykit rules",
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
