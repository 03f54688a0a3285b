"""Shared by the rules that report what the loader found (schema, duplicate-id, relationship)."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.lint.finding import Finding
from storykit.lint.registry import LintContext, Rule
from storykit.model import Position


def load_findings(rule: Rule, context: LintContext) -> Iterator[Finding]:
    for problem in context.project.load_problems:
        if problem.rule == rule.name:
            yield rule.finding(
                problem.message,
                Position(problem.path, problem.line, problem.column),
                treatment=_treatment_of(context, problem.path),
                suggestion=problem.hint,
            )


def _treatment_of(context: LintContext, path: str) -> str | None:
    """The treatment a file belongs to, read from what was loaded (None for project-wide files)."""
    project = context.project
    for table in (project.characters, project.devices, project.threads, project.rules):
        for entry in table.values():
            if entry.position.path == path:
                return entry.treatment
    for outline in project.outlines.values():
        if outline.path == path:
            return outline.treatment
    for treatment in project.treatments.values():
        if treatment.position.path == path:
            return treatment.id
    return None
