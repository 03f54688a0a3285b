"""What every command shares: exit codes, consoles, loading a project by path."""

from __future__ import annotations

import enum
import os
import stat
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from storykit.errors import BuildError, Problem, UsageError
from storykit.load import embedded_default, find_project, load_project
from storykit.load.project import CONFIG_FILE
from storykit.model import Project

if TYPE_CHECKING:
    from rich.console import Console


# The consoles are made at first use: importing rich is a twentieth of a lint's start, and a
# lint that loads cleanly prints only its report, through sys.stdout.
@cache
def console() -> Console:
    """Standard output, through rich."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


@cache
def console_err() -> Console:
    """Standard error, through rich: messages, progress bars."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE_OR_LOAD_ERROR = 2


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        location = f"{problem.path}:{problem.line}:{problem.column}: " if problem.path else ""
        rule = f"{problem.rule} " if problem.rule else ""
        hint = f" ({problem.hint})" if problem.hint else ""
        console_err().print(f"{location}error {rule}{problem.message}{hint}", markup=False)
    if len(problems) > 1:
        console_err().print(f"{len(problems)} problems; nothing was loaded", markup=False)


def open_project(path: Path | None, *, strict: bool = True) -> Project:
    """Load the project at PATH (or the current one, or the embedded default)."""
    return load_project(find_project(path), strict=strict)


def is_embedded_default(project: Project) -> bool:
    """Whether `project` is the embedded default reached from outside any project (not a
    checkout of storykit the user stands in): its folder belongs to the installation."""
    root = project.root.resolve()
    return root == embedded_default().resolve() and not Path.cwd().resolve().is_relative_to(root)


def open_project_of(handles: list[str], given: Path | None, *, strict: bool = True) -> Project:
    """The project of outlines named on the command line: --project if given, else the one
    holding an outline given as a path to its file, else the current one (or the default)."""
    if given is None:
        for handle in handles:
            path = Path(handle)
            if path.suffix == ".md" and path.is_file():
                given = next(
                    (f for f in path.resolve().parents if (f / CONFIG_FILE).is_file()), None
                )
                if given is not None:
                    break
    return open_project(given, strict=strict)


def write_output(project: Project, out: Path, data: bytes | str) -> None:
    """Write a command's --out FILE atomically: only a regular file or a new path, never a
    folder, a link, a device or a pipe, never one of the project's own files (an outline, a
    bible entry, storykit.yaml)."""
    from storykit.compile.render import write_atomic  # only commands that write pay for it

    try:
        info = os.lstat(out)
    except FileNotFoundError:
        info = None  # a new path
    except OSError as error:
        raise UsageError(f"--out {out}: {error.strerror or error}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise UsageError(f"--out {out} is a folder", "give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        # Renaming over a link, a device node or a pipe would replace it with a regular file.
        what = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "a device, pipe or socket"
        raise UsageError(
            f"--out {out} is not a regular file ({what}); refusing to replace it",
            "give the path of a regular file, or a new one",
        )
    target = out.resolve()
    if any((project.root / relative).resolve() == target for relative in project.sources):
        raise UsageError(f"--out {out} is one of the project's own files", "choose another file")
    try:
        write_atomic(out, data)
    except OSError as error:
        raise BuildError(f"cannot write {out}: {error.strerror or error}") from None
    console_err().print(f"wrote {out}", markup=False)
