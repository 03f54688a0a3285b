"""The unseeded rule: a character, tool or thread that first appears in the final act."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.lint.rules._story import (
    Appearance,
    act_name_of,
    final_act,
    place_name,
    span_end,
)
from storykit.model import Character, Device, Entry, Outline, Position, Thread

# Settings and crowds may first appear where the story goes: the final act may happen at a gala
# or among a crowd of insomniacs nobody mentioned before. What must be set up are the people,
# tools and institutions the ending relies on.
SETTING_KINDS = ("place", "event", "faction")


@dataclass
class _First:
    entry: Entry
    appearance: Appearance | None  # None: only a declared setup beat, never named
    beat: int
    act: int
    position: Position


@rule("unseeded", "SK201", Severity.WARNING, reads=("bible", "outlines", "scripts"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A character, device or thread that first appears in the final act, with no setup.

    **What it does.** For every outline, finds where each bible entry of the outline's treatment
    (characters; devices of kind technology, item or organisation; threads) first appears: its
    first mention by name or alias, including a name inside a longer one ("his sister" in "the
    loss of his sister"), and for a thread also the beats its `setup` declares. If that is in the
    outline's final act (the last `#` act) and nothing earlier sets it up (no mention of an entry
    that shares one of its names, such as the thread about a device), it reports the first
    mention. Places, events and factions are settings and crowds: a final act may go somewhere
    new. A thread first appearing in the same beat as one of its own unseeded characters is
    folded into that character's finding.

    **Why is this bad?** An ending may only use what the story has planted. A character, a
    technology or a grievance that arrives in the climax and resolves it is a deus ex machina;
    an audience feels cheated, and a script editor's first note is "set this up in Act One".

    **Example.**

        # Act Three
        ## Finale
        Max confronts the loss of his sister, who disappeared into a dream just months prior.

    Max's sister is named nowhere before the climax: plant her in the set-up (a photograph, an
    empty room) or cut her from the ending.
    """
    project = context.project
    needing_setup: dict[str, list[Entry]] = {}  # by treatment: the same for all its outlines
    for outline in project.outlines.values():
        last_act = final_act(outline)
        if last_act is None:
            continue
        if outline.treatment not in needing_setup:
            needing_setup[outline.treatment] = [
                e for e in project.entries_of(outline.treatment) if _needs_setup(e)
            ]
        entries = needing_setup[outline.treatment]
        firsts = {e.id + e.kind_name: _first(context, e, outline) for e in entries}
        late = [f for f in firsts.values() if f is not None and f.act == last_act]
        seeded_by_kin = {
            f.entry.id + f.entry.kind_name for f in late if _set_up_by_namesake(context, f, outline)
        }
        late = [f for f in late if f.entry.id + f.entry.kind_name not in seeded_by_kin]
        characters = [f for f in late if isinstance(f.entry, Character)]
        for first in late:
            entry = first.entry
            if isinstance(entry, Thread) and any(
                c.entry.id in entry.characters and c.beat == first.beat for c in characters
            ):
                continue  # told with its character's finding below
            with_threads = [
                t.entry.name
                for t in late
                if isinstance(t.entry, Thread)
                and entry.id in t.entry.characters
                and t.beat == first.beat
                and isinstance(entry, Character)
            ]
            yield _finding(outline, first, with_threads)


def _needs_setup(entry: Entry) -> bool:
    return not (isinstance(entry, Device) and entry.kind in SETTING_KINDS)


def _first(context: LintContext, entry: Entry, outline: Outline) -> _First | None:
    """Where `entry` first appears in `outline`: a mention, or a thread's declared setup beat."""
    found = context.appearances_of(entry, outline)
    first = found[0] if found else None
    candidates: list[_First] = []
    if first is not None:
        position = Position(outline.path, first.line, first.column)
        candidates.append(_First(entry, first, first.beat, first.act, position))
    if isinstance(entry, Thread):
        for index, beat in enumerate(outline.beats):
            if beat.slug in entry.setup or beat.slot in entry.setup:
                candidates.append(
                    _First(entry, None, index, beat.act_index, Position(outline.path, beat.line, 1))
                )
    if not candidates:
        return None
    # Earliest beat first; within one beat, a mention (exact words) before the beat's heading.
    return min(candidates, key=lambda c: (c.act, c.beat, c.appearance is None, c.position))


def _set_up_by_namesake(context: LintContext, first: _First, outline: Outline) -> bool:
    """Whether an entry sharing a name with this one (the thread about a device) came earlier."""
    for other in context.namesakes_of(first.entry):
        earlier = _first(context, other, outline)
        if earlier is not None and earlier.act < first.act:
            return True
    return False


def _finding(outline: Outline, first: _First, threads: list[str]) -> Finding:
    entry = first.entry
    where = place_name(outline, first.beat, first.act)
    what = entry.kind_name if not isinstance(entry, Device) else entry.kind
    if first.appearance is None:
        message = (
            f"{entry.name} ({what}) is set up in {where}, the final act, and mentioned nowhere "
            "before it"
        )
    else:
        surface = first.appearance.surface
        named = f" as '{surface}'" if surface != entry.name else ""
        message = (
            f"{entry.name} ({what}) first appears{named} in {where}, the final act, "
            "with no setup earlier in the outline"
        )
    if threads:
        message += f"; so does the thread '{', '.join(threads)}'"
    act_name = act_name_of(outline, first.act)
    return RULE.finding(
        message,
        first.position,
        treatment=outline.treatment,
        suggestion=f"set up {entry.name} before {act_name}, or leave it out of the ending",
        end=span_end(first.appearance),
    )
