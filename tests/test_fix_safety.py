"""Fixes are safe or unsafe (issue 14, item 4): `--fix` applies only the safe ones, `--fix
--unsafe-fixes` the others too, and `--diff` shows both, each under its label."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_storykit

from storykit.lint.fix import rename_is_safe

TIMEOUT = 120
OUTLINE = "outlines/first-draft.md"
CATALYST = "The radio says Tom's boat is missing in the storm."

BOHEMIA = """\
id: bohemia
name: Bohemia
kind: place
treatment: first-draft
description: The kingdom across the water.
"""


def write_outline(root: Path, paragraph: str) -> None:
    outline = root / OUTLINE
    outline.write_text(outline.read_text("utf-8").replace(CATALYST, paragraph), "utf-8")


@pytest.fixture
def mixed(new_project: Path) -> Path:
    """One safe near miss (Ruthh: no word), one unsafe (Bohemian: a form of Bohemia)."""
    (new_project / "bible/devices/bohemia.yaml").write_text(BOHEMIA, "utf-8")
    write_outline(new_project, "Ruthh hears of Bohemia; his whole Bohemian soul aches.")
    return new_project


def outline_text(root: Path) -> str:
    return (root / OUTLINE).read_text("utf-8")


def test_fix_applies_only_the_safe_fix(mixed: Path) -> None:
    result = run_storykit("lint", str(mixed), "--fix", timeout=TIMEOUT)
    assert "internal error" not in result.stderr
    assert "Ruth hears of Bohemia; his whole Bohemian soul aches." in outline_text(mixed)
    assert "1 unsafe fix not applied" in result.stderr, result.stderr


def test_unsafe_fixes_apply_the_rest(mixed: Path) -> None:
    result = run_storykit("lint", str(mixed), "--fix", "--unsafe-fixes", timeout=TIMEOUT)
    assert "internal error" not in result.stderr
    assert "Ruth hears of Bohemia; his whole Bohemia soul aches." in outline_text(mixed)


def test_diff_shows_both_labelled_and_writes_nothing(mixed: Path) -> None:
    before = outline_text(mixed)
    result = run_storykit("lint", str(mixed), "--diff", timeout=TIMEOUT)
    assert result.returncode == 1
    safe, _, unsafe = result.stdout.partition(
        "# unsafe fixes (storykit lint --fix --unsafe-fixes)\n"
    )
    assert safe.startswith("# safe fixes (storykit lint --fix)\n")
    assert "+Ruth hears of Bohemia; his whole Bohemian soul" in safe
    assert "+Ruth hears of Bohemia; his whole Bohemia soul" in unsafe
    assert outline_text(mixed) == before


def test_unsafe_fixes_without_fix_is_misuse(mixed: Path) -> None:
    result = run_storykit("lint", str(mixed), "--unsafe-fixes", timeout=TIMEOUT)
    assert result.returncode == 2 and "--unsafe-fixes goes with --fix" in result.stderr


def test_the_findings_say_which_fix_is_safe(mixed: Path) -> None:
    from storykit.lint import lint_project
    from storykit.load import load_project

    findings = lint_project(load_project(mixed, strict=False)).findings
    fixes = {f.fix.old: f.fix.safe for f in findings if f.fix is not None}
    assert fixes == {"Ruthh": True, "Bohemian": False}


KNOWN = {"rut", "hill", "will", "bohemian"}.__contains__


@pytest.mark.parametrize(
    ("word", "name", "names", "safe"),
    [
        ("Ruthh", "Ruth", {"ruth", "tom"}, True),  # no word: a typo
        ("Corin", "Korin", {"korin"}, True),
        ("Rut", "Ruth", {"ruth"}, False),  # a dictionary word
        ("Hill", "Will", {"will", "jenny", "hill"}, False),  # a word of a known name
        ("Bohemian", "Bohemia", {"bohemia"}, False),  # a form of a name
        ("Korins", "Korin", {"korin"}, False),
        ("Jenn", "Jenny", {"jenny"}, True),
    ],
)
def test_which_renames_are_safe(word: str, name: str, names: set[str], safe: bool) -> None:
    assert rename_is_safe(word, name, lambda w: KNOWN(w.casefold()), names) is safe
