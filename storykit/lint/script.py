"""Linting a screenplay: which rules read it, and which project's bible it is read against."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from storykit.errors import UsageError
from storykit.lint.registry import all_rules
from storykit.load.fountain import load_script
from storykit.model import Project


def script_rules(select: Sequence[str] = ()) -> list[str]:
    """The rules to lint a script with: those that declare they read scripts (`@rule(reads=)`),
    or those of `select` that do."""
    names = [r.name for r in all_rules() if "scripts" in r.reads]
    if not select:
        return names
    chosen = [name for name in select if name in names]
    if not chosen:
        raise UsageError(
            f"a script is checked by {', '.join(names)} only",
            "select one of those, or lint the project instead",
        )
    return chosen


def open_script(script: Path, treatment: str | None, project_dir: Path | None = None) -> Project:
    """The script's project, loaded, with the script as its only outline.

    The project is --project when given, else the project that holds the script's file, else
    the current one (or the embedded default): a script kept beside its bible finds it.
    """
    from storykit.load.project import CONFIG_FILE, find_project, load_project

    if script.suffix.lower() != ".fountain" or not script.is_file():
        raise UsageError(f"no such Fountain file: {script}", "give the path of a .fountain file")
    root = None
    if project_dir is None:
        root = next(
            (f for f in script.resolve().parents if (f / CONFIG_FILE).is_file()),
            None,
        )
    project = load_project(root or find_project(project_dir), strict=False)
    return load_script(project, script, treatment)
