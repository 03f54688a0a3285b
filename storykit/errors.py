"""storykit's own exceptions: each carries where (file:line:col), what was expected, and a hint."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest of `choices` to `word`, if any is close enough to be a plausible typo."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean_hint(
    word: str, choices: Iterable[str], otherwise: str | None = None
) -> str | None:
    """The hint for a misspelt `word`: "did you mean 'X'?" with the closest of `choices`, else
    `otherwise` (what there is to choose from, or where to look)."""
    guess = did_you_mean(word, choices)
    return f"did you mean '{guess}'?" if guess else otherwise


@dataclass
class Problem:
    """One thing wrong with the input, at one place."""

    path: str
    line: int
    column: int
    message: str
    hint: str | None = None
    # The lint rule this problem belongs to (schema, duplicate-id, relationship); None when the
    # file could not be read at all.
    rule: str | None = None

    def __str__(self) -> str:
        text = (
            f"{self.path}:{self.line}:{self.column}: {self.message}" if self.path else self.message
        )
        return f"{text} ({self.hint})" if self.hint else text


class StorykitError(Exception):
    """Base of every error storykit reports to the user; the CLI turns it into a message and exit 2."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", 0, 0, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LoadError(StorykitError):
    """The project could not be loaded: every problem found across all files, not just the first."""


class UsageError(StorykitError):
    """The command was misused: an unknown outline, structure, format or option value."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(Problem("", 0, 0, message, hint))


class BuildError(StorykitError):
    """An output could not be written."""
