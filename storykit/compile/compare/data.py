"""The comparison as plain data: what `--format json` prints and what the templates render.

One dictionary, built once, feeds JSON, HTML and PDF, so every format shows the same thing.
Paths are relative to the project; nothing depends on the machine or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storykit.compile.compare.align import Alignment, Cell, DiffSummary
from storykit.compile.compare.cast import (
    CastFunctions,
    OutlineFacts,
    Pick,
    cast_functions,
    facts_of,
)
from storykit.compile.typography import typeset, typeset_pieces

FORMAT_NAME = "storykit-compare"
FORMAT_VERSION = 1


@dataclass
class Comparison:
    """The aligned outlines, plus the cast and world facts of each."""

    alignment: Alignment
    facts: list[OutlineFacts]
    functions: CastFunctions

    @classmethod
    def of(cls, alignment: Alignment) -> Comparison:
        functions = cast_functions(alignment.project)
        return cls(
            alignment,
            [
                facts_of(alignment.project, alignment.index, column.outline, functions)
                for column in alignment.columns
            ],
            functions,
        )


def _cell(cell: Cell) -> dict[str, Any]:
    data: dict[str, Any] = {"gap": cell.gap}
    if cell.beat is not None:
        data.update(
            beat=cell.beat_name,
            act=cell.act_name,
            line=cell.beat.line,
            text=typeset(cell.text),
            present=[{"id": p.id, "name": p.name} for p in cell.present],
        )
    if cell.diff is not None:
        data["changed"] = cell.changed
        pieces = typeset_pieces([s.text for s in cell.diff])
        data["diff"] = [{"op": s.op, "text": t} for s, t in zip(cell.diff, pieces, strict=True)]
    return data


def _pick(pick: Pick | str | None) -> dict[str, Any] | None:
    if pick is None:
        return None
    if isinstance(pick, str):
        return {"text": typeset(pick)}
    return {"id": pick.id, "name": pick.name, "kind": pick.kind, "basis": pick.basis}


def diff_sentence(alignment: Alignment, summary: DiffSummary) -> str:
    mine = alignment.columns[summary.column].label
    base = alignment.columns[summary.base].label
    count = len(summary.changed_rows)
    beats = "beat" if summary.compared == 1 else "beats"
    sentence = f"{mine} against {base}: {count} of {summary.compared} {beats} changed"
    if summary.changed_rows:
        sentence += " (" + ", ".join(r.name for r in summary.changed_rows) + ")"
    return sentence + "."


def as_data(comparison: Comparison) -> dict[str, Any]:
    alignment = comparison.alignment
    columns = alignment.columns
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "title": alignment.project.config.title,
        "structure": {
            "id": alignment.structure.id,
            "name": alignment.structure.name,
            "note": alignment.structure_note,
        },
        "outlines": [
            {
                "name": c.outline.name,
                "path": c.outline.path,
                "title": c.outline.title,
                "label": c.label,
                "variant": c.outline.variant or None,
                "treatment": c.outline.treatment,
                "treatment_title": c.treatment_title,
                "structure": c.outline.structure,
                "diff_base": columns[c.diff_base].outline.name if c.diff_base is not None else None,
            }
            for c in columns
        ],
        "rows": [
            {
                "id": row.id,
                "name": row.name,
                "in_structure": row.in_structure,
                "act": row.act,
                "page": row.page,
                "end_page": row.end_page,
                "climax": row.climax,
                "cells": [_cell(cell) for cell in row.cells],
            }
            for row in alignment.rows
        ],
        "cast": [
            {
                "function": function.id,
                "label": function.label,
                "cells": [_pick(facts.cast[function.id]) for facts in comparison.facts],
            }
            for function in comparison.functions.functions
        ],
        "world": [
            {
                "aspect": aspect.id,
                "label": aspect.label,
                "cells": [_pick(facts.world[aspect.id]) for facts in comparison.facts],
            }
            for aspect in comparison.functions.world
        ],
        "diffs": [
            {
                "outline": columns[s.column].outline.name,
                "base": columns[s.base].outline.name,
                "changed": [r.id for r in s.changed_rows],
                "compared": s.compared,
                "summary": diff_sentence(alignment, s),
            }
            for s in alignment.diffs
        ],
    }
