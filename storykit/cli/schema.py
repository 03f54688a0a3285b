"""`storykit schema [KIND]`: the JSON Schemas editors use to complete and check bible files."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from storykit.cli import app
from storykit.cli.common import console, console_err
from storykit.errors import UsageError
from storykit.jsonschema import PROJECT_SCHEMA_DIR, kinds, render, write_schemas
from storykit.load.project import CONFIG_FILE, find_project
from storykit.load.schema import KINDS

_WHAT = {
    "treatment": "bible/treatments/*.yaml",
    "character": "bible/characters/*.yaml",
    "device": "bible/devices/*.yaml",
    "thread": "bible/threads/*.yaml",
    "rules": "bible/rules/*.yaml",
    "config": "storykit.yaml",
    "outline": "outlines/*.md (front matter)",
}


@app.command()
def schema(
    kind: str | None = typer.Argument(
        None,
        help=f"One of: {', '.join(KINDS)}. Without it, list the kinds.",
        autocompletion=lambda incomplete: [k for k in KINDS if k.startswith(incomplete)],
    ),
    write: bool = typer.Option(
        False,
        "--write",
        help=f"Write every schema into the project's {PROJECT_SCHEMA_DIR.as_posix()}/ "
        "(where the files `storykit init` writes point).",
    ),
    project: Path | None = typer.Option(
        None, "--project", "-p", help="The project for --write (default: the current one)."
    ),
) -> None:
    """Print the JSON Schema (draft 2020-12) of one kind of file, or list the kinds."""
    if write:
        root = _project_for_writing(project)
        written = write_schemas(root / PROJECT_SCHEMA_DIR)
        console().print(
            f"wrote {len(written)} schemas to {(root / PROJECT_SCHEMA_DIR).as_posix()}/",
            markup=False,
        )
        return
    if kind is None:
        for name in kinds():
            console().print(f"{name:<10} {_WHAT.get(name, '')}", markup=False)
        console_err().print("print one with: storykit schema KIND", markup=False)
        return
    sys.stdout.write(render(kind))


def _project_for_writing(path: Path | None) -> Path:
    """The project to write into: never the embedded default, which is not the user's."""
    if path is not None:
        return find_project(path)
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise UsageError(
        f"not inside a storykit project (no {CONFIG_FILE} here or above)",
        "run it in your project, or pass --project DIR",
    )
