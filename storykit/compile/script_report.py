"""The script report as a page of the HTML site (build/scripts/<name>.html), linked to the bible:
one page per script of the project's scripts/ folder, listed on the site's index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from storykit.compile.links import anchor_of
from storykit.model import Project, slugify
from storykit.script_report import ScriptReport, script_report

if TYPE_CHECKING:
    import jinja2


def script_report_html(env: jinja2.Environment, project: Project, report: ScriptReport) -> str:
    anchors = {
        "character": {c: anchor_of("character", c) for c in project.characters},
        "device": {d: anchor_of("device", d) for d in project.devices},
    }
    names = {
        "character": {c.id: c.name for c in project.characters.values()},
        "device": {d.id: d.name for d in project.devices.values()},
    }
    return env.get_template("script-report.html").render(
        language=project.config.language or "en",
        project_title=project.config.title,
        root="../",
        bible="../bible.html",
        report=report,
        anchors=anchors,
        names=names,
    )


def script_stems(project: Project) -> dict[str, str]:
    """Each script's page name under build/scripts/: its path as a slug, unique."""
    stems: dict[str, str] = {}
    for path in sorted(project.scripts):
        stem = slugify(Path(path).with_suffix("").as_posix().removeprefix("scripts/"))[:90]
        stem = stem or "script"
        while stem in stems.values():
            stem += "-2"
        stems[path] = stem
    return stems


def script_links(project: Project) -> list[dict[str, str]]:
    """The index page's list of script reports."""
    return [
        {
            "title": project.scripts[path].title or Path(path).name,
            "path": path,
            "stem": stem,
            "treatment": project.scripts[path].treatment,
        }
        for path, stem in script_stems(project).items()
    ]


def script_pages(
    project: Project, env: Callable[[], jinja2.Environment]
) -> list[tuple[str, str, Callable[[], bytes]]]:
    """(output name, the script's text for the key, renderer) of each script report page."""

    def page(path: str) -> bytes:
        script = project.scripts[path]
        report = script_report(script, project, script.treatment)
        return script_report_html(env(), project, report).encode("utf-8")

    def bind(path: str) -> Callable[[], bytes]:
        return lambda: page(path)

    return [
        (f"scripts/{stem}.html", project.sources.get(path, ""), bind(path))
        for path, stem in script_stems(project).items()
    ]
