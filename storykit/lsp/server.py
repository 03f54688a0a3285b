"""The language server: pygls over stdio, one project, analysis in a worker thread.

Each open, change, save or close schedules one analysis (changes are debounced); the newest
complete snapshot answers hovers, definitions, references, completion, rename and the outline
view while the next is made. After publishing a round's diagnostics the server sends
`storykit/analysed` (its round number and the document versions it saw), which editors may
ignore and tests and benchmarks wait for. It reads stdin and writes stdout; it opens no socket.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from storykit import __version__
from storykit.lsp import edits, navigation
from storykit.lsp.analysis import Analyser, Snapshot
from storykit.lsp.protocol import Places, diagnostics

CONFIG_FILE = "storykit.yaml"
ANALYSED = "storykit/analysed"
DEBOUNCE_SECONDS = 0.15
log = logging.getLogger(__name__)


class StorykitServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("storykit", __version__)
        self.root: Path | None = None
        self.debounce = DEBOUNCE_SECONDS
        self.snapshot: Snapshot | None = None  # the newest: diagnostics, code actions
        self.navigable: Snapshot | None = None  # the newest with its mentions read
        self.round = 0
        self._wanted = 0
        self._timer: asyncio.TimerHandle | None = None
        self._running: asyncio.Task[None] | None = None
        self._sent: dict[str, tuple[object, int | None]] = {}  # path -> what was published
        self._analyser: Analyser | None = None
        self._reload = False  # the files on disk may have changed: load them all again
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storykit-analysis")

    # --- The project and the editor's texts ---------------------------------------------

    def find_root(self, start: Path) -> Path | None:
        folder = start if start.is_dir() else start.parent
        for candidate in (folder, *folder.parents):
            if (candidate / CONFIG_FILE).is_file():
                return candidate
        return None

    def places(self, snapshot: Snapshot) -> Places:
        return Places(snapshot.root, snapshot.texts, self.workspace.position_codec)

    def relative(self, uri: str) -> str | None:
        if self.root is None:
            return None
        fs = to_fs_path(uri)
        if fs is None:
            return None
        try:
            return Path(fs).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def overlay(self) -> tuple[dict[str, str], dict[str, int | None]]:
        texts: dict[str, str] = {}
        versions: dict[str, int | None] = {}
        for uri, document in list(self.workspace.text_documents.items()):
            rel = self.relative(uri)
            if rel is not None:
                texts[rel] = document.source
                versions[rel] = document.version
        return texts, versions

    # --- Analysis rounds ------------------------------------------------------------------

    def schedule(self, delay: float, reload: bool = False) -> None:
        """Analyse after `delay` seconds; a later call replaces an earlier one still waiting."""
        if self.root is None:
            return
        self._reload = self._reload or reload
        self._wanted += 1
        if self._timer is not None:
            self._timer.cancel()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(delay, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._running is not None and not self._running.done():
            # One round at a time: the running one re-checks for newer changes when it ends.
            return
        self._running = asyncio.ensure_future(self._rounds())

    async def _rounds(self) -> None:
        loop = asyncio.get_running_loop()
        while self.root is not None and self._wanted > self.round:
            target = self._wanted
            texts, versions = self.overlay()
            if self._analyser is None or self._analyser.root != self.root:
                self._analyser = Analyser(self.root)
            reload, self._reload = self._reload, False
            try:
                snapshot = await loop.run_in_executor(
                    self._worker, self._analyser.analyse, texts, reload
                )
            except Exception:  # a bug of ours: say so, keep serving the last snapshot
                self.window_log_message(
                    types.LogMessageParams(types.MessageType.Error, traceback.format_exc())
                )
                self.round = target
                break
            self.round = target
            self.snapshot = snapshot
            self.publish(snapshot, versions)
            self.navigable = snapshot  # its mentions came with it
            self.protocol.notify(
                ANALYSED,
                {
                    "round": self.round,
                    "documents": [{"path": k, "version": v} for k, v in sorted(versions.items())],
                },
            )

    def publish(self, snapshot: Snapshot, versions: dict[str, int | None]) -> None:
        """Publish the diagnostics of every file whose findings changed, and of every open
        document at a new version; the open documents first."""
        places = self.places(snapshot)
        known = snapshot.paths()
        for path in sorted(known | set(self._sent), key=lambda p: (p not in versions, p)):
            fingerprint = snapshot.fingerprint(path) if path in known else ()
            version = versions.get(path)
            last = self._sent.get(path)
            if last == (fingerprint, version) or (
                last is None and not fingerprint and version is None
            ):
                continue
            found = diagnostics(snapshot, places, path) if fingerprint else []
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=places.uri(path), diagnostics=found, version=version
                )
            )
            if fingerprint or version is not None:
                self._sent[path] = (fingerprint, version)
            else:
                self._sent.pop(path, None)

    # --- Requests -------------------------------------------------------------------------

    def at(
        self, uri: str, position: types.Position
    ) -> tuple[Snapshot, Places, str, int, int] | None:
        snapshot = self.navigable
        rel = self.relative(uri)
        if snapshot is None or rel is None:
            return None
        places = self.places(snapshot)
        line, column = places.cursor(rel, position)
        return snapshot, places, rel, line, column


server = StorykitServer()


@server.feature(types.INITIALIZE)
def _initialize(ls: StorykitServer, params: types.InitializeParams) -> None:
    options: Any = params.initialization_options or {}
    if isinstance(options, dict) and isinstance(options.get("debounceMs"), int | float):
        ls.debounce = max(float(options["debounceMs"]), 0.0) / 1000
    folders = [f.uri for f in params.workspace_folders or []]
    start = ls.workspace.root_path or (to_fs_path(folders[0]) if folders else None)
    if start:
        ls.root = ls.find_root(Path(start))


@server.feature(types.INITIALIZED)
def _initialized(ls: StorykitServer, params: types.InitializedParams) -> None:
    ls.schedule(0)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def _did_open(ls: StorykitServer, params: types.DidOpenTextDocumentParams) -> None:
    if ls.root is None:
        fs = to_fs_path(params.text_document.uri)
        ls.root = ls.find_root(Path(fs)) if fs else None
    ls.schedule(0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: StorykitServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(ls.debounce)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def _did_save(ls: StorykitServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.schedule(0, reload=True)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: StorykitServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.schedule(0, reload=True)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def _watched(ls: StorykitServer, params: types.DidChangeWatchedFilesParams) -> None:
    ls.schedule(ls.debounce, reload=True)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def _hover(ls: StorykitServer, params: types.HoverParams) -> types.Hover | None:
    found = ls.at(params.text_document.uri, params.position)
    return navigation.hover(*found) if found else None


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def _definition(ls: StorykitServer, params: types.DefinitionParams) -> types.Location | None:
    found = ls.at(params.text_document.uri, params.position)
    return navigation.definition(*found) if found else None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def _references(ls: StorykitServer, params: types.ReferenceParams) -> list[types.Location]:
    found = ls.at(params.text_document.uri, params.position)
    if found is None:
        return []
    return navigation.references(*found, params.context.include_declaration)


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=[" ", ":", "[", ","]),
)
def _completion(ls: StorykitServer, params: types.CompletionParams) -> types.CompletionList:
    found = ls.at(params.text_document.uri, params.position)
    if found is None:
        return types.CompletionList(is_incomplete=False, items=[])
    snapshot, places, rel, line, column = found
    document = ls.workspace.get_text_document(params.text_document.uri)
    live = dict(snapshot.texts)
    live[rel] = document.source  # complete in the text as typed, not as last analysed
    current = Places(snapshot.root, live, places.codec)
    line, column = current.cursor(rel, params.position)
    view = Snapshot(
        snapshot.root,
        snapshot.project,
        snapshot.findings,
        snapshot.problems,
        snapshot.scripts,
        live,
    )
    items = navigation.completion(view, rel, line, column)
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def _symbols(ls: StorykitServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    snapshot = ls.snapshot
    rel = ls.relative(params.text_document.uri)
    if snapshot is None or rel is None:
        return []
    document = ls.workspace.get_text_document(params.text_document.uri)
    live = {**snapshot.texts, rel: document.source}
    view = Snapshot(
        snapshot.root,
        snapshot.project,
        snapshot.findings,
        snapshot.problems,
        snapshot.scripts,
        live,
    )
    return navigation.symbols(view, Places(snapshot.root, live, ls.workspace.position_codec), rel)


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def _prepare_rename(ls: StorykitServer, params: types.PrepareRenameParams) -> types.Range | None:
    found = ls.at(params.text_document.uri, params.position)
    return edits.prepare_rename(*found) if found else None


@server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
def _rename(ls: StorykitServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    found = ls.at(params.text_document.uri, params.position)
    if found is None:
        return None
    try:
        return edits.rename(*found, params.new_name)
    except edits.Refused as refused:
        ls.window_show_message(types.ShowMessageParams(types.MessageType.Error, str(refused)))
        raise RenameRefusedError(str(refused)) from None


class RenameRefusedError(JsonRpcException):
    """Reported to the client as the rename request's error (LSP RequestFailed), with the
    reason; it is the writer's answer, not a fault, so it is kept out of the error log."""

    CODE = -32803


class _QuietRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], RenameRefusedError))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def _code_action(ls: StorykitServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    snapshot = ls.snapshot
    rel = ls.relative(params.text_document.uri)
    if snapshot is None or rel is None:
        return []
    places = ls.places(snapshot)
    first, _ = places.cursor(rel, params.range.start)
    last, _ = places.cursor(rel, params.range.end)
    return edits.code_actions(snapshot, places, rel, first, last)


def serve() -> None:
    """Serve over stdin and stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("pygls.protocol.json_rpc").addFilter(_QuietRefusals())
    server.start_io()
