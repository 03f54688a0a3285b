"""Reading an outline through another structure: every structure beat has a place on the
story's timeline (0 to 1, the `at` of the structure files), so an outline beat that fills a
slot of its own structure can be placed at the nearest beat of any other.

Three-act over Save the Cat puts Break into Three on Plot Point Two, Finale on Climax and Final
Image on Resolution; each outline beat lands in exactly one slot, never two.
"""

from __future__ import annotations

from storykit.model import Outline, Structure, StructureBeat


def position(structure: Structure, beat: StructureBeat) -> float:
    """Where `beat` falls on the story's timeline (0-1): its `at`, else the middle of its pages
    on the structure's length."""
    if beat.at is not None:
        return min(1.0, max(0.0, beat.at))
    middle = (beat.page + (beat.end or beat.page)) / 2
    return min(1.0, max(0.0, (middle - 1) / max(1, structure.pages - 1)))


def slots_in(outline: Outline, own: Structure | None, target: Structure) -> dict[int, str]:
    """Outline beat number -> the id of the `target` beat it fills.

    In its own structure (or when the outline's structure is the target) a beat fills the slot
    named like its heading; read through another, the slot nearest its place on the timeline.
    A beat outside its own structure fills nothing (it keeps its place between the others).
    """
    by_id = {b.id: b for b in target.beats}
    placed: dict[int, str] = {}
    for number, beat in enumerate(outline.beats):
        if beat.slug in by_id and (own is None or own.id == target.id):
            placed[number] = beat.slug
            continue
        slot = own.beat(beat.slug) if own is not None else None
        if slot is None:
            continue
        at = position(own, slot)  # type: ignore[arg-type]
        nearest = min(
            target.beats, key=lambda b: (abs(position(target, b) - at), position(target, b))
        )
        placed[number] = nearest.id
    return placed
