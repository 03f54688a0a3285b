"""Where each entry appears in each outline, in reading order, including names nested inside
longer names: what the story-shape rules (unseeded, dropped-thread, unused-entry) read.

The index matches the longest name at each place, so in "the loss of his sister" it sees only
the thread *The loss of Max's sister*, and in "Maya's experimental version" only the device. For
questions of setup and presence a nested name counts too: the sister is mentioned there, and a
beat about Maya's experiment is a beat that refers to Maya.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from storykit.analysis.mentions import paragraphs_of
from storykit.analysis.names import EntryRef

if TYPE_CHECKING:
    from storykit.analysis.context import Analysis


class Appearance(NamedTuple):
    """One place an entry is named in an outline (a named tuple: a series has tens of
    thousands); as a tuple it sorts in reading order."""

    order: int  # paragraph number in the outline, then offset: reading order
    offset: int
    outline: str
    beat: int  # index into outline.beats, or -1 for an act's intro paragraphs
    act: int
    line: int
    column: int
    surface: str
    nested: bool  # inside a longer name ("his sister" in "loss of his sister")


def collect_appearances(analysis: Analysis) -> dict[tuple[EntryRef, str], list[Appearance]]:
    """(entry, outline name) -> every own-treatment appearance, in reading order."""
    names = analysis.names
    found: dict[tuple[EntryRef, str], list[Appearance]] = {}
    for outline in analysis.project.outlines.values():
        name, treatment = outline.name, outline.treatment
        in_outline: dict[EntryRef, list[Appearance]] = defaultdict(list)
        for number, (beat_index, act_index, paragraph) in enumerate(paragraphs_of(outline)):
            words = analysis.words(paragraph)
            starts, ends, text = words.starts, words.ends, paragraph.text
            covered_until = -1  # end (word index) of the longest name found so far
            # Every name at every place, nested ones too (the index kept only the longest), in
            # reading order: each entry's list is sorted as it is made.
            for i, here in analysis.name_matches_in(paragraph):
                start = starts[i]
                line, column = paragraph.locate(start)
                seen: set[EntryRef] = set()  # "SleepSync system" and "SleepSync" at one place
                for length, refs in here:
                    own, foreign = names.resolved(refs, treatment)
                    if foreign or not own:
                        continue
                    end = i + length - 1
                    nested = end <= covered_until
                    if end > covered_until:
                        covered_until = end
                    surface = text[start : ends[end]]
                    for ref in own:
                        if ref in seen:
                            continue
                        seen.add(ref)
                        in_outline[ref].append(
                            Appearance(
                                number,
                                start,
                                name,
                                beat_index,
                                act_index,
                                line,
                                column,
                                surface,
                                nested,
                            )
                        )
        for ref, listed in in_outline.items():
            found[ref, name] = listed
    return found
