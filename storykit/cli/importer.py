"""`storykit import SCRIPT`: draft bible entries and an outline from a Fountain or FDX script."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from storykit.cli import app
from storykit.cli.common import console
from storykit.errors import UsageError
from storykit.load.project import CONFIG_FILE, load_project

_VERBS = {
    "write": "drafted",
    "known": "known",
    "typo": "typo?",
    "exists": "kept",
    "added": "added",
    "removed": "removed",
}


def project_of_script(script: Path, given: Path | None) -> Path:
    """--project, else the project holding the script, else the current folder's; never the
    embedded default (an import writes files)."""
    if given is not None:
        if not (given / CONFIG_FILE).is_file():
            raise UsageError(
                f"{given} is not a storykit project (no {CONFIG_FILE})",
                f"create one with: storykit init {given}",
            )
        return given
    for folder in (*script.resolve().parents, Path.cwd(), *Path.cwd().parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise UsageError(
        f"{script} is in no storykit project, and neither is the current folder",
        "create one with `storykit init DIR`, then import with --project DIR",
    )


@app.command("import")
def import_script(
    script: Path = typer.Argument(
        ..., help="The script: a Fountain (.fountain) or FDX (.fdx) file."
    ),
    project: Path | None = typer.Option(
        None, "--project", "-p", help="Project to draft into (default: the script's, else current)."
    ),
    treatment: str | None = typer.Option(
        None,
        "--treatment",
        "-t",
        help="Treatment id (default: title-page Treatment key, else a new one).",
    ),
    structure: str | None = typer.Option(
        None,
        "--structure",
        "-s",
        help="Structure the beats are estimated against (default: the project's).",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Say what would be written; write nothing."
    ),
    output_format: str = typer.Option("text", "--format", "-f", help="Report as text or json."),
) -> None:
    """Draft characters (from cues), places (from sluglines) and an outline (from scenes) out of
    a script. Never overwrites a file; a second run reports what changed in the script."""
    from storykit.importer import apply_plan, plan_import, read_script

    if output_format not in ("text", "json"):
        raise UsageError(f"no format '{output_format}'", "use text or json")
    root = project_of_script(script, project)
    loaded = load_project(root, strict=False)
    try:
        shown = script.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = script.name
    parsed = read_script(script, shown, loaded.config.limits)
    plan = plan_import(loaded, parsed, treatment=treatment, structure=structure, source=shown)
    if not dry_run:
        apply_plan(plan, root)
    if output_format == "json":
        changes = [vars(c) for c in plan.changes]
        sys.stdout.write(
            json.dumps(
                {
                    "script": shown,
                    "treatment": plan.treatment,
                    "dry_run": dry_run,
                    "changes": changes,
                },
                indent=2,
            )
            + "\n"
        )
        return
    _print(plan, shown, dry_run)


def _print(plan, shown: str, dry_run: bool) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    out = console()
    changed = [c for c in plan.changes if c.action in ("write", "added", "removed")]
    table = Table(
        title=f"storykit import {shown} → treatment {plan.treatment}", title_justify="left"
    )
    for column in ("", "kind", "name", "file", "note"):
        table.add_column(column)
    for change in plan.changes:
        table.add_row(_VERBS[change.action], change.what, change.name, change.path, change.detail)
    out.print(table)
    if dry_run:
        out.print(
            f"dry run: {len(plan.written)} files would be written; nothing was.", markup=False
        )
    elif not changed:
        out.print(
            "no changes: the project already holds everything this script drafts.", markup=False
        )
    else:
        out.print(
            f"{len(plan.written)} files written; {len(changed) - len(plan.written)} changes in the script since the outline was drafted.",
            markup=False,
        )
