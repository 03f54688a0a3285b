"""Linting a screenplay: which rules read it, and which project's bible it is read against."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path

from storykit.errors import UsageError
from storykit.lint.registry import all_rules
from storykit.load.fountain import load_script, script_outline
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

    if script.suffix.lower() not in (".fountain", ".fdx") or not script.is_file():
        raise UsageError(
            f"no such Fountain file: {script}", "give the path of a .fountain or .fdx file"
        )
    root = None
    if project_dir is None:
        # The folders the path names first: a link kept in a project belongs to that project.
        folders = [*script.absolute().parents, *script.resolve().parents]
        root = next((f for f in folders if (f / CONFIG_FILE).is_file()), None)
    project = load_project(root or find_project(project_dir), strict=False)
    _refuse_links_out(script, project.root)
    return load_script(project, script, treatment)


def _refuse_links_out(script: Path, root: Path) -> None:
    """A script kept in the project (by the path given) that is, or lies in, a link leading out
    of it is refused, as a bible file would be: its words would be echoed in every report."""
    given = script.absolute()
    if not (given.is_relative_to(root.absolute()) or given.is_relative_to(root.resolve())):
        return  # a script named from elsewhere: the user chose to read that file
    if not script.resolve().is_relative_to(root.resolve()):
        raise UsageError(
            f"{script}: symbolic link points outside the project; refusing to follow it",
            "copy the script into the project instead",
        )


def script_views(project: Project) -> Iterator[Project]:
    """The project as the rules that read scripts see each script under scripts/: the bible,
    with that script (its acts, its scenes as beats, its cues and text as paragraphs) as the
    only outline."""
    for script in project.scripts.values():
        outline = script_outline(project, script, script.treatment, Path(script.path).stem)
        yield dataclasses.replace(
            project,
            outlines={outline.name: outline},
            scripts={},
            sources={k: v for k, v in project.sources.items() if not k.startswith("outlines/")},
            load_problems=[],
        )
