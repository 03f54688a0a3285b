"""The PDF treatment of one outline: title page, logline, principal characters, the story by act.

The story is the outline's text as written (treatments are in present tense already); acts and
beats become PDF bookmarks through the stylesheet's `bookmark-level`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from storykit.compile.render import PdfMetadata, reproducible_date
from storykit.model import LEAD_ROLES, ROLES, Character, Outline, Project

if TYPE_CHECKING:
    import jinja2

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
# Who a producer meets on the second page: the minor parts are left to the bible.


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


def principal_characters(project: Project, treatment: str) -> list[Character]:
    cast = [c for c in project.characters.values() if c.treatment == treatment]
    principal = [c for c in cast if c.role in LEAD_ROLES] or cast
    order = {role: i for i, role in enumerate(ROLES)}
    return sorted(principal, key=lambda c: order.get(c.role, len(ROLES)))


def character_line(character: Character) -> dict[str, str]:
    details = []
    if character.age not in (None, ""):
        details.append(str(character.age))
    if character.occupation:
        details.append(character.occupation)
    return {
        "name": character.name,
        "details": ", ".join(details),
        "line": first_sentence(character.description),
    }


def treatment_context(project: Project, outline: Outline) -> dict[str, Any]:
    config = project.config
    treatment = project.treatments.get(outline.treatment)
    variant = outline.variant if outline.variant and outline.variant != "as written" else ""
    return {
        "language": config.language or "en",
        "title": outline.title,
        "variant": variant,
        "author": config.author or "Anonymous",
        "series": config.title if config.title and config.title != outline.title else "",
        "draft_date": config.draft_date,
        "contact": [line for line in config.contact.splitlines() if line.strip()],
        "logline": " ".join((treatment.logline if treatment else "").split()),
        "characters": [character_line(c) for c in principal_characters(project, outline.treatment)],
        "acts": [
            {
                "name": act.name,
                "intro": [p.text for p in act.intro],
                "beats": [
                    {
                        "name": beat.name,
                        "paragraphs": [p.text for p in beat.intro],
                        "scenes": [
                            {
                                "heading": scene.heading,
                                "paragraphs": [p.text for p in scene.paragraphs],
                            }
                            for scene in beat.scenes
                        ],
                    }
                    for beat in act.beats
                ],
            }
            for act in outline.acts
        ],
    }


def treatment_html(env: jinja2.Environment, project: Project, outline: Outline) -> str:
    return env.get_template("treatment.html").render(treatment_context(project, outline))


def treatment_metadata(project: Project, outline: Outline) -> PdfMetadata:
    title = outline.label
    return PdfMetadata(
        title=f"{title}: a treatment",
        author=project.config.author,
        language=project.config.language or "en",
        date=reproducible_date(project.config),
        subject=project.config.title,
    )
