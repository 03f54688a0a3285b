"""A script file of either format → the script model, or a StorykitError with file:line."""

from __future__ import annotations

from pathlib import Path

from storykit.errors import LoadError, UsageError
from storykit.load.fdx import FdxProblem, parse_fdx
from storykit.load.files import FileProblem, read_text
from storykit.load.fountain import parse_fountain
from storykit.model import Limits
from storykit.script import Script

SCRIPT_SUFFIXES = (".fountain", ".fdx")


def read_script(path: Path, shown: str | None = None, limits: Limits | None = None) -> Script:
    """Read a .fountain or .fdx file; `shown` is the path findings and errors name."""
    suffix = path.suffix.lower()
    if suffix not in SCRIPT_SUFFIXES:
        raise UsageError(
            f"{path} is not a script storykit reads",
            "give a Fountain (.fountain) or Final Draft (.fdx) file",
        )
    if not path.is_file():
        raise UsageError(f"no such script: {path}", "give the path of a .fountain or .fdx file")
    shown = shown or path.name
    try:
        # The script's own folder as the root: a link to elsewhere is still read (the user
        # named the file); a project's scripts/ folder is checked by the project loader.
        text = read_text(path, path.parent, limits or Limits())
    except FileProblem as problem:
        problem.problem.path = shown
        raise LoadError([problem.problem]) from None
    if suffix == ".fdx":
        try:
            return parse_fdx(text, shown)
        except FdxProblem as problem:
            raise LoadError([problem.problem]) from None
    return parse_fountain(text, shown)
