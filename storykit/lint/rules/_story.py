"""Shared by the story-shape rules (unseeded, dropped-thread, unused-entry): where a place in
an outline is, in the outline's own words. Where entries appear is the analysis'
(`LintContext.appearances_of`, storykit.analysis.appearances)."""

from __future__ import annotations

from storykit.analysis.appearances import Appearance
from storykit.model import Beat, Outline, Position


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


def span_end(appearance: Appearance | None) -> tuple[int, int] | None:
    """(line, column) just past the appearance's words, for reporters that mark a range."""
    if appearance is None or "\n" in appearance.surface:
        return None
    return appearance.line, appearance.column + len(appearance.surface)
