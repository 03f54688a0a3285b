"""Exports to the writer's other tools: Fountain (Highland, Beat, afterwriting, Fade In) and Final
Draft's FDX. Each is a pure function from the loaded project and one outline to text."""

from __future__ import annotations

from pathlib import Path

from storykit.errors import UsageError, did_you_mean
from storykit.load.project import CONFIG_FILE
from storykit.model import Outline, Project


def find_outline(project: Project, handle: str) -> Outline:
    """An outline by its name (`bedsync`) or its path (`outlines/bedsync.md`)."""
    name = Path(handle).stem if handle.endswith(".md") else handle
    if name in project.outlines:
        return project.outlines[name]
    guess = did_you_mean(name, project.outlines)
    raise UsageError(
        f"no outline '{handle}' in {project.config.title}",
        f"did you mean '{guess}'?"
        if guess
        else f"outlines: {', '.join(project.outlines) or 'none'}",
    )


def project_of_outline_file(handle: str) -> Path | None:
    """The project that holds an outline given as a path to an existing .md file, if any."""
    path = Path(handle)
    if path.suffix != ".md" or not path.is_file():
        return None
    for folder in path.resolve().parents:
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None
