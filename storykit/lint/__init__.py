"""The continuity linter: rules over the loaded project and its index, yielding findings."""

from storykit.lint.engine import LintResult, lint_project

__all__ = ["LintResult", "lint_project"]
