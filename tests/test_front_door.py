"""The front door, as a newcomer meets it: the README's commands on a fresh machine, a build
that says where its outputs went, and nothing written inside the installation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import REPO, run_storykit

from storykit.cli import COMMANDS


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """storykit unpacked from its own wheel, as `pip install .` lays it out in site-packages."""
    from hatchling.builders.wheel import WheelBuilder

    built = tmp_path_factory.mktemp("wheel")
    wheel = next(iter(WheelBuilder(str(REPO)).build(directory=str(built), versions=["standard"])))
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _from_wheel(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    return run_storykit(*args, cwd=cwd, env=env)


def test_the_default_builds_into_the_current_folder_never_into_the_package(
    wheel_site: Path, tmp_path: Path
) -> None:
    package = wheel_site / "storykit"
    before = _snapshot(package)
    here = tmp_path / "somewhere"
    here.mkdir()
    result = _from_wheel(wheel_site, "build", cwd=here)
    # The default has an error-level finding; a build that wrote its outputs still exits 0.
    assert result.returncode == 0, result.stderr[-800:]
    assert "storykit/__init__.py" in _imported_from(wheel_site, here)
    assert (here / "build" / "index.html").is_file()
    assert re.search(r"lint: 1 error, \d+ warnings, \d+ info", result.stderr), result.stderr
    assert "built build:" in result.stderr
    assert _snapshot(package) == before, "the build wrote inside the installed package"


def test_a_build_folder_inside_the_package_is_refused(wheel_site: Path, tmp_path: Path) -> None:
    target = wheel_site / "storykit" / "default" / "build"
    result = _from_wheel(wheel_site, "build", "--out", str(target), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "inside the installed storykit package" in result.stderr
    assert "--out DIR" in result.stderr
    assert not target.exists()


def _imported_from(site: Path, cwd: Path) -> str:
    """Where the subprocess's storykit comes from: the wheel's copy, not the checkout."""
    code = "import storykit, pathlib; print(pathlib.Path(storykit.__file__).as_posix())"
    env = {**os.environ, "PYTHONPATH": str(site)}
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found.startswith(site.as_posix()), found
    return found


def test_build_exits_0_with_error_findings_and_strict_fails_writing_nothing(
    new_project: Path,
) -> None:
    tom = new_project / "bible" / "characters" / "tom.yaml"
    tom.write_text(tom.read_text(encoding="utf-8").replace("role:", "age: 40\nrole:"), "utf-8")
    outline = new_project / "outlines" / "first-draft.md"
    outline.write_text(
        outline.read_text(encoding="utf-8").replace(
            "The radio says", "Tom, 63, is out at sea. The radio says"
        ),
        encoding="utf-8",
    )
    lint = run_storykit("lint", str(new_project))
    assert lint.returncode == 1 and "error contradiction" in lint.stdout, lint.stdout

    strict = run_storykit("build", str(new_project), "--strict")
    assert strict.returncode == 1, strict.stderr
    assert "--strict" in strict.stderr and "nothing was built" in strict.stderr
    assert not (new_project / "build").exists()

    built = run_storykit("build", str(new_project))
    assert built.returncode == 0, built.stderr
    assert "lint: 1 error" in built.stderr
    assert (new_project / "build" / "index.html").is_file()


def test_init_keeps_the_build_folder_out_of_git(tmp_path: Path) -> None:
    root = tmp_path / "show"
    assert run_storykit("init", str(root)).returncode == 0
    assert "/build/" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert run_storykit("build", str(root), "--quiet").returncode == 0
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    ignored = subprocess.run(
        ["git", "-C", str(root), "check-ignore", "-q", "build/index.html"], check=False
    )
    assert ignored.returncode == 0, "build/ would be committed"
    listed = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "build/" not in listed and "outlines/first-draft.md" in listed


@pytest.mark.parametrize("name", ["contradiction", "spelling", "unseeded"])
def test_a_rule_page_wraps_at_word_boundaries_in_a_pipe(name: str) -> None:
    from storykit.lint.registry import rule_by_name

    env = {"COLUMNS": "80"}
    result = run_storykit("rules", name, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines), max(lines, key=len)
    printed = result.stdout.split()
    # Every word of the docstring's prose is printed whole: none is cut at the margin.
    prose = re.sub(r"[`*]", "", rule_by_name(name).doc)
    for word in re.findall(r"[A-Za-z]{4,}", prose):
        assert any(word in token for token in printed), f"{word!r} was cut or lost"


def _commands() -> list[str]:
    return sorted(set(COMMANDS))


@pytest.mark.parametrize("command", _commands())
def test_help_shows_flags_without_a_value_type(command: str) -> None:
    result = run_storykit(command, "--help", env={"COLUMNS": "120"})
    assert result.returncode == 0, result.stderr
    assert "<bool>" not in result.stdout, result.stdout
    (help_row,) = [line for line in result.stdout.splitlines() if "--help" in line]
    assert "<" not in help_row, help_row


def test_ci_runs_the_test_command_in_a_new_venv_outside_the_clone() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "python3 -m pip install -e '.[test]' && python3 -m pytest"
    assert command in readme.splitlines() and command in script
    made = next(i for i, line in enumerate(script) if "python3 -m venv" in line)
    activated = next(i for i, line in enumerate(script) if "/bin/activate" in line)
    assert made < activated < script.index(command)
    where = next(line for line in script if "mktemp -d" in line)
    assert "TMPDIR" in where, "the venv must be made outside the clone"
