"""Findings are values: what a rule found, where, how bad, and how to fix it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


@dataclass(frozen=True)
class Fix:
    """An edit: replace `old` (which starts at line:column of `path`) with `new`.

    `key` is the dotted key path of a YAML value (then `old` and `new` are the whole value,
    and the fixer edits only the words that differ where they are written); for Markdown it is
    None and the edit is exact text. `safe`: whether `--fix` applies it; an unsafe fix (one
    that could change a correct word) needs `--unsafe-fixes`.
    """

    path: str
    line: int
    column: int
    old: str
    new: str
    key: str | None = None
    safe: bool = True


@dataclass
class Finding:
    rule: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    treatment: str | None = None
    suggestion: str | None = None
    fix: Fix | None = None
    # Extra context for reporters (e.g. the outline name); never part of identity.
    data: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)
