"""`storykit report SCRIPT` on a small script whose every number was counted by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_storykit

from storykit.load import load_project
from storykit.load.fountain import parse_fountain
from storykit.script_report import script_report

SMALL = """Title: Small Hours

INT. KITCHEN - DAY

Ruth cooks.

RUTH
Tea?

TOM
Please.

EXT. GARDEN - NIGHT

TOM
Stars.

RUTH (O.S.)
Come in!

INT. KITCHEN - NIGHT

RUTH
Bed.
"""
KITCHEN = "id: kitchen\nname: Kitchen\ntreatment: first-draft\nkind: place\n"


@pytest.fixture
def project_with_script(new_project: Path) -> Path:
    (new_project / "bible" / "devices" / "kitchen.yaml").write_text(KITCHEN, encoding="utf-8")
    (new_project / "small.fountain").write_text(SMALL, encoding="utf-8")
    return new_project


def test_the_report_matches_the_hand_count(project_with_script: Path) -> None:
    project = load_project(project_with_script)
    report = script_report(parse_fountain(SMALL, "small.fountain"), project, "first-draft")
    # Printed lines, each block with the blank line before it, speech right under its cue:
    # scene 1 = heading 2 + action 2 + RUTH 2 + 1 + TOM 2 + 1 = 10; scene 2 = 2 + 2+1 + 2+1 = 8;
    # scene 3 = 2 + 2+1 = 5. At 55 lines a page: pages 1.0, 1 + 10/55, 1 + 18/55; 23/55 in all.
    assert [(s.number, s.page, s.eighths, s.length) for s in report.scenes] == [
        (1, 1.0, 1, "1/8"),
        (2, 1.2, 1, "1/8"),
        (3, 1.3, 1, "1/8"),
    ]
    assert report.pages == 0.4
    assert [s.speakers for s in report.scenes] == [["RUTH", "TOM"], ["TOM", "RUTH"], ["RUTH"]]
    # RUTH: 3 scenes, 3 speeches, Tea? + Come in! + Bed. = 4 words; TOM: 2, 2, Please. + Stars.
    assert [
        (c.cue, c.scenes, c.speeches, c.words, c.first_scene, c.entry) for c in report.characters
    ] == [
        ("RUTH", 3, 3, 4, 1, "ruth"),
        ("TOM", 2, 2, 2, 1, "tom"),
    ]
    assert [(loc.location, loc.scenes, loc.settings, loc.entry) for loc in report.locations] == [
        ("KITCHEN", [1, 3], ["INT"], "kitchen"),
        ("GARDEN", [2], ["EXT"], None),
    ]
    assert report.settings == {"INT": 2, "EXT": 1}
    assert report.times == {"DAY": 1, "NIGHT": 2}
    assert [s.place for s in report.scenes] == ["kitchen", None, "kitchen"]


def test_report_command_text_json_and_html(project_with_script: Path) -> None:
    script = str(project_with_script / "small.fountain")
    text = run_storykit("report", script)
    assert text.returncode == 0, text.stderr
    assert "Small Hours: 3 scenes" in text.stdout
    assert "Counts: INT 2, EXT 1; DAY 1, NIGHT 2" in text.stdout
    data = json.loads(run_storykit("report", script, "--format", "json").stdout)
    assert data["treatment"] == "first-draft"
    assert [s["length"] for s in data["scenes"]] == ["1/8", "1/8", "1/8"]
    assert data["characters"][0] == {
        "cue": "RUTH",
        "scenes": 3,
        "speeches": 3,
        "words": 4,
        "first_scene": 1,
        "entry": "ruth",
    }
    out = project_with_script / "build" / "scripts" / "small.html"
    html = run_storykit("report", script, "--format", "html", "--out", str(out))
    assert html.returncode == 0, html.stderr
    page = out.read_text(encoding="utf-8")
    assert '<a class="name" href="../bible.html#character-ruth">Ruth</a>' in page
    assert '<a class="name" href="../bible.html#device-kitchen">KITCHEN</a>' in page
    assert "<td>GARDEN</td><td>2</td><td>EXT</td><td>not in the bible</td>" in page
    bad = run_storykit("report", script, "--format", "pdf")
    assert bad.returncode == 2 and "text, json or html" in bad.stderr


def test_the_json_reports_fit_their_schemas(project_with_script: Path) -> None:
    from jsonschema import Draft202012Validator

    from storykit.jsonschema import packaged_schema_dir

    folder = packaged_schema_dir() / "output"
    script = str(project_with_script / "small.fountain")
    for schema, args in (
        ("script-report.json", ("report", script, "--format", "json")),
        ("import.json", ("import", script, "--format", "json", "--dry-run")),
    ):
        document = json.loads((folder / schema).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(document)
        result = run_storykit(*args)
        assert result.returncode == 0, result.stderr
        errors = list(Draft202012Validator(document).iter_errors(json.loads(result.stdout)))
        assert not errors, errors


def test_build_writes_a_report_page_per_script_linked_from_the_index(
    project_with_script: Path,
) -> None:
    script = project_with_script / "scripts" / "small.fountain"
    script.parent.mkdir()
    (project_with_script / "small.fountain").rename(script)
    result = run_storykit("build", str(project_with_script))
    assert result.returncode == 0, result.stderr
    build = project_with_script / "build"
    page = (build / "scripts" / "small.html").read_text(encoding="utf-8")
    assert "Script report of scripts/small.fountain · treatment first-draft" in page
    assert '<a class="name" href="../bible.html#character-ruth">Ruth</a>' in page
    index = (build / "index.html").read_text(encoding="utf-8")
    assert '<a href="scripts/small.html">Small Hours</a>' in index
    again = run_storykit("build", str(project_with_script))
    assert "0 written" in again.stderr + again.stdout
