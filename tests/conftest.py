"""Shared test helpers: the embedded default, tiny real projects, and running the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storykit.load import load_project
from storykit.load.project import embedded_default
from storykit.model import Project
from storykit.scaffold import create_project

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"  # screenshots and other things a person may want to look at


@pytest.fixture(scope="session")
def default_root() -> Path:
    return embedded_default()


@pytest.fixture(scope="session")
def default_project(default_root: Path) -> Project:
    """The embedded default, loaded leniently (its flaws are the linter's business)."""
    return load_project(default_root, strict=False)


@pytest.fixture
def new_project(tmp_path: Path) -> Path:
    """A fresh `storykit init` project in a temporary folder."""
    root = tmp_path / "project"
    create_project(root, title="Test Project")
    return root


def run_storykit(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                 timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real command line as a user would, in a subprocess."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    full_env.pop("STORYKIT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "storykit", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def storykit_cli():
    return run_storykit
