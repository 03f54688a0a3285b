"""`storykit init` makes a project that loads and lints cleanly, and never overwrites a folder."""

from __future__ import annotations

import json
from pathlib import Path

from storykit.load import load_project


def test_init_then_lint_is_clean(tmp_path: Path, storykit_cli) -> None:
    target = tmp_path / "x"
    made = storykit_cli("init", str(target), "--title", "Lighthouse")
    assert made.returncode == 0, made.stderr
    project = load_project(target)  # strict: any problem raises
    assert project.config.title == "Lighthouse"
    assert (
        len(project.treatments),
        len(project.characters),
        len(project.devices),
        len(project.outlines),
    ) == (1, 2, 1, 1)
    linted = storykit_cli("lint", str(target), "--format", "json")
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert json.loads(linted.stdout) == []


def test_init_teaches_the_format_in_comments(new_project: Path) -> None:
    character = (new_project / "bible/characters/ruth.yaml").read_text()
    assert (
        "# A character." in character
        and "protagonist | antagonist | supporting | minor" in character
    )
    outline = (new_project / "outlines/first-draft.md").read_text()
    assert "`#` headings are acts, `##` headings are beats" in outline


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, storykit_cli) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = storykit_cli("init", str(tmp_path))
    assert result.returncode == 2
    assert "exists and is not an empty folder" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_title_with_quotes_still_loads(tmp_path: Path, storykit_cli) -> None:
    result = storykit_cli("init", str(tmp_path / "y"), "--title", 'The "Keeper": a: b')
    assert result.returncode == 0
    assert load_project(tmp_path / "y").config.title == "The 'Keeper': a: b"
