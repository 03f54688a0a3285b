"""The treatment of one outline, as the trade reads one: a WGA-style title page (title, "Written
by", author, contact block, draft and date in words), the logline, the principal characters, and
the story told act by act as continuous prose.

The principal characters are the ones the story is about: the bible's protagonists and
antagonists, and everyone named in at least `PRINCIPAL_BEATS` of the outline's beats, in order
of first appearance. Each is introduced the same way: NAME (age, occupation). One line.

Beat names are not printed by default (a producer reads prose by act); they stay as PDF
bookmarks under their act, and `beat_labels=True` prints them as side headings. The same
context feeds the PDF (`treatment.html`) and the Word document (`treatment_docx.py`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from storykit.compile.render import PdfMetadata, reproducible_date
from storykit.model import ROLES, Character, Outline, Project

if TYPE_CHECKING:
    import jinja2

    from storykit.analysis import Index

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
# Who a producer meets on the second page: the leads, and whoever the story keeps returning to.
PRINCIPAL_ROLES = ("protagonist", "antagonist")
PRINCIPAL_BEATS = 3
# In words, as a title page gives the date (not the locale's: a treatment is in English).
MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July")
MONTHS += ("August", "September", "October", "November", "December")


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


def date_in_words(iso: str) -> str:
    """2026-11-22 -> November 22, 2026; anything else as written."""
    try:
        day = date.fromisoformat(iso.strip())
    except ValueError:
        return iso.strip()
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def principal_characters(
    project: Project, outline: Outline, index: Index | None = None
) -> list[Character]:
    """The leads by role, and everyone present in PRINCIPAL_BEATS beats or more, leads first,
    then in order of first appearance; without an index (or a cast) the bible's order."""
    cast = [c for c in project.characters.values() if c.treatment in (outline.treatment, "all")]
    presence = index.presence.get(outline.name, {}) if index is not None else {}
    beats = {c.id: sorted(b for b, ids in presence.items() if c.id in ids) for c in cast}
    principal = [
        c
        for c in cast
        if c.role in PRINCIPAL_ROLES or len(beats[c.id]) >= PRINCIPAL_BEATS
        if c.treatment == outline.treatment or beats[c.id]
    ]
    if not principal:
        principal = [c for c in cast if c.treatment == outline.treatment and c.role != "minor"]
    order = {role: i for i, role in enumerate(ROLES)}
    first = {c.id: (beats[c.id] or [len(outline.beats)])[0] for c in cast}
    return sorted(
        principal,
        key=lambda c: (0 if c.role in PRINCIPAL_ROLES else 1, order.get(c.role, 9), first[c.id]),
    )


def character_line(character: Character) -> dict[str, str]:
    """One introduction, the same shape for everyone: NAME (age, occupation). One line."""
    details = []
    if character.age not in (None, ""):
        details.append(str(character.age))
    if character.occupation:
        details.append(character.occupation)
    line = first_sentence(character.description)
    return {
        "name": character.name,
        "details": ", ".join(details),
        "line": line if line.endswith((".", "!", "?", "…")) or not line else line + ".",
    }


def treatment_context(
    project: Project, outline: Outline, index: Index | None = None, *, beat_labels: bool = False
) -> dict[str, Any]:
    config = project.config
    treatment = project.treatments.get(outline.treatment)
    variant = outline.variant if outline.variant and outline.variant != "as written" else ""
    return {
        "language": config.language or "en",
        "title": outline.title,
        "variant": variant,
        "author": config.author or "Anonymous",
        "series": config.title if config.title and config.title != outline.title else "",
        "draft_date": date_in_words(config.draft_date),
        "beat_labels": beat_labels,
        "contact": [line for line in config.contact.splitlines() if line.strip()],
        "logline": " ".join((treatment.logline if treatment else "").split()),
        "characters": [character_line(c) for c in principal_characters(project, outline, index)],
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


def treatment_html(
    env: jinja2.Environment, project: Project, outline: Outline, index: Index | None = None
) -> str:
    return env.get_template("treatment.html").render(treatment_context(project, outline, index))


def treatment_metadata(project: Project, outline: Outline) -> PdfMetadata:
    title = outline.label
    return PdfMetadata(
        title=f"{title}: a treatment",
        author=project.config.author,
        language=project.config.language or "en",
        date=reproducible_date(project.config),
        subject=project.config.title,
    )
