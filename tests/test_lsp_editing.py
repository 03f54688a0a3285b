"""`storykit lsp` end to end, as an editor changes a story: rename and code actions. The edits
the server returns are applied here as an editor would, and the result is linted again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lsp_session import session
from lsprotocol import types
from pygls.uris import to_fs_path

pytestmark = pytest.mark.asyncio

BEDSYNC = "outlines/bedsync.md"


def findings(root: Path) -> list[dict[str, object]]:
    run = subprocess.run(
        [sys.executable, "-m", "storykit", "lint", str(root), "--format", "json"],
        capture_output=True,
        text=True,
    )
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def apply(edit: types.WorkspaceEdit) -> set[Path]:
    """Apply a workspace edit to the files, as an editor would; the files changed."""
    changed: dict[Path, list[types.TextEdit]] = {}
    for uri, text_edits in (edit.changes or {}).items():
        changed.setdefault(Path(to_fs_path(uri) or ""), []).extend(text_edits)
    for change in edit.document_changes or []:
        if isinstance(change, types.CreateFile):
            path = Path(to_fs_path(change.uri) or "")
            assert not path.exists()
            path.write_text("", encoding="utf-8")
        elif isinstance(change, types.TextDocumentEdit):
            path = Path(to_fs_path(change.text_document.uri) or "")
            changed.setdefault(path, []).extend(
                e for e in change.edits if isinstance(e, types.TextEdit)
            )
    for path, text_edits in changed.items():
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")

        def offset(position: types.Position, lines: list[str] = lines) -> int:
            before = sum(len(row) + 1 for row in lines[: position.line])
            row = lines[position.line] if position.line < len(lines) else ""
            units = row.encode("utf-16-le")[: position.character * 2].decode("utf-16-le")
            return before + len(units)

        spans = sorted(
            ((offset(e.range.start), offset(e.range.end), e.new_text) for e in text_edits),
            reverse=True,
        )
        for start, end, new in spans:
            text = text[:start] + new + text[end:]
        path.write_text(text, encoding="utf-8")
    return set(changed)


async def test_rename_changes_the_entry_and_every_mention_possessives_included(
    default_copy: Path,
) -> None:
    before = {p.name: p.read_text() for p in (default_copy / "outlines").glob("*.md")}
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        await editor.analysed(BEDSYNC)
        where = editor.position(BEDSYNC, "Amelia's")
        prepared = await editor.client.text_document_prepare_rename_async(
            types.PrepareRenameParams(editor.doc(BEDSYNC), where)
        )
        edit = await editor.client.text_document_rename_async(
            types.RenameParams(text_document=editor.doc(BEDSYNC), position=where, new_name="Amara")
        )
    assert prepared is not None and edit is not None
    changed = apply(edit)
    assert {p.name for p in changed} == {"amelia.yaml", "bedsync.md", "bedsync-revised.md"}
    assert "name: Amara\n" in (default_copy / "bible/characters/amelia.yaml").read_text()
    for name in ("bedsync.md", "bedsync-revised.md"):
        after = (default_copy / "outlines" / name).read_text()
        assert "Amelia" not in after
        assert after.count("Amara's") == before[name].count("Amelia's") > 0
        assert after.replace("Amara", "Amelia") == before[name]  # nothing else changed
    assert (default_copy / "outlines/sleepsync.md").read_text() == before["sleepsync.md"]
    mentions = [f for f in findings(default_copy) if "Amara" in str(f["message"])]
    assert not [f for f in mentions if f["rule"] in ("unknown-name", "near-miss-name")]


async def test_rename_carries_an_alias_that_holds_the_name(init_project: Path) -> None:
    path = "bible/devices/the-light.yaml"
    text = (
        (init_project / path)
        .read_text()
        .replace("aliases: [lighthouse]", "aliases: [the light's lamp, lighthouse]")
    )
    (init_project / path).write_text(text)
    outline = init_project / "outlines/first-draft.md"
    outline.write_text(outline.read_text() + "\nRuth trims the light's lamp.\n")
    async with session(init_project) as editor:
        editor.open(path)
        await editor.analysed(path)
        edit = await editor.client.text_document_rename_async(
            types.RenameParams(
                text_document=editor.doc(path),
                position=editor.position(path, "the light", offset=5),
                new_name="the beacon",
            )
        )
    assert edit is not None
    apply(edit)
    after = (init_project / path).read_text()
    assert "name: the beacon\n" in after and "aliases: [the beacon's lamp, lighthouse]" in after
    assert "Ruth trims the beacon's lamp." in outline.read_text()
    assert "lighthouse" in outline.read_text()  # the other alias is left as written


async def test_rename_is_refused_where_a_mention_is_ambiguous(init_project: Path) -> None:
    # A second "Tom" in the same treatment: every "Tom" in prose names both.
    (init_project / "bible/characters/tom-elder.yaml").write_text(
        "id: tom-elder\nname: Old Tom\naliases: [Tom]\ntreatment: first-draft\nrole: minor\n"
        "description: The harbour master.\n"
    )
    outline = "outlines/first-draft.md"
    async with session(init_project) as editor:
        editor.open(outline)
        await editor.analysed(outline)
        with pytest.raises(
            Exception,
            match=r"^rename refused: 'Tom(’s|'s)?' at outlines/first-draft.md:\d+:\d+ also names",
        ):
            await editor.client.text_document_rename_async(
                types.RenameParams(
                    text_document=editor.doc(outline),
                    position=editor.position(outline, "Tom"),
                    new_name="Thomas",
                )
            )
        shown = [m.message for m in editor.client.messages]
    assert any("also names another entry" in m for m in shown)


async def test_rename_to_a_name_already_taken_is_refused(init_project: Path) -> None:
    outline = "outlines/first-draft.md"
    async with session(init_project) as editor:
        editor.open(outline)
        await editor.analysed(outline)
        with pytest.raises(Exception, match="'Ruth' already names character ruth"):
            await editor.client.text_document_rename_async(
                types.RenameParams(
                    text_document=editor.doc(outline),
                    position=editor.position(outline, "Tom"),
                    new_name="Ruth",
                )
            )


async def actions_at(editor: object, rel: str, line: int) -> list[types.CodeAction]:
    client = editor.client  # type: ignore[attr-defined]
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=editor.doc(rel),  # type: ignore[attr-defined]
            range=types.Range(types.Position(line, 0), types.Position(line, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def test_code_action_applies_a_safe_fix(default_copy: Path) -> None:
    outline = "outlines/sleepsync.md"
    async with session(default_copy) as editor:
        editor.open(outline)
        await editor.analysed(outline)
        mojibake = next(d for d in editor.diagnostics(outline) if d.data["rule"] == "mojibake")
        actions = await actions_at(editor, outline, mojibake.range.start.line)
    fix = next(a for a in actions if a.title.startswith("Fix:"))
    assert fix.is_preferred and fix.edit is not None
    apply(fix.edit)
    text = (default_copy / outline).read_text()
    assert "otherâ€™s" not in text and "other’s" in text
    assert not [f for f in findings(default_copy) if f["rule"] == "mojibake"]


async def test_code_action_adds_an_unknown_name_to_the_bible(default_copy: Path) -> None:
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        await editor.analysed(BEDSYNC)
        unknown = next(d for d in editor.diagnostics(BEDSYNC) if "'Synthesizers'" in d.message)
        actions = await actions_at(editor, BEDSYNC, unknown.range.start.line)
    add = next(
        a for a in actions if a.title.startswith("Add 'Synthesizers' to the bible as a device")
    )
    assert add.edit is not None
    apply(add.edit)
    entry = default_copy / "bible/devices/synthesizers.yaml"
    assert "name: Synthesizers\ntreatment: bedsync\n" in entry.read_text()
    after = findings(default_copy)
    assert not [
        f for f in after if "'Synthesizers'" in str(f["message"]) and f["rule"] == "unknown-name"
    ]
    assert not [
        f for f in after if f["path"] == "bible/devices/synthesizers.yaml" and f["rule"] == "schema"
    ]


async def test_code_action_adds_a_word_to_lint_words(init_project: Path) -> None:
    outline = init_project / "outlines/first-draft.md"
    outline.write_text(outline.read_text() + "\nThen Qorvath calls from the tower.\n")
    rel = "outlines/first-draft.md"
    async with session(init_project) as editor:
        editor.open(rel)
        await editor.analysed(rel)
        unknown = next(d for d in editor.diagnostics(rel) if "'Qorvath'" in d.message)
        actions = await actions_at(editor, rel, unknown.range.start.line)
    add = next(a for a in actions if a.title == "Add 'Qorvath' to lint.words in storykit.yaml")
    assert add.edit is not None
    before = (init_project / "storykit.yaml").read_text()
    apply(add.edit)
    after = (init_project / "storykit.yaml").read_text()
    assert "  words: [Qorvath]                       # your coinages" in after
    assert len(after.split("\n")) == len(before.split("\n"))  # one line changed, comments kept
    assert not [f for f in findings(init_project) if "Qorvath" in str(f["message"])]


async def test_code_action_adds_a_suppression_comment(default_copy: Path) -> None:
    async with session(default_copy) as editor:
        editor.open(BEDSYNC)
        await editor.analysed(BEDSYNC)
        trio = next(d for d in editor.diagnostics(BEDSYNC) if d.data["rule"] == "count-mismatch")
        actions = await actions_at(editor, BEDSYNC, trio.range.start.line)
    silence = next(a for a in actions if a.title.startswith("Silence count-mismatch"))
    assert silence.edit is not None
    apply(silence.edit)
    assert "<!-- storykit: ignore count-mismatch -->\n" in (default_copy / BEDSYNC).read_text()
    after = findings(default_copy)
    assert not [f for f in after if f["rule"] in ("count-mismatch", "unused-suppression")]
