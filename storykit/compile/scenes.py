"""Scenes as the outline, treatment and beat-sheet templates show them: heading, slugline parts,
the place it is set in (linked to the bible), its text and who is named in it.

One helper for every output, so that the templates only include `_scenes.html` / `_scenes.md`.
"""

from __future__ import annotations

from typing import Any

from storykit.analysis import Index
from storykit.compile.links import entry_anchor, segments
from storykit.model import Beat, Outline, Project, Scene


def scene_cast(project: Project, index: Index | None, outline: Outline, scene: Scene) -> list[str]:
    """The characters named in the scene's text, in bible order."""
    if index is None:
        return []
    if not scene.paragraphs:
        return []
    last = scene.paragraphs[-1]
    end = last.line + last.text.count("\n")
    ids = {
        m.entry.id
        for m in index.mentions
        if m.outline == outline.name
        and m.entry.kind == "character"
        and not m.foreign
        and scene.line < m.line <= end  # its text, not its heading
    }
    return [c.name for c in project.characters.values() if c.id in ids]


def scene_view(
    project: Project, outline: Outline, scene: Scene, index: Index | None, *, number: int
) -> dict[str, Any]:
    slug = scene.slugline
    place = project.place_of(outline.treatment, scene)
    return {
        "number": number,
        "heading": scene.heading,
        "line": scene.line,
        "setting": slug.setting,
        "location": slug.location,
        "time": slug.time,
        "place": place.name if place else "",
        "place_anchor": entry_anchor(place) if place else "",
        "paragraphs": [segments(p, outline.treatment, index) for p in scene.paragraphs],
        "text": [p.text for p in scene.paragraphs],
        "present": scene_cast(project, index, outline, scene),
    }


def scene_views(
    project: Project, outline: Outline, beat: Beat, index: Index | None
) -> list[dict[str, Any]]:
    """The beat's scenes, numbered through the whole outline (scene 1 is the outline's first)."""
    before = 0
    for other in outline.beats:
        if other is beat:
            break
        before += len(other.scenes)
    return [
        scene_view(project, outline, scene, index, number=before + n)
        for n, scene in enumerate(beat.scenes, start=1)
    ]
