"""Final Draft (FDX) screenplays → the same script model as Fountain, every element at the line
of its `<Paragraph>` in the XML.

An FDX file is XML: `<FinalDraft><Content>` holds `<Paragraph Type="Scene Heading|Action|
Character|Parenthetical|Dialogue|Transition|Shot|New Act|General">` elements whose text is the
concatenation of their `<Text>` runs; `<DualDialogue>` wraps the two speeches said at once; a
scene heading's `<SceneProperties><Summary>` is its index card; `<TitlePage>` holds the title
page as centred and left-aligned paragraphs.

It is read with defusedxml's SAX parser (expat underneath, entity declarations refused: a
billion-laughs file stops at the declaration's line instead of filling memory), so that every
refusal and every element has a line and column.
"""

from __future__ import annotations

import re
import xml.sax
from dataclasses import dataclass, field
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

import defusedxml
import defusedxml.sax

from storykit.errors import Problem
from storykit.script import Element, Note, Script

_KINDS = {
    "scene heading": "scene",
    "action": "action",
    "general": "action",
    "shot": "action",
    "character": "cue",
    "parenthetical": "parenthetical",
    "dialogue": "dialogue",
    "transition": "transition",
    "new act": "section",
    "lyrics": "lyric",
}
_CUE = re.compile(r"^(?P<name>[^(^]+?)\s*(?P<ext>(?:\([^)]*\)\s*)*)\^?\s*$")
_EXTENSION = re.compile(r"\(([^)]*)\)")
_CREDIT = re.compile(r"^(?:(?:screenplay|story|teleplay|written)\s+)?by$", re.IGNORECASE)


