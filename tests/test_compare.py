"""storykit compare: alignment by beat, cast and world, word diffs of versions, the command line.

The aligned data of the five default treatments is a golden file (tests/golden/compare/);
regenerate it deliberately with STORYKIT_REGENERATE=1 and review its diff like code.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from storykit.compile.compare import (
    as_data,
    compare,
    project_order,
    render_comparison,
    resolve_outlines,
    write_comparison,
)
from storykit.compile.compare.diff import side, word_diff
from storykit.compile.compare.text import render_text
from storykit.errors import UsageError
from storykit.load import load_project
from storykit.model import Project

GOLDEN = Path(__file__).parent / "golden" / "compare"
FIVE = ["bedsync", "dream-coders", "bedtime-nexus", "sleepsync", "neoterra"]
SAVE_THE_CAT = [
    "opening-image",
    "theme-stated",
    "set-up",
    "catalyst",
    "debate",
    "break-into-two",
    "b-story",
    "fun-and-games",
    "midpoint",
    "bad-guys-close-in",
    "all-is-lost",
    "dark-night-of-the-soul",
    "break-into-three",
    "finale",
    "final-image",
]


def _golden(name: str, data: dict) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path = GOLDEN / name
    if os.environ.get("STORYKIT_REGENERATE") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden {name}: run with STORYKIT_REGENERATE=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


@pytest.fixture(scope="session")
def five(default_project: Project) -> dict:
    outlines = [default_project.outlines[name] for name in FIVE]
    return as_data(compare(default_project, outlines))


@pytest.fixture(scope="session")
def variants(default_project: Project) -> dict:
    outlines = resolve_outlines(default_project, ["bedsync", "outlines/bedsync-revised.md"])
    return as_data(compare(default_project, outlines))


def _row(data: dict, row_id: str) -> dict:
    return next(row for row in data["rows"] if row["id"] == row_id)


# --- the five default treatments -----------------------------------------------------------------


def test_the_five_treatments_match_the_golden_file(five: dict) -> None:
    _golden("five-treatments.json", five)


def test_one_row_per_save_the_cat_beat_one_column_per_treatment(five: dict) -> None:
    assert [row["id"] for row in five["rows"]] == SAVE_THE_CAT
    assert all(row["in_structure"] for row in five["rows"])
    assert [o["name"] for o in five["outlines"]] == FIVE
    assert all(len(row["cells"]) == 5 for row in five["rows"])
    assert five["structure"]["id"] == "save-the-cat"


def test_every_beat_of_every_outline_fills_exactly_one_cell(
    five: dict, default_project: Project
) -> None:
    for column, name in enumerate(FIVE):
        shown = [
            (row["cells"][column]["beat"], row["cells"][column]["line"])
            for row in five["rows"]
            if not row["cells"][column]["gap"]
        ]
        outline = default_project.outlines[name]
        assert shown == [(beat.name, beat.line) for beat in outline.beats]


def test_a_beat_an_outline_lacks_is_a_marked_gap(five: dict) -> None:
    # Bedtime Nexus goes from B Story's act straight to the Finale: no Break into Two, no
    # All Is Lost; Neoterra has no Fun and Games; no treatment has Theme Stated.
    nexus, neoterra = FIVE.index("bedtime-nexus"), FIVE.index("neoterra")
    assert _row(five, "break-into-two")["cells"][nexus] == {"gap": True}
    assert _row(five, "fun-and-games")["cells"][neoterra] == {"gap": True}
    assert all(cell["gap"] for cell in _row(five, "theme-stated")["cells"])
    assert not _row(five, "finale")["cells"][nexus]["gap"]


def test_cells_say_who_is_present(five: dict) -> None:
    setup = _row(five, "set-up")["cells"]
    names = [{p["name"] for p in cell["present"]} for cell in setup]
    assert names[0] == {"Amelia", "Korin", "Jax", "Agnes"}
    assert {"Aiden", "Mara", "Theo", "Lila"} <= names[1]
    finale = _row(five, "finale")["cells"][0]
    assert "Korin" not in {p["name"] for p in finale["present"]}  # the seed's flaw, kept


def test_cast_mapping_side_by_side(five: dict) -> None:
    cast = {line["function"]: [c and c["name"] for c in line["cells"]] for line in five["cast"]}
    assert cast["protagonist"] == ["Amelia", "Aiden", "Lila", "Sebastian", "Zara"]
    assert cast["antagonist"][:3] == ["The corporate player", "Mara", "the corporation"]
    assert cast["natural-sleep"][:4] == ["Agnes", "Aiden", "Max", "Omar"]
    assert cast["ally"][:4] == ["Jax", "Theo", "Max", "Maya"]
    assert cast["technologist"][0] == "Amelia"
    ids = [
        c and c["id"]
        for c in next(x for x in five["cast"] if x["function"] == "protagonist")["cells"]
    ]
    assert ids[2] == "lila-bedtime-nexus" and ids[4] == "zara-neoterra"  # the right namesake
    assert all(c["basis"] for line in five["cast"] for c in line["cells"] if c)


def test_devices_and_world_side_by_side(five: dict, default_project: Project) -> None:
    world = {line["aspect"]: line["cells"] for line in five["world"]}
    assert [c["id"] for c in world["technology"]] == [
        "bedsync-system",
        "sleep-synchronization-units",
        "bedtime-nexus-facility",
        "sleepsync-interface",
        "sleepsync-network",
    ]
    assert [c and c["name"] for c in world["faction"]][:4] == [
        "De-synchers",
        "Sleep Idealists",
        "the activists",
        "Omar's gang",
    ]
    for column, name in enumerate(FIVE):
        last = default_project.outlines[name].beats[-1].text
        ending = world["ending"][column]["text"]
        assert last.startswith(ending) and ending.endswith(".")
    # Neoterra's last beat opens with a colon mid-sentence: the ending runs on past it.
    assert "cling to the comfort" in world["ending"][FIVE.index("neoterra")]["text"]


# --- two versions of BedSync ---------------------------------------------------------------------


def test_the_bedsync_variants_match_the_golden_file(variants: dict) -> None:
    _golden("bedsync-variants.json", variants)


def test_which_bedsync_beats_changed(variants: dict) -> None:
    assert variants["outlines"][1]["diff_base"] == "bedsync"
    (summary,) = variants["diffs"]
    # The revision fills the four beats the seed skips, and mends five of the eleven it has.
    assert summary["changed"] == [
        "theme-stated",
        "set-up",
        "debate",
        "midpoint",
        "bad-guys-close-in",
        "all-is-lost",
        "dark-night-of-the-soul",
        "finale",
        "final-image",
    ]
    assert summary["compared"] == 15
    assert summary["summary"].startswith(
        "BedSync (revised) against BedSync (as written): 9 of 15 beats changed"
    )
    catalyst = _row(variants, "catalyst")["cells"][1]
    assert catalyst["changed"] is False
    assert [s["op"] for s in catalyst["diff"]] == ["equal"]
    assert "diff" not in _row(variants, "catalyst")["cells"][0]  # the base column has no diff


def _ops(variants: dict, row_id: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"insert": [], "delete": []}
    for segment in _row(variants, row_id)["cells"][1]["diff"]:
        if segment["op"] != "equal":
            found[segment["op"]].append(segment["text"].strip())
    return found


def test_inserted_and_deleted_words_of_the_revision(variants: dict) -> None:
    assert _ops(variants, "bad-guys-close-in") == {"insert": [", Halcyon Dynamics,"], "delete": []}
    finale = _ops(variants, "finale")
    assert "Synthesizers" in finale["delete"] and "sleepers" in finale["insert"]
    assert "trio feels" in finale["delete"] and "four of them feel" in finale["insert"]
    assert any("Korin opens the gala’s doors" in text for text in finale["insert"])
    final = _ops(variants, "final-image")
    assert "selffulfillment" in final["delete"] and "self-fulfillment" in final["insert"]
    assert "Lavish Jax students Ishmael trajectory" in final["delete"]
    assert _ops(variants, "set-up")["insert"] == ["; Ishmael, one of Jax’s students;"]


def test_the_revision_sets_up_ishmael_and_keeps_korin_in_the_climax(variants: dict) -> None:
    def present(row_id: str, column: int) -> set[str]:
        return {p["name"] for p in _row(variants, row_id)["cells"][column]["present"]}

    assert "Ishmael" not in present("set-up", 0) and "Ishmael" in present("set-up", 1)
    assert "Korin" not in present("finale", 0) and "Korin" in present("finale", 1)


def test_the_revision_lints_clean(default_project: Project) -> None:
    from storykit.lint import lint_project

    result = lint_project(default_project)
    findings = [f for f in result.findings if f.path == "outlines/bedsync-revised.md"]
    assert [f for f in findings if f.severity.name != "INFO"] == []
    original = [f for f in result.findings if f.path == "outlines/bedsync.md"]
    assert any(f.severity.name != "INFO" for f in original)  # the seed's flaws are still there


def test_every_outline_orders_originals_before_their_versions(default_project: Project) -> None:
    order = [o.name for o in project_order(default_project)]
    assert order.index("bedsync") + 1 == order.index("bedsync-revised")
    data = as_data(compare(default_project, project_order(default_project)))
    revised = next(o for o in data["outlines"] if o["name"] == "bedsync-revised")
    assert revised["diff_base"] == "bedsync"
    assert [o["diff_base"] for o in data["outlines"]].count(None) == 5


# --- word diffs ----------------------------------------------------------------------------------


def test_a_word_diff_marks_whole_words() -> None:
    segments = word_diff("the trio feels the pressure", "the four of them feel the pressure")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "the "),
        ("delete", "trio feels"),
        ("insert", "four of them feel"),
        ("equal", " the pressure"),
    ]


@given(st.text(max_size=80), st.text(max_size=80))
def test_a_word_diff_gives_both_texts_back(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert side(segments, "old") == old
    assert side(segments, "new") == new


# --- alignment beyond the default: extra beats, other structures ---------------------------------


def _outline(
    root: Path, name: str, body: str, structure: str = "save-the-cat", variant: str = ""
) -> None:
    front = f"---\ntreatment: first-draft\ntitle: {name.title()}\nstructure: {structure}\n"
    if variant:
        front += f"variant: {variant}\n"
    (root / "outlines" / f"{name}.md").write_text(front + "---\n" + body, encoding="utf-8")


def test_beats_outside_the_structure_keep_their_order_between_slots(new_project: Path) -> None:
    _outline(
        new_project,
        "alpha",
        "# Act One\n## Cold Open\nA.\n## Opening Image\nB.\n## Flashback\nC.\n## Catalyst\nD.\n"
        "# Act Three\n## Final Image\nE.\n## Epilogue\nF.\n",
    )
    _outline(
        new_project,
        "beta",
        "# Act One\n## Opening Image\nG.\n## Dream\nH.\n## Flashback\nI.\n## Catalyst\nJ.\n"
        "## Catalyst\nK.\n",
    )
    project = load_project(new_project, strict=False)
    data = as_data(compare(project, resolve_outlines(project, ["alpha", "beta"])))
    rows = [(r["id"], r["in_structure"]) for r in data["rows"]]
    ids = [r[0] for r in rows]
    assert ids[:2] == ["cold-open", "opening-image"]
    # Between Opening Image and the next slot: beta's Dream, then the Flashback both share.
    assert ids[2:5] == ["dream", "flashback", "theme-stated"]
    flashback = _row(data, "flashback")
    assert [c["text"] for c in flashback["cells"]] == ["C.", "I."]
    assert _row(data, "dream")["cells"][0] == {"gap": True}
    # beta's second Catalyst fills no slot: its own row right after the Catalyst row.
    catalyst = ids.index("catalyst")
    assert ids[catalyst + 1] == "catalyst" and rows[catalyst + 1] == ("catalyst", False)
    assert ids[-2:] == ["final-image", "epilogue"]
    assert not dict(rows)["epilogue"]


def test_outlines_of_different_structures_align_by_the_default_or_as_asked(
    new_project: Path,
) -> None:
    _outline(
        new_project, "acts", "# One\n## Setup\nA.\n## Confrontation\nB.\n", structure="three-act"
    )
    project = load_project(new_project, strict=False)
    both = resolve_outlines(project, ["first-draft", "acts"])
    data = as_data(compare(project, both))
    assert data["structure"]["id"] == "save-the-cat"
    assert "different structures" in data["structure"]["note"]
    asked = as_data(compare(project, both, structure="three-act"))
    assert asked["structure"]["id"] == "three-act"
    assert "--structure" in asked["structure"]["note"]
    with pytest.raises(UsageError) as raised:
        compare(project, both, structure="three-akt")
    assert "did you mean 'three-act'" in str(raised.value)


def test_unknown_outlines_are_usage_errors_with_a_suggestion(default_project: Project) -> None:
    with pytest.raises(UsageError) as raised:
        resolve_outlines(default_project, ["bedsink"])
    assert "unknown outline 'bedsink'" in str(raised.value)
    assert "did you mean 'bedsync'" in str(raised.value)
    with pytest.raises(UsageError, match="did you mean 'neoterra'"):
        resolve_outlines(default_project, ["outlines/neoterrra.md"])


# --- formats -------------------------------------------------------------------------------------


def test_text_marks_the_diff_in_colour_on_a_terminal(variants: dict) -> None:
    buffer = io.StringIO()
    render_text(
        variants, Console(file=buffer, force_terminal=True, color_system="truecolor", width=120)
    )
    out = buffer.getvalue()
    codes = {code for group in re.findall(r"\x1b\[([0-9;]*)m", out) for code in group.split(";")}
    assert {"9", "4"} <= codes  # struck-through deletions, underlined insertions
    assert "{+" not in out and "[-" not in out


def test_text_without_colour_marks_the_diff_as_wdiff_does(
    default_project: Project, variants: dict
) -> None:
    outlines = resolve_outlines(default_project, ["bedsync", "bedsync-revised"])
    text = render_comparison(default_project, compare(default_project, outlines), "text").decode()
    assert "[-Synthesizers-]{+sleepers+}" in text
    assert "9 of 15 beats changed" in text
    assert "BedSync (as written)  — no beat" in text  # Theme Stated: only the revision has it
    assert not any(line != line.rstrip() for line in text.splitlines())


def test_write_comparison_writes_every_format(default_project: Project, tmp_path: Path) -> None:
    written = write_comparison(default_project, None, tmp_path, formats=("json", "text", "html"))
    assert [p.name for p in written] == ["comparison.json", "comparison.txt", "comparison.html"]
    data = json.loads(written[0].read_text(encoding="utf-8"))
    assert len(data["outlines"]) == len(default_project.outlines)
    html = written[2].read_text(encoding="utf-8")
    assert "<style>" in html and "http://" not in html and "https://" not in html
    assert not list(tmp_path.glob(".storykit-tmp-*"))


def test_html_escapes_the_writers_text(new_project: Path) -> None:
    _outline(
        new_project,
        "hostile",
        "# Act One\n## Opening Image\nRuth types <script>alert(1)</script> & co.\n",
    )
    project = load_project(new_project, strict=False)
    outlines = resolve_outlines(project, ["first-draft", "hostile"])
    html = render_comparison(project, compare(project, outlines), "html").decode()
    assert (
        "<script>" not in html
        and "Ruth types &lt;script&gt;alert(1)&lt;/script&gt; &amp; co." in html
    )


# --- the command line ----------------------------------------------------------------------------


def test_cli_compares_two_outlines_by_path(storykit_cli, default_root: Path) -> None:
    result = storykit_cli(
        "compare", "outlines/bedsync.md", "outlines/bedsync-revised.md", cwd=default_root
    )
    assert result.returncode == 0, result.stderr
    assert "{+, Halcyon Dynamics,+}" in result.stdout
    assert "Devices and world" in result.stdout


def test_cli_writes_json_of_every_outline(storykit_cli, tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    result = storykit_cli("compare", "--all", "--format", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [o["name"] for o in data["outlines"]][:2] == ["bedsync", "bedsync-revised"]


def test_cli_errors_name_the_problem(storykit_cli, default_root: Path) -> None:
    unknown = storykit_cli("compare", "bedsync", "bedsink", cwd=default_root)
    assert unknown.returncode == 2
    assert "unknown outline 'bedsink'" in unknown.stderr and "bedsync" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    lonely = storykit_cli("compare", "bedsync", cwd=default_root)
    assert lonely.returncode == 2 and "two or more outlines" in lonely.stderr
    fmt = storykit_cli("compare", "--all", "--format", "docx", cwd=default_root)
    assert fmt.returncode == 2 and "text, html, pdf, json" in fmt.stderr


def test_cli_never_writes_over_a_project_file(storykit_cli, new_project: Path) -> None:
    _outline(new_project, "second", "# Act One\n## Opening Image\nAnother dusk.\n")
    target = new_project / "outlines" / "first-draft.md"
    before = target.read_bytes()
    result = storykit_cli(
        "compare", "--all", "--format", "html", "--out", str(target), cwd=new_project
    )
    assert result.returncode == 2 and "project's own files" in result.stderr
    assert target.read_bytes() == before


def test_cast_functions_are_data_with_neutral_defaults(new_project: Path) -> None:
    from storykit.compile.compare import as_data, compare, project_order
    from storykit.load import load_project

    project = load_project(new_project, strict=False)
    labels = [line["label"] for line in as_data(compare(project, project_order(project)))["cast"]]
    assert labels == [
        "Protagonist",
        "Antagonist or opposing force",
        "Mentor or ally",
        "Love interest",
    ]
    (new_project / "cast.yaml").write_text(
        "functions:\n"
        "  - {id: protagonist, label: Lead, role: protagonist, fallback: most-mentioned}\n"
        "  - {id: rival, label: The rival, words: [rival*]}\n"
        "world:\n  - {id: ending, label: How it ends}\n",
        encoding="utf-8",
    )
    project = load_project(new_project, strict=False)
    data = as_data(compare(project, project_order(project)))
    assert [line["label"] for line in data["cast"]] == ["Lead", "The rival"]
    assert [line["label"] for line in data["world"]] == ["How it ends"]
    assert data["cast"][0]["cells"][0] is not None  # the lead is found in the new project


def test_a_broken_cast_file_names_itself(new_project: Path) -> None:
    from storykit.compile.compare import compare, project_order
    from storykit.errors import BuildError
    from storykit.load import load_project

    (new_project / "cast.yaml").write_text("functions:\n  - {id: x, colour: red}\n", "utf-8")
    project = load_project(new_project, strict=False)
    with pytest.raises(BuildError, match=r"cast.yaml: functions\[0\]: unknown key 'colour'"):
        compare(project, project_order(project))


def test_read_through_another_structure_each_beat_once(default_project) -> None:
    from storykit.compile.compare import as_data, compare, resolve_outlines

    outlines = resolve_outlines(default_project, ["dream-coders", "sleepsync"])
    data = as_data(compare(default_project, outlines, "three-act"))
    assert [row["id"] for row in data["rows"]] == [
        b.id for b in default_project.structures["three-act"].beats
    ]
    for column, outline in enumerate(outlines):
        named = [c["beat"] for row in data["rows"] for c in [row["cells"][column]] if not c["gap"]]
        shown = [name for cell in named for name in cell.split(" + ")]
        assert shown == [b.name for b in outline.beats]  # every beat once, in order
    finale = next(r for r in data["rows"] if r["id"] == "climax")
    assert [c["beat"] for c in finale["cells"]] == ["Finale", "Finale"]
