"""Outline prose as segments: plain text, and bible names that link to their entries."""

from __future__ import annotations

from dataclasses import dataclass

from storykit.analysis import Index
from storykit.analysis.mentions import find_names
from storykit.analysis.names import resolve
from storykit.compile.typography import typeset, typeset_pieces
from storykit.model import Entry, Paragraph, slugify


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph; `anchor` is the bible anchor a name links to, None for plain text."""

    text: str
    anchor: str | None = None


def anchor_of(kind: str, entry_id: str) -> str:
    """The HTML id of a bible entry: a slug, so nothing a bible holds can reach an attribute."""
    return f"{kind}-{slugify(entry_id) or 'entry'}"


def entry_anchor(entry: Entry) -> str:
    return anchor_of(entry.kind_name, entry.id)


def segments(paragraph: Paragraph, treatment: str, index: Index | None) -> list[Segment]:
    """The paragraph split at every bible name of `treatment` (or `all`), names linked.

    A name only other treatments know stays plain text here: the linter reports it.
    """
    if index is None:
        return [Segment(typeset(paragraph.text))]
    text = paragraph.text
    result: list[Segment] = []
    position = 0
    for first, last, refs in find_names(paragraph, index.names):
        own, foreign = resolve(refs, treatment)
        if foreign or not own:
            continue
        if first.start > position:
            result.append(Segment(text[position : first.start]))
        result.append(Segment(text[first.start : last.end], anchor_of(own[0].kind, own[0].id)))
        position = last.end
    if position < len(text):
        result.append(Segment(text[position:]))
    # Repaired and typeset as one text, so a quote that closes after a name reads as closing.
    pieces = typeset_pieces([s.text for s in result])
    return [Segment(piece, s.anchor) for piece, s in zip(pieces, result, strict=True)]
