"""No lost work from `storykit lint --fix`: temp file + rename, comments/order/quoting kept, and a
second --fix changes nothing.

Skipped until the fixer (storykit/lint/fix.py) exists and a rule offers a fix for the input.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import run_storykit

TIMEOUT = 120

# A character file the way people write them: comments everywhere, keys in a chosen order,
# several quoting styles, and one value damaged by a wrong encoding (mojibake, fixable).
RUTH = """\
# Ruth: the keeper. Comments like this one must survive a fix.
id: ruth
name: Ruth   # as she is called in prose
treatment: first-draft
role: protagonist
occupation: 'the keeperâ€™s keeper'
age: 41
description: "The keeper, who hasnâ€™t left the rock in twenty years."   # quoted on purpose
relationships:
  - {to: tom, as: sister-of}
arc:
  want: >-
    To keep the lightâ€™s flame burning.
  need: To let someone else carry it.
  change: She leaves the light to find Tom.
"""


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file: (content, inode, mtime): an in-place rewrite keeps the inode, a rename does not."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and "build" not in p.relative_to(root).parts
    }


@pytest.fixture
def fixable(new_project: Path) -> Path:
    (new_project / "bible/characters/ruth.yaml").write_text(RUTH, encoding="utf-8")
    outline = new_project / "outlines/first-draft.md"
    text = outline.read_text(encoding="utf-8").replace(
        "The radio says", "The radio says Ruthâ€™s brother"
    )
    outline.write_text(text, encoding="utf-8")
    diff = run_storykit("lint", str(new_project), "--diff", timeout=TIMEOUT)
    assert "Traceback" not in diff.stderr, diff.stderr
    if "+++ " not in diff.stdout:
        pytest.skip("no rule offers a fix for mojibake yet")
    return new_project


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    old, new = before.decode().splitlines(), after.decode().splitlines()
    assert len(old) == len(new), "a fix added or removed lines"
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_diff_writes_nothing(fixable: Path) -> None:
    before = snapshot(fixable)
    result = run_storykit("lint", str(fixable), "--diff", timeout=TIMEOUT)
    assert "bible/characters/ruth.yaml" in result.stdout
    assert snapshot(fixable) == before


def test_fix_changes_only_the_damaged_words_and_keeps_comments_order_and_quoting(
    fixable: Path,
) -> None:
    before = snapshot(fixable)
    result = run_storykit("lint", str(fixable), "--fix", timeout=TIMEOUT)
    assert result.returncode in (0, 1), result.stderr
    after = snapshot(fixable)
    assert set(after) == set(before), f"files appeared or vanished: {set(after) ^ set(before)}"
    ruth = "bible/characters/ruth.yaml"
    assert changed_lines(before[ruth][0], after[ruth][0]) == [
        ("occupation: 'the keeperâ€™s keeper'", "occupation: 'the keeper’s keeper'"),
        (
            'description: "The keeper, who hasnâ€™t left the rock in twenty years."   # quoted on purpose',
            'description: "The keeper, who hasn’t left the rock in twenty years."   # quoted on purpose',
        ),
        ("    To keep the lightâ€™s flame burning.", "    To keep the light’s flame burning."),
    ]
    outline = "outlines/first-draft.md"
    assert changed_lines(before[outline][0], after[outline][0]) == [
        (
            "The radio says Ruthâ€™s brother Tom's boat is missing in the storm.",
            "The radio says Ruth’s brother Tom's boat is missing in the storm.",
        )
    ]
    for name, (content, inode, mtime) in before.items():
        if name in (ruth, outline):
            # Written to a temporary file and renamed over the original: a new inode. An
            # interrupted in-place write would have left half a file.
            assert after[name][1] != inode, f"{name} was rewritten in place, not renamed over"
        else:
            assert after[name] == (content, inode, mtime), f"{name} was touched without a fix"


def test_a_second_fix_changes_nothing(fixable: Path) -> None:
    first = run_storykit("lint", str(fixable), "--fix", timeout=TIMEOUT)
    assert first.returncode in (0, 1), first.stderr
    before = snapshot(fixable)
    second = run_storykit("lint", str(fixable), "--fix", timeout=TIMEOUT)
    assert second.returncode in (0, 1), second.stderr
    assert snapshot(fixable) == before, "the second --fix rewrote a file"
    assert "+++ " not in run_storykit("lint", str(fixable), "--diff", timeout=TIMEOUT).stdout


def test_fix_keeps_the_file_mode(fixable: Path) -> None:
    ruth = fixable / "bible/characters/ruth.yaml"
    os.chmod(ruth, 0o640)
    result = run_storykit("lint", str(fixable), "--fix", timeout=TIMEOUT)
    assert result.returncode in (0, 1), result.stderr
    assert "â€™" not in ruth.read_text(encoding="utf-8")
    assert ruth.stat().st_mode & 0o777 == 0o640


def test_fix_leaves_no_temporary_files(fixable: Path) -> None:
    names = {p.name for p in fixable.rglob("*")}
    run_storykit("lint", str(fixable), "--fix", timeout=TIMEOUT)
    assert {p.name for p in fixable.rglob("*")} == names
