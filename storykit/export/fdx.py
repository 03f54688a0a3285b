"""An outline as a Final Draft document (FDX): a title page, each act a "New Act" element, each
beat a scene heading whose index card carries the beat's text, and the text again as action.

Why scenes and not notes: Final Draft organises a script by its scene headings. Beats as scene
headings show up in the Navigator, on the Index Cards and in Scene View, each card holding the
beat's synopsis, so the outline is where a writer starts turning it into pages; notes would be
hidden in a side panel and carry no structure.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from storykit.model import Outline, Project

# XML 1.0 cannot hold most control characters, not even escaped: drop them rather than write a
# file Final Draft refuses to open.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", " ".join(line.strip() for line in text.splitlines() if line.strip()))


def _paragraph(
    parent: ET.Element, kind: str | None, text: str, alignment: str | None = None
) -> ET.Element:
    paragraph = ET.SubElement(parent, "Paragraph")
    if alignment:
        paragraph.set("Alignment", alignment)
    if kind:
        paragraph.set("Type", kind)
    ET.SubElement(paragraph, "Text").text = _clean(text)
    return paragraph


def _title_page(root: ET.Element, project: Project, outline: Outline) -> None:
    config = project.config
    content = ET.SubElement(ET.SubElement(root, "TitlePage"), "Content")
    for _ in range(12):  # the title sits a third of the way down, as on a printed title page
        _paragraph(content, None, "", "Center")
    _paragraph(content, None, outline.label.upper(), "Center")
    _paragraph(content, None, "", "Center")
    if config.author:
        _paragraph(content, None, "Written by", "Center")
        _paragraph(content, None, "", "Center")
        _paragraph(content, None, config.author, "Center")
    for _ in range(12):
        _paragraph(content, None, "", "Left")
    for line in (config.draft_date, *config.contact.splitlines()):
        if line.strip():
            _paragraph(content, None, line, "Left")


def to_fdx(project: Project, outline: Outline) -> str:
    """The outline as FDX text (UTF-8 XML)."""
    root = ET.Element("FinalDraft", {"DocumentType": "Script", "Template": "No", "Version": "5"})
    content = ET.SubElement(root, "Content")
    for act in outline.acts:
        if act.name:
            _paragraph(content, "New Act", act.name.upper())
        for paragraph in act.intro:
            _paragraph(content, "Action", paragraph.text)
        for beat in act.beats:
            heading = _paragraph(content, "Scene Heading", beat.name.upper())
            properties = ET.Element("SceneProperties", {"Title": _clean(beat.name)})
            summary = ET.SubElement(properties, "Summary")
            _paragraph(summary, None, beat.text)
            heading.insert(0, properties)  # Final Draft writes SceneProperties before Text
            for paragraph in beat.paragraphs:
                _paragraph(content, "Action", paragraph.text)
    _title_page(root, project, outline)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n{body}\n'
