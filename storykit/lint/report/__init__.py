"""Reporters: pure functions from findings to text, one module per format."""

from __future__ import annotations

from collections.abc import Callable

from storykit.lint.engine import LintResult
from storykit.lint.report import github, json_report, sarif, text
from storykit.model import Project

Reporter = Callable[[LintResult, Project], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
}
FORMATS = tuple(REPORTERS)


def render_report(name: str, result: LintResult, project: Project) -> str:
    return REPORTERS[name](result, project)
