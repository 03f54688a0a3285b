"""The style holds without anyone policing it: ruff (lint, format, complexity) and mypy over the
tree, and no module of storykit/ over 400 lines."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "storykit", "tests", "benchmarks", "docs"),
        ("ruff", "format", "--check", "storykit", "tests", "benchmarks", "docs"),
    ],
    ids=["ruff-check", "ruff-format"],
)
def test_ruff(command: tuple[str, ...]) -> None:
    ruff = shutil.which("ruff")
    assert ruff, "ruff is in the test extras: pip install -e '.[test]'"
    result = run(ruff, *command[1:])
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


MAX_LINES = 400
# Modules another branch of issue 13 is splitting; each must still be over the limit (so the
# entry goes when the split lands), and no other module may join them.
BEING_SPLIT: dict[str, str] = {}  # module -> who is splitting it, while a split is under way


def test_no_module_of_storykit_is_over_400_lines() -> None:
    sizes = {
        path.relative_to(REPO).as_posix(): len(path.read_text("utf-8").splitlines())
        for path in sorted((REPO / "storykit").rglob("*.py"))
    }
    over = {name: n for name, n in sizes.items() if n > MAX_LINES and name not in BEING_SPLIT}
    assert not over, f"modules over {MAX_LINES} lines (split them along their concerns): {over}"
    done = [name for name in BEING_SPLIT if sizes.get(name, 0) <= MAX_LINES]
    assert not done, f"{done} are split now: remove them from BEING_SPLIT"


def test_ruff_checks_complexity_at_12() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["ruff"]["lint"]
    assert "C90" in config["select"] or "C901" in config["select"]
    assert config["mccabe"]["max-complexity"] == 12
