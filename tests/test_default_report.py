"""The embedded default's lint report: the known answers by content, and the whole JSON report
compared exactly with tests/golden/default-report.json.

After a deliberate change to any rule, regenerate the golden with
`STORYKIT_REGENERATE=1 pytest tests/test_default_report.py` and review its diff like code:
every finding in it must be one you would defend to a script editor.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from storykit.lint import LintResult, lint_project
from storykit.lint.report import json_report
from storykit.model import Project

GOLDEN = Path(__file__).parent / "golden" / "default-report.json"


@pytest.fixture(scope="session")
def report(default_project: Project) -> list[dict]:
    result: LintResult = lint_project(default_project)
    return json.loads(json_report.render(result, default_project))


def find(report: list[dict], rule: str, path: str, *words: str) -> list[dict]:
    return [
        f
        for f in report
        if f["rule"] == rule and f["path"] == path and all(w in f["message"] for w in words)
    ]


def test_the_default_report_matches_the_golden_file(report: list[dict]) -> None:
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("STORYKIT_REGENERATE") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.is_file(), "no golden report: run with STORYKIT_REGENERATE=1 and review it"
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_bedsync_ishmael_is_unseeded_in_the_final_image(report: list[dict]) -> None:
    (ishmael,) = find(report, "unseeded", "outlines/bedsync.md", "Ishmael")
    assert "Final Image" in ishmael["message"]
    assert (ishmael["severity"], ishmael["treatment"]) == ("warning", "bedsync")
    assert ishmael["line"] == 52  # the Final Image paragraph; the column is checked below


def test_exact_positions_point_at_the_words(report: list[dict], default_root: Path) -> None:
    for finding in report:
        if finding["rule"] in ("unseeded", "dropped-thread") and finding["path"].endswith(".md"):
            line = (
                (default_root / finding["path"]).read_text("utf-8").split("\n")[finding["line"] - 1]
            )
            at = line[finding["column"] - 1 :]
            assert at[:1].isalpha(), (finding, at[:30])
    (ishmael,) = find(report, "unseeded", "outlines/bedsync.md", "Ishmael")
    line = (
        (default_root / "outlines/bedsync.md").read_text("utf-8").split("\n")[ishmael["line"] - 1]
    )
    assert line[ishmael["column"] - 1 :].startswith("Ishmael")


def test_bedtime_nexus_sister_and_father_are_unseeded_in_the_climax(report: list[dict]) -> None:
    for who in ("Max's sister", "Lila's father"):
        (found,) = find(report, "unseeded", "outlines/bedtime-nexus.md", who)
        assert "Finale" in found["message"], found
        assert found["treatment"] == "bedtime-nexus"


def test_sleepsync_elena_sits_out_act_two_and_the_climax(report: list[dict]) -> None:
    (elena,) = find(report, "dropped-thread", "outlines/sleepsync.md", "Elena")
    assert "Act Two" in elena["message"] and "climax" in elena["message"]
    assert elena["severity"] == "warning"


def test_neoterra_festival_is_dropped(report: list[dict]) -> None:
    (festival,) = find(report, "dropped-thread", "outlines/neoterra.md", "festival")
    assert festival["severity"] == "warning"
    assert "never mentioned again" in festival["message"]


def test_bedsync_corporate_player_returns_but_never_pays_off(report: list[dict]) -> None:
    (player,) = find(report, "dropped-thread", "outlines/bedsync.md", "corporate player")
    assert player["severity"] == "info"
    assert "its declared payoff (Finale) never mentions it" in player["message"]


def test_the_revised_bedsync_lints_clean(report: list[dict]) -> None:
    """The revision mends every continuity flaw of the seed: not one finding, at any level."""
    assert [f for f in report if f["path"] == "outlines/bedsync-revised.md"] == []


def test_the_default_loads_cleanly(report: list[dict]) -> None:
    load_rules = {"schema", "duplicate-id", "relationship"}
    assert [f for f in report if f["rule"] in load_rules] == []
