"""The comparison as a reader sees it: the HTML page in a real headless Chromium (Debian's, driven
by playwright; nothing is downloaded) and the PDF read back with pypdf."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import ARTIFACTS, assert_looks_like

from storykit.compile.compare import as_data, compare, project_order, render_comparison
from storykit.model import Project

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def everything(default_project: Project) -> Any:
    """The comparison of every default outline: five treatments and the revised BedSync."""
    return compare(default_project, project_order(default_project))


@pytest.fixture(scope="session")
def everything_data(everything: Any) -> dict:
    return as_data(everything)


@pytest.fixture(scope="session")
def comparison_page(
    default_project: Project, everything: Any, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    page = tmp_path_factory.mktemp("compare") / "comparison.html"
    page.write_bytes(render_comparison(default_project, everything, "html"))
    return page


@pytest.fixture(scope="module")
def opened(browser: Any, comparison_page: Path) -> Iterator[dict]:
    """The page loaded once at laptop width, with every request and console error recorded."""
    page = browser.new_page(viewport=LAPTOP)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(comparison_page.as_uri())
    page.wait_for_load_state("load")
    yield {"page": page, "requests": requests, "errors": errors, "url": comparison_page.as_uri()}
    page.close()


# JavaScript: is the element drawn where a reader can see it, and not hidden under another one?
_SEEN = """(element) => {
  element.scrollIntoView({block: "center", inline: "center"});
  const box = element.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return false;
  const x = Math.min(Math.max(box.left + 4, 0), window.innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), window.innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  return hit !== null && (element === hit || element.contains(hit));
}"""


def _visible_titles(page: Any) -> list[str]:
    return [
        t.inner_text() for t in page.locator("#beats thead th.col .title").all() if t.is_visible()
    ]


def test_two_outlines_side_by_side_and_a_picker_for_the_others(
    opened: dict, everything_data: dict
) -> None:
    page = opened["page"]
    labels = [o["label"] for o in everything_data["outlines"]]
    assert _visible_titles(page) == labels[:2]
    names = page.locator("#beats th.beat .name")
    assert names.all_inner_texts() == [row["name"] for row in everything_data["rows"]]
    for name in names.all():
        assert name.is_visible() and name.evaluate(_SEEN), name.inner_text()
    page.select_option("select[data-slot='0']", "3")
    page.select_option("select[data-slot='1']", "5")
    assert _visible_titles(page) == [labels[3], labels[5]]
    page.select_option("select[data-slot='0']", "0")
    page.select_option("select[data-slot='1']", "1")
    # Acts are row groups, one per act of the structure, in order.
    acts = page.locator("#beats tbody.act tr.act-row th").all_inner_texts()
    assert [a.casefold() for a in acts] == ["act 1", "act 2", "act 3"]


# JavaScript: the page never scrolls sideways, and no cell's content is cut off at its edge.
_FITS = """() => {
  const page = document.scrollingElement;
  const clipped = [];
  for (const cell of document.querySelectorAll('#beats th, #beats td, #cast td, #world td')) {
    const box = cell.getBoundingClientRect();
    if (box.width === 0) continue;  // a column the picker hides
    if (box.right > window.innerWidth + 1 || cell.scrollWidth > cell.clientWidth + 1)
      clipped.push(cell.innerText.slice(0, 40));
  }
  return {width: page.scrollWidth, inner: window.innerWidth, clipped: clipped};
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_no_sideways_scroll_and_no_clipped_column(
    browser: Any, comparison_page: Path, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(comparison_page.as_uri())
        fits = page.evaluate(_FITS)
        assert fits["width"] <= fits["inner"], fits
        assert fits["clipped"] == [], fits["clipped"][:5]
        if width < 720:  # cards: the beat's name above each outline's block, full width
            beat = page.locator("#beats th.beat").first.bounding_box()
            cell = page.locator("#beats td.col-0").first.bounding_box()
            assert beat and cell and cell["y"] > beat["y"] and cell["width"] > width * 0.8
    finally:
        page.close()


def test_a_summary_expands_to_the_whole_beat(opened: dict) -> None:
    page = opened["page"]
    details = page.locator("#beats td.col-0 details").first
    summary = details.locator("summary")
    assert summary.bounding_box()["height"] < 40  # one line
    summary.click()
    assert details.locator(".text").is_visible()
    assert "society has transformed" in details.locator(".text").inner_text()
    summary.click()


def test_no_console_errors_and_no_request_but_the_page(opened: dict) -> None:
    assert opened["errors"] == []
    assert opened["requests"] == [opened["url"]]


def test_the_diff_is_marked_in_the_page(opened: dict) -> None:
    page = opened["page"]
    assert "Halcyon Dynamics" in " ".join(page.locator("#beats ins").all_text_contents())
    assert "Synthesizers" in page.locator("#beats del").all_text_contents()
    assert "9 of 15 beats changed" in page.locator("ul.diffs").inner_text()


def test_a_legend_for_every_colour_and_no_working_notes(opened: dict) -> None:
    page = opened["page"]
    legend = page.locator("dl.legend").inner_text()
    for meaning in ("climax", "changed", "inserted", "deleted", "lacks this beat", "named"):
        assert meaning in legend
    text = page.locator("main").text_content()
    for note in ("words of power", "natural-sleep word", "function's words", "ally-of"):
        assert note not in text


@pytest.mark.parametrize("width", [1366, 390])
def test_the_page_looks_like_its_golden_screenshot(
    browser: Any, comparison_page: Path, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(comparison_page.as_uri())
        page.evaluate("document.querySelector('tr.climax').scrollIntoView({block: 'center'})")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"compare-{width}.png"
        page.screenshot(path=str(shot))
    finally:
        page.close()
    assert_looks_like(shot, f"compare-{width}.png")


# --- PDF -----------------------------------------------------------------------------------------


def _pdf_pages(data: bytes) -> list[Any]:
    from pypdf import PdfReader

    return list(PdfReader(io.BytesIO(data)).pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="session")
def pdf_pages(default_project: Project, everything: Any) -> list[Any]:
    return _pdf_pages(render_comparison(default_project, everything, "pdf"))


def test_the_pdf_is_letter_courier_with_every_beat(
    pdf_pages: list[Any], everything_data: dict
) -> None:
    for page in pdf_pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
        for font in page["/Resources"]["/Font"].values():
            assert "Courier" in str(font.get_object()["/BaseFont"])
    text = _flat(" ".join(page.extract_text() for page in pdf_pages))
    for row in everything_data["rows"]:
        assert row["name"] in text, row["name"]
    for outline in everything_data["outlines"]:
        assert outline["label"] in text
    for line in everything_data["cast"]:
        assert line["label"] in text
    for note in ("words of power", "natural-sleep word", "function's words", "ally-of"):
        assert note not in text


def test_the_pdf_numbers_its_pages_and_names_the_beat_it_continues(pdf_pages: list[Any]) -> None:
    assert len(pdf_pages) > 1
    for number, page in enumerate(pdf_pages, start=1):
        lines = [line.strip() for line in page.extract_text().splitlines()]
        header = lines[-1]  # the page's margin boxes come last: the beat it is in, and its number
        assert header == f"{number}." or header.endswith(f" {number}."), (number, header)
    second = [line.strip() for line in pdf_pages[1].extract_text().splitlines()][-1]
    assert second.startswith(("Opening Image", "Theme Stated", "Set-Up")), second


def test_the_pdf_on_a4_paper(default_project: Project) -> None:
    outlines = [default_project.outlines["bedsync"], default_project.outlines["bedsync-revised"]]
    data = render_comparison(default_project, compare(default_project, outlines), "pdf", paper="a4")
    pages = _pdf_pages(data)
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {
        (595, 842)
    }
    assert "Halcyon Dynamics" in _flat(" ".join(p.extract_text() for p in pages))


def test_the_pdf_is_reproducible_and_piped_by_the_command_line(
    default_project: Project, storykit_cli: Any, default_root: Path
) -> None:
    outlines = [default_project.outlines["bedsync"], default_project.outlines["bedsync-revised"]]
    comparison = compare(default_project, outlines)
    first = render_comparison(default_project, comparison, "pdf")
    assert render_comparison(default_project, comparison, "pdf") == first
    piped = subprocess.run(
        [sys.executable, "-m", "storykit", "compare", "bedsync", "bedsync-revised", "-f", "pdf"],
        cwd=default_root,
        capture_output=True,
        timeout=300,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == first