class FdxProblem(Exception):
    """The file is no FDX storykit can read; `problem` says where and why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass
class _Open:
    """A <Paragraph> being read."""

    type: str
    align: str
    new_page: bool
    line: int
    column: int
    inside: tuple[str, ...]  # the elements around it
    text: list[str] = field(default_factory=list)


class _Handler(ContentHandler):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.script = Script(path, format="fdx")
        self.locator: Locator | None = None
        self.stack: list[str] = []
        self.paragraphs: list[_Open] = []  # the open <Paragraph>s, innermost last
        self.summaries: list[tuple[str, _Open]] = []  # index cards of a heading
        self.title: list[tuple[str, str]] = []  # (alignment, text) of title-page paragraphs
        self.dual = 0  # how many Character paragraphs the current <DualDialogue> has had

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 (SAX's name)
        self.locator = locator

    def where(self) -> tuple[int, int]:
        if self.locator is None:
            return 1, 1
        return self.locator.getLineNumber() or 1, (self.locator.getColumnNumber() or 0) + 1

    def startElement(self, name: str, attrs: xml.sax.xmlreader.AttributesImpl) -> None:  # noqa: N802
        if not self.stack and name != "FinalDraft":
            line, column = self.where()
            raise FdxProblem(
                Problem(
                    self.path,
                    line,
                    column,
                    f"not a Final Draft file: the root element is <{name}>, not <FinalDraft>",
                    "export the script from Final Draft as .fdx, or give a .fountain file",
                )
            )
        self.stack.append(name)
        if name == "DualDialogue":
            self.dual = 0
        if name == "Paragraph":
            line, column = self.where()
            self.paragraphs.append(
                _Open(
                    attrs.get("Type", ""),
                    attrs.get("Alignment", ""),
                    attrs.get("StartsNewPage", "") == "Yes",
                    line,
                    column,
                    tuple(self.stack[:-1]),
                )
            )

    def characters(self, content: str) -> None:
        if self.stack and self.stack[-1] == "Text" and self.paragraphs:
            self.paragraphs[-1].text.append(content)

    def endElement(self, name: str) -> None:  # noqa: N802
        self.stack.pop()
        if name != "Paragraph" or not self.paragraphs:
            return
        paragraph = self.paragraphs.pop()
        text = "".join(paragraph.text).replace("\r\n", "\n").replace("\r", "\n")
        where = paragraph.inside
        if "TitlePage" in where:
            self.title.append((paragraph.align, text.strip()))
        elif "ScriptNote" in where or "ScriptNotes" in where:
            self.script.notes.append(Note(text.strip(), *self._at(paragraph)))
        elif "Summary" in where:
            if text.strip():  # a scene's index card: a synopsis after its heading
                self.summaries.append((text.strip(), paragraph))
        elif "Content" in where:
            if paragraph.new_page:
                self._add("page-break", "", paragraph)
            self._paragraph(paragraph, text, "DualDialogue" in where)
            if (
                self.summaries
                and self.script.elements[-1:]
                and self.script.elements[-1].kind == "scene"
            ):
                for summary, at in self.summaries:
                    self._add("synopsis", summary, at)
            self.summaries = []

    def _at(self, paragraph: _Open) -> tuple[int, int]:
        return paragraph.line, paragraph.column

    def _add(self, kind: str, text: str, paragraph: _Open, **extra: object) -> None:
        line, column = self._at(paragraph)
        self.script.elements.append(Element(kind, text, line, column, **extra))  # type: ignore[arg-type]

    def _paragraph(self, paragraph: _Open, text: str, dual: bool) -> None:
        element_kind = _KINDS.get(paragraph.type.strip().lower(), "action")
        if not text.strip():
            return
        if element_kind == "action" and paragraph.align.lower() == "center":
            element_kind = "centered"
        if element_kind == "cue":
            match = _CUE.match(text.strip())
            name = match.group("name").strip() if match else text.strip()
            extensions = [
                e.strip() for e in _EXTENSION.findall(match.group("ext") if match else "")
            ]
            second = False
            if dual:
                self.dual += 1
                second = self.dual == 2
            self._add("cue", name, paragraph, extensions=extensions, dual=second)
        elif element_kind == "section":
            self._add("section", text.strip(), paragraph, level=1)
        else:
            self._add(element_kind, text.strip() if element_kind != "action" else text, paragraph)


def _title_page(paragraphs: list[tuple[str, str]]) -> dict[str, str]:
    """Title, credit, author from the centred lines; the rest (left-aligned) as contact."""
    page: dict[str, str] = {}
    centred = [t for align, t in paragraphs if align.lower() == "center" and t]
    rest = [t for align, t in paragraphs if align.lower() != "center" and t]
    if centred:
        page["title"] = centred[0]
        for i, text in enumerate(centred[1:], start=1):
            if _CREDIT.match(text):
                page["credit"] = text
                if i + 1 < len(centred):
                    page["author"] = centred[i + 1]
                break
    if rest:
        page["contact"] = "\n".join(rest)
    return page


def parse_fdx(text: str, path: str = "script.fdx") -> Script:
    """Read an FDX screenplay; FdxProblem (with its line) when it is no well-formed Final Draft
    XML, or declares entities (billion laughs) or external references."""
    handler = _Handler(path)
    try:
        defusedxml.sax.parseString(
            text.encode("utf-8"), handler, forbid_dtd=False, forbid_entities=True
        )
    except xml.sax.SAXParseException as error:
        raise FdxProblem(
            Problem(
                path,
                error.getLineNumber() or 1,
                (error.getColumnNumber() or 0) + 1,
                f"not well-formed XML: {error.getMessage()}",
                "an FDX file is XML as Final Draft writes it; re-export it, or fix the line shown",
            )
        ) from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as error:
        line, column = _declaration(text, handler)
        what = (
            "an entity declaration"
            if isinstance(error, defusedxml.EntitiesForbidden)
            else ("an external reference")
        )
        raise FdxProblem(
            Problem(
                path,
                line,
                column,
                f"refusing to read {what} (<!ENTITY ...>): FDX files never hold one, and "
                "expanding it could fill memory",
                "re-export the script from Final Draft",
            )
        ) from None
    handler.script.title_page = _title_page(handler.title)
    return handler.script


def _declaration(text: str, handler: _Handler) -> tuple[int, int]:
    """Where the refused declaration is: the parser's position, else the first <!ENTITY."""
    offset = text.find("<!ENTITY")
    if offset >= 0:
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
    return handler.where()
