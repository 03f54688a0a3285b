"""The pre-commit hook this repository offers: a valid manifest whose entry runs the real linter
over the files it claims to care about."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def hooks() -> list[dict]:
    return yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_manifest_has_what_pre_commit_requires() -> None:
    (hook,) = hooks()
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["id"] == "storykit-lint"
    assert hook["language"] == "python"  # pre-commit installs this repository with pip
    assert hook["pass_filenames"] is False  # a change in one file can break another


def test_the_entry_is_a_command_this_package_installs() -> None:
    (hook,) = hooks()
    command, *args = hook["entry"].split()
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert command in scripts and args == ["lint"]


def test_the_files_pattern_picks_the_bible_and_outlines_only() -> None:
    (hook,) = hooks()
    pattern = re.compile(hook["files"])
    for path in ("storykit.yaml", "bible/characters/amelia.yaml", "bible/x.yml", "outlines/a.md"):
        assert pattern.search(path), path
    for path in ("storykit/cli/lint.py", "build/index.html", "notes.txt", "README.mdx"):
        assert not pattern.search(path), path


def test_the_entry_runs_in_a_project_as_pre_commit_would(storykit_cli, new_project: Path) -> None:
    (hook,) = hooks()
    args = hook["entry"].split()[1:]
    clean = storykit_cli(*args, cwd=new_project)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    tom = new_project / "bible/characters/tom.yaml"
    tom.write_text(tom.read_text(encoding="utf-8").replace("role:", "rol:"), encoding="utf-8")
    broken = storykit_cli(*args, cwd=new_project)
    assert broken.returncode != 0  # the commit is stopped
    assert "bible/characters/tom.yaml" in broken.stdout
