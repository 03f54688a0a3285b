"""storykit build on the default project: golden text outputs, PDFs read back with pypdf,
reproducibility, and the incremental manifest.

The default is copied once per session and built once (a few seconds); tests that change inputs
work on their own copies.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from helpers import copy_default, run_storykit

from storykit.compile.build import build, output_stems
from storykit.load import load_project
from storykit.load.project import embedded_default
from storykit.model import Project

GOLDEN = Path(__file__).parent / "golden" / "compile"
REGENERATE = os.environ.get("STORYKIT_REGENERATE") == "1"
TEXT_SUFFIXES = (".html", ".md", ".csv")


def load(root: Path) -> Project:
    return load_project(root, strict=False)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the build: its bytes and its modification time in nanoseconds."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the default, built once for the session; its build/ must not be modified."""
    root = copy_default(tmp_path_factory.mktemp("compile") / "default")
    report = build(load(root))
    assert report.written and not report.skipped
    return root


@pytest.fixture(scope="session")
def default_outputs(built: Path) -> dict[str, bytes]:
    folder = built / "build"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_every_outline_gets_every_output(built: Path) -> None:
    project = load(built)
    stems = output_stems(project)
    assert len(stems) >= 5
    for stem in stems.values():
        for name in (
            f"outlines/{stem}.html",
            f"outlines/{stem}.md",
            f"beats/{stem}.html",
            f"beats/{stem}.md",
            f"beats/{stem}.csv",
            f"treatments/{stem}.pdf",
        ):
            assert (built / "build" / name).is_file(), name
    for name in (
        "index.html",
        "bible.html",
        "series-bible.pdf",
        "comparison.html",
        "comparison.json",
        "comparison.pdf",
        ".storykit-manifest.json",
    ):
        assert (built / "build" / name).is_file(), name


def test_golden_text_outputs(default_outputs: dict[str, bytes]) -> None:
    """HTML, Markdown and CSV outputs match tests/golden/compile (STORYKIT_REGENERATE=1 rewrites)."""
    texts = {name: data for name, data in default_outputs.items() if name.endswith(TEXT_SUFFIXES)}
    assert texts
    if REGENERATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in texts.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert sorted(texts) == sorted(expected)
    for name, data in texts.items():
        assert data.decode("utf-8") == expected[name].decode("utf-8"), name


def test_outputs_carry_no_machine_paths(default_outputs: dict[str, bytes], built: Path) -> None:
    for name, data in default_outputs.items():
        assert str(built).encode() not in data, name
        assert str(embedded_default()).encode() not in data, name


def test_outline_html_links_names_and_shows_findings(built: Path) -> None:
    page = (built / "build/outlines/bedsync.html").read_text(encoding="utf-8")
    assert '<a class="name" href="../bible.html#character-amelia">Amelia</a>' in page
    assert 'id="character-amelia"' in (built / "build/bible.html").read_text(encoding="utf-8")
    assert "Lint:" in page
    markdown = (built / "build/outlines/bedsync.md").read_text(encoding="utf-8")
    assert "[Amelia](../bible.html#character-amelia)" in markdown


def test_beat_sheet_pages_and_missing_beats(built: Path) -> None:
    csv_text = (built / "build/beats/bedsync.csv").read_text(encoding="utf-8")
    rows = {line.split(",")[0]: line for line in csv_text.splitlines()[1:] if line}
    # Save the Cat on the default's 110 pages: the positions the issue names.
    for beat, page in [
        ("Catalyst", "12"),
        ("Break into Two", "25"),
        ("Midpoint", "55"),
        ("All Is Lost", "75"),
        ("Break into Three", "85"),
    ]:
        assert rows[beat].split(",")[3] == page, rows[beat]
    assert ",missing," in rows["Theme Stated"]


