"""An outline as a Fountain file that screenwriting apps open as an outline: a title page, acts
and beats as `#`/`##` sections, each paragraph of beat text as an `=` synopsis, and (opt-in) lint
findings as `[[notes]]` where they occur."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from storykit.lint.finding import Finding
from storykit.model import Outline, Paragraph, Project

# Fountain reads these inside any text: `/*` opens a boneyard (hiding the rest of the file) and
# `[[` a note, so a beat that happens to contain them is escaped rather than swallowed.
_BONEYARD = re.compile(r"/\*|\*/")
_NOTE = re.compile(r"\[\[|\]\]")


def _inline(text: str) -> str:
    """One line of Fountain text: lines joined, boneyard and note marks defused."""
    flat = " ".join(line.strip() for line in text.splitlines() if line.strip())
    flat = _BONEYARD.sub(lambda m: m.group().replace("*", "\\*"), flat)
    return _NOTE.sub(lambda m: m.group()[0] + " " + m.group()[1], flat)


def title_page(project: Project, outline: Outline) -> list[str]:
    """The title page keys, in the order Fountain's specification lists them."""
    config = project.config
    entries = [
        ("Title", outline.label),
        ("Credit", "Written by" if config.author else ""),
        ("Author", config.author),
        ("Draft date", config.draft_date),
        ("Contact", config.contact),
    ]
    lines = []
    for key, value in entries:
        parts = [p.strip() for p in str(value).splitlines() if p.strip()]
        if not parts:
            continue
        if len(parts) == 1:
            lines.append(f"{key}: {_inline(parts[0])}")
        else:  # a multi-line value: the key alone, then each line indented
            lines.append(f"{key}:")
            lines.extend(f"    {_inline(p)}" for p in parts)
    return lines


def _note(finding: Finding) -> str:
    suggestion = finding.suggestion or ""
    suggestion = f" ({suggestion})" if suggestion and suggestion not in finding.message else ""
    text = _inline(f"{finding.severity} {finding.rule}: {finding.message}{suggestion}")
    return f"[[{text}]]"


def _notes_by_line(outline: Outline, findings: Iterable[Finding]) -> dict[int, list[Finding]]:
    """The outline's own findings, each at the first line of the block it falls in."""
    starts = sorted(
        {act.line for act in outline.acts}
        | {beat.line for beat in outline.beats}
        | {p.line for act in outline.acts for p in act.intro}
        | {p.line for beat in outline.beats for p in beat.paragraphs}
    )
    placed: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.path != outline.path:
            continue
        block = max((s for s in starts if s <= finding.line), default=0)
        placed[block].append(finding)
    return placed


def to_fountain(project: Project, outline: Outline, findings: Iterable[Finding] = ()) -> str:
    """The outline as Fountain text; `findings` (e.g. from lint_project) become notes."""
    notes = _notes_by_line(outline, findings)
    out: list[str] = [*title_page(project, outline), ""]

    def block(line: int, text: str) -> None:
        out.append(text)
        out.append("")
        for finding in notes.pop(line, []):
            out.append(_note(finding))
            out.append("")

    for finding in notes.pop(0, []):  # findings in the front matter: before the first act
        out.extend([_note(finding), ""])

    def synopses(paragraphs: list[Paragraph]) -> None:
        for paragraph in paragraphs:
            block(paragraph.line, f"= {_inline(paragraph.text)}")

    for act in outline.acts:
        if act.name:
            block(act.line, f"# {_inline(act.name)}")
        synopses(act.intro)
        for beat in act.beats:
            block(beat.line, f"## {_inline(beat.name)}")
            synopses(beat.paragraphs)
    return "\n".join(out).rstrip("\n") + "\n"
