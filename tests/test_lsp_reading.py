"""`storykit lsp` end to end, as an editor reads a story: diagnostics, hover, definition,
references, completion, the outline view, and bad input. Each test starts the real server over
stdio with pytest-lsp's client, on a copy of the embedded default, a `storykit init` project or
a generated series."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lsp_session import REPO_BENCHMARKS, by_rule, session
from lsprotocol import types

BEDSYNC = "outlines/bedsync.md"


@pytest.fixture
def series(tmp_path: Path) -> Path:
    root = tmp_path / "series"
    subprocess.run(
        [sys.executable, str(REPO_BENCHMARKS / "generate.py"), "--scale", "1", "--out", str(root)],
        check=True,
        capture_output=True,
    )
    return root


def lint_json(root: Path) -> list[dict[str, object]]:
    run = subprocess.run(
        [sys.executable, "-m", "storykit", "lint", str(root), "--format", "json"],
        capture_output=True,
        text=True,
    )
    return json.loads(run.stdout)  # type: ignore[no-any-return]


# --- Diagnostics ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_diagnostics_on_open_are_the_lint_findings_with_rule_code_severity_and_docs(
    default_copy: Path,
) -> None:
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        await editor.analysed(BEDSYNC)
        published = editor.diagnostics(BEDSYNC)
    expected = [f for f in lint_json(default_copy) if f["path"] == BEDSYNC]
    assert len(published) == len(expected) > 0
    assert sorted(str(d.data["rule"]) for d in published) == sorted(
        str(f["rule"]) for f in expected
    )
    unknown = next(d for d in published if "'Synthesizers'" in d.message)
    assert unknown.code == "SK101" and unknown.data["rule"] == "unknown-name"
    assert unknown.message.startswith("unknown-name: ")
    assert unknown.severity == types.DiagnosticSeverity.Warning
    assert unknown.code_description is not None and "#the-rules" in unknown.code_description.href
    assert unknown.source == "storykit"
    line = editor.text(BEDSYNC).split("\n")[unknown.range.start.line]
    start, end = unknown.range.start.character, unknown.range.end.character
    assert line[start:end] == "Synthesizers"
    severities = {str(d.data["rule"]): d.severity for d in published}
    assert severities["missing-beat"] == types.DiagnosticSeverity.Information


@pytest.mark.asyncio
async def test_an_edit_updates_the_diagnostics_of_that_outline(default_copy: Path) -> None:
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        await editor.analysed(BEDSYNC)
        before = len(editor.diagnostics(BEDSYNC))
        text = editor.text(BEDSYNC)
        line = text.split("\n").index("## Opening Image") + 1
        editor.insert(BEDSYNC, line, 0, "Amelia meets Corin at the dock.\n\n")
        await editor.analysed(BEDSYNC)
        after = editor.diagnostics(BEDSYNC)
    near = by_rule(after, lambda r: r == "near-miss-name")
    assert any("'Corin'" in d.message and "Korin" in d.message for d in near)
    assert len(after) == before + 1
    assert near[0].range.start.line == line


@pytest.mark.asyncio
async def test_changes_in_quick_succession_are_analysed_once_together(default_copy: Path) -> None:
    async with session(default_copy, {"debounceMs": 400}) as editor:
        editor.open(BEDSYNC)
        first = await editor.analysed(BEDSYNC)
        for word in ("Corin ", "Corin ", "Corin "):
            editor.insert(BEDSYNC, 9, 0, word)
        last = await editor.analysed(BEDSYNC)
    # The three changes arrived within the debounce: one round saw all of them.
    rounds_after = [r for r in editor.rounds if r.round > first.round]
    assert rounds_after == [last]


@pytest.mark.asyncio
async def test_a_contradiction_points_at_the_bible_line_it_is_against(init_project: Path) -> None:
    outline = "outlines/first-draft.md"
    text = (init_project / outline).read_text(encoding="utf-8")
    anchor = text.index("\n", text.index("## Opening Image")) + 1
    changed = text[:anchor] + "Ruth, a teenager, climbs the tower.\n\n" + text[anchor:]
    async with session(init_project) as editor:
        editor.open(outline, changed)
        await editor.analysed(outline)
        found = by_rule(editor.diagnostics(outline), lambda r: r == "contradiction")
    assert found, "Ruth is 41 in the bible"
    related = found[0].related_information or []
    assert related and related[0].location.uri.endswith("bible/characters/ruth.yaml")
    age_line = (
        (init_project / "bible/characters/ruth.yaml").read_text().split("\n").index("age: 41")
    )
    assert related[0].location.range.start.line == age_line


@pytest.mark.asyncio
async def test_a_name_collision_relates_the_other_entry(default_copy: Path) -> None:
    path = "bible/characters/lila-bedtime-nexus.yaml"
    async with session(default_copy) as editor:
        editor.open(path)
        await editor.analysed(path)
        found = by_rule(editor.diagnostics(path), lambda r: r == "name-collision")
    assert found and found[0].related_information
    assert found[0].related_information[0].location.uri.endswith("lila-dream-coders.yaml")


@pytest.mark.asyncio
async def test_a_file_that_does_not_parse_gives_one_located_diagnostic_and_the_rest_is_served(
    default_copy: Path,
) -> None:
    broken = "bible/characters/amelia.yaml"
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        editor.open(broken)
        await editor.analysed(broken)
        text = editor.text(broken)
        editor.replace(broken, text.replace("name: Amelia", "name: [Amelia"))
        await editor.analysed(broken)
        problems = editor.diagnostics(broken)
        outline = editor.diagnostics(BEDSYNC)
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(editor.doc(BEDSYNC), editor.position(BEDSYNC, "Korin"))
        )
        editor.replace(broken, text)
        await editor.analysed(broken)
        healed = editor.diagnostics(broken)
    assert len(problems) == 1 and problems[0].severity == types.DiagnosticSeverity.Error
    assert problems[0].range.start.line >= 2  # at the broken value, not the top of the file
    assert any("'Synthesizers'" in d.message for d in outline), "the other files still linted"
    assert hover is not None and "Korin" in hover.contents.value
    assert not [d for d in healed if d.severity == types.DiagnosticSeverity.Error]


@pytest.mark.asyncio
async def test_a_broken_outline_front_matter_keeps_the_bible_served(init_project: Path) -> None:
    outline = "outlines/first-draft.md"
    async with session(init_project) as editor:
        editor.open(outline, "---\ntreatment: [first-draft\n---\n# Act One\n")
        await editor.analysed(outline)
        problems = editor.diagnostics(outline)
        symbols = await editor.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(editor.doc(outline))
        )
    # One problem, inside the front matter (YAML reports it where the flow list ran out).
    assert len(problems) == 1 and problems[0].range.start.line in (1, 2)
    assert "YAML" in problems[0].message
    assert [s.name for s in symbols] == ["Act One"]


@pytest.mark.asyncio
async def test_diagnostics_on_a_generated_series(series: Path) -> None:
    outline = sorted(p.relative_to(series).as_posix() for p in (series / "outlines").glob("*.md"))[
        0
    ]
    async with session(series) as editor:
        editor.open(outline)
        await editor.analysed(outline)
        published = editor.diagnostics(outline)
    expected = [f for f in lint_json(series) if f["path"] == outline]
    assert len(published) == len(expected) > 0


# --- Hover, definition, references ------------------------------------------------------------


@pytest.mark.asyncio
async def test_hover_on_a_name_shows_its_entry(default_copy: Path) -> None:
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        await editor.analysed(BEDSYNC)
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(editor.doc(BEDSYNC), editor.position(BEDSYNC, "Amelia's", offset=3))
        )
    assert hover is not None
    text = hover.contents.value
    assert text.startswith("**Amelia** — protagonist character, treatment `bedsync`")
    assert "sleep technologist" in text  # the description's first sentence
    assert "relationships: friend-of Korin" in text
    assert "first appears: `outlines/bedsync.md:" in text
    assert "defined in `bible/characters/amelia.yaml`" in text


@pytest.mark.asyncio
async def test_hover_on_an_alias_and_in_the_bible(init_project: Path) -> None:
    outline = "outlines/first-draft.md"
    async with session(init_project) as editor:
        editor.open(outline)
        editor.open("bible/characters/ruth.yaml")
        await editor.analysed(outline)
        text = editor.text(outline)
        assert "lighthouse" in text
        alias = await editor.client.text_document_hover_async(
            types.HoverParams(editor.doc(outline), editor.position(outline, "lighthouse"))
        )
        reference = await editor.client.text_document_hover_async(
            types.HoverParams(
                editor.doc("bible/characters/ruth.yaml"),
                editor.position("bible/characters/ruth.yaml", "to: tom", offset=5),
            )
        )
    assert alias is not None and alias.contents.value.startswith("**the light** — item (device)")
    assert reference is not None and reference.contents.value.startswith("**Tom** — supporting")


@pytest.mark.asyncio
async def test_definition_jumps_from_a_mention_to_its_yaml_line(default_copy: Path) -> None:
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        await editor.analysed(BEDSYNC)
        found = await editor.client.text_document_definition_async(
            types.DefinitionParams(editor.doc(BEDSYNC), editor.position(BEDSYNC, "Korin"))
        )
    assert isinstance(found, types.Location)
    assert found.uri.endswith("bible/characters/korin.yaml")
    line = (
        (default_copy / "bible/characters/korin.yaml")
        .read_text()
        .split("\n")[found.range.start.line]
    )
    assert line[found.range.start.character : found.range.end.character] == "Korin"


@pytest.mark.asyncio
async def test_references_are_every_mention_in_every_outline(default_copy: Path) -> None:
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        await editor.analysed(BEDSYNC)
        found = await editor.client.text_document_references_async(
            types.ReferenceParams(
                text_document=editor.doc(BEDSYNC),
                position=editor.position(BEDSYNC, "Korin"),
                context=types.ReferenceContext(include_declaration=False),
            )
        )
    files = {loc.uri.rsplit("/", 2)[-1] for loc in found}
    assert files == {"bedsync.md", "bedsync-revised.md"}
    words = 0
    for location in found:
        rel = "outlines/" + location.uri.rsplit("/", 1)[-1]
        line = (default_copy / rel).read_text().split("\n")[location.range.start.line]
        assert line[location.range.start.character :].startswith("Korin")
        words += 1
    expected = sum(
        (default_copy / f"outlines/{name}").read_text().count("Korin")
        for name in ("bedsync.md", "bedsync-revised.md")
    )
    assert words == expected


@pytest.mark.asyncio
async def test_references_include_a_script(init_project: Path) -> None:
    (init_project / "scripts").mkdir()
    (init_project / "scripts/pilot.fountain").write_text(
        "Title: The Light\n\nINT. LIGHTHOUSE - NIGHT\n\nRuth climbs the stairs.\n\nRUTH\nTom is out there.\n",
        encoding="utf-8",
    )
    async with session(init_project) as editor:
        editor.open("outlines/first-draft.md")
        await editor.analysed("outlines/first-draft.md")
        found = await editor.client.text_document_references_async(
            types.ReferenceParams(
                text_document=editor.doc("outlines/first-draft.md"),
                position=editor.position("outlines/first-draft.md", "Ruth"),
                context=types.ReferenceContext(include_declaration=True),
            )
        )
    in_script = [loc for loc in found if loc.uri.endswith("scripts/pilot.fountain")]
    assert [loc.range.start.line for loc in in_script] == [4, 6]
    assert found[0].uri.endswith("bible/characters/ruth.yaml")


# --- Completion and symbols -------------------------------------------------------------------


@pytest.mark.asyncio
async def test_completion_offers_the_treatments_names_in_an_outline(default_copy: Path) -> None:
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        await editor.analysed(BEDSYNC)
        editor.insert(BEDSYNC, 9, 0, "Am")
        await editor.analysed(BEDSYNC)
        result = await editor.client.text_document_completion_async(
            types.CompletionParams(editor.doc(BEDSYNC), types.Position(9, 2))
        )
    labels = {item.label for item in result.items}
    assert {"Amelia", "Korin", "Bedtime"} <= labels
    assert "Sebastian" not in labels  # another treatment's character


@pytest.mark.asyncio
async def test_completion_of_ids_in_yaml_reference_fields(init_project: Path) -> None:
    path = "bible/characters/tom.yaml"
    async with session(init_project) as editor:
        editor.open(path)
        await editor.analysed(path)
        text = editor.text(path)
        relation = text.split("\n").index("  - {to: ruth, as: brother-of}")
        people = await editor.client.text_document_completion_async(
            types.CompletionParams(editor.doc(path), types.Position(relation, len("  - {to: ")))
        )
        row = text.split("\n").index("treatment: first-draft")
        editor.replace(path, text.replace("treatment: first-draft", "treatment: "))
        await editor.analysed(path)
        treatments = await editor.client.text_document_completion_async(
            types.CompletionParams(editor.doc(path), types.Position(row, len("treatment: ")))
        )
    assert {i.label for i in treatments.items} == {"first-draft", "all"}
    assert {i.label for i in people.items} == {"ruth", "tom"}


@pytest.mark.asyncio
async def test_completion_of_beats_in_setup(default_copy: Path) -> None:
    path = "bible/threads/amelia-regret.yaml"
    async with session(default_copy) as editor:
        editor.open(path)
        await editor.analysed(path)
        row = (
            editor.text(path)
            .split("\n")
            .index(next(r for r in editor.text(path).split("\n") if r.startswith("setup:")))
        )
        found = await editor.client.text_document_completion_async(
            types.CompletionParams(editor.doc(path), types.Position(row, len("setup: ")))
        )
    assert {"catalyst", "finale", "set-up"} <= {i.label for i in found.items}


@pytest.mark.asyncio
async def test_document_symbols_are_acts_beats_and_scenes(init_project: Path) -> None:
    outline = "outlines/first-draft.md"
    text = (init_project / outline).read_text(encoding="utf-8")
    text = text.replace(
        "## Opening Image\n", "## Opening Image\n\n### INT. LIGHTHOUSE - NIGHT\n\n", 1
    )
    async with session(init_project) as editor:
        editor.open(outline, text)
        await editor.analysed(outline)
        symbols = await editor.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(editor.doc(outline))
        )
    acts = [s.name for s in symbols]
    assert acts[:1] == ["Act One"] and len(acts) == text.count("\n# ")
    first = symbols[0].children or []
    assert first[0].name == "Opening Image" and first[0].detail == "beat"
    assert [c.name for c in first[0].children or []] == ["INT. LIGHTHOUSE - NIGHT"]
    assert all(s.kind == types.SymbolKind.Module for s in symbols)


@pytest.mark.asyncio
async def test_the_server_opens_no_listening_socket(default_copy: Path) -> None:
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        await editor.analysed(BEDSYNC)
        server = editor.client._server
        assert server is not None
        inodes = set()
        for fd in Path(f"/proc/{server.pid}/fd").iterdir():
            target = str(fd.readlink()) if fd.is_symlink() else ""
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        listening = set()
        for table in ("tcp", "tcp6", "udp", "udp6"):
            path = Path(f"/proc/{server.pid}/net/{table}")
            for row in path.read_text().splitlines()[1:] if path.exists() else []:
                fields = row.split()
                if table.startswith("udp") or fields[3] == "0A":  # 0A: LISTEN
                    listening.add(fields[9])
    assert not inodes & listening


def test_lint_never_imports_the_language_server(default_copy: Path) -> None:
    code = (
        "import sys\n"
        "from storykit.cli import main\n"
        f"sys.argv = ['storykit', 'lint', {str(default_copy)!r}, '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol'))\n"
        "sys.stderr.write('LOADED=' + ','.join(loaded))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "LOADED=" in run.stderr and run.stdout.startswith("[")
    assert run.stderr.rsplit("LOADED=", 1)[1] == ""


@pytest.mark.asyncio
async def test_a_script_gets_the_name_rules_diagnostics_at_its_own_lines(
    init_project: Path,
) -> None:
    script = "scripts/pilot.fountain"
    (init_project / "scripts").mkdir()
    text = "Title: The Light\n\nINT. LIGHTHOUSE - NIGHT\n\nRuth climbs the stairs.\n\nTHOM\nRuth, the light!\n"
    (init_project / script).write_text(text, encoding="utf-8")
    async with session(init_project) as editor:
        editor.open(script)
        await editor.analysed(script)
        found = editor.diagnostics(script)
        symbols = await editor.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(editor.doc(script))
        )
    near = by_rule(found, lambda r: r == "near-miss-name")
    assert [(d.range.start.line, d.range.start.character) for d in near] == [(6, 0)]
    assert "Tom" in near[0].message
    assert [s.name for s in symbols] == ["INT. LIGHTHOUSE - NIGHT"]


def test_the_lsp_benchmark_prints_its_table(series: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(REPO_BENCHMARKS / "lsp.py"), "--series", str(series)]
        + ["--edits", "2", "--requests", "3", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    for row in ("diagnostics after one edit, median", "hover, median / p95", "second ÷ cold"):
        assert row in run.stdout