def test_index_links_every_output(built: Path) -> None:
    index = (built / "build/index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"#]+)"', index))
    outputs = {
        p.relative_to(built / "build").as_posix()
        for p in (built / "build").rglob("*")
        if p.is_file() and p.name not in ("index.html", ".storykit-manifest.json")
    }
    assert outputs <= links
    assert "Lint:" in index


def test_two_builds_are_byte_identical(
    built: Path, tmp_path: Path, default_outputs: dict[str, bytes]
) -> None:
    other = copy_default(tmp_path / "again")
    build(load(other))
    again = {
        p.relative_to(other / "build").as_posix(): p.read_bytes()
        for p in (other / "build").rglob("*")
        if p.is_file()
    }
    assert sorted(again) == sorted(default_outputs)
    for name, data in again.items():
        assert data == default_outputs[name], name


def test_a_no_op_rebuild_writes_nothing(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "noop"
    shutil.copytree(built, root)
    before = snapshot(root / "build")
    report = build(load(root))
    assert report.written == [] and report.removed == []
    assert len(report.skipped) == len(before) - 1  # every output, not the manifest
    assert snapshot(root / "build") == before


def test_changing_one_outline_rebuilds_only_its_outputs(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "one"
    shutil.copytree(built, root)
    outline = root / "outlines/neoterra.md"
    outline.write_text(
        outline.read_text(encoding="utf-8") + "\nThe festival ends.\n", encoding="utf-8"
    )
    report = build(load(root))
    assert sorted(report.written) == sorted(
        [
            "outlines/neoterra.html",
            "outlines/neoterra.md",
            "beats/neoterra.html",
            "beats/neoterra.md",
            "beats/neoterra.csv",
            "beats/neoterra.pdf",
            "treatments/neoterra.pdf",
            "treatments/neoterra.docx",
            "presence/neoterra.svg",
            "bible.html",
            "series-bible.pdf",
            "comparison.html",
            "comparison.json",
            "comparison.pdf",
            "index.html",
        ]
    )


def test_a_tampered_or_deleted_output_is_rebuilt_and_a_removed_outline_cleaned(
    built: Path, tmp_path: Path
) -> None:
    root = tmp_path / "tamper"
    shutil.copytree(built, root)
    (root / "build/beats/bedsync.csv").write_text("edited by hand", encoding="utf-8")
    (root / "build/outlines/sleepsync.md").unlink()
    (root / "outlines/bedtime-nexus.md").unlink()
    report = build(load(root))
    assert "beats/bedsync.csv" in report.written
    assert "outlines/sleepsync.md" in report.written
    assert "treatments/bedtime-nexus.pdf" in report.removed
    assert not (root / "build/treatments/bedtime-nexus.pdf").exists()


def test_source_date_epoch_sets_the_pdf_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    root = copy_default(tmp_path / "epoch")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(load(root))
    metadata = PdfReader(root / "build/treatments/bedsync.pdf").metadata
    assert metadata is not None and metadata["/CreationDate"].startswith("D:20231114")


def test_strict_stops_on_errors_and_writes_nothing(tmp_path: Path) -> None:
    root = copy_default(tmp_path / "strict")
    report = build(load(root), strict=True)
    if report.lint.has_errors:
        assert report.stopped and not (root / "build").exists()
    else:
        assert not report.stopped


def test_an_out_folder_holding_the_project_is_refused(tmp_path: Path) -> None:
    from storykit.errors import BuildError

    root = copy_default(tmp_path / "refuse")
    for out in (root, root / "outlines", tmp_path):
        with pytest.raises(BuildError):
            build(load(root), out)


def test_odd_outline_file_names_get_safe_unique_stems(new_project: Path) -> None:
    template = (new_project / "outlines/first-draft.md").read_text(encoding="utf-8")
    for name in ("a b", "a-b", "con", "..x", "x" * 120):
        (new_project / f"outlines/{name}.md").write_text(template, encoding="utf-8")
    stems = output_stems(load(new_project))
    assert len(set(stems.values())) == len(stems)
    assert stems["first-draft"] == "first-draft"
    for stem in stems.values():
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,99}", stem), stem
        assert stem != "con"


def test_the_command_builds_and_reports(tmp_path: Path) -> None:
    root = copy_default(tmp_path / "cli")
    first = run_storykit("build", str(root))
    assert first.returncode in (0, 1), first.stderr
    assert "written" in first.stderr and "Traceback" not in first.stderr
    second = run_storykit("build", str(root), "--quiet")
    assert second.returncode == first.returncode
    assert second.stderr == "" and second.stdout == ""
    out = tmp_path / "elsewhere"
    third = run_storykit("build", str(root), "--out", str(out))
    assert (out / "index.html").is_file(), third.stderr


def test_the_build_carries_the_comparison_of_every_outline(built: Path) -> None:
    """build/comparison.* is `storykit compare --all`: every outline, aligned by beat."""
    import io
    import json

    from pypdf import PdfReader

    cli = run_storykit("compare", "--all", "--format", "json", cwd=built)
    assert cli.returncode == 0, cli.stderr
    assert (built / "build/comparison.json").read_text(encoding="utf-8") == cli.stdout
    data = json.loads(cli.stdout)
    assert len(data["outlines"]) == len(load(built).outlines) == 6
    page = (built / "build/index.html").read_text(encoding="utf-8")
    for ext in ("html", "pdf", "json"):
        assert f'href="comparison.{ext}"' in page
    pdf = PdfReader(io.BytesIO((built / "build/comparison.pdf").read_bytes()))
    box = pdf.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (612, 792)  # Letter, as every document


def test_beats_read_through_another_structure(default_project) -> None:
    from storykit.compile.beats import beat_sheet

    outline = default_project.outlines["bedsync"]
    sheet = beat_sheet(default_project, outline, None, "three-act")
    assert not any(row.missing for row in sheet.rows if row.beat_id in ("setup", "climax"))
    assert sum(1 for row in sheet.rows if row.missing) <= 2
    assert all(row.beat_id is not None for row in sheet.rows)  # no beat left over as extra
    assert sheet.pages == 120  # the structure's own length wins over the project's 110


def test_a_build_reuses_the_lints_index_and_makes_each_beat_sheet_once(
    new_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One index for the lint and every output; one beat sheet per outline for its three files."""
    import storykit.analysis.context
    import storykit.compile.beats

    project = load_project(new_project, strict=False)
    indexes: list[object] = []
    sheets: list[str] = []
    real_index = storykit.analysis.context.collect_index
    real_sheet = storykit.compile.beats.beat_sheet

    def counted_index(analysis):  # type: ignore[no-untyped-def]
        indexes.append(analysis)
        return real_index(analysis)

    def counted_sheet(project, outline, *args):  # type: ignore[no-untyped-def]
        sheets.append(outline.name)
        return real_sheet(project, outline, *args)

    monkeypatch.setattr(storykit.analysis.context, "collect_index", counted_index)
    monkeypatch.setattr(storykit.compile.beats, "beat_sheet", counted_sheet)
    report = build(project, tmp_path / "out")
    assert any(name.startswith("beats/") for name in report.written), report.written
    assert len(indexes) == 1
    assert sorted(sheets) == sorted(project.outlines)


def test_a_comment_only_change_rebuilds_nothing_whose_content_did_not_change(
    built: Path, tmp_path: Path
) -> None:
    root = tmp_path / "comment"
    shutil.copytree(built, root)
    character = root / "bible/characters/amelia.yaml"
    character.write_text(
        character.read_text(encoding="utf-8") + "# a note for the room, in a comment\n",
        encoding="utf-8",
    )
    assert build(load(root)).written == []
    # A comment that moves the file's lines changes only what prints findings with their lines.
    character.write_text("# first line\n" + character.read_text(encoding="utf-8"), "utf-8")
    assert set(build(load(root)).written) <= {"index.html"}


def test_presence_heat_maps_are_pictures_of_their_own(built: Path) -> None:
    import xml.etree.ElementTree as ET

    ns = {"svg": "http://www.w3.org/2000/svg"}

    def chart(name: str) -> ET.Element:
        return ET.parse(built / f"build/presence/{name}.svg").getroot()

    def columns(root: ET.Element) -> list[str]:
        return [
            t.text or "" for t in root.findall("svg:text", ns) if "rotate" in t.get("transform", "")
        ]

    as_written, revised = chart("bedsync"), chart("bedsync-revised")
    assert columns(as_written) == columns(revised)  # versions of one treatment line up
    cells = as_written.findall("svg:rect[@width='20'][@height='20']", ns)
    assert len(cells) == len(columns(as_written)) * 5  # Agnes, Amelia, Ishmael, Jax, Korin
    assert any(c.get("fill") == "url(#lacks)" for c in cells)  # the beats the original lacks
    lines = as_written.findall("svg:line", ns)
    dividers = [line for line in lines if line.get("stroke-width") == "1.6"]
    assert len(dividers) == 2  # between acts one, two and three
    red = [p for p in chart("neoterra").findall("svg:path", ns) if p.get("stroke") == "#c0182b"]
    assert [p.find("svg:title", ns).text for p in red] == [  # type: ignore[union-attr]
        "The dream-trade festival: set up, never paid off"
    ]
    page = (built / "build/outlines/bedsync.html").read_text(encoding="utf-8")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="presence-chart"' in page
    assert page.index("presence-chart") < page.index("<h2>Act One</h2>")
    assert page.index('id="findings"') > page.index("<h2>Act Three</h2>")  # lint after the story


def test_the_beat_sheet_pdf_puts_each_beat_on_its_row(built: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(built / "build/beats/bedsync.pdf")
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape Letter
    lines = [" ".join(line.split()) for line in page.extract_text().splitlines()]
    # The beat's name and the first words of what happens share a line.
    assert any(line.startswith("Catalyst 12 11% One evening") for line in lines), lines[:20]
