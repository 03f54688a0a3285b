"""A screenplay as a Final Draft document (FDX): a title page, acts as "New Act" paragraphs,
scenes as scene headings, cues, parentheticals, dialogue and transitions as Final Draft's own
paragraph types, dual dialogue in `<DualDialogue>`.

Beats become index cards: the beat's name and text are the `SceneProperties` title and summary
of its first scene, so Final Draft's Navigator and Index Cards show the outline over the pages.
A beat with no scenes yet has its name as a General paragraph and its text as action.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from storykit.export.script import outline_script
from storykit.model import Outline, Project
from storykit.script import Element, Script

# XML 1.0 cannot hold most control characters, not even escaped: drop them rather than write a
# file Final Draft refuses to open.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TYPES = {
    "scene": "Scene Heading",
    "action": "Action",
    "cue": "Character",
    "parenthetical": "Parenthetical",
    "dialogue": "Dialogue",
    "lyric": "Dialogue",
    "transition": "Transition",
    "centered": "Action",
}
_SPEECH = ("parenthetical", "dialogue", "lyric")


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


def _title_page(root: ET.Element, page: dict[str, str]) -> None:
    content = ET.SubElement(ET.SubElement(root, "TitlePage"), "Content")
    for _ in range(12):  # the title sits a third of the way down, as on a printed title page
        _paragraph(content, None, "", "Center")
    _paragraph(content, None, page.get("title", "").upper(), "Center")
    _paragraph(content, None, "", "Center")
    if page.get("author"):
        _paragraph(content, None, page.get("credit") or "Written by", "Center")
        _paragraph(content, None, "", "Center")
        _paragraph(content, None, page["author"], "Center")
    for _ in range(12):
        _paragraph(content, None, "", "Left")
    for line in (page.get("draft date", ""), *page.get("contact", "").splitlines()):
        if line.strip():
            _paragraph(content, None, line, "Left")


def _cue_text(element: Element) -> str:
    return element.text + "".join(f" ({e})" for e in element.extensions)


def _speeches(elements: list[Element]) -> list[list[Element]]:
    """Elements grouped: a cue with its speech is one group, every other element its own."""
    groups: list[list[Element]] = []
    for element in elements:
        if element.kind in _SPEECH and groups and groups[-1][0].kind == "cue":
            groups[-1].append(element)
        else:
            groups.append([element])
    return groups


def _write_group(parent: ET.Element, group: list[Element]) -> None:
    for element in group:
        text = _cue_text(element) if element.kind == "cue" else element.text
        kind = _TYPES.get(element.kind, "Action")
        _paragraph(parent, kind, text, "Center" if element.kind == "centered" else None)


def write_fdx(script: Script) -> str:
    """The script as FDX text (UTF-8 XML)."""
    root = ET.Element("FinalDraft", {"DocumentType": "Script", "Template": "No", "Version": "5"})
    content = ET.SubElement(root, "Content")
    beat: tuple[str, list[str]] | None = None  # a beat waiting for its first scene
    groups = _speeches(script.elements)
    new_page = False
    for n, group in enumerate(groups):
        first = group[0]
        if first.kind == "page-break":
            new_page = True
            continue
        if new_page and first.kind not in ("section", "synopsis"):  # FD marks the next paragraph
            new_page = False
            mark = len(content)
        else:
            mark = -1
        if first.kind == "section" and first.level == 1:
            _paragraph(content, "New Act", first.text.upper())
            beat = ("", [])  # the act's synopses go on its first scene's card
        elif first.kind == "section":
            beat = (first.text, [])
            following = groups[n + 1][0] if n + 1 < len(groups) else None
            if following is None or following.kind not in ("synopsis", "scene"):
                _paragraph(content, "General", first.text)  # a beat without scenes
        elif first.kind == "synopsis":
            if beat is not None:
                beat[1].append(first.text)
        elif first.kind == "scene":
            _scene_heading(content, first.text, beat)
            beat = None
        elif first.kind == "cue" and first.dual and content[-1:] and _is_speech(content[-1]):
            _dual(content, group)
        else:
            _write_group(content, group)
        if mark >= 0 and mark < len(content):
            content[mark].set("StartsNewPage", "Yes")
    _title_page(root, script.title_page)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n{body}\n'


def _scene_heading(content: ET.Element, text: str, beat: tuple[str, list[str]] | None) -> None:
    """A Scene Heading; the beat waiting for its first scene becomes its index card."""
    heading = _paragraph(content, "Scene Heading", text)
    if beat is not None and (beat[0] or beat[1]):
        properties = ET.Element("SceneProperties", {"Title": _clean(beat[0])} if beat[0] else {})
        _paragraph(ET.SubElement(properties, "Summary"), None, "\n".join(beat[1]))
        heading.insert(0, properties)  # Final Draft writes SceneProperties before Text


def _is_speech(paragraph: ET.Element) -> bool:
    return paragraph.get("Type") in ("Dialogue", "Parenthetical")


def _dual(content: ET.Element, group: list[Element]) -> None:
    """Move the speech just written and this one into one <DualDialogue>."""
    first: list[ET.Element] = []
    while len(content) and content[-1].get("Type") in ("Dialogue", "Parenthetical", "Character"):
        first.insert(0, content[-1])
        content.remove(content[-1])
        if first[0].get("Type") == "Character":
            break
    holder = ET.SubElement(content, "Paragraph")
    dual = ET.SubElement(holder, "DualDialogue")
    dual.extend(first)
    _write_group(dual, group)


def to_fdx(project: Project, outline: Outline) -> str:
    """The outline as FDX text: its scenes as a script, its beats as index cards."""
    return write_fdx(outline_script(project, outline))
