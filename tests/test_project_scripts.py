"""Scripts kept in a project (scripts/, each tied to a treatment) are linted by plain
`storykit lint` with every rule that reads scripts; a script written for this test plants one
error per rule, and the clean version of it has none."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import run_storykit

from storykit.lint import lint_project
from storykit.lint.registry import all_rules
from storykit.load import load_project

BIBLE = {
    "treatments/inland.yaml": "id: inland\ntitle: Inland\n",
    "characters/sebastian.yaml": "id: sebastian\nname: Sebastian\ntreatment: inland\n",
    "characters/ada.yaml": "id: ada\nname: Ada\ntreatment: first-draft\nrole: supporting\n",
    "characters/owen.yaml": "id: owen\nname: Owen\ntreatment: first-draft\nrole: supporting\n",
}
# One planted error per rule that reads scripts, each on its own line (the comment says which).
PLANTED = {
    "dropped-thread": (7, "Ruth, Tom and Owen share supper under the light."),
    "spelling": (10, "The boat is lsot."),
    "near-miss-name": (17, "Thom runs along the wall, where Krakenholm boats wait in the dark."),
    "unknown-name": (17, None),
    "unknown-speaker": (19, "SARAH"),
    "count-mismatch": (26, "Ruth rows alone into the swell. The three of them are soaked."),
    "unseeded": (35, "Ruth, Tom and Ada drink tea. Sebastian waves from the door."),
    "foreign-name": (35, None),
}
SCRIPT = """Title: Storm

# Act One

INT. LIGHTHOUSE - NIGHT

Ruth, Tom and Owen share supper under the light.

RUTH
The boat is lsot.

TOM
Then we wait.

EXT. HARBOUR WALL - NIGHT

Thom runs along the wall, where Krakenholm boats wait in the dark.

SARAH
Nobody goes out in this.

# Act Two

EXT. OPEN SEA - NIGHT

Ruth rows alone into the swell. The three of them are soaked.

TOM (V.O.)
Ruth, go back.

# Act Three

INT. LIGHTHOUSE - DAWN

