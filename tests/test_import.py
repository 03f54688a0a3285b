"""`storykit import SCRIPT`: a sample script (Fountain and its FDX twin, written for these tests)
drafted into tiny real projects; nothing overwritten; a second run reports changes only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import run_storykit

from storykit.export.fountain import to_fountain
from storykit.load import load_project
from storykit.load.fountain import parse_fountain

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"
SAMPLE = SCRIPTS / "gull-rock.fountain"
TREATMENT = "the-lamp-at-gull-rock"


def import_json(*args: str, cwd: Path | None = None) -> dict:
    result = run_storykit("import", *args, "--format", "json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def bible(root: Path, folder: str) -> dict[str, dict]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((root / "bible" / folder).glob("*.yaml"))
    }


@pytest.mark.parametrize("name", ["gull-rock.fountain", "gull-rock.fdx"])
def test_import_drafts_the_cast_places_and_outline(new_project: Path, name: str) -> None:
    before = {p: p.read_bytes() for p in new_project.rglob("*") if p.is_file()}
    report = import_json(str(SCRIPTS / name), "--project", str(new_project))
    assert report["treatment"] == TREATMENT
    # Nothing that was there is changed.
    assert {p: p.read_bytes() for p in before} == before
    characters = {
        k: v for k, v in bible(new_project, "characters").items() if v["treatment"] == TREATMENT
    }
    # Counted by hand in the sample: RUTH speaks 8 times (once CONT'D, once O.S.), McGREGOR 3
    # (once dual), RADIO 2 (V.O.), TOM once.
    cast = {
        c["name"]: (c.get("aliases", []), c["role"], c["description"]) for c in characters.values()
    }
    assert set(cast) == {"Ruth", "Maggie McGregor", "Radio", "Tom"}
    assert cast["Maggie McGregor"][0] == ["McGregor", "Maggie"]
    assert cast["Ruth"][1] == "protagonist"
    assert "Speaks 8 times in 5 scenes" in cast["Ruth"][2]
    assert "Speaks 3 times in 2 scenes" in cast["Maggie McGregor"][2]
    assert "Speaks 2 times in 1 scenes" in cast["Radio"][2]
    assert "Speaks 1 times in 1 scenes" in cast["Tom"][2]
    places = {v["name"] for v in bible(new_project, "devices").values() if v.get("kind") == "place"}
    assert places == {"Lighthouse Tower", "Harbour Wall", "The Wreck of the Marigold"}
    project = load_project(new_project)  # strict: every drafted file is a valid bible file
    outline = project.outlines["gull-rock"]
    script = parse_fountain(SAMPLE.read_text(encoding="utf-8"))
    assert [s.heading for s in outline.scenes] == [s.heading.text for s in script.scenes]
    assert [a.name for a in outline.acts] == ["Act One", "Act Two", "Act Three"]
    # Beats are estimated, and say so.
    assert outline.source.count("<!-- storykit import: beat estimated from page") == len(
        outline.beats
    )
    assert all(b.slot for b in outline.beats)
    for scene in outline.scenes:
        place = project.place_of(TREATMENT, scene)
        assert (place is not None) == bool(scene.slugline.setting), scene.heading


def test_a_second_import_reports_no_changes_and_writes_nothing(new_project: Path) -> None:
    import_json(str(SAMPLE), "--project", str(new_project))
    files = {p: p.read_bytes() for p in new_project.rglob("*") if p.is_file()}
    again = run_storykit("import", str(SAMPLE), "--project", str(new_project))
    assert again.returncode == 0, again.stderr
    assert "no changes" in again.stdout
    assert {p: p.read_bytes() for p in new_project.rglob("*") if p.is_file()} == files
    # The FDX twin is the same script: no changes either.
    twin = import_json(str(SCRIPTS / "gull-rock.fdx"), "--project", str(new_project))
    assert not [c for c in twin["changes"] if c["action"] in ("write", "added", "removed")]


def test_a_revised_script_reports_what_changed(new_project: Path, tmp_path: Path) -> None:
    import_json(str(SAMPLE), "--project", str(new_project))
    revised = tmp_path / "gull-rock.fountain"
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("EXT. HARBOUR WALL - NIGHT #2#", "EXT. HARBOUR STEPS - NIGHT #2#")
    text = text.replace(">THE END<", "INT. BOATHOUSE - DAY\n\nOWEN\nShe's back.\n\n>THE END<")
    revised.write_text(text, encoding="utf-8")
    report = import_json(str(revised), "--project", str(new_project))
    changes = {(c["action"], c["what"], c["name"]) for c in report["changes"]}
    assert ("added", "scene", "EXT. HARBOUR STEPS - NIGHT #2#") in changes
    assert ("removed", "scene", "EXT. HARBOUR WALL - NIGHT #2#") in changes
    assert ("added", "scene", "INT. BOATHOUSE - DAY") in changes
    assert ("added", "speaker", "OWEN") in changes
    assert ("write", "character", "Owen") in changes
    assert ("write", "place", "Boathouse") in changes
    written = [c for c in report["changes"] if c["action"] == "write"]
    assert {c["name"] for c in written} == {"Owen", "Harbour Steps", "Boathouse"}  # no duplicates


def test_known_characters_and_likely_typos_are_not_drafted(
    new_project: Path, tmp_path: Path
) -> None:
    script = tmp_path / "storm.fountain"
    script.write_text(
        "Title: Storm\n\nEXT. SEA - NIGHT\n\nRUTH\nTom!\n\nRUTHH\nHold on.\n\nTOM (O.S.)\nHere!\n",
        encoding="utf-8",
    )
    tom = (new_project / "bible/characters/tom.yaml").read_bytes()
    report = import_json(str(script), "--project", str(new_project), "--treatment", "first-draft")
    found = {
        c["name"]: (c["action"], c["detail"]) for c in report["changes"] if c["what"] == "character"
    }
    assert found["Ruth"] == ("known", "is Ruth (ruth)")
    assert found["Tom"] == ("known", "is Tom (tom)")
    assert found["Ruthh"][0] == "typo" and "Ruth (ruth)" in found["Ruthh"][1]
    assert (new_project / "bible/characters/tom.yaml").read_bytes() == tom
    assert not (new_project / "bible/characters/ruthh.yaml").exists()


def test_dry_run_and_no_project(new_project: Path, tmp_path: Path) -> None:
    files = sorted(new_project.rglob("*"))
    result = run_storykit("import", str(SAMPLE), "--project", str(new_project), "--dry-run")
    assert result.returncode == 0 and "nothing was" in result.stdout
    assert sorted(new_project.rglob("*")) == files
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "x.fountain").write_text("INT. A - DAY\n", encoding="utf-8")
    outside = run_storykit("import", str(lone / "x.fountain"), cwd=lone)
    assert outside.returncode == 2 and "storykit init" in outside.stderr
    assert sorted(p.name for p in lone.iterdir()) == ["x.fountain"]
    wrong = run_storykit("import", str(tmp_path / "x.docx"), "--project", str(new_project))
    assert wrong.returncode == 2 and ".fountain" in wrong.stderr


def test_round_trip_keeps_every_heading_cue_and_line_of_dialogue(new_project: Path) -> None:
    import_json(str(SAMPLE), "--project", str(new_project))
    project = load_project(new_project)
    exported = parse_fountain(to_fountain(project, project.outlines["gull-rock"]))
    original = parse_fountain(SAMPLE.read_text(encoding="utf-8"))

    def script(s):
        return (
            [e.text for e in s.elements if e.kind == "scene"],
            [(e.text, e.extensions, e.dual) for e in s.cues],
            [
                line
                for e in s.elements
                if e.kind in ("dialogue", "lyric", "parenthetical")
                for line in e.text.split("\n")
                if line.strip()
            ],
        )

    assert script(exported) == script(original)
