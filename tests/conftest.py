"""Shared fixtures: the embedded default, tiny real projects, a browser, a fuzzing workspace.
Shared helpers that are not fixtures live in tests/helpers.py."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_default, run_storykit

from storykit.load import load_project
from storykit.load.project import embedded_default
from storykit.model import Project
from storykit.scaffold import create_project


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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module: playwright's sync API allows a single running
    instance per process, and while it runs it holds an event loop on the main thread, so the
    asynchronous language-server tests that follow in the same process could not start theirs.
    Closed at the end of each module that uses it."""
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


@pytest.fixture(scope="module")
def workspace() -> Iterator[Path]:
    """A folder for the fuzz tests' throw-away projects (`helpers.project_from`)."""
    with tempfile.TemporaryDirectory(prefix="storykit-fuzz-") as folder:
        yield Path(folder)


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A web server on loopback that records every path asked of it (and answers 404): what
    a test shows storykit never fetches."""
    heard: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server hook
            heard.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], heard
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def default_copy(tmp_path: Path) -> Path:
    """A copy of the embedded default in a temporary folder, to edit."""
    return copy_default(tmp_path / "default")


@pytest.fixture
def init_project(tmp_path: Path) -> Path:
    """A project made by the real `storykit init` command line."""
    root = tmp_path / "lighthouse"
    subprocess.run(
        [sys.executable, "-m", "storykit", "init", str(root)], check=True, capture_output=True
    )
    return root
