"""The series bible: every treatment's premise, cast, devices, world rules and threads, and a
character-presence chart per outline — as an HTML page (the anchors outlines link to) and a PDF.

The presence heat-map of each outline is drawn by `presence.py` (SVG, inlined): no plotting
library, nothing fetched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storykit.analysis import Index
from storykit.compile.links import anchor_of, entry_anchor
from storykit.compile.presence import presence_chart, render_chart
from storykit.compile.render import PdfMetadata, reproducible_date
from storykit.model import ALL_TREATMENTS, DEVICE_KINDS, ROLES, Entry, Project, Treatment

if TYPE_CHECKING:
    import jinja2

KIND_TITLES = {
    "technology": "Technologies",
    "faction": "Factions",
    "place": "Places",
    "organisation": "Organisations",
    "event": "Events",
    "item": "Items",
}


def _relationship_view(project: Project, to: str, relation: str) -> dict[str, str]:
    other = project.characters.get(to)
    return {
        "relation": relation.replace("-", " "),
        "name": other.name if other else to,
        "anchor": anchor_of("character", to) if other else "",
    }


def room_notes(entry: Entry | Treatment, *, pdf: bool) -> str:
    """An entry's `notes:`, for the writers' room: on the HTML site only, never in a PDF. The
    PDF's context does not even hold them, so no template can print them by mistake."""
    return "" if pdf else " ".join(entry.notes.split())


def _threads_view(project: Project, treatment: str, pdf: bool) -> list[dict[str, Any]]:
    return [
        {
            "anchor": entry_anchor(thread),
            "name": thread.name,
            "description": thread.description,
            "notes": room_notes(thread, pdf=pdf),
            "characters": [
                project.characters[c].name if c in project.characters else c
                for c in thread.characters
            ],
            "setup": [s.replace("-", " ") for s in thread.setup],
            "payoff": [p.replace("-", " ") for p in thread.payoff],
        }
        for thread in project.threads.values()
        if thread.treatment == treatment
    ]


def _section(project: Project, index: Index | None, treatment_id: str, pdf: bool) -> dict[str, Any]:
    order = {role: i for i, role in enumerate(ROLES)}
    characters = sorted(
        (c for c in project.characters.values() if c.treatment == treatment_id),
        key=lambda c: order.get(c.role, len(ROLES)),
    )
    devices = [d for d in project.devices.values() if d.treatment == treatment_id]
    kinds = [*DEVICE_KINDS, *sorted({d.kind for d in devices} - set(DEVICE_KINDS))]
    return {
        "characters": [
            {
                "anchor": entry_anchor(c),
                "name": c.name,
                "aliases": c.aliases,
                "role": c.role,
                "age": "" if c.age is None else str(c.age),
                "occupation": c.occupation,
                "description": c.description,
                "notes": room_notes(c, pdf=pdf),
                "relationships": [
                    _relationship_view(project, r.to, r.relation) for r in c.relationships
                ],
                "arc": {"want": c.arc.want, "need": c.arc.need, "change": c.arc.change},
            }
            for c in characters
        ],
        "device_groups": [
            {
                "title": KIND_TITLES.get(kind, kind.capitalize()),
                "devices": [
                    {
                        "anchor": entry_anchor(d),
                        "name": d.name,
                        "aliases": d.aliases,
                        "description": d.description,
                        "notes": room_notes(d, pdf=pdf),
                    }
                    for d in devices
                    if d.kind == kind
                ],
            }
            for kind in kinds
            if any(d.kind == kind for d in devices)
        ],
        "rules": [
            rule for r in project.rules.values() if r.treatment == treatment_id for rule in r.rules
        ],
        "threads": _threads_view(project, treatment_id, pdf),
        "rules_notes": [
            room_notes(r, pdf=pdf)
            for r in project.rules.values()
            if r.treatment == treatment_id and r.notes
        ],
        "charts": [presence_chart(project, o, index) for o in project.outlines_of(treatment_id)]
        if treatment_id != ALL_TREATMENTS
        else [],
    }


def bible_context(
    project: Project, index: Index | None, env: jinja2.Environment, *, pdf: bool
) -> dict[str, Any]:
    from storykit.compile.build import output_stems

    stems = output_stems(project)
    treatments = []
    for treatment in project.treatments.values():
        section = _section(project, index, treatment.id, pdf)
        # The PDF draws each heat-map inline; the site shows build/presence/<outline>.svg.
        section["charts"] = [
            {
                "outline": chart.outline,
                "chart": chart,
                "svg": render_chart(env, chart) if pdf else "",
                "src": f"presence/{stems.get(chart.outline.name, '')}.svg",
            }
            for chart in section["charts"]
        ]
        treatments.append(
            {
                "anchor": anchor_of("treatment", treatment.id),
                "title": treatment.title,
                "logline": treatment.logline,
                "premise": treatment.premise,
                "setting": treatment.setting,
                "year": "" if treatment.year is None else str(treatment.year),
                "themes": treatment.themes,
                "notes": room_notes(treatment, pdf=pdf),
                "source": "" if pdf else treatment.source,
                "outlines": [o.label for o in project.outlines_of(treatment.id)],
                **section,
            }
        )
    shared = _section(project, index, ALL_TREATMENTS, pdf)
    has_shared = any(shared[key] for key in ("characters", "device_groups", "rules", "threads"))
    return {
        "language": project.config.language or "en",
        "project_title": project.config.title,
        "author": project.config.author,
        "draft_date": project.config.draft_date,
        "contact": [line for line in project.config.contact.splitlines() if line.strip()],
        "root": "",
        "pdf": pdf,
        "treatments": treatments,
        "shared": shared if has_shared else None,
    }


def bible_html(env: jinja2.Environment, project: Project, index: Index | None) -> str:
    return env.get_template("bible.html").render(bible_context(project, index, env, pdf=False))


def series_bible_html(env: jinja2.Environment, project: Project, index: Index | None) -> str:
    return env.get_template("series-bible.html").render(
        bible_context(project, index, env, pdf=True)
    )


def series_bible_metadata(project: Project) -> PdfMetadata:
    return PdfMetadata(
        title=f"{project.config.title}: series bible",
        author=project.config.author,
        language=project.config.language or "en",
        date=reproducible_date(project.config),
        subject="Series bible",
    )
