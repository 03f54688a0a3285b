"""Fountain and FDX exports: read back by an independent Fountain parser (jouvence, from PyPI)
and by an XML parser, on every outline of the default and on hostile text."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import fountain_parser
import pytest
from jouvence.document import (
    TYPE_ACTION,
    TYPE_CHARACTER,
    TYPE_DIALOG,
    TYPE_PARENTHETICAL,
    TYPE_SECTION,
    TYPE_SYNOPSIS,
    TYPE_TRANSITION,
)
from jouvence.parser import JouvenceParser

from storykit.export.fdx import to_fdx
from storykit.export.fountain import to_fountain
from storykit.lint import lint_project
from storykit.load import find_outline, load_project
from storykit.model import Outline, Project

GOLDEN = Path(__file__).parent / "golden" / "export"


def parse_fountain(text: str):
    return JouvenceParser().parseString(text)


def elements(document) -> list:
    return [p for scene in document.scenes for p in scene.paragraphs]


def flat(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def outlines(project: Project) -> list[Outline]:
    return list(project.outlines.values())


def test_fountain_of_every_default_outline_reads_back(default_project: Project) -> None:
    """An outline without scenes: acts and beats as sections, the beats' text as action (so a
    renderer prints what happens), the title page as the spec's keys."""
    assert len(default_project.outlines) >= 5
    for outline in outlines(default_project):
        document = parse_fountain(to_fountain(default_project, outline))
        title = document.title_values
        assert title["title"] == outline.label
        assert title["credit"] == "Written by"
        assert title["author"] == default_project.config.author
        assert title["draft date"] == default_project.config.draft_date
        assert title["contact"] == default_project.config.contact
        found = elements(document)
        acts = [p.text for p in found if p.type == TYPE_SECTION and p.depth == 1]
        beats = [p.text for p in found if p.type == TYPE_SECTION and p.depth == 2]
        # jouvence joins consecutive action paragraphs: split them at their blank lines again
        action = [
            chunk.strip()
            for p in found
            if p.type == TYPE_ACTION
            for chunk in p.text.split("\n\n")
            if chunk.strip()
        ]
        assert acts == [a.name for a in outline.acts if a.name], outline.name
        assert beats == [b.name for b in outline.beats], outline.name
        assert action == [flat(p.text) for b in outline.beats for p in b.paragraphs], outline.name
        intros = [flat(p.text) for a in outline.acts for p in a.intro]
        assert [p.text for p in found if p.type == TYPE_SYNOPSIS] == intros, outline.name
        assert not [p for p in found if p.type == TYPE_CHARACTER], outline.name


def test_fountain_golden(default_project: Project) -> None:
    text = to_fountain(default_project, default_project.outlines["bedsync"])
    path = GOLDEN / "bedsync.fountain"
    if os.environ.get("STORYKIT_REGENERATE") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), "no golden file: run with STORYKIT_REGENERATE=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def write_beat(root: Path, text: str) -> None:
    path = root / "outlines" / "first-draft.md"
    source = path.read_text(encoding="utf-8")
    anchor = "The radio says Tom's boat is missing in the storm."
    path.write_text(source.replace(anchor, text), encoding="utf-8")


SCENES = """The radio says Tom's boat is missing in the storm.

### INT. LIGHTHOUSE - NIGHT

Ruth grabs the handset.

RUTH
(into the handset)
Harbour, this is Gull Rock.

RADIO (V.O.)
(crackling)
Tom's boat is missing.

TOM ^
I'm out here.

CUT TO:

### The long wait

!RUTH WAITS.
SHE DOES NOT SLEEP."""


