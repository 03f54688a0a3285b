"""build/index.html: every output of the build, linked, with the lint summary."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from storykit.compile.outline import finding_view, findings_for, summarize
from storykit.compile.script_report import script_links
from storykit.lint.finding import Finding
from storykit.model import Project

if TYPE_CHECKING:
    import jinja2


def index_context(
    project: Project, findings: list[Finding], stems: dict[str, str]
) -> dict[str, Any]:
    outlines = []
    for name in sorted(stems):
        outline = project.outlines[name]
        treatment = project.treatments.get(outline.treatment)
        outlines.append(
            {
                "label": outline.label,
                "treatment": treatment.title if treatment else outline.treatment,
                "path": outline.path,
                "stem": stems[name],
                "summary": summarize(findings_for(outline, findings)),
            }
        )
    by_rule = Counter((f.rule, str(f.severity)) for f in findings)
    return {
        "language": project.config.language or "en",
        "project_title": project.config.title,
        "author": project.config.author,
        "draft_date": project.config.draft_date,
        "root": "",
        "outlines": outlines,
        "scripts": script_links(project),
        "summary": summarize(findings),
        "rules": [
            {"rule": rule, "severity": severity, "count": count}
            for (rule, severity), count in sorted(by_rule.items())
        ],
        "findings": [finding_view(f) for f in findings],
    }


def index_html(env: jinja2.Environment, context: dict[str, Any]) -> str:
    return env.get_template("index.html").render(context)
