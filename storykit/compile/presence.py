"""Who is present, beat by beat: a heat-map per outline, drawn as SVG.

Rows are the treatment's characters (and anyone else the outline names), columns its beats;
each cell is shaded by how often the character is named in that beat (white: absent). Thin
rules divide the acts. The columns are the same for every version of one treatment (the union
of their beats, in story order), so two versions' pictures line up cell for cell, a beat a
version lacks left hatched. Above the grid, each thread of the treatment is an arc from the beat
that sets it up to the beat that pays it off; a thread with no payoff in this outline is red
and runs off the grid's right edge.

The SVG is storykit's own template (autoescaped like every other): it is shown in the bible and
on the outline's page, and written as build/presence/<outline>.svg.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storykit.analysis import Index
from storykit.model import Outline, Project

if TYPE_CHECKING:
    import jinja2

LEVELS = (
    "#ffffff",
    "#f6d8c8",
    "#e9a585",
    "#d2683f",
    "#8a2b0e",
)  # absent, then 1, 2, 3, 4+ mentions


@dataclass
class Arc:
    name: str
    start: int  # column of the setup
    end: int | None  # column of the payoff; None: dangling
    lane: int = 0


@dataclass
class PresenceChart:
    """Characters (rows) × beats (columns) of one outline; `counts[r][c]` mentions, -1 when the
    outline lacks the column's beat."""

    outline: Outline
    characters: list[str]
    beats: list[str]
    counts: list[list[int]] = field(default_factory=list)
    acts: list[int] = field(default_factory=list)  # columns where a new act starts (not the 1st)
    arcs: list[Arc] = field(default_factory=list)

    # Geometry, in SVG user units (points in the PDF).
    cell: int = 20
    label_width: int = 130
    header_height: int = 120
    lane: int = 9

    @property
    def arcs_height(self) -> int:
        return (max((a.lane for a in self.arcs), default=-1) + 1) * self.lane + (
            8 if self.arcs else 0
        )

    @property
    def top(self) -> int:
        return self.header_height + self.arcs_height

    @property
    def width(self) -> int:
        return self.label_width + self.cell * max(len(self.beats), 1) + 40

    @property
    def height(self) -> int:
        return self.top + self.cell * max(len(self.characters), 1) + 8

    def fill(self, count: int) -> str:
        return LEVELS[min(count, len(LEVELS) - 1)]

    def totals(self) -> list[int]:
        return [sum(1 for n in row if n > 0) for row in self.counts]


def treatment_columns(project: Project, treatment: str) -> list[str]:
    """The beat slugs of every outline of `treatment`, in story order: the first outline's, and
    each later one's extra beats after the beat they follow."""
    columns: list[str] = []
    for outline in project.outlines_of(treatment):
        previous = -1
        for beat in outline.beats:
            if beat.slug in columns:
                previous = columns.index(beat.slug)
            else:
                previous += 1
                columns.insert(previous, beat.slug)
    return columns


def presence_chart(project: Project, outline: Outline, index: Index | None) -> PresenceChart:
    columns = treatment_columns(project, outline.treatment) or [b.slug for b in outline.beats]
    number_of = {beat.slug: n for n, beat in reversed(list(enumerate(outline.beats)))}
    name_of = {b.slug: b.name for o in project.outlines_of(outline.treatment) for b in o.beats}
    name_of.update({b.slug: b.name for b in outline.beats})
    mentions: Counter[tuple[str, int]] = Counter()
    seen: set[str] = set()
    if index is not None:
        for mention in index.mentions:
            if mention.outline == outline.name and mention.entry.kind == "character":
                mentions[(mention.entry.id, mention.beat)] += 1
        for ids in index.presence.get(outline.name, {}).values():
            seen |= ids
    cast = [
        c for c in project.characters.values() if c.id in seen or c.treatment == outline.treatment
    ]
    counts = [
        [
            -1
            if slug not in number_of
            else max(
                mentions[(c.id, number_of[slug])],
                1 if _present(index, outline, c.id, number_of[slug]) else 0,
            )
            for slug in columns
        ]
        for c in cast
    ]
    act_of = {beat.slug: beat.act_index for beat in outline.beats}
    acts, last = [], None
    for column, slug in enumerate(columns):
        act = act_of.get(slug, last)
        if last is not None and act != last:
            acts.append(column)
        last = act
    beats = [name_of.get(slug, slug) for slug in columns]
    return PresenceChart(
        outline=outline,
        characters=[c.name for c in cast],
        beats=beats,
        # Room for the longest beat name, written at 60 degrees in 10-unit Courier (6 wide).
        header_height=max(40, 14 + round(0.87 * 6 * max((len(b) for b in beats), default=0))),
        counts=counts,
        acts=acts,
        arcs=_arcs(project, outline, columns, number_of),
    )


def _present(index: Index | None, outline: Outline, character: str, beat: int) -> bool:
    return index is not None and character in index.presence.get(outline.name, {}).get(beat, set())


def _arcs(
    project: Project, outline: Outline, columns: list[str], number_of: dict[str, int]
) -> list[Arc]:
    arcs: list[Arc] = []
    for thread in project.threads.values():
        if thread.treatment != outline.treatment:
            continue
        setups = [columns.index(s) for s in thread.setup if s in number_of]
        if not setups:
            continue
        start = min(setups)
        payoffs = [columns.index(p) for p in thread.payoff if p in number_of]
        later = [p for p in payoffs if p >= start]
        arcs.append(Arc(thread.name, start, max(later) if later else None))
    # Lanes: an arc goes in the first lane where it overlaps no other.
    taken: list[list[tuple[int, int]]] = []
    for arc in sorted(arcs, key=lambda a: (a.start, a.end if a.end is not None else 10**6)):
        span = (arc.start, arc.end if arc.end is not None else len(columns))
        for lane, spans in enumerate(taken):
            if all(span[0] > b or span[1] < a for a, b in spans):
                spans.append(span)
                arc.lane = lane
                break
        else:
            taken.append([span])
            arc.lane = len(taken) - 1
    return arcs


def render_chart(env: jinja2.Environment, chart: PresenceChart, *, standalone: bool = False) -> Any:
    from markupsafe import Markup

    # Our own template, autoescaped like any other: names in it are text, never markup.
    return Markup(env.get_template("presence.svg").render(chart=chart, standalone=standalone))
