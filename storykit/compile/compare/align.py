"""Alternative outlines aligned by structural beat: one row per beat, one column per outline.

The rows are the beats of one common structure: the outlines' own when they agree, else the one
asked for (`--structure`), else the project's default. An outline beat fills the row whose id is
its heading's slug ("Fun and Games" → fun-and-games). A beat that fills no row (a heading outside
the structure, or a second heading for a slot already filled) gets a row of its own, placed after
the row of the outline's previous slotted beat, so every outline still reads in its own order.
Extra beats of the same name at the same place in two outlines share a row.

When two columns are versions of one treatment, every cell of the later column carries a word
diff against the first column of that treatment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storykit.analysis import Index, build_index
from storykit.compile.beats import named_structure
from storykit.compile.compare.diff import Segment, changed, word_diff
from storykit.errors import UsageError
from storykit.load.project import find_outline
from storykit.model import Beat, Outline, Project, Structure


@dataclass(frozen=True)
class Person:
    id: str
    name: str


@dataclass
class Column:
    """One outline, and (for a variant) the column it is compared against word by word."""

    outline: Outline
    treatment_title: str
    diff_base: int | None = None

    @property
    def title(self) -> str:
        return self.outline.title

    @property
    def label(self) -> str:
        return self.outline.label


@dataclass
class Cell:
    """What one outline does at one row; `beat` None is a gap (the outline lacks the beat)."""

    beat: Beat | None = None
    beat_number: int = -1  # index into outline.beats
    act_name: str = ""
    present: list[Person] = field(default_factory=list)
    # Against the diff base's cell of the same row; None when the column is not a variant.
    diff: list[Segment] | None = None

    @property
    def gap(self) -> bool:
        return self.beat is None

    @property
    def text(self) -> str:
        return self.beat.text if self.beat else ""

    @property
    def changed(self) -> bool:
        return self.diff is not None and changed(self.diff)


@dataclass
class Row:
    id: str  # the structure beat's id, or the slug of an extra beat
    name: str
    in_structure: bool
    cells: list[Cell]
    act: int | None = None  # the structure's act number
    page: int | None = None  # the structure's page position
    end_page: int | None = None
    climax: bool = False

    @property
    def empty(self) -> bool:
        return all(cell.gap for cell in self.cells)


@dataclass
class DiffSummary:
    """How one variant column differs from its base, beat by beat."""

    column: int
    base: int
    changed_rows: list[Row]
    compared: int  # rows where either version has the beat

    @property
    def unchanged(self) -> int:
        return self.compared - len(self.changed_rows)


@dataclass
class Alignment:
    project: Project
    structure: Structure
    structure_note: str  # why this structure: shown to the reader
    columns: list[Column]
    rows: list[Row]
    index: Index

    @property
    def diffs(self) -> list[DiffSummary]:
        summaries = []
        for number, column in enumerate(self.columns):
            if column.diff_base is None:
                continue
            compared = [
                r for r in self.rows if not (r.cells[number].gap and r.cells[column.diff_base].gap)
            ]
            summaries.append(
                DiffSummary(
                    column=number,
                    base=column.diff_base,
                    changed_rows=[r for r in compared if r.cells[number].changed],
                    compared=len(compared),
                )
            )
        return summaries


def common_structure(
    project: Project, outlines: list[Outline], structure_id: str | None
) -> tuple[Structure, str]:
    """The common structure and a sentence saying why it was chosen."""
    if structure_id is not None:
        structure = named_structure(project, structure_id)
        return structure, f"Aligned by {structure.name}, as asked (--structure {structure.id})."
    own = sorted({o.structure for o in outlines})
    if len(own) == 1 and own[0] in project.structures:
        structure = project.structures[own[0]]
        return structure, f"Aligned by {structure.name}, the structure of every outline compared."
    fallback = project.config.structure
    if fallback not in project.structures:
        raise UsageError(
            f"the outlines use different structures ({', '.join(own)})",
            "choose one to align them by with --structure",
        )
    structure = project.structures[fallback]
    return structure, (
        f"The outlines use different structures ({', '.join(own)}); aligned by the project's "
        f"default, {structure.name} (choose another with --structure)."
    )


def align(
    project: Project,
    outlines: list[Outline],
    structure_id: str | None = None,
    index: Index | None = None,
) -> Alignment:
    """Align `outlines` (in the order given) beat by beat."""
    structure, note = common_structure(project, outlines, structure_id)
    index = index if index is not None else build_index(project)
    columns = _columns(project, outlines)
    slot_of = {beat.id: number for number, beat in enumerate(structure.beats)}
    width = len(columns)

    slot_rows = [
        Row(
            id=beat.id,
            name=beat.name,
            in_structure=True,
            cells=[Cell() for _ in range(width)],
            act=beat.act,
            page=beat.page,
            end_page=beat.end,
            climax=beat.climax,
        )
        for beat in structure.beats
    ]
    # regions[k]: the extra rows between slot k-1 and slot k (k = len(slots): after the last).
    regions: list[list[Row]] = [[] for _ in range(len(slot_rows) + 1)]

    for number, column in enumerate(columns):
        outline = column.outline
        acts = {act.index: act.name for act in outline.acts}
        region = 0
        cursor: dict[int, int] = {}  # region -> position of this outline's last extra row in it
        for beat_number, beat in enumerate(outline.beats):
            cell = Cell(
                beat=beat,
                beat_number=beat_number,
                act_name=acts.get(beat.act_index, ""),
                present=[Person(c.id, c.name) for c in index.present_in(outline, beat_number)],
            )
            slot = slot_of.get(beat.slug)
            if slot is not None and slot_rows[slot].cells[number].gap:
                slot_rows[slot].cells[number] = cell
                region = slot + 1
                continue
            rows = regions[region]
            position = cursor.get(region, -1)
            match = next(
                (
                    i
                    for i in range(position + 1, len(rows))
                    if rows[i].id == beat.slug and rows[i].cells[number].gap
                ),
                None,
            )
            if match is None:
                match = position + 1
                rows.insert(
                    match,
                    Row(
                        id=beat.slug,
                        name=beat.name,
                        in_structure=False,
                        cells=[Cell() for _ in range(width)],
                    ),
                )
            rows[match].cells[number] = cell
            cursor[region] = match

    ordered: list[Row] = []
    for k, slot_row in enumerate(slot_rows):
        ordered.extend(regions[k])
        ordered.append(slot_row)
    ordered.extend(regions[-1])
    _diff_variants(columns, ordered)
    return Alignment(project, structure, note, columns, ordered, index)


def _columns(project: Project, outlines: list[Outline]) -> list[Column]:
    """Columns in the order given; a later outline of a treatment already shown is its variant."""
    first_of: dict[str, int] = {}
    columns = []
    for number, outline in enumerate(outlines):
        treatment = project.treatments.get(outline.treatment)
        columns.append(
            Column(
                outline=outline,
                treatment_title=treatment.title if treatment else outline.treatment,
                diff_base=first_of.get(outline.treatment),
            )
        )
        first_of.setdefault(outline.treatment, number)
    return columns


def _diff_variants(columns: list[Column], rows: list[Row]) -> None:
    for number, column in enumerate(columns):
        if column.diff_base is None:
            continue
        for row in rows:
            base, mine = row.cells[column.diff_base], row.cells[number]
            mine.diff = word_diff(base.text, mine.text)


def resolve_outlines(project: Project, handles: list[str], every: bool = False) -> list[Outline]:
    """The outlines named on the command line, by name (`bedsync`) or path (`outlines/bedsync.md`).

    With `every`, all outlines of the project, in the project's order, after any named ones.
    """
    chosen: list[Outline] = []
    for handle in handles:
        found = find_outline(project, handle)
        if found not in chosen:
            chosen.append(found)
    if every:
        chosen.extend(o for o in project_order(project) if o not in chosen)
    if not chosen:
        raise UsageError(
            "nothing to compare",
            "name two or more outlines (storykit compare bedsync neoterra) or use --all",
        )
    return chosen


def project_order(project: Project) -> list[Outline]:
    """Every outline, grouped by treatment (in the bible's order); within a treatment the outline
    named after it first, then those without a variant, so later versions diff against the
    original."""
    treatments = {tid: n for n, tid in enumerate(project.treatments)}

    def key(outline: Outline) -> tuple[int, int, str]:
        rank = 0 if outline.name == outline.treatment else 1 if not outline.variant else 2
        return (treatments.get(outline.treatment, len(treatments)), rank, outline.name)

    return sorted(project.outlines.values(), key=key)