def test_scenes_export_as_a_script_an_independent_parser_reads(new_project: Path) -> None:
    write_beat(new_project, SCENES)
    project = load_project(new_project)
    text = to_fountain(project, project.outlines["first-draft"])
    found = elements(parse_fountain(text))
    document = parse_fountain(text)
    assert [s.header for s in document.scenes if s.header] == [
        "INT. LIGHTHOUSE - NIGHT",
        "THE LONG WAIT",  # a free title, forced as a heading
    ]
    assert ".THE LONG WAIT" in text.splitlines()
    cues = [p.text for p in found if p.type == TYPE_CHARACTER]
    # jouvence reads `^` only after a forced (@) name, which the spec does not require; the
    # second parser reads the dual cue as the spec says.
    assert cues == ["RUTH", "RADIO (V.O.)"]
    theirs = [
        (e.name, e.extensions, e.is_dual)
        for e in fountain_parser.parse(text).elements
        if isinstance(e, fountain_parser.Character)
    ]
    assert theirs == [("RUTH", [], False), ("RADIO", ["V.O."], False), ("TOM", [], True)]
    assert [p.text for p in found if p.type == TYPE_PARENTHETICAL] == [
        "(into the handset)",
        "(crackling)",
    ]
    assert [p.text for p in found if p.type == TYPE_DIALOG] == [
        "Harbour, this is Gull Rock.",
        "Tom's boat is missing.",
    ]
    assert "TOM ^\nI'm out here." in text
    assert [p.text for p in found if p.type == TYPE_TRANSITION] == ["CUT TO:"]
    # Capitals over two lines read as a cue and its speech, in an outline's scene as in
    # Fountain: forced with ! in the outline, they stay forced action in the export.
    assert "!RUTH WAITS.\nSHE DOES NOT SLEEP." in text
    assert any(p.type == TYPE_ACTION and "RUTH WAITS" in p.text for p in found)
    # The beat's own text, before its first scene, is a synopsis (not printed).
    assert "= The radio says Tom's boat is missing in the storm." in text.splitlines()


def test_scenes_export_as_fdx_paragraph_types(new_project: Path) -> None:
    write_beat(new_project, SCENES)
    project = load_project(new_project)
    root = ET.fromstring(to_fdx(project, project.outlines["first-draft"]))
    content = root.find("Content")
    assert content is not None
    kinds = [
        (p.get("Type"), p.findtext("Text")) for p in content.iter("Paragraph") if p.get("Type")
    ]
    assert ("Scene Heading", "INT. LIGHTHOUSE - NIGHT") in kinds
    assert ("Character", "RADIO (V.O.)") in kinds
    assert ("Parenthetical", "(crackling)") in kinds
    assert ("Dialogue", "Tom's boat is missing.") in kinds
    assert ("Transition", "CUT TO:") in kinds
    heading = next(p for p in content.iter("Paragraph") if p.get("Type") == "Scene Heading")
    properties = heading.find("SceneProperties")
    assert properties is not None and properties.get("Title") == "Catalyst"
    assert heading.findtext("SceneProperties/Summary/Paragraph/Text") == (
        "The radio says Tom's boat is missing in the storm."
    )
    # A beat without scenes keeps its name (a General paragraph) and its text as action.
    assert ("General", "Opening Image") in kinds


def test_notes_sit_under_the_paragraph_they_are_about(new_project: Path) -> None:
    write_beat(new_project, "The radio says Thom's boat is missing in the storm.")
    project = load_project(new_project, strict=False)
    findings = lint_project(project).findings
    assert any(f.rule == "near-miss-name" for f in findings)
    text = to_fountain(project, project.outlines["first-draft"], findings)
    lines = [line for line in text.splitlines() if line]
    at = lines.index("The radio says Thom's boat is missing in the storm.")
    assert lines[at + 1].startswith("[[") and "near-miss-name" in lines[at + 1]
    assert "Tom" in lines[at + 1]
    # Without findings there are no notes at all.
    assert "[[" not in to_fountain(project, project.outlines["first-draft"])


def test_a_note_never_splits_a_speech(new_project: Path) -> None:
    write_beat(new_project, "### INT. LIGHTHOUSE - NIGHT\n\nRUTH\nWhere is Thom?")
    project = load_project(new_project, strict=False)
    findings = lint_project(project).findings
    text = to_fountain(project, project.outlines["first-draft"], findings)
    found = elements(parse_fountain(text))
    assert [p.text for p in found if p.type == TYPE_DIALOG] == ["Where is Thom?"]
    lines = text.splitlines()
    assert lines[lines.index("Where is Thom?") + 2].startswith("[[")


def test_text_that_looks_like_fountain_markup_stays_text(new_project: Path) -> None:
    write_beat(new_project, "Tom scrawls /* and [[ on the wall,\nthen ]] and */ below.")
    project = load_project(new_project, strict=False)
    document = parse_fountain(to_fountain(project, project.outlines["first-draft"]))
    found = elements(document)
    action = [p.text.strip() for p in found if p.type == TYPE_ACTION]
    assert any(s.startswith("Tom scrawls") and "below" in s for s in action)
    # The beats after it were not swallowed by a boneyard or a note.
    beats = [p.text for p in found if p.type == TYPE_SECTION and p.depth == 2]
    assert beats == ["Opening Image", "Catalyst", "Midpoint", "Finale"]


