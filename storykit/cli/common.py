"""What every command shares: exit codes, consoles, loading a project by path."""

from __future__ import annotations

import enum
from pathlib import Path

from rich.console import Console

from storykit.errors import Problem
from storykit.load import find_project, load_project
from storykit.model import Project

console = Console(highlight=False, soft_wrap=True)
console_err = Console(stderr=True, highlight=False, soft_wrap=True)


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE_OR_LOAD_ERROR = 2


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        location = f"{problem.path}:{problem.line}:{problem.column}: " if problem.path else ""
        rule = f"{problem.rule} " if problem.rule else ""
        hint = f" ({problem.hint})" if problem.hint else ""
        console_err.print(f"{location}error {rule}{problem.message}{hint}", markup=False)
    if len(problems) > 1:
        console_err.print(f"{len(problems)} problems; nothing was loaded", markup=False)


def open_project(path: Path | None, *, strict: bool = True) -> Project:
    """Load the project at PATH (or the current one, or the embedded default)."""
    return load_project(find_project(path), strict=strict)
