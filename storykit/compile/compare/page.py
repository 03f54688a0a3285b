"""The comparison as a self-contained HTML page, and as a PDF in the house style (Letter, Courier).

Both come from one template (`templates/compare.html`, overridable by a project's own
`templates/compare.html` and `templates/compare.css`) fed the JSON data, through the shared
rendering layer: autoescaped, sandboxed, and for the PDF a fetcher that reaches nothing outside
storykit's own assets. Jinja2 and WeasyPrint load only when a page is rendered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storykit.errors import UsageError

TEMPLATE_DIR = Path(__file__).resolve().parent
PAPERS = {"a4": "A4", "letter": "letter"}


def paper_size(paper: str) -> str:
    try:
        return PAPERS[paper.lower()]
    except KeyError:
        raise UsageError(
            f"unknown paper size '{paper}'", f"use one of: {', '.join(PAPERS)}"
        ) from None


def render_html(
    data: dict[str, Any],
    project_root: Path | None = None,
    *,
    medium: str = "screen",
    paper: str = "letter",
    language: str = "en",
    home: str = "",
) -> str:
    """`home`: the page the comparison links back to (the build's index.html), or none."""
    from storykit.compile.render import template_env

    env = template_env(project_root, TEMPLATE_DIR)
    template = env.get_template("compare.html")
    return template.render(
        data=data, medium=medium, paper=paper_size(paper), language=language, home=home
    )


def render_pdf(
    data: dict[str, Any],
    project_root: Path | None = None,
    *,
    paper: str = "letter",
    language: str = "en",
    author: str = "",
    date: str | None = None,
) -> bytes:
    from storykit.compile import render

    html = render_html(data, project_root, medium="pdf", paper=paper, language=language)
    names = ", ".join(o["label"] for o in data["outlines"])
    metadata = render.PdfMetadata(
        title=f"{data['title']}: comparison of {len(data['outlines'])} outlines",
        author=author,
        language=language,
        date=date,
        subject=f"Side by side, aligned by {data['structure']['name']}: {names}",
    )
    return render.render_pdf(html, metadata=metadata)
