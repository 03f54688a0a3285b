"""`storykit lint`'s cache: a second lint reuses the first's analysis of unchanged outlines and
reports the same, from the user's cache folder, never the project; a corrupt, foreign or
unwritable cache is ignored."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from helpers import run_storykit

from storykit.lint.cache import cache_file, cache_folder, load_memory
from storykit.lint.incremental import Memory


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("STORYKIT_CACHE_DIR", str(folder))
    return folder


def lint(root: Path, *extra: str) -> tuple[int, list[dict[str, object]]]:
    run = run_storykit("lint", str(root), "--format", "json", *extra)
    return run.returncode, json.loads(run.stdout)


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def test_a_second_lint_after_an_edit_reports_what_a_fresh_one_does(
    new_project: Path, cache: Path
) -> None:
    before = files(new_project)
    first = lint(new_project)
    assert cache_file(new_project).is_file() and cache_file(new_project).parent == cache
    outline = new_project / "outlines/first-draft.md"
    outline.write_text(
        outline.read_text(encoding="utf-8") + "\nThom's boat drifts past Corin.\n", encoding="utf-8"
    )
    second = lint(new_project)
    fresh = lint(new_project, "--no-cache")
    assert second == fresh and second != first
    assert any("Thom" in str(f["message"]) for f in second[1])
    assert files(new_project) == before  # nothing written into the project


def test_the_cache_folder_follows_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_project: Path
) -> None:
    monkeypatch.delenv("STORYKIT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "storykit"
    run = run_storykit("lint", str(new_project), env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert run.returncode == 0
    assert [p.name.startswith("lint-") for p in (tmp_path / "xdg" / "storykit").iterdir()] == [True]


def test_no_cache_neither_reads_nor_writes(new_project: Path, cache: Path) -> None:
    assert lint(new_project, "--no-cache")[0] == 0
    assert not cache.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pickle",
        pickle.dumps(Path("/")),
        pickle.dumps({"version": "0"}),
        b"\x80\x05garbage",
    ],
    ids=["empty", "text", "foreign-class", "foreign-value", "truncated"],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_replaced(
    new_project: Path, cache: Path, content: bytes
) -> None:
    expected = lint(new_project, "--no-cache")
    cache.mkdir(parents=True)
    cache_file(new_project).write_bytes(content)
    assert isinstance(load_memory(new_project), Memory) and not load_memory(new_project).outlines
    assert lint(new_project) == expected
    assert load_memory(new_project).outlines  # a good one written in its place


def test_an_unwritable_cache_folder_is_skipped(
    new_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    monkeypatch.setenv("STORYKIT_CACHE_DIR", str(blocker / "cache"))
    run = run_storykit("lint", str(new_project))
    assert run.returncode == 0 and "Traceback" not in run.stderr


def test_deleting_the_cache_is_safe(new_project: Path, cache: Path) -> None:
    first = lint(new_project)
    for path in cache.iterdir():
        os.unlink(path)
    assert lint(new_project) == first


def test_a_derived_table_is_made_once_then_read_and_made_again_when_corrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storykit.runtime import cached_json

    monkeypatch.setenv("STORYKIT_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "source.txt"
    source.write_text("one", encoding="utf-8")
    made: list[int] = []

    def make() -> list[list[str]]:
        made.append(1)
        return [["London"], ["Minna"]]

    def table() -> tuple[frozenset[str], ...]:
        return cached_json(
            "places", [source], ("pyyaml",), make, lambda v: tuple(map(frozenset, v))
        )

    assert table() == (frozenset({"London"}), frozenset({"Minna"})) and len(made) == 1
    assert table() == (frozenset({"London"}), frozenset({"Minna"})) and len(made) == 1
    (written,) = (tmp_path / "cache").glob("places-*.json")
    written.write_text("{not json", encoding="utf-8")
    assert table() == (frozenset({"London"}), frozenset({"Minna"})) and len(made) == 2
    source.write_text("two", encoding="utf-8")  # what it is made of changed: a new key
    table()
    assert len(made) == 3 and len(list((tmp_path / "cache").glob("places-*.json"))) == 2
