"""The findings as a JSON array (the contract's fields first)."""

from __future__ import annotations

import json

from storykit.lint.engine import LintResult
from storykit.model import Project


def as_dict(finding) -> dict:  # type: ignore[no-untyped-def]
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "treatment": finding.treatment,
        "suggestion": finding.suggestion,
    }


def render(result: LintResult, project: Project) -> str:
    return json.dumps([as_dict(f) for f in result.findings], indent=2, ensure_ascii=False) + "\n"
