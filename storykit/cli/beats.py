"""`storykit beats OUTLINE [--structure S] [--pages N]`: one beat sheet, as a table."""

from __future__ import annotations

from pathlib import Path

import typer

from storykit.cli import app
from storykit.cli.common import ExitCode, console, open_project_of
from storykit.errors import UsageError
from storykit.load import find_outline
from storykit.model import Project

_SUMMARY_LENGTH = 160


@app.command()
def beats(
    outline_name: str = typer.Argument(
        ..., metavar="OUTLINE", help="An outline name (bedsync) or file (outlines/bedsync.md)."
    ),
    structure: str | None = typer.Option(
        None, "--structure", "-s", help="Structure to map onto (default: the outline's)."
    ),
    pages: int | None = typer.Option(
        None, "--pages", "-p", min=1, help="Script length (default: storykit.yaml's pages)."
    ),
    project_path: Path | None = typer.Option(
        None, "--project", help="Project folder (default: current, else the embedded default)."
    ),
    output_format: str = typer.Option("table", "--format", "-f", help="table, csv or markdown."),
) -> None:
    """Print the beat sheet of OUTLINE: each beat of the structure, its target page and
    percentage, what happens in the outline and who is present; missing beats marked."""
    from storykit.analysis import build_index
    from storykit.compile.beats import beat_sheet, render_csv

    if output_format not in ("table", "csv", "markdown"):
        raise UsageError(f"unknown format '{output_format}'", "use table, csv or markdown")
    project = open_project_of([outline_name], project_path, strict=False)
    outline = find_outline(project, outline_name)
    sheet = beat_sheet(project, outline, build_index(project), structure, pages)
    if output_format == "csv":
        typer.echo(render_csv(sheet), nl=False)
        raise typer.Exit(ExitCode.OK)
    if output_format == "markdown":
        typer.echo(_markdown(project, sheet), nl=False)
        raise typer.Exit(ExitCode.OK)
    _table(sheet)
    raise typer.Exit(ExitCode.OK)


def _markdown(project: Project, sheet) -> str:  # type: ignore[no-untyped-def]
    from storykit.compile.beats import beats_context
    from storykit.compile.outline import tidy_markdown
    from storykit.compile.render import PACKAGE_DIR, template_env

    env = template_env(project.root, PACKAGE_DIR)
    context = beats_context(sheet, project, stem=sheet.outline.name)
    return tidy_markdown(env.get_template("beats.md").render(context))


def _table(sheet) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(f"{sheet.outline.label}: {sheet.structure.name} on {sheet.pages} pages"),
        show_lines=True,
    )
    table.add_column("Beat", no_wrap=True)
    table.add_column("Page", justify="right")
    table.add_column("%", justify="right")
    table.add_column("What happens", ratio=3)
    table.add_column("Present", ratio=1)
    for row in sheet.rows:
        summary = " ".join(row.text.split())
        if len(summary) > _SUMMARY_LENGTH:
            summary = summary[: _SUMMARY_LENGTH - 1].rstrip() + "…"
        name = row.name + (" (climax)" if row.climax else "")
        if row.missing:
            happens = Text("missing", style="bold red")
        elif row.beat_id is None:
            happens = Text(f"(not a beat of {sheet.structure.name}) {summary}", style="dim")
        else:
            happens = Text(summary)
        # Text(), never markup: an outline's "[bold]" or ":fire:" is shown as written.
        table.add_row(
            Text(name), row.pages_label, row.percent_label, happens, Text(", ".join(row.present))
        )
    console().print(table)
    missing = sheet.missing
    if missing:
        console().print(
            Text(f"{len(missing)} missing: " + ", ".join(r.name for r in missing), style="red")
        )
