"""`storykit init DIR`: a new, small, valid project."""

from __future__ import annotations

from pathlib import Path

import typer

from storykit.cli import app
from storykit.cli.common import console
from storykit.scaffold import create_project


@app.command()
def init(
    directory: Path = typer.Argument(..., help="The folder to create (must be empty or absent)."),
    title: str = typer.Option("Untitled", help="The project's title."),
) -> None:
    """Create a new, valid project: one treatment, two characters, one device, one outline."""
    written = create_project(directory, title=title)
    console().print(
        f"created {directory} ({len(written)} files); next: storykit lint {directory}", markup=False
    )
