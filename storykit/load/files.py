"""Reading one file of the project: inside the project, not too large, valid UTF-8."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from storykit.errors import Problem
from storykit.model import Limits
from storykit.text import line_column

# The most a project's storykit.yaml may raise each limit to (ten times the defaults; the depth
# is what libyaml survives): a cloned project cannot switch the protections off.
HARD_LIMITS = {"max_file_bytes": 20_000_000, "max_yaml_nodes": 1_000_000, "max_depth": 200}


class FileProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def relative(path: Path, root: Path) -> str:
    # The string test first: every file of a load asks this several times, and
    # Path.relative_to parses both paths again each time.
    text, prefix = str(path), str(root) + os.sep
    if text.startswith(prefix) and ".." not in text:
        return text[len(prefix) :].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _too_large(rel: str, size: int, limits: Limits) -> Problem:
    return Problem(
        rel,
        1,
        1,
        f"file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}",
        "split it, or raise limits.max_file_bytes in storykit.yaml",
    )


def _real(folder: Path, resolved: dict[Path, Path]) -> Path:
    if folder not in resolved:
        resolved[folder] = folder.resolve()
    return resolved[folder]


def check_inside(path: Path, root: Path, resolved: dict[Path, Path] | None = None) -> None:
    """FileProblem unless `path` really leads to a place inside the project at `root`.

    Checks where the path leads, not only whether it is a link: a linked folder
    (bible/characters -> /elsewhere) makes every file under it point outside too.
    `resolved` remembers where folders lead, for a caller that reads many files of one folder:
    a file that is not itself a link leads where its folder leads.
    """
    resolved = {} if resolved is None else resolved
    try:
        target = path.resolve() if path.is_symlink() else _real(path.parent, resolved) / path.name
        inside = target.is_relative_to(_real(root, resolved))
    except (RuntimeError, OSError):  # "Symlink loop": links that lead to each other, or itself
        raise FileProblem(
            Problem(
                relative(path, root),
                1,
                1,
                "symbolic link loop (the link leads back to itself); refusing to follow it",
                "remove the link, or point it at a real file",
            )
        ) from None
    if not inside:
        raise FileProblem(
            Problem(
                relative(path, root),
                1,
                1,
                "symbolic link points outside the project; refusing to follow it",
                "copy the file into the project instead",
            )
        )


def read_text(
    path: Path, root: Path, limits: Limits, resolved: dict[Path, Path] | None = None
) -> str:
    """The file's text with a BOM dropped and CRLF as LF; FileProblem for anything unreadable.

    `resolved` is `check_inside`'s memory of where folders lead."""
    rel = relative(path, root)
    check_inside(path, root, resolved)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise FileProblem(Problem(rel, 1, 1, "not a regular file; refusing to read it"))
        if info.st_size > limits.max_file_bytes:
            raise FileProblem(_too_large(rel, info.st_size, limits))
        with path.open("rb") as stream:  # read no more than the limit, whatever stat said
            data = stream.read(limits.max_file_bytes + 1)
        if len(data) > limits.max_file_bytes:
            raise FileProblem(_too_large(rel, len(data), limits))
    except OSError as error:
        raise FileProblem(Problem(rel, 1, 1, f"cannot read file: {error.strerror}")) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = line_column(data, error.start)
        raise FileProblem(
            Problem(
                rel,
                line,
                column,
                f"not valid UTF-8 (byte 0x{data[error.start]:02x})",
                "save the file as UTF-8",
            )
        ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line, column = line_column(text, offset)
        raise FileProblem(Problem(rel, line, column, "NUL byte in text"))
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
