"""Shared by the story-shape rules (unseeded, dropped-thread, unused-entry): where each entry
appears in each outline, in reading order, including names nested inside longer names.

The index matches the longest name at each place, so in "the loss of his sister" it sees only
the thread *The loss of Max's sister*, and in "Maya's experimental version" only the device. For
questions of setup and presence a nested name counts too: the sister is mentioned there, and a
beat about Maya's experiment is a beat that refers to Maya.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple
from weakref import WeakKeyDictionary

from storykit.index import EntryRef, name_matches, paragraph_tokens, paragraphs_of
from storykit.lint.registry import LintContext
from storykit.model import Beat, Entry, Outline, Position


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


# context -> (entry, outline name) -> appearances in reading order
_CACHE: WeakKeyDictionary[LintContext, dict[tuple[EntryRef, str], list[Appearance]]] = (
    WeakKeyDictionary()
)


def appearances(context: LintContext) -> dict[EntryRef, list[Appearance]]:
    """Every own-treatment appearance of every entry, by entry: outline by outline, each in
    reading order."""
    found: dict[EntryRef, list[Appearance]] = defaultdict(list)
    for (ref, _), listed in _by_outline(context).items():
        found[ref].extend(listed)
    return dict(found)


def appearances_of(context: LintContext, entry: Entry, outline: Outline) -> list[Appearance]:
    """The entry's appearances in one outline, in reading order."""
    return _by_outline(context).get((context.index.ref(entry), outline.name), [])


def _by_outline(context: LintContext) -> dict[tuple[EntryRef, str], list[Appearance]]:
    """Built once: the story rules ask for every entry in every outline."""
    if context not in _CACHE:
        _CACHE[context] = _collect(context)
    return _CACHE[context]


def _collect(context: LintContext) -> dict[tuple[EntryRef, str], list[Appearance]]:
    index = context.index
    found: dict[tuple[EntryRef, str], list[Appearance]] = {}
    for outline in context.project.outlines.values():
        name, treatment = outline.name, outline.treatment
        in_outline: dict[EntryRef, list[Appearance]] = defaultdict(list)
        resolved: dict[int, list[EntryRef]] = {}  # id of a name's entry list -> own entries
        for number, (beat_index, act_index, paragraph) in enumerate(paragraphs_of(outline)):
            words = paragraph_tokens(index, paragraph)  # tokenised once, shared
            starts, ends, text = words.starts, words.ends, paragraph.text
            covered_until = -1  # end (word index) of the longest name found so far
            # Every name at every place, nested ones too (the index kept only the longest), in
            # reading order: each entry's list is sorted as it is made.
            for i, here in name_matches(index, paragraph):
                start = starts[i]
                line, column = paragraph.locate(start)
                seen: set[EntryRef] = set()  # "SleepSync system" and "SleepSync" at one place
                for length, refs in here:
                    own = resolved.get(id(refs))
                    if own is None:
                        entries, foreign = index.resolved(refs, treatment)
                        own = resolved[id(refs)] = [] if foreign else entries
                    if not own:
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


def final_act(outline: Outline) -> int | None:
    """The index of the outline's last act, or None when there is no act structure to speak of."""
    return outline.acts[-1].index if len(outline.acts) > 1 else None


def beat_at(outline: Outline, index: int) -> Beat | None:
    beats = outline.beats
    return beats[index] if 0 <= index < len(beats) else None


def place_name(outline: Outline, beat: int, act: int) -> str:
    """ "Final Image (Act Three)": where an appearance is, in the outline's own words."""
    act_name = act_name_of(outline, act)
    found = beat_at(outline, beat)
    return f"{found.name} ({act_name})" if found else act_name


def act_name_of(outline: Outline, act: int) -> str:
    return next((a.name for a in outline.acts if a.index == act), f"act {act + 1}")


def beat_position(outline: Outline, beat: Beat) -> Position:
    return Position(outline.path, beat.line, 1)


_NAMESAKES: WeakKeyDictionary[LintContext, dict[EntryRef, list[Entry]]] = WeakKeyDictionary()


def namesakes(context: LintContext, entry: Entry) -> list[Entry]:
    """The other entries of the entry's treatment that share a name or alias with it, any case
    (a device and the thread about it), in bible order; worked out once for the project."""
    if context not in _NAMESAKES:
        entries = context.project.entries
        by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
        for number, each in enumerate(entries):
            for name in {n.casefold() for n in each.names}:
                by_name[each.treatment, name].append(number)
        table: dict[EntryRef, list[Entry]] = {}
        for number, each in enumerate(entries):
            kin = {k for n in each.names for k in by_name[each.treatment, n.casefold()]}
            table[context.index.ref(each)] = [entries[k] for k in sorted(kin - {number})]
        _NAMESAKES[context] = table
    return _NAMESAKES[context].get(context.index.ref(entry), [])


def span_end(appearance: Appearance | None) -> tuple[int, int] | None:
    """(line, column) just past the appearance's words, for reporters that mark a range."""
    if appearance is None or "\n" in appearance.surface:
        return None
    return appearance.line, appearance.column + len(appearance.surface)
