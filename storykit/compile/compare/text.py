"""The comparison in the terminal: beat by beat, then the cast and the world as tables.

A terminal is too narrow for five columns of prose, so the beats are printed one after another,
each outline's text under its title. Word diffs are coloured (deletions red and struck through,
insertions green and underlined); where colour is off (NO_COLOR, a pipe) they are marked as
wdiff does, `[-deleted-]` and `{+inserted+}`, so nothing is lost in a file or a review.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

DELETE_STYLE = "red strike"
INSERT_STYLE = "green underline"


def _diff_text(segments: list[dict[str, Any]], colour: bool) -> Text:
    text = Text()
    for segment in segments:
        op, words = segment["op"], segment["text"]
        if op == "equal":
            text.append(words)
        elif colour:
            text.append(words, style=DELETE_STYLE if op == "delete" else INSERT_STYLE)
        else:
            text.append(f"[-{words}-]" if op == "delete" else f"{{+{words}+}}")
    return text


def _row_heading(row: dict[str, Any], structure_name: str) -> str:
    if not row["in_structure"]:
        return f"{row['name']} (not a {structure_name} beat)"
    where = [f"Act {row['act']}"] if row["act"] else []
    if row["page"] is not None:
        where.append(
            f"p. {row['page']}–{row['end_page']}" if row["end_page"] else f"p. {row['page']}"
        )
    if row["climax"]:
        where.append("climax")
    return f"{row['name']} ({' · '.join(where)})" if where else row["name"]


def _cell_block(outline: dict[str, Any], cell: dict[str, Any], colour: bool) -> Group:
    heading = Text(outline["label"], style="bold")
    if cell["gap"]:
        heading.append("  — no beat", style="dim italic")
        if cell.get("diff") and cell["changed"]:
            heading.append(" (removed in this version)", style="dim italic")
            return Group(heading, _indent(_diff_text(cell["diff"], colour)))
        return Group(heading)
    if cell["present"]:
        heading.append("  " + ", ".join(p["name"] for p in cell["present"]), style="cyan")
    if cell["beat"] != outline.get("_row_name"):
        heading.append(f"  [{cell['beat']}]", style="dim")
    if "diff" in cell:
        if not cell["changed"]:  # the same words again would only hide the changes
            heading.append("  (unchanged)", style="dim")
            return Group(heading)
        body = _diff_text(cell["diff"], colour)
    else:
        body = Text(cell["text"])
    return Group(heading, _indent(body))


def _indent(body: Text) -> Padding:
    return Padding(body, (0, 0, 0, 4), expand=False)


def _pick_text(cell: dict[str, Any] | None) -> Text:
    if cell is None:
        return Text("—", style="dim")
    if "text" in cell:
        return Text(cell["text"])
    return Text(cell["name"])


def render_text(data: dict[str, Any], console: Console) -> None:
    """Print the comparison (as built by `as_data`) to `console`."""
    colour = not console.no_color and console.color_system is not None
    outlines = data["outlines"]
    console.print(
        Text(f"{data['title']}: {len(outlines)} outlines side by side", style="bold"),
        Text(data["structure"]["note"]),
        sep="\n",
    )
    for summary in data["diffs"]:
        console.print(Text(summary["summary"], style="bold yellow"))
    if data["diffs"] and not colour:
        console.print(Text("Deletions are marked [-like this-], insertions {+like this+}."))
    structure_name = data["structure"]["name"]
    for row in data["rows"]:
        console.print()
        console.print(Rule(Text(_row_heading(row, structure_name), style="bold"), align="left"))
        if all(cell["gap"] for cell in row["cells"]):
            console.print(Text("no outline has this beat", style="dim italic"))
            continue
        for outline, cell in zip(outlines, row["cells"], strict=True):
            console.print(_cell_block({**outline, "_row_name": row["name"]}, cell, colour))

    for key, title in (("cast", "Cast"), ("world", "Devices and world")):
        console.print()
        table = Table(title=title, title_justify="left", show_lines=True, expand=False)
        table.add_column("", style="bold", no_wrap=True)
        for outline in outlines:
            table.add_column(outline["label"], overflow="fold")
        for line in data[key]:
            table.add_row(line["label"], *(_pick_text(cell) for cell in line["cells"]))
        console.print(table)
