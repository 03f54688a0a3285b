"""Beat sheets: one row per beat of a structure — where it falls, what happens, who is there.

Target pages scale the structure's own page positions to the script length asked for (Save the
Cat on 110 pages: Catalyst p.12, Midpoint p.55 …). Beats the outline lacks are rows marked
missing; outline beats that fill no slot of the structure follow as extra rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from storykit.analysis import Index
from storykit.errors import LoadError, Problem, UsageError, did_you_mean_hint
from storykit.model import Beat, Outline, Project, Structure


@dataclass
class BeatRow:
    name: str
    beat_id: str | None  # the structure beat, None for an outline beat outside the structure
    act: int | None
    page: int | None
    end_page: int | None
    percent: float | None
    text: str  # what happens in this outline ("" when missing)
    present: list[str] = field(default_factory=list)  # character names, bible order
    missing: bool = False
    climax: bool = False
    scenes: list[str] = field(default_factory=list)  # the `###` scene headings of the beat

    @property
    def pages_label(self) -> str:
        if self.page is None:
            return ""
        return f"{self.page}-{self.end_page}" if self.end_page else str(self.page)

    @property
    def percent_label(self) -> str:
        return "" if self.percent is None else f"{self.percent:.0f}%"


@dataclass
class BeatSheet:
    outline: Outline
    structure: Structure
    pages: int
    rows: list[BeatRow]

    @property
    def missing(self) -> list[BeatRow]:
        return [row for row in self.rows if row.missing]


def scaled(page: int, structure: Structure, pages: int) -> int:
    """A structure page position on a script of `pages` pages (never below page 1)."""
    return max(1, round(page * pages / structure.pages))


def named_structure(project: Project, structure_id: str) -> Structure:
    """The structure asked for by id on the command line (`--structure`), or a usage error."""
    if structure_id in project.structures:
        return project.structures[structure_id]
    known = f"known: {', '.join(sorted(project.structures))}"
    raise UsageError(
        f"unknown structure '{structure_id}'",
        did_you_mean_hint(structure_id, project.structures, known),
    )


def choose_structure(project: Project, outline: Outline, structure_id: str | None) -> Structure:
    """The structure of a beat sheet: the one asked for, else the outline's own."""
    if structure_id:
        return named_structure(project, structure_id)
    wanted = outline.structure
    if wanted in project.structures:
        return project.structures[wanted]
    hint = did_you_mean_hint(
        wanted, project.structures, f"known: {', '.join(sorted(project.structures))}"
    )
    # named by the outline itself (a lenient load let it through): point at its front matter
    where = outline.where("structure")
    raise LoadError(
        Problem(
            where.path, where.line, where.column, f"unknown structure '{wanted}'", hint, "schema"
        )
    )


def beat_sheet(
    project: Project,
    outline: Outline,
    index: Index | None,
    structure_id: str | None = None,
    pages: int | None = None,
) -> BeatSheet:
    structure = choose_structure(project, outline, structure_id)
    length = pages or project.config.pages or structure.pages
    if length < 1:
        raise UsageError(f"--pages must be at least 1, not {length}")
    beats = outline.beats
    by_slug: dict[str, list[int]] = {}
    for number, beat in enumerate(beats):
        by_slug.setdefault(beat.slug, []).append(number)

    def present(numbers: list[int]) -> list[str]:
        if index is None:
            return []
        ids: set[str] = set()
        for number in numbers:
            ids.update(index.presence.get(outline.name, {}).get(number, set()))
        return [c.name for c in project.characters.values() if c.id in ids]

    def text_of(numbers: list[int]) -> str:
        return "\n\n".join(beats[n].text for n in numbers if beats[n].text)

    rows: list[BeatRow] = []
    placed: set[int] = set()
    for slot in structure.beats:
        numbers = by_slug.get(slot.id, [])
        placed.update(numbers)
        rows.append(
            BeatRow(
                name=slot.name,
                beat_id=slot.id,
                act=slot.act,
                page=scaled(slot.page, structure, length),
                end_page=scaled(slot.end, structure, length) if slot.end else None,
                percent=100 * slot.page / structure.pages,
                text=text_of(numbers),
                present=present(numbers),
                missing=not numbers,
                climax=slot.climax,
                scenes=[scene.heading for n in numbers for scene in beats[n].scenes],
            )
        )
    for number, beat in enumerate(beats):
        if number not in placed:
            rows.append(_extra_row(beat, present([number])))
    return BeatSheet(outline=outline, structure=structure, pages=length, rows=rows)


def _extra_row(beat: Beat, present: list[str]) -> BeatRow:
    return BeatRow(
        name=beat.name,
        beat_id=None,
        act=beat.act_index + 1,
        page=None,
        end_page=None,
        percent=None,
        text=beat.text,
        present=present,
        scenes=[scene.heading for scene in beat.scenes],
    )


CSV_COLUMNS = ("beat", "structure beat", "act", "page", "percent", "status", "present", "text")


def render_csv(sheet: BeatSheet) -> str:
    """The beat sheet as CSV (RFC 4180, \\r\\n rows); text cells cannot become formulas."""
    from storykit.compile.render import csv_cell

    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    for row in sheet.rows:
        status = "missing" if row.missing else ("extra" if row.beat_id is None else "present")
        writer.writerow(
            [
                csv_cell(row.name),
                csv_cell(row.beat_id or ""),  # a project structure's id is text like any other
                row.act or "",
                csv_cell(row.pages_label),
                csv_cell(row.percent_label),
                status,
                csv_cell("; ".join(row.present)),
                csv_cell(row.text),
            ]
        )
    return stream.getvalue()


def beats_context(sheet: BeatSheet, project: Project, *, stem: str) -> dict[str, object]:
    slots = [row for row in sheet.rows if row.beat_id is not None]
    return {
        "language": project.config.language or "en",
        "project_title": project.config.title,
        "root": "../",
        "stem": stem,
        "outline": sheet.outline,
        "structure": sheet.structure,
        "pages": sheet.pages,
        "rows": sheet.rows,
        "slot_count": len(slots),
        "present_count": sum(1 for row in slots if not row.missing),
        "missing": [row.name for row in sheet.missing],
    }
