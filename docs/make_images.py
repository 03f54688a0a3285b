"""Remake the README's pictures from the embedded default, so they show what storykit makes now.

    python docs/make_images.py

Needs what the tests need: Debian's chromium (driven by playwright) and poppler-utils (pdftoppm).
Writes docs/images/compare.png (the comparison page at laptop width, scrolled to the Finale) and
docs/images/treatment-page.png (page three of the BedSync treatment, where Act One begins).
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


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "build"
        build(load_project(embedded_default(), strict=False), out)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 860})
            page.goto((out / "comparison.html").as_uri())
            # The beat table scrolls inside its own box: bring the Finale's row up under the
            # sticky treatment headers.
            page.evaluate(
                """() => {
                  const box = document.querySelector('#beats .scroller');
                  const row = box.querySelector('tr.climax');
                  box.scrollTop = row.offsetTop - box.querySelector('thead').offsetHeight;
                  window.scrollTo(0, 0);
                }"""
            )
            page.screenshot(path=str(IMAGES / "compare.png"))
            browser.close()
        treatment = out / "treatments" / "bedsync.pdf"
        stem = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "3", "-l", "3", "-singlefile", treatment, stem],
            check=True,
        )
        (IMAGES / "treatment-page.png").write_bytes(stem.with_suffix(".png").read_bytes())
    print(f"wrote {IMAGES / 'compare.png'} and {IMAGES / 'treatment-page.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
