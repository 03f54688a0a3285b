"""`storykit compare OUTLINE OUTLINE... | --all`: alternative outlines side by side, by beat."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from storykit.cli import app
from storykit.cli.common import open_project
from storykit.errors import StorykitError, UsageError
from storykit.load.project import CONFIG_FILE
from storykit.model import Project


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
    paper: str = typer.Option("a4", "--paper", help="PDF paper, landscape: a4 or letter."),
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
    project = open_project(_project_root(handles, project_path), strict=False)
    chosen = resolve_outlines(project, handles, every=every)
    comparison = build_comparison(project, chosen, structure)

    if out is not None:
        _refuse_source(project, out)
        data = render_comparison(project, comparison, output_format, paper=paper)
        _write(out, data)
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


def _project_root(handles: list[str], given: Path | None) -> Path | None:
    """The project: --project, else the one holding an outline given by path, else the usual."""
    if given is not None:
        return given
    for handle in handles:
        path = Path(handle)
        if path.suffix == ".md" and path.is_file():
            for folder in path.resolve().parents:
                if (folder / CONFIG_FILE).is_file():
                    return folder
    return None


def _refuse_source(project: Project, out: Path) -> None:
    """Never write over a file of the project: an outline, a bible entry, storykit.yaml."""
    target = out.resolve()
    for relative in project.sources:
        if (project.root / relative).resolve() == target:
            raise UsageError(
                f"--out {out} is one of the project's own files", "choose a file under build/"
            )


def _write(out: Path, data: bytes) -> None:
    from storykit.compile.render import write_atomic

    if out.is_dir():
        raise UsageError(f"--out {out} is a folder", "give a file name, e.g. comparison.html")
    try:
        write_atomic(out, data)
    except OSError as error:
        raise StorykitError(f"cannot write {out}: {error.strerror or error}") from None
    typer.echo(f"wrote {out}", err=True)
