"""The PDFs read back with pypdf: the treatment as a producer expects it, and the series bible."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from storykit.compile.build import build
from storykit.compile.typography import typeset
from storykit.load import load_project
from storykit.load.project import embedded_default
from storykit.model import Outline, Project


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    source = embedded_default()
    root = tmp_path_factory.mktemp("pdf") / "default"
    root.mkdir()
    shutil.copy2(source / "storykit.yaml", root / "storykit.yaml")
    for folder in ("bible", "outlines"):
        shutil.copytree(source / folder, root / folder)
    project = load_project(root, strict=False)
    build(project)
    return project, root / "build"


def flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def printed(text: str) -> str:
    """`text` as the documents print it: repaired, typeset, flattened."""
    return flat(typeset(text))


def outline_tree(reader: PdfReader) -> list[tuple[int, str]]:
    """(level, title) of every bookmark, in document order."""
    found: list[tuple[int, str]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title))

    walk(reader.outline, 1)
    return found


def outlines(project: Project) -> list[Outline]:
    return sorted(project.outlines.values(), key=lambda o: o.name)


def test_every_treatment_reads_as_a_treatment(pdf_build: tuple[Project, Path]) -> None:
    project, folder = pdf_build
    config = project.config
    for outline in outlines(project):
        reader = PdfReader(folder / f"treatments/{outline.name}.pdf")
        pages = [page.extract_text() or "" for page in reader.pages]
        assert 3 <= len(pages) <= 6, outline.name
        # The WGA title page: title, "Written by", author, contact, draft and date in words.
        title_page = flat(pages[0])
        for expected in (outline.title, "written by", config.author, "draft", "november 22, 2026"):
            assert flat(expected) in title_page, (outline.name, expected)
        assert config.draft_date not in title_page and "a treatment by" not in title_page
        for line in config.contact.splitlines():
            assert flat(line) in title_page
        body = flat("\n".join(pages[1:]))
        logline = project.treatments[outline.treatment].logline
        assert printed(logline) in body
        # Acts in order, each told as prose: the beat names are bookmarks, not headings.
        position = 0
        for act in outline.acts:
            found = body.find(flat(act.name), position)
            assert found >= 0, (outline.name, act.name)
            position = found
            for beat in act.beats:
                for paragraph in beat.paragraphs:
                    found = body.find(printed(paragraph.text)[:80], position)
                    assert found >= 0, (outline.name, beat.name)
                    position = found
        # No page of a few lines at the end: the story's last lines keep company.
        last = [line for line in pages[-1].splitlines() if line.strip()]
        assert len(last) >= 8, (outline.name, last)


def test_principal_characters_are_who_the_story_is_about(pdf_build: tuple[Project, Path]) -> None:
    project, folder = pdf_build
    from storykit.analysis.context import build_index
    from storykit.compile.treatment import PRINCIPAL_BEATS

    index = build_index(project)
    for outline in outlines(project):
        page = flat(PdfReader(folder / f"treatments/{outline.name}.pdf").pages[1].extract_text())
        listed = page.split("principal characters", 1)[1]
        presence = index.presence.get(outline.name, {})
        for character in project.characters.values():
            beats = sum(1 for ids in presence.values() if character.id in ids)
            introduced = f"{flat(typeset(character.name))} (" in listed or (
                f"{flat(typeset(character.name))}. " in listed
            )
            if beats >= PRINCIPAL_BEATS:
                assert introduced, (outline.name, character.id, beats)
            if character.role == "minor" and beats < PRINCIPAL_BEATS:
                assert not introduced, (outline.name, character.id)


def test_page_numbers_top_right_but_not_on_the_title_page(pdf_build: tuple[Project, Path]) -> None:
    project, folder = pdf_build
    reader = PdfReader(folder / "treatments/bedsync.pdf")
    first = (reader.pages[0].extract_text() or "").split()
    assert not any(word.rstrip(".").isdigit() and word.endswith(".") for word in first)
    for number, page in enumerate(reader.pages[1:], start=1):
        numbers: list[tuple[float, float]] = []

        def visitor(
            text: str,
            cm: list[float],
            tm: list[float],
            *_: object,
            n: int = number,
            numbers: list[tuple[float, float]] = numbers,
        ) -> None:
            if text.strip() == f"{n}.":  # where the text matrix puts it, in page space
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                numbers.append((x, y))

        page.extract_text(visitor_text=visitor)
        assert numbers, f"page {number + 1} has no number"
        x, y = numbers[0]
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert x > width / 2 and y > height * 0.85, (number, x, y)


def test_acts_and_beats_are_bookmarks(pdf_build: tuple[Project, Path]) -> None:
    project, folder = pdf_build
    for outline in outlines(project):
        tree = outline_tree(PdfReader(folder / f"treatments/{outline.name}.pdf"))
        expected = []
        for act in outline.acts:
            expected.append((1, act.name))
            expected += [(2, beat.name) for beat in act.beats]
        story = [item for item in tree if item not in ((1, "Logline"), (1, "Principal characters"))]
        assert story == expected, outline.name


def test_metadata_and_embedded_courier_prime(pdf_build: tuple[Project, Path]) -> None:
    project, folder = pdf_build
    reader = PdfReader(folder / "treatments/bedsync.pdf")
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title and "BedSync" in metadata.title
    assert metadata.author == project.config.author
    assert reader.trailer["/Root"]["/Lang"] == project.config.language
    assert metadata["/CreationDate"].startswith("D:" + project.config.draft_date.replace("-", ""))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (
                descendants[0].get_object()["/FontDescriptor"]
                if descendants
                else font["/FontDescriptor"]
            ).get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert fonts and all(name.startswith("Courier") for name in fonts), fonts


def test_series_bible_has_every_treatment_and_a_presence_chart(
    pdf_build: tuple[Project, Path],
) -> None:
    project, folder = pdf_build
    reader = PdfReader(folder / "series-bible.pdf")
    text = flat("\n".join(page.extract_text() or "" for page in reader.pages))
    for treatment in project.treatments.values():
        assert flat(treatment.title) in text
        assert printed(treatment.premise)[:80] in text
    for character in project.characters.values():
        assert printed(character.name) in text
    top = [title for level, title in outline_tree(reader) if level == 1]
    assert top[: len(project.treatments)] == [t.title for t in project.treatments.values()]
    assert "who is present, beat by beat" in text
    # The chart is drawn, not typed: vector paths on the page that holds it.
    chart_pages = [p for p in reader.pages if "beat by beat" in (p.extract_text() or "").casefold()]
    assert chart_pages
    assert any(b" re" in p.get_contents().get_data() for p in chart_pages)


def _entries_with_notes(project: Project) -> list[tuple[str, str]]:
    entries = [*project.entries, *project.treatments.values()]
    return [(e.id, " ".join(e.notes.split())) for e in entries if e.notes.strip()]


def test_room_notes_show_on_the_site_and_never_in_a_pdf(pdf_build: tuple[Project, Path]) -> None:
    project, folder = pdf_build
    noted = _entries_with_notes(project)
    assert len(noted) > 20  # the default keeps its commentary in notes:
    pdf_text = flat(
        " ".join(
            page.extract_text() or ""
            for pdf in sorted(folder.rglob("*.pdf"))
            for page in PdfReader(pdf).pages
        )
    )
    site = flat(html.unescape((folder / "bible.html").read_text(encoding="utf-8")))
    for entry_id, notes in noted:
        opening = printed(notes)[:60]
        assert opening not in pdf_text, entry_id
        assert opening in site, entry_id
    # The commentary the issue found printed in the series bible is gone from every PDF.
    for phrase in ("garbled clause", "as-written outline", "revised outline", "the seed"):
        assert phrase not in pdf_text, phrase


def test_no_pdf_prints_damage_or_straight_quotes(pdf_build: tuple[Project, Path]) -> None:
    project, folder = pdf_build
    damaged = "otherâ€™s"
    assert any(damaged in beat.text for o in project.outlines.values() for beat in o.beats)
    for pdf in sorted(folder.rglob("*.pdf")):
        text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        assert "â€" not in text and "Ã" not in text, pdf.name
        assert '"' not in text, pdf.name  # one style: curly quotes everywhere
    sleepsync = "\n".join(
        p.extract_text() or "" for p in PdfReader(folder / "treatments/sleepsync.pdf").pages
    )
    assert "each other’s beliefs" in " ".join(sleepsync.split())


def test_the_word_treatment_matches_the_pdf(pdf_build: tuple[Project, Path]) -> None:
    import docx

    project, folder = pdf_build
    for outline in outlines(project):
        path = folder / f"treatments/{outline.name}.docx"
        document = docx.Document(str(path))
        paragraphs = [p for p in document.paragraphs if p.text.strip()]
        text = flat("\n".join(p.text for p in paragraphs))
        for expected in (outline.title, "written by", project.config.author, "november 22, 2026"):
            assert flat(expected) in text, (outline.name, expected)
        assert "â€" not in text and '"' not in text
        acts = [p.text for p in paragraphs if p.style is not None and p.style.name == "Heading 1"]
        assert acts == [a.name.upper() for a in outline.acts]
        for beat in outline.beats:
            for paragraph in beat.paragraphs:
                assert printed(paragraph.text) in text, (outline.name, beat.name)
        story = document.sections[1]
        assert (
            abs(story.page_width.inches - 8.5) < 0.01 and abs(story.left_margin.inches - 1.5) < 0.01
        )
        assert "PAGE" in story.header._element.xml  # a page-number field, top right
        assert "PAGE" not in document.sections[0].header._element.xml  # none on the title page
        assert document.core_properties.created.date().isoformat() == project.config.draft_date


def test_the_treatment_title_page_looks_like_its_golden(
    pdf_build: tuple[Project, Path], tmp_path: Path
) -> None:
    import subprocess

    from helpers import assert_looks_like

    _, folder = pdf_build
    stem = tmp_path / "title"
    pdf = folder / "treatments/bedsync.pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", pdf, stem], check=True
    )
    assert_looks_like(stem.with_suffix(".png"), "treatment-title.png")
