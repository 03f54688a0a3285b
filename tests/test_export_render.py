"""The exported script rendered by an independent renderer: afterwriting (from npm, installed
into a temporary folder once per session) to a PDF read back with pypdf; where npm is absent,
jouvence's HTML renderer. Either must print the scenes, cues and dialogue, not a blank page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from storykit.export.fountain import to_fountain
from storykit.importer import read_script
from storykit.load import load_project
from storykit.load.fountain import parse_fountain

SAMPLE = Path(__file__).parent / "fixtures" / "scripts" / "gull-rock.fountain"


@pytest.fixture(scope="session")
def afterwriting(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """afterwriting's command line script, or None when npm is absent (jouvence is used then)."""
    npm = shutil.which("npm")
    node = shutil.which("node")
    if npm is None or node is None:
        return None
    folder = tmp_path_factory.mktemp("afterwriting")
    result = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "afterwriting@1"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.skip(f"npm is here but could not install afterwriting: {result.stderr[-500:]}")
    return folder / "node_modules" / "afterwriting" / "awc.js"


def render(script: str, afterwriting: Path | None, tmp_path: Path) -> list[str]:
    """The text of each rendered page (afterwriting) or of the whole HTML (jouvence)."""
    source = tmp_path / "script.fountain"
    source.write_text(script, encoding="utf-8")
    if afterwriting is None:
        from jouvence.html import HtmlDocumentRenderer
        from jouvence.parser import JouvenceParser

        out = tmp_path / "script.html"
        with out.open("w", encoding="utf-8") as stream:
            HtmlDocumentRenderer().render_doc(JouvenceParser().parse(str(source)), stream)
        return [out.read_text(encoding="utf-8")]
    pdf = tmp_path / "script.pdf"
    result = subprocess.run(
        ["node", str(afterwriting), "--source", str(source), "--pdf", str(pdf), "--overwrite"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and pdf.is_file(), result.stdout + result.stderr
    return [page.extract_text() for page in PdfReader(pdf).pages]


def test_an_imported_script_exports_as_pages_of_script(
    afterwriting: Path | None, new_project: Path, tmp_path: Path
) -> None:
    from storykit.importer import apply_plan, plan_import

    project = load_project(new_project)
    script = read_script(SAMPLE)
    apply_plan(
        plan_import(project, script, treatment=None, structure=None, source="x"), new_project
    )
    project = load_project(new_project, strict=False)
    exported = to_fountain(project, project.outlines["gull-rock"])
    pages = render(exported, afterwriting, tmp_path)
    body = "\n".join(pages[1:] if afterwriting else pages)
    if afterwriting is not None:
        assert len(pages) >= 3, "a title page and the script's pages"
        assert "The Lamp at Gull Rock".upper() in pages[0].upper()
    original = parse_fountain(SAMPLE.read_text(encoding="utf-8"))
    for scene in original.scenes:
        heading = scene.heading.text.split("#")[0].strip()  # renderers drop #scene numbers#
        assert heading in body, heading
    for cue in original.cues:
        assert cue.text in body, cue.text
    for speech in (e for e in original.elements if e.kind == "dialogue"):
        for line in speech.text.split("\n"):
            assert " ".join(line.split()[:3]) in body, line


def test_an_outline_without_scenes_still_prints_what_happens(
    afterwriting: Path | None, default_project, tmp_path: Path
) -> None:
    outline = default_project.outlines["bedsync"]
    pages = render(to_fountain(default_project, outline), afterwriting, tmp_path)
    body = " ".join(" ".join(pages).split())
    first = " ".join(outline.beats[0].paragraphs[0].text.split()[:6])
    assert first in body
