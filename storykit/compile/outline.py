"""An outline as HTML and Markdown: acts, beats, paragraphs; names linked to the bible; the
lint findings for the outline beside the beats they concern."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from storykit.analysis import Index
from storykit.compile.links import segments
from storykit.compile.scenes import scene_views
from storykit.lint.finding import Finding, Severity
from storykit.model import Outline, Project

if TYPE_CHECKING:
    import jinja2


def finding_view(finding: Finding) -> dict[str, Any]:
    return {
        "line": finding.line,
        "column": finding.column,
        "severity": str(finding.severity),
        "rule": finding.rule,
        "message": finding.message,
        "suggestion": finding.suggestion or "",
        "path": finding.path,
    }


def summarize(findings: list[Finding]) -> str:
    """'2 errors, 1 warning' or 'no findings'."""
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        count = sum(1 for f in findings if f.severity == severity)
        if count:
            parts.append(f"{count} {severity}{'s' if count != 1 else ''}")
    return ", ".join(parts) if parts else "no findings"


def findings_for(outline: Outline, findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.path == outline.path]


def outline_context(
    project: Project,
    outline: Outline,
    index: Index | None,
    findings: list[Finding],
    *,
    stem: str,
) -> dict[str, Any]:
    own = findings_for(outline, findings)
    # A finding belongs to the beat whose lines hold it: from its heading to the next heading.
    starts = sorted(
        [(act.line, None) for act in outline.acts] + [(b.line, b) for b in outline.beats],
        key=lambda item: item[0],
    )

    def beat_findings(beat_line: int) -> list[dict[str, Any]]:
        later = [line for line, _ in starts if line > beat_line]
        end = later[0] if later else 10**9
        return [finding_view(f) for f in own if beat_line <= f.line < end]

    structure = project.structures.get(outline.structure)
    treatment = project.treatments.get(outline.treatment)
    presence = index.presence.get(outline.name, {}) if index else {}
    number = 0
    acts = []
    for act in outline.acts:
        beats = []
        for beat in act.beats:
            ids = presence.get(number, set())
            slot = structure.beat(beat.slot) if structure and beat.slot else None
            beats.append(
                {
                    "name": beat.name,
                    "slot": slot.name if slot else "",
                    "paragraphs": [segments(p, outline.treatment, index) for p in beat.intro],
                    "scenes": scene_views(project, outline, beat, index),
                    "present": [c.name for c in project.characters.values() if c.id in ids],
                    "findings": beat_findings(beat.line),
                }
            )
            number += 1
        acts.append(
            {
                "name": act.name,
                "intro": [segments(p, outline.treatment, index) for p in act.intro],
                "beats": beats,
            }
        )
    return {
        "language": project.config.language or "en",
        "project_title": project.config.title,
        "root": "../",
        "bible": "../bible.html",
        "stem": stem,
        "outline": outline,
        "treatment_title": treatment.title if treatment else outline.treatment,
        "structure_name": structure.name if structure else outline.structure,
        "summary": summarize(own),
        "findings": [finding_view(f) for f in own],
        "acts": acts,
    }


def tidy_markdown(text: str) -> str:
    """Templates leave runs of blank lines; Markdown wants one between blocks, and a final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def outline_html(env: jinja2.Environment, context: dict[str, Any]) -> str:
    return env.get_template("outline.html").render(context)


def outline_markdown(env: jinja2.Environment, context: dict[str, Any]) -> str:
    return tidy_markdown(env.get_template("outline.md").render(context))
