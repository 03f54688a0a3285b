"""A screenplay as Fountain text (Highland, Beat, afterwriting, Fade In open it): the title page
keys in the spec's order, then each element written the way the spec reads it back. Where a
line would be read as something else (action in capitals over two lines reads as a cue and its
dialogue; a title as a heading only when forced), it is forced with the spec's own marks
(`!` action, `.` scene heading, `@` cue, `>` transition). Lint findings (opt-in) become
`[[notes]]` under the block they fall in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from storykit.export.script import outline_script
from storykit.lint.finding import Finding
from storykit.load.fountain import parse_fountain
from storykit.model import Outline, Project
from storykit.script import Element, Script

# Fountain reads these inside any text: `/*` opens a boneyard (hiding the rest of the file) and
# `[[` a note, so text that happens to contain them is escaped rather than swallowed.
_BONEYARD = re.compile(r"/\*|\*/")
_NOTE = re.compile(r"\[\[|\]\]")
_TITLE_KEYS = ("title", "credit", "author", "source", "draft date", "contact")
_SPEECH = ("parenthetical", "dialogue", "lyric")
_FORCE = {"action": "!", "scene": ".", "cue": "@", "transition": ">"}


def _safe(text: str) -> str:
    text = _BONEYARD.sub(lambda m: m.group().replace("*", "\\*"), text)
    return _NOTE.sub(lambda m: m.group()[0] + " " + m.group()[1], text)


def _inline(text: str) -> str:
    """One line of Fountain text: lines joined, boneyard and note marks defused."""
    return _safe(" ".join(line.strip() for line in text.splitlines() if line.strip()))


def title_page(page: dict[str, str]) -> list[str]:
    """The title page keys, in the order Fountain's specification lists them, then the rest."""
    keys = [k for k in _TITLE_KEYS if k in page] + [k for k in page if k not in _TITLE_KEYS]
    lines = []
    for key in keys:
        parts = [p.strip() for p in str(page[key]).splitlines() if p.strip()]
        label = key[:1].upper() + key[1:]
        if len(parts) == 1:
            lines.append(f"{label}: {_inline(parts[0])}")
        elif parts:  # a multi-line value: the key alone, then each line indented
            lines.append(f"{label}:")
            lines.extend(f"    {_inline(p)}" for p in parts)
    return lines


def _plain(element: Element) -> str:
    text = element.text
    if element.kind == "cue":
        ext = "".join(f" ({e})" for e in element.extensions)
        return f"{text}{ext}{' ^' if element.dual else ''}"
    if element.kind == "section":
        return f"{'#' * max(1, element.level)} {_inline(text)}"
    if element.kind == "synopsis":
        return f"= {_inline(text)}"
    if element.kind == "lyric":
        return "\n".join(f"~{_safe(line.strip())}" for line in text.split("\n"))
    if element.kind == "centered":
        return f">{_inline(text)}<"
    if element.kind == "page-break":
        return "==="
    if element.kind in ("action", "dialogue"):
        return "\n".join(_safe(line) if line.strip() else "  " for line in text.split("\n"))
    return _inline(text)


def _reads_back(kind: str, text: str) -> bool:
    found = parse_fountain(f"\n{text}\n\nX\n", "").elements
    expect = 2 if kind == "cue" else 1  # a cue is read with the line after it
    return len(found) >= expect and found[0].kind == kind


def block(element: Element) -> str:
    """The element as Fountain lines, forced where the spec would read it as something else."""
    text = _plain(element)
    if element.kind == "cue":
        probe = f"{text}\nwords"
        if element.forced or not _reads_back("cue", probe):
            return "@" + text
        return text
    mark = _FORCE.get(element.kind)
    if mark and (element.forced or not _reads_back(element.kind, text)):
        return mark + text
    return text


def write_fountain(script: Script, notes: dict[int, list[str]] | None = None) -> str:
    """The script as Fountain text; `notes` maps an element's line to `[[notes]]` after it."""
    notes = dict(notes or {})
    out: list[str] = [*title_page(script.title_page), ""] if script.title_page else []
    for text in notes.pop(0, []):
        out.extend([f"[[{_inline(text)}]]", ""])
    pending: list[str] = []
    elements = script.elements
    for i, element in enumerate(elements):
        if element.kind in _SPEECH and out and not out[-1]:
            out.pop()  # speech follows its cue (or the speech before it) directly
        out.extend([block(element), ""])
        pending.extend(notes.pop(element.line, []))
        if i + 1 < len(elements) and elements[i + 1].kind in _SPEECH:
            continue  # a note inside a speech would end it: after the speech instead
        out.extend(line for text in pending for line in (f"[[{_inline(text)}]]", ""))
        pending = []
    return "\n".join(out).rstrip("\n") + "\n"


def _note(finding: Finding) -> str:
    suggestion = finding.suggestion or ""
    suggestion = f" ({suggestion})" if suggestion and suggestion not in finding.message else ""
    return f"{finding.severity} {finding.rule}: {finding.message}{suggestion}"


def _notes_by_line(
    outline: Outline, script: Script, findings: Iterable[Finding]
) -> dict[int, list[str]]:
    """The outline's own findings, each after the element whose lines hold it."""
    starts = sorted({e.line for e in script.elements})
    placed: dict[int, list[str]] = defaultdict(list)
    for finding in findings:
        if finding.path != outline.path:
            continue
        at = max((s for s in starts if s <= finding.line), default=0)
        placed[at].append(_note(finding))
    return placed


def to_fountain(project: Project, outline: Outline, findings: Iterable[Finding] = ()) -> str:
    """The outline as a Fountain script; `findings` (e.g. from lint_project) become notes."""
    script = outline_script(project, outline)
    return write_fountain(script, _notes_by_line(outline, script, findings))
