"""Remake the README's pictures from the embedded default, so they show what storykit makes now.

    python docs/make_images.py

Needs what the tests need: Debian's chromium (driven by playwright), poppler-utils (pdftoppm)
and Pillow (WeasyPrint's own dependency). Writes, under docs/images/:

- compare.png: the comparison page at laptop width (1,366 px), two outlines at the Finale;
- compare-phone.png: the same page at 390 px, where each beat is a card;
- treatment-page.png: the BedSync treatment's title page beside its first page of story;
- presence.png: the heat-maps of BedSync as written and revised, one above the other.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from storykit.compile.build import build
from storykit.load import load_project
from storykit.load.project import embedded_default

IMAGES = Path(__file__).resolve().parent / "images"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking"]


def side_by_side(pictures: list[Path], target: Path, gap: int = 16) -> None:
    from PIL import Image

    images = [Image.open(p).convert("RGB") for p in pictures]
    width = sum(i.width for i in images) + gap * (len(images) - 1)
    sheet = Image.new("RGB", (width, max(i.height for i in images)), "#8c8c8c")
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + gap
    sheet.save(target, optimize=True)


def pages(pdf: Path, first: int, last: int, stem: Path) -> list[Path]:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", str(first), "-l", str(last), pdf, stem], check=True
    )
    return sorted(stem.parent.glob(stem.name + "-*.png"))


def shoot(browser: object, url: str, width: int, height: int, target: Path, script: str) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page.goto(url)
    page.evaluate(script)
    page.screenshot(path=str(target))
    page.close()


def main() -> int:
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "build"
        build(load_project(embedded_default(), strict=False), out)
        finale = "document.querySelector('tr.climax').scrollIntoView({block: 'center'})"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            url = (out / "comparison.html").as_uri()
            shoot(browser, url, 1366, 860, IMAGES / "compare.png", finale)
            shoot(browser, url, 390, 844, IMAGES / "compare-phone.png", "window.scrollTo(0, 560)")
            maps = Path(folder) / "maps.html"
            maps.write_text(
                "<body style='margin:8px;background:#fff'>"
                + "".join(
                    f"<img src='{(out / 'presence' / n).as_uri()}' style='zoom:1.4'><br>"
                    for n in ("bedsync.svg", "bedsync-revised.svg")
                ),
                encoding="utf-8",
            )
            page = browser.new_page(viewport={"width": 720, "height": 760})
            page.goto(maps.as_uri())
            page.screenshot(path=str(IMAGES / "presence.png"), full_page=True)
            browser.close()
        treatment = out / "treatments" / "bedsync.pdf"
        side_by_side(
            pages(treatment, 1, 1, Path(folder) / "title")
            + pages(treatment, 3, 3, Path(folder) / "story"),
            IMAGES / "treatment-page.png",
        )
    for name in ("compare.png", "compare-phone.png", "treatment-page.png", "presence.png"):
        print(f"wrote {IMAGES / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
