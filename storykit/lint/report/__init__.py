"""Reporters: pure functions from findings to text, one module per format."""

from __future__ import annotations

import importlib

from storykit.lint.engine import LintResult
from storykit.model import Project

# Format -> the module whose render(result, project) writes it; imported only when chosen
# (SARIF's pulls in hashlib and json, which a text report never needs).
REPORTERS: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
}
FORMATS = tuple(REPORTERS)


def render_report(name: str, result: LintResult, project: Project) -> str:
    module = importlib.import_module(f"storykit.lint.report.{REPORTERS[name]}")
    text: str = module.render(result, project)
    return text
