"""Every limit has a hard ceiling a project cannot raise, and aliases cannot repeat more text than
a file may hold (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_storykit
from test_hostile_load import laughs, set_limits

from storykit.load.files import HARD_LIMITS

TIMEOUT = 120


@pytest.mark.parametrize("limit", sorted(HARD_LIMITS))
def test_a_limit_over_its_ceiling_is_an_error_and_the_ceiling_holds(
    new_project: Path, limit: str
) -> None:
    set_limits(new_project, **{limit: HARD_LIMITS[limit] * 1000})
    result = run_storykit("lint", str(new_project), timeout=TIMEOUT)
    assert "internal error" not in result.stderr
    assert f"limits.{limit} may be at most {HARD_LIMITS[limit]:,}" in result.stdout + result.stderr


def test_a_raised_node_limit_does_not_switch_off_the_alias_bomb_guard(new_project: Path) -> None:
    # 9^7 = 4.8 million values: past the ceiling of 1,000,000, whatever storykit.yaml says.
    (new_project / "bible/devices/bomb.yaml").write_text(laughs(7), "utf-8")
    set_limits(new_project, max_yaml_nodes=10**12, max_file_bytes=HARD_LIMITS["max_file_bytes"])
    result = run_storykit("lint", str(new_project), timeout=TIMEOUT)
    assert "internal error" not in result.stderr
    assert "too many YAML nodes (over 1,000,000" in result.stdout + result.stderr


def test_aliases_that_repeat_a_long_text_are_refused(new_project: Path) -> None:
    text = "The keeperâ€™s lamp burns. " * 800  # 20 KB, once
    (new_project / "bible/devices/lamp.yaml").write_text(
        "id: lamp\nname: Lamp\nkind: technology\ntreatment: first-draft\n"
        f'description: &d "{text}"\nnotes:\n' + "  - *d\n" * 99_000,
        "utf-8",
    )
    result = run_storykit("lint", str(new_project), timeout=TIMEOUT)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr
    assert "bible/devices/lamp.yaml:" in result.stderr + result.stdout
    assert "aliases repeat text past 2,000,000 characters" in result.stderr + result.stdout
