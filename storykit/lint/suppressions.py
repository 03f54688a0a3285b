"""Inline suppressions: `<!-- storykit: ignore RULE -->` in Markdown (the block that follows),
`# storykit: ignore RULE` in YAML (that line). Read from the project's sources, matched against
findings by the engine, and read back by the `unused-suppression` rule."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storykit.lint.finding import Finding
from storykit.model import Project

_MARKDOWN_SUPPRESSION = re.compile(r"<!--\s*storykit:\s*ignore\s+([\w\s,-]+?)\s*-->")
_YAML_SUPPRESSION = re.compile(r"#\s*storykit:\s*ignore\s+([\w\s,-]+)$")


@dataclass
class Suppression:
    path: str
    line: int  # where the comment is
    column: int
    rules: set[str]  # rule names (a code written is read as its rule's name), or "all"
    lines: range  # the lines it covers
    used: bool = False


def collect_suppressions(project: Project, codes: dict[str, str]) -> list[Suppression]:
    """Every suppression comment of the project; `codes` maps rule codes to rule names."""
    found: list[Suppression] = []
    for path, text in project.sources.items():
        lines = text.split("\n")
        markdown = path.endswith(".md")
        for number, line in enumerate(lines, start=1):
            match = (_MARKDOWN_SUPPRESSION if markdown else _YAML_SUPPRESSION).search(line)
            if not match:
                continue
            rules = {_canonical(r, codes) for r in re.split(r"[\s,]+", match.group(1)) if r.strip()}
            if markdown:  # covers the block that follows: up to the next blank line
                end = number + 1
                while end <= len(lines) and lines[end - 1].strip():
                    end += 1
                covered = range(number + 1, max(end, number + 2))
            else:
                covered = range(number, number + 1)
            found.append(Suppression(path, number, match.start() + 1, rules, covered))
    return found


def suppressed(finding: Finding, suppressions: list[Suppression]) -> bool:
    """Whether a suppression covers the finding; the first that does is marked used."""
    for suppression in suppressions:
        if (
            suppression.path == finding.path
            and finding.line in suppression.lines
            and (finding.rule in suppression.rules or "all" in suppression.rules)
        ):
            suppression.used = True
            return True
    return False


def _canonical(name: str, codes: dict[str, str]) -> str:
    """A rule's name for a name or code written in a suppression ("SK101" -> "unknown-name")."""
    name = name.strip()
    return codes.get(name.upper(), name)
