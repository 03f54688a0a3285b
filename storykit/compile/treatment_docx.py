"""The treatment as a Word document (producers and agents ask for Word), through python-docx.

The same context as the PDF (`treatment.treatment_context`), laid out the same way: US Letter,
Courier New 12 pt (the Courier every copy of Word has), margins of 1 in
and 1.5 in on the left, the title page without a page number and every later page numbered top
right; acts centred, bold and underlined, and styled as headings, so Word's navigation pane
lists them as the PDF's bookmarks do. Every string is typeset like every other output.

The file is reproducible: python-docx stamps each zip entry with the time of writing, so the
entries are written again with one fixed time, and the core properties carry the draft date.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from typing import Any

from storykit.compile.typography import typeset

# The PDF embeds Courier Prime; a Word file cannot, and Courier New is on every machine.
FONT = "Courier New"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Characters XML 1.0 cannot hold (python-docx refuses them): never part of a story's text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", typeset(text))


def treatment_docx(context: dict[str, Any], *, date: str | None = None) -> bytes:
    """The Word document for a treatment context."""
    from docx import Document
    from docx.enum.section import WD_SECTION

    writer = _Writer(Document())
    writer.title_page(context)
    # python-docx's new section takes over the body's section properties; the title page keeps
    # a header of its own with nothing in it, and the story counts its pages from 1.
    story = writer.document.add_section(WD_SECTION.NEW_PAGE)
    story.different_first_page_header_footer = False  # the template's titlePg: numbered too
    _page_number(story, writer.pt)
    writer.opening(context)
    writer.story(context)
    _properties(writer.document, context, date)
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return _fixed_times(buffer.getvalue())


class _Writer:
    """Paragraphs in the house style, added to one document part by part."""

    def __init__(self, document: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Inches, Pt

        self.document, self.pt, self.inches = document, Pt, Inches
        self.centre, self.right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
        _house_style(document, Pt)
        section = document.sections[0]
        section.page_width, section.page_height = Inches(8.5), Inches(11)
        section.top_margin = section.bottom_margin = section.right_margin = Inches(1)
        section.left_margin = Inches(1.5)

    def line(
        self, text: str = "", *, after: int = 12, style: str | None = None, **look: Any
    ) -> Any:
        """A paragraph; `look`: bold, underline, upper, align."""
        paragraph = self.document.add_paragraph(style=style)
        paragraph.paragraph_format.space_after = self.pt(after)
        paragraph.paragraph_format.widow_control = True
        if look.get("align") is not None:
            paragraph.alignment = look["align"]
        if text:
            shown = _clean(text)
            run = paragraph.add_run(shown.upper() if look.get("upper") else shown)
            run.bold, run.underline = look.get("bold", False), look.get("underline", False)
            _font(run, self.pt)
        return paragraph

    def heading(self, text: str, style: str, **look: Any) -> Any:
        paragraph = self.line(text, style=style, bold=True, **look)
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def title_page(self, context: dict[str, Any]) -> None:
        """The block a third of the way down; contact bottom left, draft bottom right."""
        for _ in range(16):
            self.line(after=0)
        self.line(
            context["title"], bold=True, underline=True, align=self.centre, upper=True, after=24
        )
        if context["variant"]:
            self.line(f"({context['variant']})", align=self.centre)
        if context["series"]:
            self.line(f"from the series {context['series']}", align=self.centre)
        self.line("Written by", align=self.centre)
        self.line(context["author"], align=self.centre)
        for _ in range(14):
            self.line(after=0)
        for text in context["contact"]:
            self.line(text, after=0)
        if context["draft_date"]:
            self.line("Draft", align=self.right, after=0)
            self.line(context["draft_date"], align=self.right, after=0)

    def opening(self, context: dict[str, Any]) -> None:
        """Logline and principal characters, each introduced the same way."""
        if context["logline"]:
            self.line("Logline", bold=True, upper=True)
            self.line(context["logline"], after=24)
        if context["characters"]:
            self.line("Principal characters", bold=True, upper=True)
        for character in context["characters"]:
            paragraph = self.line()
            paragraph.paragraph_format.left_indent = self.inches(0.4)
            paragraph.paragraph_format.first_line_indent = self.inches(-0.4)
            _font(paragraph.add_run(_clean(character["name"]).upper()), self.pt)
            rest = f" ({character['details']})" if character["details"] else ""
            rest += "." + (f" {character['line']}" if character["line"] else "")
            _font(paragraph.add_run(_clean(rest)), self.pt)

    def story(self, context: dict[str, Any]) -> None:
        """Act by act; beat labels only with `beat_labels`; scenes under their beat."""
        for number, act in enumerate(context["acts"]):
            heading = self.heading(
                act["name"], "Heading 1", underline=True, align=self.centre, upper=True
            )
            # the story starts on a page of its own, as in the PDF
            heading.paragraph_format.page_break_before = number == 0
            for text in act["intro"]:
                self.line(text)
            for beat in act["beats"]:  # one beat: its label (with beat_labels), then its prose
                if context["beat_labels"]:
                    self.heading(beat["name"], "Heading 2")
                for text in beat["paragraphs"]:
                    self.line(text)
                for scene in beat.get("scenes", []):
                    self.heading(scene["heading"], "Heading 3", upper=True)
                    for text in scene["paragraphs"]:
                        self.line(text)
        # The story's last paragraph is kept whole, so the last page never holds two stray lines.
        written = [p for p in self.document.paragraphs if p.text]
        if written:
            written[-1].paragraph_format.keep_together = True
            written[-1].paragraph_format.keep_with_next = True
        self.line("The end", align=self.centre, upper=True)


def _properties(document: Any, context: dict[str, Any], date: str | None) -> None:
    properties = document.core_properties
    # Word's core properties hold at most 255 characters each.
    properties.title = _clean(f"{context['title']}: a treatment")[:255]
    properties.author = _clean(context["author"])[:255]
    properties.created = properties.modified = _moment(date)
    properties.last_modified_by = _clean(context["author"])[:255]
    properties.revision = 1


def _house_style(document: Any, Pt: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(12)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.line_spacing = 1.0


def _font(run: Any, Pt: Any) -> None:
    run.font.name = FONT
    run.font.size = Pt(12)


def _page_number(section: Any, Pt: Any) -> None:
    """A PAGE field, right-aligned in the header, with a period as the trade numbers pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start = OxmlElement("w:pgNumType")
    start.set(qn("w:start"), "1")
    section._sectPr.append(start)
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run()
    _font(run, Pt)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind is None:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    _font(paragraph.add_run("."), Pt)


def _moment(date: str | None) -> datetime:
    if date:
        try:
            moment = datetime.fromisoformat(date.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime(2000, 1, 1, tzinfo=UTC)


def _fixed_times(data: bytes) -> bytes:
    """The same zip with every entry stamped FIXED_ZIP_TIME: equal input, equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
