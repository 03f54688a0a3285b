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
from helpers import ARTIFACTS

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


@pytest.fixture(scope="session")
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


def test_every_treatment_title_and_beat_name_is_visible(
    opened: dict, everything_data: dict
) -> None:
    page = opened["page"]
    titles = page.locator("#beats th.treatment .title")
    assert titles.all_inner_texts() == [o["label"] for o in everything_data["outlines"]]
    for title in titles.all():
        assert title.is_visible() and title.evaluate(_SEEN), title.inner_text()
    names = page.locator("#beats th.beat .name")
    assert names.all_inner_texts() == [row["name"] for row in everything_data["rows"]]
    for name in names.all():
        assert name.is_visible() and name.evaluate(_SEEN), name.inner_text()


def test_the_page_body_never_scrolls_sideways(opened: dict) -> None:
    page = opened["page"]
    page.evaluate("window.scrollTo(0, 0)")
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    # The six columns are wider than a laptop: they scroll inside their own box instead.
    overflow = page.evaluate(
        "(() => { const s = document.querySelector('#beats .scroller');"
        " return [s.scrollWidth, s.clientWidth]; })()"
    )
    assert overflow[0] > overflow[1]


def test_beat_names_and_treatment_headers_stick_while_the_table_scrolls(opened: dict) -> None:
    page = opened["page"]
    positions = page.evaluate(
        """() => {
      const scroller = document.querySelector('#beats .scroller');
      scroller.scrollIntoView({block: 'start'});
      scroller.scrollTo(scroller.scrollWidth, scroller.scrollHeight);
      const frame = scroller.getBoundingClientRect();
      const header = document.querySelector('#beats thead th.treatment').getBoundingClientRect();
      const rows = document.querySelectorAll('#beats tbody th.beat');
      const last = rows[rows.length - 1].getBoundingClientRect();
      return {top: frame.top, left: frame.left, scrolledDown: scroller.scrollTop,
              scrolledRight: scroller.scrollLeft, headerTop: header.top, beatLeft: last.left};
    }"""
    )
    assert positions["scrolledDown"] > 0 and positions["scrolledRight"] > 0
    assert abs(positions["headerTop"] - positions["top"]) <= 2  # still at the top of the box
    assert abs(positions["beatLeft"] - positions["left"]) <= 2  # still at its left edge


def test_no_console_errors_and_no_request_but_the_page(opened: dict) -> None:
    assert opened["errors"] == []
    assert opened["requests"] == [opened["url"]]


def test_the_diff_is_marked_in_the_page(opened: dict) -> None:
    page = opened["page"]
    assert "Halcyon Dynamics" in " ".join(page.locator("#beats ins").all_inner_texts())
    assert "Synthesizers" in page.locator("#beats del").all_inner_texts()
    assert "9 of 15 beats changed" in page.locator("ul.diffs").inner_text()


def test_a_screenshot_for_people(opened: dict) -> None:
    page = opened["page"]
    page.evaluate(
        "(() => { window.scrollTo(0, 0); const s = document.querySelector('#beats .scroller');"
        " s.scrollTo(0, 0); })()"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "compare.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


# --- PDF -----------------------------------------------------------------------------------------


def _pdf_pages(data: bytes) -> list[Any]:
    from pypdf import PdfReader

    return list(PdfReader(io.BytesIO(data)).pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="session")
def pdf_pages(default_project: Project, everything: Any) -> list[Any]:
    return _pdf_pages(render_comparison(default_project, everything, "pdf"))


def test_the_pdf_is_landscape_a4_with_every_beat_row(
    pdf_pages: list[Any], everything_data: dict
) -> None:
    for page in pdf_pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height
        assert (round(width), round(height)) == (842, 595)
    text = _flat(" ".join(page.extract_text() for page in pdf_pages))
    for row in everything_data["rows"]:
        assert row["name"] in text, row["name"]
    for outline in everything_data["outlines"]:
        assert outline["label"] in text
    for line in everything_data["cast"]:
        assert line["label"] in text


def test_the_pdf_has_running_headers(pdf_pages: list[Any]) -> None:
    total = len(pdf_pages)
    assert total > 1
    for number, page in enumerate(pdf_pages, start=1):
        text = _flat(page.extract_text())
        assert f"page {number} of {total}" in text
        assert "Bedtime in 2045: 6 outlines side by side" in text


def test_the_pdf_on_letter_paper(default_project: Project) -> None:
    outlines = [default_project.outlines["bedsync"], default_project.outlines["bedsync-revised"]]
    data = render_comparison(
        default_project, compare(default_project, outlines), "pdf", paper="letter"
    )
    pages = _pdf_pages(data)
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {
        (792, 612)
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
