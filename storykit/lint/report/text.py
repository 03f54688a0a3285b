"""`path:line:col: severity rule-name message`, one finding a line, then a summary."""

from __future__ import annotations

from storykit.lint.engine import LintResult
from storykit.lint.finding import Severity
from storykit.model import Project


def render(result: LintResult, project: Project) -> str:
    lines = []
    for f in result.findings:
        suggestion = f" (suggestion: {f.suggestion})" if f.suggestion else ""
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}{suggestion}")
    counts = ", ".join(
        _counted(result.count(s), str(s)) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    )
    lines.append(f"{_counted(len(result.findings), 'finding')} ({counts})")
    return "\n".join(lines) + "\n"


def _counted(number: int, noun: str) -> str:
    """ "1 warning", "3 warnings"; "info" is a mass noun and stays as it is."""
    return f"{number} {noun}" if number == 1 or noun == "info" else f"{number} {noun}s"
