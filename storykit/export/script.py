"""An outline as a screenplay (the script model the Fountain and FDX writers share).

Acts become level-1 sections and beats level-2 sections, with the beat's own text as synopses
(Fountain prints neither: they are the outline inside the script). Each `###` scene becomes a
scene heading (a free title is forced, in capitals) and its paragraphs are read as Fountain
reads a block: a paragraph whose first line is a cue in capitals (`RUTH`, `RUTH (V.O.)`)
followed by lines is a speech, `(...)` lines in it parentheticals, `CUT TO:` a transition,
anything else action. A beat without scenes has no pages of its own, so its text is printed as
action under its section: the export of an outline that has no scenes yet still reads as a
script of what happens. Every element keeps the outline line it came from.
"""

from __future__ import annotations

from storykit.load.fountain import parse_fountain
from storykit.model import Outline, Paragraph, Project, Scene
from storykit.script import Element, Script


def _flat(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def paragraph_elements(paragraph: Paragraph) -> list[Element]:
    """A scene paragraph as script elements, at the outline's lines."""
    lines = paragraph.text.split("\n")
    # A blank line before and after, as around a block of a Fountain file; a paragraph that
    # looks like a section, synopsis or page break is action here (Markdown had its say).
    read = parse_fountain("\n" + "\n".join(lines) + "\n\n", "").elements
    elements = []
    for element in read:
        if element.kind in ("section", "synopsis", "page-break"):
            element = Element("action", lines[element.line - 2].strip(), element.line)
        element.line += paragraph.line - 2
        if element.kind == "action":
            element.text = "\n".join(x.strip() for x in element.text.split("\n"))
        elements.append(element)
    return elements


def scene_heading(scene: Scene) -> Element:
    """A slugline as written; a free title as a forced heading in capitals."""
    forced = not scene.slugline.setting
    return Element(
        "scene", scene.heading.upper() if forced else scene.heading, scene.line, forced=forced
    )


def outline_script(project: Project, outline: Outline) -> Script:
    """The outline as a script: title page keys in the Fountain spec's order, then its story."""
    config = project.config
    script = Script(outline.path)
    page = {
        "title": outline.label,
        "credit": "Written by" if config.author else "",
        "author": config.author,
        "draft date": config.draft_date,
        "contact": config.contact,
    }
    script.title_page = {k: v.strip() for k, v in page.items() if v and v.strip()}
    out = script.elements
    for act in outline.acts:
        if act.name:
            out.append(Element("section", _flat(act.name), act.line, level=1))
        out.extend(Element("synopsis", _flat(p.text), p.line) for p in act.intro)
        for beat in act.beats:
            if beat.name:
                out.append(Element("section", _flat(beat.name), beat.line, level=2))
            if not beat.scenes:
                out.extend(Element("action", _flat(p.text), p.line) for p in beat.paragraphs)
                continue
            out.extend(Element("synopsis", _flat(p.text), p.line) for p in beat.intro)
            for scene in beat.scenes:
                out.append(scene_heading(scene))
                for paragraph in scene.paragraphs:
                    out.extend(paragraph_elements(paragraph))
    return script
