"""`storykit compare`: alternative outlines side by side, aligned by structural beat.

The library the command (and `storykit build`) calls:

- `compare(project, outlines)` aligns outlines into a `Comparison` (rows of beats, columns of
  outlines, cast and world facts, word diffs between versions of one treatment);
- `render_comparison(project, comparison, fmt)` renders it as text, HTML, PDF or JSON bytes;
- `write_comparison(project, outlines, out_dir, formats)` writes files atomically.

The modules: `align` (rows and columns), `diff` (word diffs), `cast` (who plays which part),
`data` (the plain data every format renders), `text` (the terminal), `page` (HTML and PDF).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

from storykit.analysis import Index
from storykit.compile.compare.align import Alignment, align, project_order, resolve_outlines
from storykit.compile.compare.data import Comparison, as_data
from storykit.errors import UsageError
from storykit.model import Outline, Project

__all__ = [
    "FORMATS",
    "Alignment",
    "Comparison",
    "as_data",
    "compare",
    "project_order",
    "render_comparison",
    "resolve_outlines",
    "write_comparison",
]

FORMATS = ("text", "html", "pdf", "json")
EXTENSIONS = {"text": "txt", "html": "html", "pdf": "pdf", "json": "json"}


def compare(
    project: Project,
    outlines: list[Outline],
    structure: str | None = None,
    index: Index | None = None,
) -> Comparison:
    """Align `outlines` (in this order) by beat and gather each one's cast and world."""
    if not outlines:
        raise UsageError("nothing to compare", "name one or more outlines, or use --all")
    return Comparison.of(align(project, outlines, structure, index))


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'", f"use one of: {', '.join(FORMATS)}")
    return fmt


def render_comparison(
    project: Project,
    comparison: Comparison,
    fmt: str,
    *,
    paper: str = "letter",
    width: int = 100,
    home: str = "",
) -> bytes:
    """The comparison in one format, as the bytes of a file (text without colour)."""
    data = as_data(comparison)
    config = project.config
    if check_format(fmt) == "json":
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "text":
        from rich.console import Console

        from storykit.compile.compare.text import render_text

        buffer = io.StringIO()
        render_text(data, Console(file=buffer, width=width, no_color=True, color_system=None))
        # rich pads wrapped lines to the width; a file wants no trailing spaces.
        lines = (line.rstrip() for line in buffer.getvalue().splitlines())
        return ("\n".join(lines) + "\n").encode("utf-8")
    from storykit.compile.compare import page

    if fmt == "html":
        return page.render_html(data, project.root, language=config.language, home=home).encode(
            "utf-8"
        )
    from storykit.compile.render import reproducible_date

    return page.render_pdf(
        data,
        project.root,
        paper=paper,
        language=config.language,
        author=config.author,
        date=reproducible_date(config),
    )


def write_comparison(
    project: Project,
    outlines: list[Outline] | None,
    out_dir: Path,
    formats: Iterable[str] = ("html", "pdf", "json"),
    *,
    structure: str | None = None,
    index: Index | None = None,
    stem: str = "comparison",
    paper: str = "letter",
) -> list[Path]:
    """Write the comparison of `outlines` (None: every outline) as `out_dir/<stem>.<ext>`.

    Each file is written atomically; the paths written are returned in the order of `formats`.
    """
    from storykit.compile.render import write_atomic

    chosen = project_order(project) if outlines is None else outlines
    comparison = compare(project, chosen, structure, index)
    written = []
    for fmt in formats:
        data = render_comparison(project, comparison, fmt, paper=paper)
        path = out_dir / f"{stem}.{EXTENSIONS[fmt]}"
        write_atomic(path, data)
        written.append(path)
    return written
