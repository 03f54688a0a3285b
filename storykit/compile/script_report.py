"""The script report as a page of the HTML site (build/scripts/<name>.html), linked to the bible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storykit.compile.links import anchor_of
from storykit.model import Project
from storykit.script_report import ScriptReport

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
