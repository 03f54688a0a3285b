"""`--out FILE` writes only a regular file or a new path (issue 18): a device node, a named pipe or
a symbolic link in its place is refused with a message, and stays exactly what it was."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_storykit

TIMEOUT = 120
COMMANDS = {
    "export": ["export", "fountain", "first-draft"],
    "compare": ["compare", "first-draft", "first-draft", "--format", "json"],
}


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_device(path: Path) -> None:
    try:  # a private twin of /dev/null: replacing it would show as a regular file
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs CAP_MKNOD")


def make_link(path: Path) -> None:
    target = path.parent / "target.txt"
    target.write_text("keep me\n")
    path.symlink_to(target)


def make_dangling_link(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere.txt")


SPECIAL: dict[str, Callable[[Path], None]] = {
    "fifo": make_fifo,
    "device": make_device,
    "symlink": make_link,
    "dangling-symlink": make_dangling_link,
}


def kind(path: Path) -> tuple[int, str | None]:
    info = os.lstat(path)
    return stat.S_IFMT(info.st_mode), os.readlink(path) if path.is_symlink() else None


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("special", sorted(SPECIAL))
def test_out_refuses_anything_but_a_regular_file(
    new_project: Path, tmp_path: Path, command: str, special: str
) -> None:
    out = tmp_path / "out.txt"
    SPECIAL[special](out)
    before = kind(out)
    result = run_storykit(
        *COMMANDS[command], "--project", str(new_project), "--out", str(out), timeout=TIMEOUT
    )
    assert result.returncode == 2, result.stderr
    assert "not a regular file" in result.stderr and "internal error" not in result.stderr
    assert kind(out) == before
    if special == "symlink":
        assert (tmp_path / "target.txt").read_text() == "keep me\n"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_out_writes_a_new_path_and_replaces_a_regular_file(
    new_project: Path, tmp_path: Path, command: str
) -> None:
    new = tmp_path / "new.txt"
    assert (
        run_storykit(*COMMANDS[command], "-p", str(new_project), "--out", str(new)).returncode == 0
    )
    existing = tmp_path / "old.txt"
    existing.write_text("old\n")
    assert (
        run_storykit(*COMMANDS[command], "-p", str(new_project), "--out", str(existing)).returncode
        == 0
    )
    assert existing.read_bytes() == new.read_bytes()


def run_with_file_size_limit(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line with a file-size limit of 1 byte, standing in for a full disk: every
    write of more fails with EFBIG."""
    script = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1)); "
        "from storykit.cli import main; sys.argv = ['storykit'] + sys.argv[1:]; main()"
    )
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=TIMEOUT
    )


POSIX = pytest.mark.skipif(os.name != "posix", reason="needs POSIX resource limits")


@POSIX
def test_a_full_disk_names_the_output(new_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "big.fountain"
    result = run_with_file_size_limit(
        "export", "fountain", "first-draft", "-p", str(new_project), "--out", str(out)
    )
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and str(out) in result.stderr, result.stderr
    assert not out.exists() and not list(tmp_path.glob(".storykit-tmp*"))


@POSIX
def test_a_full_disk_during_a_build_names_the_output(new_project: Path) -> None:
    result = run_with_file_size_limit("build", str(new_project))
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and "cannot write" in result.stderr
    assert str(new_project / "build") in result.stderr, result.stderr


@POSIX
def test_a_full_disk_during_a_fix_names_the_file_and_keeps_it(new_project: Path) -> None:
    outline = new_project / "outlines/first-draft.md"
    before = outline.read_bytes().replace(b"Tom's boat", "Tomâ€™s boat".encode())
    outline.write_bytes(before)
    result = run_with_file_size_limit("lint", str(new_project), "--fix")
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert "cannot fix outlines/first-draft.md" in result.stderr, result.stderr
    assert outline.read_bytes() == before
