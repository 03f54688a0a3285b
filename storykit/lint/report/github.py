"""GitHub Actions workflow commands: each finding an annotation on the pull request's diff.

`::error file=F,line=L,col=C,title=RULE::MESSAGE`, with `warning` and `notice` for the other
severities, escaped as GitHub's workflow-command rules require.
"""

from __future__ import annotations

import os
from pathlib import Path

from storykit.lint.engine import LintResult
from storykit.lint.finding import Finding, Severity
from storykit.model import Project

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part: %, CR and LF would end or corrupt the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as data, and also ':' and ',' which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult, project: Project) -> str:
    prefix = _repository_prefix(project.root)
    return "".join(annotation(f, prefix) + "\n" for f in result.findings)


def annotation(finding: Finding, prefix: str = "") -> str:
    properties = {
        "file": prefix + finding.path,
        "line": str(finding.line),
        "col": str(finding.column),
    }
    if finding.end_line is not None and finding.end_column is not None:
        properties["endLine"] = str(finding.end_line)
        properties["endColumn"] = str(finding.end_column)
    properties["title"] = finding.rule
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = finding.message + (
        f" (suggestion: {finding.suggestion})" if finding.suggestion else ""
    )
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(message)}"


def _repository_prefix(root: Path) -> str:
    """Annotations name files from the checkout's root, where the workflow runs storykit: a
    project in a subfolder gets that folder in front of its paths."""
    try:
        relative = root.resolve().relative_to(Path(os.getcwd()).resolve())
    except ValueError:
        return ""
    return "" if str(relative) == "." else relative.as_posix() + "/"
