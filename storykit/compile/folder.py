"""The write step of `storykit build`: the build folder, checked, locked and kept tidy.

storykit writes only into a real folder of its own (never the project's files, never through a
link), one build at a time, removes only the outputs it wrote itself, and leaves the manifest
untouched when nothing changed.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

import storykit
from storykit.compile.manifest import MANIFEST_NAME, OUTPUT_NAME, Manifest
from storykit.compile.render import write_atomic
from storykit.errors import BuildError, Problem
from storykit.model import Project


def check_out_dir(project: Project, out: Path) -> Path:
    """The build folder, refused when it is (or holds) the project's own files, or is a link:
    a link could lead the build anywhere, so storykit writes only into a real folder."""
    if out.absolute().is_symlink():
        raise BuildError(
            f"refusing to build into {out}: it is a symbolic link "
            f"(to {os.readlink(out.absolute())}); build into a real folder, or pass --out DIR"
        )
    out_dir = out.resolve() if out.exists() else out.absolute()
    root = project.root.resolve()
    inputs = [root / "bible", root / "outlines", root / "templates", root / "structures"]
    if (
        out_dir == root
        or root.is_relative_to(out_dir)
        or any(out_dir.is_relative_to(folder) for folder in inputs)
    ):
        raise BuildError(
            Problem(
                "",
                0,
                0,
                f"refusing to build into {out}: it is or holds the project's own files",
                "use a folder of its own, such as build/",
            )
        )
    if out_dir.is_relative_to(Path(storykit.__file__).resolve().parent):
        raise BuildError(
            Problem(
                "",
                0,
                0,
                f"refusing to build into {out}: it is inside the installed storykit package",
                "pass --out DIR, or run storykit build from the folder you want build/ in",
            )
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    return out_dir


def refuse_linked_folders(out_dir: Path, folders: set[Path]) -> None:
    """Refuse a folder inside the build folder that is a symbolic link: following it would write
    the outputs wherever it points (into the bible, say). Output files that are links are
    harmless: the atomic rename replaces the link itself, never its target."""
    for folder in sorted(folders):
        path = out_dir
        for part in folder.parts:
            path = path / part
            if path.is_symlink():
                raise BuildError(
                    f"refusing to write into {path}: it is a symbolic link "
                    f"(to {os.readlink(path)}); remove it and build again"
                )


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time per folder: a second waits for the first (an flock on the folder
    itself, so no lock file is left behind and a killed build releases it)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(f"cannot create {out_dir}: {error.strerror}") from error
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, builds are still atomic per file
        yield
        return
    descriptor = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def remove_orphans(out_dir: Path, manifest: Manifest, planned: set[str]) -> list[str]:
    """Delete outputs of outlines that no longer exist (only names storykit itself writes)."""
    removed = []
    for name in sorted(set(manifest.outputs) - planned):
        del manifest.outputs[name]
        if not OUTPUT_NAME.match(name):
            continue
        path = out_dir / name
        try:
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(name)
        except OSError as error:
            if error.errno != errno.ENOENT:
                raise
    return removed


def write_manifest(out_dir: Path, manifest: Manifest) -> None:
    text = manifest.to_json()
    path = out_dir / MANIFEST_NAME
    try:
        if path.read_text(encoding="utf-8") == text:
            return  # a no-op build writes nothing, not even the manifest
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