def of_type(paragraphs: list[ET.Element], kind: str) -> list[ET.Element]:
    return [p for p in paragraphs if p.get("Type") == kind]


def test_fdx_of_every_default_outline_is_final_draft_xml(default_project: Project) -> None:
    for outline in outlines(default_project):
        root = ET.fromstring(to_fdx(default_project, outline))
        assert root.tag == "FinalDraft"
        assert root.attrib == {"DocumentType": "Script", "Template": "No", "Version": "5"}
        content = root.find("Content")
        assert content is not None
        paragraphs = content.findall("Paragraph")
        assert [p.findtext("Text") for p in of_type(paragraphs, "New Act")] == [
            a.name.upper() for a in outline.acts if a.name
        ]
        assert [p.findtext("Text") for p in of_type(paragraphs, "General")] == [
            b.name for b in outline.beats
        ]
        action = [p.findtext("Text") for p in of_type(paragraphs, "Action")]
        assert action == [flat(p.text) for b in outline.beats for p in b.paragraphs]
        title_texts = [t.text for t in root.iterfind("TitlePage/Content/Paragraph/Text") if t.text]
        assert outline.label.upper() in title_texts
        assert default_project.config.author in title_texts


def test_fdx_drops_characters_xml_cannot_hold(new_project: Path) -> None:
    write_beat(new_project, 'Tom\x07 & <Ruth> say "ok"\x1b.')
    project = load_project(new_project, strict=False)
    root = ET.fromstring(to_fdx(project, project.outlines["first-draft"]))
    texts = [t.text or "" for t in root.iter("Text")]
    assert 'Tom & <Ruth> say "ok".' in texts


def test_find_outline_by_name_or_path(default_project: Project) -> None:
    assert find_outline(default_project, "bedsync").name == "bedsync"
    assert find_outline(default_project, "outlines/neoterra.md").name == "neoterra"


@pytest.mark.parametrize("kind", ["fountain", "fdx"])
def test_export_command(storykit_cli, new_project: Path, tmp_path: Path, kind: str) -> None:
    printed = storykit_cli("export", kind, "first-draft", cwd=new_project)
    assert printed.returncode == 0, printed.stderr
    assert "Opening Image" in printed.stdout or "OPENING IMAGE" in printed.stdout
    out = tmp_path / "out" / f"draft.{kind}"
    wrote = storykit_cli(
        "export", kind, str(new_project / "outlines/first-draft.md"), "--out", str(out)
    )
    assert wrote.returncode == 0, wrote.stderr
    assert out.read_text(encoding="utf-8") == printed.stdout
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary left behind
    typo = storykit_cli("export", kind, "frist-draft", cwd=new_project)
    assert typo.returncode == 2 and "did you mean 'first-draft'" in typo.stderr
    assert typo.stdout == ""
    folder = storykit_cli("export", kind, "first-draft", "--out", str(tmp_path), cwd=new_project)
    assert folder.returncode == 2 and "is a folder" in folder.stderr
    outline = new_project / "outlines/first-draft.md"
    before = outline.read_bytes()
    own = storykit_cli("export", kind, "first-draft", "--out", str(outline), cwd=new_project)
    assert own.returncode == 2 and "one of the project's own files" in own.stderr
    assert outline.read_bytes() == before  # the writer's outline is never overwritten


def test_export_fountain_notes_command(storykit_cli, new_project: Path) -> None:
    write_beat(new_project, "The radio says Thom's boat is missing in the storm.")
    result = storykit_cli(
        "export", "fountain", "first-draft", "--notes", "--project", str(new_project)
    )
    assert result.returncode == 0, result.stderr
    assert "\n[[warning near-miss-name: 'Thom's' is not in the bible" in result.stdout


def test_shell_completion_offers_commands_outlines_and_kinds(new_project: Path) -> None:
    """typer's completion, as the script `storykit --install-completion` installs would ask it
    (through the installed `storykit` command: the variable is named after the program)."""
    command = Path(sys.executable).parent / "storykit"

    def complete(words: str) -> list[str]:
        env = {
            **os.environ,
            "_STORYKIT_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        result = subprocess.run(
            [str(command)], cwd=new_project, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert complete("storykit ex") == ["export"]
    assert complete("storykit export fountain ") == ["first-draft"]
    assert complete("storykit schema c") == ["character", "config"]
