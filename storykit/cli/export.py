"""`storykit export fountain|fdx OUTLINE`: an outline for screenwriting apps."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from storykit.cli import app
from storykit.cli.common import open_project_of, write_output
from storykit.load import find_outline, find_project
from storykit.model import Outline, Project

export_app = typer.Typer(
    help="Export an outline to a screenwriting app: Fountain or Final Draft (FDX).",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")

_OUTLINE_HELP = "The outline: its name (bedsync) or its file (outlines/bedsync.md)."
_OUT_HELP = "Write to FILE (atomically) instead of standard output."
_PROJECT_HELP = "Project folder (default: the outline file's, else current, else the default)."


def complete_outline(incomplete: str) -> list[str]:
    """Shell completion: the outlines of the current project (or the default) by name."""
    try:
        root = find_project(None)
        names = sorted(p.stem for p in (root / "outlines").glob("*.md"))
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [n for n in names if n.startswith(incomplete)]


def _load(handle: str, project_path: Path | None) -> tuple[Project, Outline]:
    project = open_project_of([handle], project_path, strict=False)
    return project, find_outline(project, handle)


def _emit(project: Project, text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        write_output(project, out, text)


@export_app.command()
def fountain(
    outline: str = typer.Argument(..., help=_OUTLINE_HELP, autocompletion=complete_outline),
    out: Path | None = typer.Option(None, "--out", "-o", help=_OUT_HELP),
    notes: bool = typer.Option(
        False, "--notes", help="Add the outline's lint findings as [[notes]] where they occur."
    ),
    project: Path | None = typer.Option(None, "--project", "-p", help=_PROJECT_HELP),
) -> None:
    """The outline as Fountain: title page, acts and beats as sections, beat text as synopses."""
    from storykit.export.fountain import to_fountain

    loaded, chosen = _load(outline, project)
    findings = []
    if notes:
        from storykit.lint import lint_project

        findings = lint_project(loaded).findings
    _emit(loaded, to_fountain(loaded, chosen, findings), out)


@export_app.command()
def fdx(
    outline: str = typer.Argument(..., help=_OUTLINE_HELP, autocompletion=complete_outline),
    out: Path | None = typer.Option(None, "--out", "-o", help=_OUT_HELP),
    project: Path | None = typer.Option(None, "--project", "-p", help=_PROJECT_HELP),
) -> None:
    """The outline as Final Draft XML: beats as scene headings with index-card summaries."""
    from storykit.export.fdx import to_fdx

    loaded, chosen = _load(outline, project)
    _emit(loaded, to_fdx(loaded, chosen), out)
