"""`storykit watch` and `storykit serve`, run as a user runs them: a subprocess on a temporary
project, a file edited, the output awaited (bounded, polling), the process always killed."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from storykit.cli.watch import RELOAD_SCRIPT, lint_delta, watched
from storykit.lint.finding import Finding, Severity

OUTLINE = "outlines/first-draft.md"
GOOD = "The radio says Tom's boat is missing in the storm."
BAD = "The radio says Thom's boat is missing in the storm."
LIMIT = 90.0  # seconds any one wait may take on a slow machine; normally one or two


class Running:
    """A storykit subprocess whose stdout lines are read as they come."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "NO_COLOR": "1"}
        env.pop("STORYKIT_DEBUG", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "storykit", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, *, poke: Callable[[], None] | None = None) -> str:
        """The first new line matching `pattern`; `poke` runs every second until it comes."""
        deadline = time.monotonic() + LIMIT
        next_poke = 0.0
        while time.monotonic() < deadline:
            if poke and time.monotonic() >= next_poke:
                poke()
                next_poke = time.monotonic() + 1.0
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(
            f"no line matching {pattern!r}; output so far:\n" + "\n".join(self.seen)
        )

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)


@pytest.fixture
def running() -> Iterator[Callable[..., Running]]:
    started: list[Running] = []

    def start(*args: str) -> Running:
        started.append(Running(*args))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def edit(project: Path, old: str, new: str) -> Callable[[], None]:
    """A poke that writes the edit (again): a watcher that was not yet listening sees the next."""
    path = project / OUTLINE

    def poke() -> None:
        # Saved as editors save, to a temporary file renamed over the outline: written in place,
        # a watcher on a loaded machine can see the truncated file first and lint half an edit.
        temporary = path.with_name(f".{path.name}.saving")
        temporary.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        os.replace(temporary, path)

    return poke


def finding(line: int, message: str = "m", rule: str = "near-miss-name") -> Finding:
    return Finding(rule, Severity.WARNING, message, OUTLINE, line, 1)


def test_delta_is_keyed_by_rule_path_and_message_not_line() -> None:
    before = [finding(3, "a"), finding(7, "b")]
    after = [finding(5, "a"), finding(9, "c")]  # 'a' moved down two lines: the same finding
    delta = lint_delta(before, after)
    assert [f.message for f in delta.new] == ["c"]
    assert [f.message for f in delta.fixed] == ["b"]


def test_only_sources_are_watched(tmp_path: Path) -> None:
    keep = watched(tmp_path, None)
    assert keep(None, str(tmp_path / OUTLINE))
    assert keep(None, str(tmp_path / "bible/characters/ruth.yaml"))
    assert keep(None, str(tmp_path / "storykit.yaml"))
    assert not keep(None, str(tmp_path / "build/index.html"))
    assert not keep(None, str(tmp_path / "outlines/.first-draft.md.swp"))
    assert not keep(None, str(tmp_path / ".git/index"))
    other = watched(tmp_path, tmp_path / "site")
    assert not other(None, str(tmp_path / "site/index.html"))


def test_watch_prints_new_then_fixed_findings(new_project: Path, running) -> None:
    watcher = running("watch", str(new_project), "--lint-only")
    assert "0 findings" in watcher.wait_for(r"^storykit: linted")
    watcher.wait_for(r"^storykit: watching")
    summary = watcher.wait_for(r"^storykit: linted .*: 1 new", poke=edit(new_project, GOOD, BAD))
    assert "0 fixed" in summary
    new = watcher.wait_for(r"^  new ")
    assert f"{OUTLINE}:12:16: warning near-miss-name 'Thom's'" in new
    watcher.wait_for(r"^storykit: linted .*: 0 new, 1 fixed", poke=edit(new_project, BAD, GOOD))
    assert "near-miss-name" in watcher.wait_for(r"^  fixed ")


def test_watch_survives_a_broken_file(new_project: Path, running) -> None:
    watcher = running("watch", str(new_project), "--lint-only")
    watcher.wait_for(r"^storykit: watching")
    tom = new_project / "bible/characters/tom.yaml"
    text = tom.read_text(encoding="utf-8")
    watcher.wait_for(
        r"not rebuilt", poke=lambda: tom.write_text("id: tom\nname: [unclosed\n", encoding="utf-8")
    )
    assert any("tom.yaml" in line for line in watcher.seen)
    watcher.wait_for(r"^storykit: linted", poke=lambda: tom.write_text(text, encoding="utf-8"))
    assert watcher.process.poll() is None


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def test_serve_rebuilds_and_bumps_the_version(new_project: Path, running) -> None:
    server = running("serve", str(new_project), "--port", "0")
    url = re.search(r"http://127\.0\.0\.1:\d+/", server.wait_for(r"serving")).group()
    server.wait_for(r"^storykit: watching")
    page = get(url)
    assert RELOAD_SCRIPT in page and "Test Project" in page
    assert RELOAD_SCRIPT not in (new_project / "build/index.html").read_text(encoding="utf-8")
    assert get(url + "__storykit_version") == "1"
    server.wait_for(r"^storykit: rebuilt .*: 1 new", poke=edit(new_project, GOOD, BAD))
    assert int(get(url + "__storykit_version")) >= 2
    outline_page = get(url + "outlines/first-draft.html")
    assert "Thom" in outline_page and RELOAD_SCRIPT in outline_page


def test_the_open_page_reloads_after_a_rebuild(new_project: Path, running, browser) -> None:
    server = running("serve", str(new_project), "--port", "0")
    url = re.search(r"http://127\.0\.0\.1:\d+/", server.wait_for(r"serving")).group()
    server.wait_for(r"^storykit: watching")
    page = browser.new_page()
    try:
        page.goto(url + "outlines/first-draft.html")
        page.wait_for_load_state("load")
        assert "Thom" not in page.content()
        page.evaluate("window.__untouched = true")
        server.wait_for(r"^storykit: rebuilt .*: 1 new", poke=edit(new_project, GOOD, BAD))
        # The reload drops the marker; the new page shows the edit.
        page.wait_for_function("!window.__untouched", timeout=LIMIT * 1000)
        page.wait_for_load_state("load")
        assert "Thom" in page.content()
    finally:
        page.close()
