"""The index: every mention of a bible entry in every outline (the longest name at each place),
and who is present in which beat, in play at it, or named in it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from storykit.analysis.names import EntryRef, NameTable, longest_spans
from storykit.model import LEAD_ROLES, Character, Entry, Outline, Paragraph, Project
from storykit.text import Token, Words

if TYPE_CHECKING:
    from storykit.analysis.context import Analysis


class Mention(NamedTuple):
    """One occurrence of a bible name in an outline (a named tuple: a series has tens of
    thousands, and a tuple is made and hashed in C)."""

    entry: EntryRef
    outline: str
    beat: int  # index into outline.beats; -1 for an act's intro paragraph
    act: int
    line: int
    column: int
    start: int  # offset in the paragraph
    end: int
    surface: str  # the words as written ("Amelia's")
    paragraph: Paragraph
    foreign: bool = False  # the name belongs only to other treatments


def paragraphs_of(outline: Outline) -> Iterator[tuple[int, int, Paragraph]]:
    """(beat index or -1, act index, paragraph) for every paragraph of the outline, in order."""
    beat_index = 0
    for act in outline.acts:
        for paragraph in act.intro:
            yield -1, act.index, paragraph
        for beat in act.beats:
            for paragraph in beat.paragraphs:
                yield beat_index, act.index, paragraph
            beat_index += 1


def find_names(
    paragraph: Paragraph, names: NameTable, words: Words | None = None
) -> Iterator[tuple[Token, Token, list[EntryRef]]]:
    """(first word, last word, entries) for every bible name in the paragraph, longest first."""
    words = Words(paragraph.text) if words is None else words
    for first, last, refs in longest_spans(names.all_matches(words)):
        yield words[first], words[last], refs


@dataclass
class Index:
    """Mentions of every entry in every outline, and presence by beat."""

    project: Project
    names: NameTable
    mentions: list[Mention] = field(default_factory=list)
    by_entry: dict[EntryRef, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    # outline name -> beat index -> character ids named in that beat
    presence: dict[str, dict[int, set[str]]] = field(default_factory=dict)
    # outline name -> (character id -> first beat naming it, -> last beat naming it)
    _spans: dict[str, tuple[dict[str, int], dict[str, int]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def ref(self, entry: Entry) -> EntryRef:
        return EntryRef.of(entry)

    def mentions_of(self, entry: Entry, outline: str | None = None) -> list[Mention]:
        found = self.by_entry.get(self.ref(entry), [])
        return [m for m in found if outline is None or m.outline == outline]

    def present_in(self, outline: Outline, beat_index: int) -> list[Character]:
        """Characters named in the beat, in bible order."""
        return self.characters(self.presence.get(outline.name, {}).get(beat_index, set()))

    @cached_property
    def _bible_order(self) -> dict[str, int]:
        return {c: n for n, c in enumerate(self.project.characters)}

    def characters(self, ids: set[str]) -> list[Character]:
        """The characters with these ids, in bible order."""
        # Sorting the few ids, not filtering the whole cast: a series has a thousand characters.
        order = self._bible_order
        cast = self.project.characters
        return [cast[i] for i in sorted(ids & order.keys(), key=order.__getitem__)]

    def entry(self, ref: EntryRef) -> Entry:
        tables: dict[str, Mapping[str, Entry]] = {
            "character": self.project.characters,
            "device": self.project.devices,
            "thread": self.project.threads,
        }
        return tables[ref.kind][ref.id]

    def in_play(self, outline: Outline, beat_index: int) -> list[Character]:
        """The characters in play at a beat, in bible order: those named in it, and the
        principal characters (protagonist, antagonist, supporting) first named at or before it
        and named again at or after it."""
        presence = self.presence.get(outline.name, {})
        if outline.name not in self._spans:  # asked at every group word: once per outline
            first: dict[str, int] = {}
            last: dict[str, int] = {}
            for beat, ids in presence.items():
                for character_id in ids:
                    first[character_id] = min(first.get(character_id, beat), beat)
                    last[character_id] = max(last.get(character_id, beat), beat)
            self._spans[outline.name] = first, last
        first, last = self._spans[outline.name]
        cast = self.project.characters
        between = {
            i
            for i in first
            if first[i] <= beat_index <= last[i] and i in cast and cast[i].role in LEAD_ROLES
        }
        return self.characters(presence.get(beat_index, set()) | between)


def collect_index(analysis: Analysis) -> Index:
    """The index of the analysed project: the longest name at each place of its prose."""
    project = analysis.project
    names = analysis.names
    index = Index(project=project, names=names)
    mentions, by_entry = index.mentions, index.by_entry
    for outline in project.outlines.values():
        presence: dict[int, set[str]] = defaultdict(set)
        name, treatment = outline.name, outline.treatment
        for beat_index, act_index, paragraph in paragraphs_of(outline):
            words = analysis.words(paragraph)
            starts, ends, text = words.starts, words.ends, paragraph.text
            for first, last, refs in longest_spans(analysis.name_matches_in(paragraph)):
                own, foreign = names.resolved(refs, treatment)
                start, end = starts[first], ends[last]
                line, column = paragraph.locate(start)
                surface = text[start:end]
                for ref in own:
                    mention = Mention(
                        ref,
                        name,
                        beat_index,
                        act_index,
                        line,
                        column,
                        start,
                        end,
                        surface,
                        paragraph,
                        foreign,
                    )
                    mentions.append(mention)
                    by_entry[ref].append(mention)
                    if ref.kind == "character" and not foreign and beat_index >= 0:
                        presence[beat_index].add(ref.id)
        index.presence[name] = dict(presence)
    return index
