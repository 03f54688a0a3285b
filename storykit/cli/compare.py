"""`storykit compare OUTLINE OUTLINE... | --all`: alternative outlines side by side, by beat."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from storykit.cli import app
from storykit.cli.common import open_project_of, write_output
from storykit.errors import UsageError


@app.command()
def compare(
    outlines: list[str] = typer.Argument(
        None,
        help="Outlines by name (bedsync) or path (outlines/bedsync.md); two or more.",
        show_default=False,
    ),
    every: bool = typer.Option(False, "--all", help="Compare every outline of the project."),
    structure: str | None = typer.Option(
        None,
        "--structure",
        "-s",
        help="Align by this structure (default: the outlines' own, if they agree).",
    ),
    output_format: str = typer.Option(
        "text", "--format", "-f", help="One of: text, html, pdf, json."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write to this file instead of standard output."
    ),
    paper: str = typer.Option(
        "letter", "--paper", help="PDF paper: letter (the house style) or a4."
    ),
    project_path: Path | None = typer.Option(
        None,
        "--project",
        "-p",
        help="Project folder (default: the one holding the outlines, the current one, else the "
        "embedded default).",
    ),
) -> None:
    """Compare alternative outlines side by side, aligned by structural beat.

    One row per beat of a common structure, one column per outline, with who is present; then
    the cast (who plays which part) and the devices and world of each. Versions of one treatment
    (front matter `variant:`) show a word diff against the first of them.
    """
    from storykit.compile.compare import (
        check_format,
        render_comparison,
        resolve_outlines,
    )
    from storykit.compile.compare import compare as build_comparison

    handles = list(outlines or [])
    check_format(output_format)
    if not every and len(handles) < 2:
        raise UsageError(
            "compare needs two or more outlines",
            "name them (storykit compare bedsync neoterra) or use --all for every outline",
        )
    project = open_project_of(handles, project_path, strict=False)
    chosen = resolve_outlines(project, handles, every=every)
    comparison = build_comparison(project, chosen, structure)

    if out is not None:
        write_output(
            project, out, render_comparison(project, comparison, output_format, paper=paper)
        )
        return
    if output_format == "text":
        from rich.console import Console

        from storykit.compile.compare.data import as_data
        from storykit.compile.compare.text import render_text

        # Not the shared console: that one never wraps, and beat texts are paragraphs.
        render_text(as_data(comparison), Console(highlight=False))
        return
    if output_format == "pdf" and sys.stdout.isatty():
        raise UsageError(
            "a PDF would garble the terminal", "write it to a file with --out comparison.pdf"
        )
    data = render_comparison(project, comparison, output_format, paper=paper)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
