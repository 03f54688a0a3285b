"""Bible text is data: template syntax, markup and URLs come out as literal text, and the build
fetches nothing (a local HTTP server hears no request). Also the fetcher and the beats command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers import run_storykit
from markupsafe import escape

from storykit.compile.build import build
from storykit.compile.render import ASSETS_DIR, PdfMetadata, data_url, render_pdf, safe_url_fetcher
from storykit.compile.typography import typeset
from storykit.load import load_project


def test_hostile_bible_text_is_literal_and_fetches_nothing(
    new_project: Path, listener: tuple[int, list[str]]
) -> None:
    port, heard = listener
    hostile = [
        "{{ 7*7 }}",
        "<script>alert(1)</script>",
        f'<img src="http://127.0.0.1:{port}/x">',
        "file:///etc/passwd",
    ]
    character = new_project / "bible/characters/ruth.yaml"
    data = yaml.safe_load(character.read_text(encoding="utf-8"))
    data["description"] = " ".join(hostile)
    character.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    treatment = new_project / "bible/treatments/first-draft.yaml"
    data = yaml.safe_load(treatment.read_text(encoding="utf-8"))
    data["logline"] = " ".join(hostile)
    treatment.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    build(load_project(new_project, strict=False))
    out = new_project / "build"
    bible = (out / "bible.html").read_text(encoding="utf-8")
    # As typed, and never evaluated (the listener's port number may itself hold "49").
    assert "{{ 7*7 }} &lt;script&gt;" in bible and not re.search(r"\b49 &lt;script", bible)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bible and "<script" not in bible
    assert str(escape(typeset(f'<img src="http://127.0.0.1:{port}/x">'))) in bible
    # The only pictures on the page are storykit's own heat-maps, never one the bible asked for.
    pictures = re.findall(r"<img\b[^>]*>", bible)
    assert all(re.search(r'src="presence/[\w.-]+\.svg"', tag) for tag in pictures), pictures
    from pypdf import PdfReader

    for pdf in (out / "series-bible.pdf", out / "treatments/first-draft.pdf"):
        text = " ".join("".join(p.extract_text() or "" for p in PdfReader(pdf).pages).split())
        assert "{{ 7*7 }}" in text and "<script>alert(1)</script>" in text, pdf.name
        assert "file:///etc/passwd" in text
    assert heard == []


def test_the_fetcher_serves_only_package_assets(tmp_path: Path) -> None:
    fetcher = safe_url_fetcher()
    font = ASSETS_DIR / "fonts/Courier-Prime.otf"
    assert fetcher.fetch(font.as_uri()).read() == font.read_bytes()
    mine = data_url(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    allowed = safe_url_fetcher(data_urls=[mine])
    assert allowed.fetch(mine).read().startswith(b"<svg")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    link = ASSETS_DIR.parent / "templates"  # beside the assets, not in them
    for url in (
        "http://127.0.0.1:9/x",
        "https://example.com/x.css",
        "ftp://example.com/x",
        outside.as_uri(),
        "file:///etc/passwd",
        f"file://{ASSETS_DIR.as_posix()}/../../../../etc/passwd",
        (link / "site.css").as_uri(),
        "data:text/plain,hello",
        mine,
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 9


def test_a_pdf_with_foreign_references_renders_without_them() -> None:
    html = (
        '<html><body><p>text</p><img src="http://127.0.0.1:9/x.png">'
        '<img src="file:///etc/passwd"></body></html>'
    )
    fetcher = safe_url_fetcher()
    data = render_pdf(html, metadata=PdfMetadata(title="t"), url_fetcher=fetcher)
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert fetcher.refused == ["http://127.0.0.1:9/x.png", "file:///etc/passwd"]


def test_templates_from_the_project_override_the_package(new_project: Path) -> None:
    (new_project / "templates").mkdir()
    (new_project / "templates/index.html").write_text(
        "<!DOCTYPE html><html><body>{{ project_title }} our own index</body></html>",
        encoding="utf-8",
    )
    build(load_project(new_project, strict=False))
    assert "our own index" in (new_project / "build/index.html").read_text(encoding="utf-8")


def test_beats_command_prints_a_table_and_guesses_unknown_outlines() -> None:
    table = run_storykit("beats", "bedsync", "--pages", "110")
    assert table.returncode == 0, table.stderr
    assert "Catalyst" in table.stdout and "Break into Two" in table.stdout
    by_path = run_storykit("beats", "outlines/bedsync.md", "--format", "csv")
    assert by_path.returncode == 0
    assert by_path.stdout.splitlines()[0].startswith("beat,structure beat,act,page")
    three_act = run_storykit("beats", "bedsync", "--structure", "three-act", "--format", "csv")
    assert "Inciting Incident" in three_act.stdout
    unknown = run_storykit("beats", "bedsyn")
    assert unknown.returncode == 2
    assert "did you mean 'bedsync'" in unknown.stderr and "Traceback" not in unknown.stderr
    bad_structure = run_storykit("beats", "bedsync", "--structure", "save-the-kat")
    assert bad_structure.returncode == 2 and "save-the-cat" in bad_structure.stderr
