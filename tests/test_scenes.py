"""`###` scenes under a beat: loaded with their lines and slugline parts, their place resolved to
a `place` device, and shown in every built output (Markdown, HTML, the treatment PDF)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_storykit
from pypdf import PdfReader

from storykit.load import load_project
from storykit.script import parse_slugline

SCENES = """## Catalyst
The radio says Tom's boat is missing in the storm.

### INT. LIGHTHOUSE TOWER - NIGHT
Ruth hears the radio crackle; Tom's voice, then static.

### The long wait
Ruth watches the black water.
"""

PLACE = """id: lighthouse-tower
name: Lighthouse Tower
treatment: first-draft
kind: place
description: The tower Ruth keeps.
"""


def add_scenes(root: Path) -> None:
    path = root / "outlines" / "first-draft.md"
    text = path.read_text(encoding="utf-8")
    old = "## Catalyst\nThe radio says Tom's boat is missing in the storm.\n"
    assert old in text
    path.write_text(text.replace(old, SCENES), encoding="utf-8")
    (root / "bible" / "devices" / "lighthouse-tower.yaml").write_text(PLACE, encoding="utf-8")


@pytest.mark.parametrize(
    ("heading", "parts"),
    [
        ("INT. SLEEPPOD ARENA - NIGHT", ("INT", "SLEEPPOD ARENA", "NIGHT", "")),
        ("EXT. HARBOUR WALL - DAY #12A#", ("EXT", "HARBOUR WALL", "DAY", "12A")),
        ("INT./EXT. CAR - MOVING - CONTINUOUS", ("INT/EXT", "CAR - MOVING", "CONTINUOUS", "")),
        ("I/E TRAIN", ("INT/EXT", "TRAIN", "", "")),
        ("int. kitchen – dawn", ("INT", "kitchen", "dawn", "")),
        ("The long wait", ("", "", "", "")),
        ("Interior design", ("", "", "", "")),  # INT must be a word of its own
    ],
)
def test_sluglines_are_split_into_setting_place_and_time(heading: str, parts: tuple) -> None:
    slug = parse_slugline(heading)
    assert (slug.setting, slug.location, slug.time, slug.number) == parts


def tower_line(lines: list[str]) -> int:
    return lines.index("### INT. LIGHTHOUSE TOWER - NIGHT") + 1


def test_scenes_keep_their_lines_text_and_place(new_project: Path) -> None:
    add_scenes(new_project)
    project = load_project(new_project)
    outline = project.outlines["first-draft"]
    lines = outline.source.split("\n")
    catalyst = next(b for b in outline.beats if b.slug == "catalyst")
    assert [s.heading for s in catalyst.scenes] == [
        "INT. LIGHTHOUSE TOWER - NIGHT",
        "The long wait",
    ]
    for scene in catalyst.scenes:
        assert lines[scene.line - 1] == f"### {scene.heading}"
    assert [p.text for p in catalyst.intro] == [
        "The radio says Tom's boat is missing in the storm."
    ]
    assert [p.text for p in catalyst.scenes[1].paragraphs] == ["Ruth watches the black water."]
    # The beat still holds all of its text: every rule that reads beats reads its scenes, and
    # the slugline's place (a "heading" paragraph at the heading's line and column).
    assert [p.line for p in catalyst.paragraphs if p.kind != "heading"] == [12, 15, 18]
    (heading,) = [p for p in catalyst.paragraphs if p.kind == "heading"]
    assert heading.line == tower_line(lines)
    assert heading.text.rstrip() == "    at   Lighthouse Tower"  # columns kept, the place as named
    tower, wait = catalyst.scenes
    place = project.place_of(outline.treatment, tower)
    assert place is not None and place.id == "lighthouse-tower"
    assert project.place_of(outline.treatment, wait) is None
    assert [s.heading for s in outline.scenes] == [s.heading for s in catalyst.scenes]


def test_a_scene_before_any_beat_opens_an_unnamed_beat(new_project: Path) -> None:
    path = new_project / "outlines" / "first-draft.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("# Act Two\n", "# Act Two\n### EXT. SEA - NIGHT\nWaves.\n\n"), encoding="utf-8"
    )
    outline = load_project(new_project).outlines["first-draft"]
    act = outline.acts[1]
    assert act.beats[0].name == "" and act.beats[0].slot is None
    assert [s.heading for s in act.beats[0].scenes] == ["EXT. SEA - NIGHT"]
    assert [b.name for b in act.beats[1:]] == ["Midpoint"]


def test_every_built_output_shows_the_scenes(new_project: Path) -> None:
    add_scenes(new_project)
    result = run_storykit("build", str(new_project))
    assert result.returncode == 0, result.stderr
    build = new_project / "build"
    markdown = (build / "outlines" / "first-draft.md").read_text(encoding="utf-8")
    assert "#### INT. LIGHTHOUSE TOWER - NIGHT" in markdown
    assert "#### The long wait" in markdown
    assert "Set in [Lighthouse Tower](../bible.html#device-lighthouse-tower) · NIGHT" in markdown
    # The scene's text comes once, under its heading, not again in the beat's own text.
    assert markdown.count("hears the radio crackle") == 1
    assert markdown.index("#### INT. LIGHTHOUSE") < markdown.index("hears the radio crackle")
    html = (build / "outlines" / "first-draft.html").read_text(encoding="utf-8")
    assert '<h4 class="scene-heading">INT. LIGHTHOUSE TOWER - NIGHT</h4>' in html
    assert 'href="../bible.html#device-lighthouse-tower">Lighthouse Tower</a>' in html
    assert "In this scene: Ruth, Tom" in html
    sheet = (build / "beats" / "first-draft.html").read_text(encoding="utf-8")
    assert '<p class="slot">Scenes: INT. LIGHTHOUSE TOWER - NIGHT · The long wait</p>' in sheet
    pdf = PdfReader(build / "treatments" / "first-draft.pdf")
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "INT. LIGHTHOUSE TOWER - NIGHT" in text
    assert text.index("LIGHTHOUSE TOWER") < text.index("hears the radio crackle")
    assert text.count("hears the radio crackle") == 1
    titles = [item.title for item in pdf.outline if not isinstance(item, list)]
    nested = [i.title for item in pdf.outline if isinstance(item, list) for i in _flat(item)]
    assert "INT. LIGHTHOUSE TOWER - NIGHT" in titles + nested


def _flat(items: list) -> list:
    return [x for item in items for x in (_flat(item) if isinstance(item, list) else [item])]


def test_the_rules_read_a_scenes_place_and_speeches(new_project: Path) -> None:
    from storykit.lint import lint_project

    add_scenes(new_project)
    path = new_project / "outlines" / "first-draft.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "### The long wait\nRuth watches the black water.\n",
        "### EXT. KRAKENHOLM PIER - NIGHT\nThe WIND howls.\n\nRUTH\n(to herself)\nCome home, Thom.\n",
    )
    path.write_text(text, encoding="utf-8")
    project = load_project(new_project)
    lines = project.outlines["first-draft"].source.split("\n")
    findings = [f for f in lint_project(project).findings if f.path == "outlines/first-draft.md"]
    found = {(f.rule, lines[f.line - 1][f.column - 1 :].split()[0].strip(",.")) for f in findings}
    # The slugline's place the bible lacks is an unknown name; the one it has is a mention (no
    # unused-entry for Lighthouse Tower); the cue RUTH and the emphasis WIND are no findings;
    # the misspelt name in the speech is a near miss.
    assert found == {("unknown-name", "KRAKENHOLM"), ("near-miss-name", "Thom")}, findings
    assert not [
        f
        for f in lint_project(project).findings
        if f.rule == "unused-entry" and "Lighthouse" in f.message
    ]
    # The outputs still show the scene as written.
    catalyst = next(b for b in project.outlines["first-draft"].beats if b.slug == "catalyst")
    assert catalyst.scenes[1].paragraphs[1].text == "RUTH\n(to herself)\nCome home, Thom."
    assert "RUTH\n(to herself)\nCome home, Thom." in catalyst.text
