"""`storykit report SCRIPT`: scenes, characters, locations and INT/EXT, DAY/NIGHT counts of a
Fountain or FDX script, each linked to the bible entry it is about."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from storykit.cli import app
from storykit.cli.common import console, write_output
from storykit.errors import UsageError
from storykit.load.project import CONFIG_FILE, embedded_default, load_project
from storykit.model import Project
from storykit.script import Script


def _project(script: Path, given: Path | None) -> Project:
    if given is not None and not (given / CONFIG_FILE).is_file():
        raise UsageError(f"{given} is not a storykit project (no {CONFIG_FILE})")
    root = given or next(
        (f for f in (*script.resolve().parents, Path.cwd()) if (f / CONFIG_FILE).is_file()),
        embedded_default(),
    )
    return load_project(root, strict=False)


def report_treatment(project: Project, script: Script, given: str | None) -> str | None:
    """--treatment, the title page's Treatment key, the treatment titled as the script, the
    project's only treatment; else None (the report then links to nothing)."""
    if given is not None:
        if given not in project.treatments:
            raise UsageError(f"no treatment '{given}' in {project.config.title}")
        return given
    key = script.title_page.get("treatment", "").strip()
    if key in project.treatments:
        return key
    by_title = {t.title.casefold(): t.id for t in project.treatments.values()}
    if script.title.casefold() in by_title:
        return by_title[script.title.casefold()]
    return next(iter(project.treatments)) if len(project.treatments) == 1 else None


@app.command()
def report(
    script: Path = typer.Argument(
        ..., help="The script: a Fountain (.fountain) or FDX (.fdx) file."
    ),
    output_format: str = typer.Option(
        "text", "--format", "-f", help="text (tables), json or html."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write to FILE instead of standard output."
    ),
    treatment: str | None = typer.Option(
        None, "--treatment", "-t", help="Treatment whose bible the rows link to."
    ),
    project: Path | None = typer.Option(
        None, "--project", "-p", help="Project (default: the script's, else current)."
    ),
) -> None:
    """Scene list with page estimates, characters by scenes and speeches, locations by scene,
    INT/EXT and DAY/NIGHT counts: the reports screenwriting apps give, linked to the bible."""
    from storykit.importer import read_script
    from storykit.script_report import script_report

    if output_format not in ("text", "json", "html"):
        raise UsageError(f"no format '{output_format}'", "use text, json or html")
    loaded = _project(script, project)
    try:
        shown = script.resolve().relative_to(loaded.root.resolve()).as_posix()
    except ValueError:
        shown = script.name
    parsed = read_script(script, shown, loaded.config.limits)
    data = script_report(parsed, loaded, report_treatment(loaded, parsed, treatment))
    if output_format == "json":
        text = json.dumps(data.as_json(), indent=2, ensure_ascii=False) + "\n"
    elif output_format == "html":
        from storykit.compile.build import PACKAGE_DIR
        from storykit.compile.render import template_env
        from storykit.compile.script_report import script_report_html

        text = script_report_html(template_env(loaded.root, PACKAGE_DIR), loaded, data)
    else:
        if out is None:
            _tables(data)
            return
        from rich.console import Console

        capture = Console(record=True, width=120)
        with capture.capture():
            _tables(data, capture)
        text = capture.export_text()
    if out is None:
        sys.stdout.write(text)
    else:
        write_output(loaded, out, text)


def _tables(data, target=None) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    out = target or console()
    scenes = Table(
        title=f"{data.title or data.path}: {len(data.scenes)} scenes, about {data.pages} pages",
        title_justify="left",
    )
    for column in ("#", "scene heading", "page", "length", "place", "speaking"):
        scenes.add_column(column, justify="right" if column in ("#", "page") else "left")
    for s in data.scenes:
        place = f"{s.location} → {s.place}" if s.place else s.location
        scenes.add_row(
            str(s.number), s.heading, f"{s.page}", s.length, place, ", ".join(s.speakers)
        )
    out.print(scenes)
    cast = Table(title="Characters", title_justify="left")
    for column in ("cue", "scenes", "speeches", "words", "first scene", "bible"):
        cast.add_column(column)
    for c in data.characters:
        cast.add_row(
            c.cue,
            str(c.scenes),
            str(c.speeches),
            str(c.words),
            str(c.first_scene),
            c.entry or "not in the bible",
        )
    out.print(cast)
    places = Table(title="Locations", title_justify="left")
    for column in ("location", "scenes", "INT/EXT", "bible"):
        places.add_column(column)
    for loc in data.locations:
        places.add_row(
            loc.location,
            ", ".join(map(str, loc.scenes)),
            ", ".join(loc.settings),
            loc.entry or "not in the bible",
        )
    out.print(places)
    settings = ", ".join(
        f"{'no INT/EXT' if k == 'none' else k} {v}" for k, v in data.settings.items()
    )
    times = ", ".join(f"{'no time' if k == 'none' else k} {v}" for k, v in data.times.items())
    out.print(f"Counts: {settings}; {times}", markup=False)
