"""Driving `storykit lsp` as an editor would: pytest-lsp's client over the server's stdio."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO_BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SERVER = [sys.executable, "-m", "storykit", "lsp", "--stdio"]
# A guard against a hung server, not a measure: a round on a tiny project takes well under this.
PATIENCE = 120.0


class Editor:
    """One client session: open and edit documents, wait for the server's analysis rounds."""

    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.rounds: list[Any] = []
        self.changed = asyncio.Event()
        self.versions: dict[str, int] = {}

    def uri(self, rel: str) -> str:
        return from_fs_path(str(self.root / rel)) or ""

    def text(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def open(self, rel: str, text: str | None = None) -> None:
        language = {"md": "markdown", "yaml": "yaml", "fountain": "fountain"}[
            rel.rsplit(".", 1)[-1]
        ]
        self.versions[rel] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(
                    self.uri(rel), language, 1, self.text(rel) if text is None else text
                )
            )
        )

    def replace(self, rel: str, text: str) -> int:
        """Send the whole new text of an open document; the new version."""
        self.versions[rel] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(
                    uri=self.uri(rel), version=self.versions[rel]
                ),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[rel]

    def insert(self, rel: str, line: int, character: int, text: str) -> int:
        """An incremental change: insert `text` at a 0-based position; the new version."""
        self.versions[rel] += 1
        where = types.Position(line, character)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(
                    uri=self.uri(rel), version=self.versions[rel]
                ),
                [
                    types.TextDocumentContentChangePartial(
                        range=types.Range(where, where), text=text
                    )
                ],
            )
        )
        return self.versions[rel]

    async def analysed(self, rel: str | None = None, version: int | None = None) -> Any:
        """Wait for the first round that saw `rel` at `version` (default: its latest)."""
        if rel is not None and version is None:
            version = self.versions[rel]

        def done() -> Any:
            for report in reversed(self.rounds):
                seen = _version(report, rel) if rel else True
                if seen is not None and (rel is None or seen >= (version or 0)):
                    return report
            return None

        async def wait() -> Any:
            while (found := done()) is None:
                self.changed.clear()
                await self.changed.wait()
            return found

        return await asyncio.wait_for(wait(), PATIENCE)

    def diagnostics(self, rel: str) -> list[types.Diagnostic]:
        return list(self.client.diagnostics.get(self.uri(rel), []))

    def position(self, rel: str, needle: str, offset: int = 1, nth: int = 0) -> types.Position:
        """The 0-based position `offset` characters into the nth occurrence of `needle`."""
        text = self.text(rel)
        at = -1
        for _ in range(nth + 1):
            at = text.index(needle, at + 1)
        at += offset
        line = text.count("\n", 0, at)
        column = at - (text.rfind("\n", 0, at) + 1)
        return types.Position(line, len(text[at - column : at].encode("utf-16-le")) // 2)

    def doc(self, rel: str) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(self.uri(rel))


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else getattr(value, key, None)


def _version(report: Any, rel: str) -> int | None:
    """The version of `rel` an analysis round saw, or None if it was not open then."""
    for document in _get(report, "documents") or []:
        if _get(document, "path") == rel:
            return _get(document, "version")  # type: ignore[no-any-return]
    return None


@asynccontextmanager
async def session(root: Path, options: dict[str, Any] | None = None) -> AsyncIterator[Editor]:
    """`storykit lsp` started for the project at `root`, initialised as VS Code would."""
    config = ClientServerConfig(server_command=SERVER)
    client = await config.start()
    editor = Editor(client, root)

    @client.feature("storykit/analysed")
    def _analysed(params: Any) -> None:
        editor.rounds.append(params)
        editor.changed.set()

    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=editor.uri(""),
            workspace_folders=[types.WorkspaceFolder(editor.uri(""), root.name)],
            initialization_options=options or {"debounceMs": 20},
        )
    )
    try:
        yield editor
    finally:
        await client.shutdown_session()
        await client.stop()


def by_rule(
    diagnostics: list[types.Diagnostic], predicate: Callable[[str], bool]
) -> list[types.Diagnostic]:
    return [d for d in diagnostics if predicate(str((d.data or {}).get("rule", "")))]