Ruth, Tom and Ada drink tea. Sebastian waves from the door.
"""
CLEAN = (
    SCRIPT.replace("Tom and Owen share", "Tom, Ada and Owen share")
    .replace("lsot", "lost")
    .replace(
        "Thom runs along the wall, where Krakenholm boats wait",
        "Tom runs along the wall, where Owen waits",
    )
    .replace("SARAH\n", "OWEN\n")
    .replace(" The three of them are soaked.", " Ada and Owen wave from the shore.")
    .replace("Sebastian waves", "Owen waves")
)


def make(root: Path, text: str, name: str = "scripts/first-draft/storm.fountain") -> Path:
    for rel, body in BIBLE.items():
        (root / "bible" / rel).write_text(body, encoding="utf-8")
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def script_rules() -> list[str]:
    return [r.name for r in all_rules() if "scripts" in r.reads]


def test_plain_lint_plants_one_finding_per_rule(new_project: Path) -> None:
    make(new_project, SCRIPT)
    assert sorted(script_rules()) == sorted(PLANTED)
    result = run_storykit("lint", str(new_project), "--format", "json")
    assert result.returncode == 1, result.stderr  # foreign-name is an error
    findings = [f for f in json.loads(result.stdout) if f["path"].startswith("scripts/")]
    assert sorted(f["rule"] for f in findings) == sorted(PLANTED), findings
    lines = SCRIPT.split("\n")
    for finding in findings:
        line, _ = PLANTED[finding["rule"]]
        assert finding["line"] == line, finding
        assert finding["path"] == "scripts/first-draft/storm.fountain"
        assert finding["treatment"] == "first-draft"
        assert lines[line - 1][finding["column"] - 1 :], finding


def test_the_clean_script_has_no_findings(new_project: Path) -> None:
    make(new_project, CLEAN)
    findings = lint_project(load_project(new_project)).findings
    assert [f for f in findings if f.path.startswith("scripts/")] == []


def test_cues_and_headings_are_read_for_names_not_spelling(new_project: Path) -> None:
    make(new_project, "Title: Storm\n\nINT. KICHTEN - NIGHT\n\nRUTH (CONT'D)\nWait.\n\nJAKS\nNo.\n")
    project = load_project(new_project)
    assert lint_project(project, select=["spelling"]).findings == []
    found = lint_project(project, select=["unknown-speaker"]).findings
    assert [(f.rule, f.line, f.column, f.message) for f in found] == [
        ("unknown-speaker", 8, 1, "'JAKS' speaks (1 speech) but is no character of the bible"),
    ]


def test_scripts_tie_to_a_treatment_by_key_folder_or_title(new_project: Path) -> None:
    make(
        new_project, "Title: Inland\n\nEXT. FIELD - DAY\n\nSebastian walks.\n", "scripts/a.fountain"
    )
    make(
        new_project,
        "Title: X\nTreatment: inland\n\nEXT. FIELD - DAY\n\nTom.\n",
        "scripts/b.fountain",
    )
    make(new_project, "Title: Y\n\nEXT. FIELD - DAY\n\nTom walks.\n", "scripts/inland/c.fountain")
    project = load_project(new_project, strict=False)
    assert {p: s.treatment for p, s in project.scripts.items()} == {
        "scripts/a.fountain": "inland",
        "scripts/b.fountain": "inland",
        "scripts/inland/c.fountain": "inland",
    }
    foreign = [f for f in lint_project(project).findings if f.rule == "foreign-name"]
    assert {(f.path, f.line) for f in foreign} == {
        ("scripts/b.fountain", 6),
        ("scripts/inland/c.fountain", 5),
    }


def test_a_script_no_treatment_claims_or_an_unknown_key_is_a_schema_error(
    new_project: Path,
) -> None:
    make(new_project, "Title: Nobody\n\nEXT. FIELD - DAY\n\nTom.\n", "scripts/lost.fountain")
    (new_project / "scripts/key.fountain").write_text(
        "Title: Key\nAuthor: me\nTreatment: inlnad\n\nEXT. A - DAY\n", encoding="utf-8"
    )
    result = run_storykit("lint", str(new_project))
    assert result.returncode == 2
    assert (
        "scripts/lost.fountain:1:1: error schema which treatment is this script a draft of?"
        in result.stdout
    )
    assert "scripts/key.fountain:3:1: error schema unknown treatment 'inlnad'" in result.stdout
    assert "did you mean 'inland'?" in result.stdout


def test_an_fdx_script_in_the_project_is_linted_at_its_xml_lines(new_project: Path) -> None:
    fdx = (Path(__file__).parent / "fixtures" / "scripts" / "gull-rock.fdx").read_text("utf-8")
    make(
        new_project,
        fdx.replace("Not tonight. Not him.", "Not tonihgt. Not him."),
        "scripts/first-draft/gull.fdx",
    )
    findings = lint_project(load_project(new_project), select=["spelling"]).findings
    found = [f for f in findings if f.path == "scripts/first-draft/gull.fdx"]
    typo = [f.message for f in found if "tonihgt" in f.message]
    assert typo == ["'tonihgt' is not in the dictionary; did you mean 'tonight'?"]
    lines = fdx.split("\n")
    assert found and all("<Paragraph" in lines[f.line - 1] for f in found)


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        (
            "latin.fountain",
            "Title: Caf\u00e9\n".encode("latin-1"),
            "latin.fountain:1:11: error not valid UTF-8",
        ),
        (
            "bomb.fdx",
            b'<?xml version="1.0"?>\n<!DOCTYPE x [\n <!ENTITY a "aaaa">\n]>\n<FinalDraft/>\n',
            "bomb.fdx:3:2: error refusing to read an entity declaration",
        ),
        ("page.fdx", b"<html/>\n", "page.fdx:1:1: error not a Final Draft file"),
    ],
)
def test_a_script_that_cannot_be_read_stops_the_lint_at_its_line(
    new_project: Path, name: str, data: bytes, said: str
) -> None:
    (new_project / "scripts").mkdir()
    (new_project / "scripts" / name).write_bytes(data)
    result = run_storykit("lint", str(new_project))
    assert result.returncode == 2
    assert f"scripts/{said}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_script_linked_from_outside_the_project_is_refused(
    new_project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.fountain"
    outside.write_text("Title: X\n\nEXT. A - DAY\n\nTom.\n", encoding="utf-8")
    (new_project / "scripts").mkdir()
    os.symlink(outside, new_project / "scripts" / "linked.fountain")
    result = run_storykit("lint", str(new_project))
    assert result.returncode == 2
    assert (
        "scripts/linked.fountain:1:1: error symbolic link points outside the project"
        in result.stderr
    )


def test_lint_of_one_fdx_file_names_its_cues_as_written(new_project: Path, tmp_path: Path) -> None:
    fdx = (Path(__file__).parent / "fixtures" / "scripts" / "gull-rock.fdx").read_text("utf-8")
    script = tmp_path / "draft.fdx"
    script.write_text(fdx.replace("<Text>TOM</Text>", "<Text>TUMM</Text>"), encoding="utf-8")
    result = run_storykit(
        "lint", str(script), "--project", str(new_project), "--select", "unknown-speaker"
    )
    assert result.returncode == 0, result.stderr
    assert "unknown-speaker 'TUMM' speaks (1 speech)" in result.stdout
    bad = tmp_path / "bad.fdx"
    bad.write_text("hello\n", encoding="utf-8")
    refused = run_storykit("lint", str(bad), "--project", str(new_project))
    assert refused.returncode == 2 and "bad.fdx:1:1: not well-formed XML" in refused.stderr
