"""Shared by the story-shape rules (unseeded, dropped-thread, unused-entry): where each entry
appears in each outline, in reading order, including names nested inside longer names.

The index matches the longest name at each place, so in "the loss of his sister" it sees only
the thread *The loss of Max's sister*, and in "Maya's experimental version" only the device. For
questions of setup and presence a nested name counts too: the sister is mentioned there, and a
beat about Maya's experiment is a beat that refers to Maya.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from storykit.index import EntryRef, base_forms, paragraph_tokens, paragraphs_of, resolve
from storykit.lint.registry import LintContext
from storykit.model import Beat, Entry, Outline, Position


@dataclass(frozen=True, order=True)
class Appearance:
    """One place an entry is named in an outline; `order` sorts appearances in reading order."""

    order: int  # paragraph number in the outline, then offset: reading order
    offset: int
    outline: str
    beat: int  # index into outline.beats, or -1 for an act's intro paragraphs
    act: int
    line: int
    column: int
    surface: str
    nested: bool  # inside a longer name ("his sister" in "loss of his sister")


_CACHE: WeakKeyDictionary[LintContext, dict[EntryRef, list[Appearance]]] = WeakKeyDictionary()


def appearances(context: LintContext) -> dict[EntryRef, list[Appearance]]:
    """Every own-treatment appearance of every entry, by entry, in reading order; built once."""
    if context not in _CACHE:
        _CACHE[context] = _collect(context)
    return _CACHE[context]


def appearances_of(context: LintContext, entry: Entry, outline: Outline) -> list[Appearance]:
    ref = context.index.ref(entry)
    return [a for a in appearances(context).get(ref, []) if a.outline == outline.name]


def _collect(context: LintContext) -> dict[EntryRef, list[Appearance]]:
    names = context.index.names
    found: dict[EntryRef, list[Appearance]] = defaultdict(list)
    for outline in context.project.outlines.values():
        for number, (beat_index, act_index, paragraph) in enumerate(paragraphs_of(outline)):
            words = paragraph_tokens(context.index, paragraph)  # tokenised once, shared
            seen: set[tuple[EntryRef, int]] = set()
            covered_until = -1  # end (word index) of the longest name found so far
            for i in names.start_positions(words):  # the words a name may start with
                for length in range(min(names.longest, len(words) - i), 0, -1):
                    head = tuple(w.text for w in words[i : i + length - 1])
                    refs = next(
                        (
                            names.phrases[(*head, last)]
                            for last in base_forms(words[i + length - 1].text)
                            if (*head, last) in names.phrases
                        ),
                        None,
                    )
                    if not refs:
                        continue
                    own, foreign = resolve(refs, outline.treatment)
                    if foreign:
                        continue
                    end = i + length - 1
                    nested = end <= covered_until
                    covered_until = max(covered_until, end)
                    line, column = paragraph.locate(words[i].start)
                    for ref in own:
                        if (ref, i) in seen:  # "SleepSync system" and "SleepSync" at one place
                            continue
                        seen.add((ref, i))
                        found[ref].append(
                            Appearance(
                                order=number,
                                offset=words[i].start,
                                outline=outline.name,
                                beat=beat_index,
                                act=act_index,
                                line=line,
                                column=column,
                                surface=paragraph.text[words[i].start : words[end].end],
                                nested=nested,
                            )
                        )
    for listed in found.values():
        listed.sort()
    return dict(found)


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


def same_story_element(entry: Entry, other: Entry) -> bool:
    """Two entries of one treatment that share a name or alias (a device and the thread about it)."""
    if other is entry or other.treatment != entry.treatment:
        return False
    mine = {n.casefold() for n in entry.names}
    return any(n.casefold() in mine for n in other.names)


def span_end(appearance: Appearance | None) -> tuple[int, int] | None:
    """(line, column) just past the appearance's words, for reporters that mark a range."""
    if appearance is None or "\n" in appearance.surface:
        return None
    return appearance.line, appearance.column + len(appearance.surface)
