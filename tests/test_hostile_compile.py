"""Compiled outputs stay what they claim (issue 18): a project stylesheet cannot make the
self-contained comparison page fetch anything, and no beats CSV cell becomes a formula."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from conftest import run_storykit

import storykit
from storykit.compile.stylesheets import strip_external_references

TIMEOUT = 300


def hostile_css(port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    return (
        f"@import url({base}/import.css);\n"
        f'@import "{base}/import2.css";\n'
        f"body {{ background: url({base}/bg.png) white; }}\n"
        f".a {{ background-image: u\\72l({base}/escaped.png); }}\n"
        f'@font-face {{ font-family: x; src: url("{base}/font.woff"); }}\n'
        f'.b {{ background: image-set("{base}/set.png" 1x); }}\n'
        f"@media screen {{ .c {{ background: URL( '{base}/media.png' ) }} }}\n"
        "h1 { color: rgb(1, 2, 3); }\n"
    )


def test_a_project_stylesheet_cannot_make_the_comparison_fetch(
    new_project: Path, listener: tuple[int, list[str]], browser, tmp_path: Path
) -> None:
    port, heard = listener
    (new_project / "templates").mkdir()
    (new_project / "templates/compare.css").write_text(hostile_css(port), "utf-8")
    out = tmp_path / "comparison.html"
    result = run_storykit(
        "compare", "first-draft", "first-draft", "-p", str(new_project),
        "--format", "html", "--out", str(out), timeout=TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page_text = out.read_text("utf-8")
    assert f"127.0.0.1:{port}" not in page_text
    assert "rgb(1, 2, 3)" in page_text  # the rest of the writer's stylesheet is kept
    page = browser.new_page()
    try:
        page.goto(out.as_uri())
        page.wait_for_load_state("networkidle")
    finally:
        page.close()
    assert heard == []


@pytest.mark.parametrize(
    ("css", "kept"),
    [
        ("a { background: url(data:image/png;base64,AAAA) }", "url(data:image/png;base64,AAAA)"),
        ("a { background: url(#frag) }", "url(#frag)"),
        ("/* a comment */ a { color: red }", "/* a comment */ a { color: red }"),
    ],
)
def test_local_references_are_kept(css: str, kept: str) -> None:
    assert kept in strip_external_references(css)


def test_no_beats_csv_cell_is_a_formula(new_project: Path) -> None:
    source = Path(storykit.__file__).parent / "structures/save-the-cat.yaml"
    formula = '\'=HYPERLINK("http://evil.example","x")\''
    text = source.read_text("utf-8").replace("{id: opening-image,", f"{{id: {formula},", 1)
    assert formula in text
    (new_project / "structures").mkdir()
    (new_project / "structures/save-the-cat.yaml").write_text(text, "utf-8")
    result = run_storykit("build", str(new_project), timeout=TIMEOUT)
    assert "internal error" not in result.stderr, result.stderr
    sheet = (new_project / "build/beats/first-draft.csv").read_text("utf-8")
    for row in csv.reader(io.StringIO(sheet)):
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (cell, row)
    assert "'=HYPERLINK" in sheet


def outline_with_extra(root: Path, extra: str) -> None:
    outline = root / "outlines/first-draft.md"
    text = outline.read_text("utf-8").replace("# Act Three\n", extra + "# Act Three\n")
    outline.write_text(text, "utf-8")


@pytest.mark.parametrize(
    ("what", "extra", "message"),
    [
        ("beats", "".join(f"## Beat {i}\nRuth walks on.\n\n" for i in range(1_000)), "beats"),
        ("acts", "".join(f"# Part {i}\n## Beat {i}\nRuth.\n\n" for i in range(100)), "acts"),
    ],
)
def test_an_outline_of_thousands_of_headings_is_refused_before_the_build(
    new_project: Path, what: str, extra: str, message: str
) -> None:
    # Lint reads it in well under a second; a build would lay out PDF pages for minutes.
    outline_with_extra(new_project, extra)
    result = run_storykit("build", str(new_project), timeout=TIMEOUT)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr
    assert re.search(
        rf"^outlines/first-draft\.md:\d+:1: error more than [\d,]+ {message}", result.stderr, re.M
    ), result.stderr
    assert not (new_project / "build/treatments").exists()
    assert run_storykit("lint", str(new_project), timeout=TIMEOUT).returncode in (0, 1)
