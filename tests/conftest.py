"""Shared test helpers: the embedded default, tiny real projects, and running the real CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storykit.load import load_project
from storykit.load.project import embedded_default
from storykit.model import Project
from storykit.scaffold import create_project

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"  # screenshots and other things a person may want to look at
README = REPO / "README.md"


def readme_section(heading: str) -> str:
    """The README's `## heading` section, up to the next `## ` heading (subsections included);
    headings inside fenced code (a Markdown or Fountain example) do not count."""
    lines = README.read_text(encoding="utf-8").splitlines()
    in_fence, start, end = False, None, len(lines)
    for number, line in enumerate(lines):
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and re.match(r"#{1,2} ", line):
            if start is not None:
                end = number
                break
            if line == f"## {heading}":
                start = number
    assert start is not None, f"the README has no '## {heading}' section"
    return "\n".join(lines[start:end])


@pytest.fixture(autouse=True, scope="session")
def _lint_cache_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`storykit lint` keeps its cache in the user's cache folder: the suite's lints (and the
    commands they run) keep theirs in a temporary one instead."""
    before = os.environ.get("STORYKIT_CACHE_DIR")
    os.environ["STORYKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("lint-cache"))
    yield
    if before is None:
        os.environ.pop("STORYKIT_CACHE_DIR", None)
    else:
        os.environ["STORYKIT_CACHE_DIR"] = before


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


def run_storykit(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
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


CHROMIUM = Path("/usr/bin/chromium")  # Debian's; playwright never downloads a browser here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--headless=new",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session: playwright's sync API allows a single
    running instance per process, so every browser test shares this one."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser test skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def storykit_cli():
    return run_storykit
