"""Benchmark `storykit lsp` through the protocol, as an editor drives it, on a generated series.

    python benchmarks/lsp.py                      # generates the scale-100 series (~1M words)
    python benchmarks/lsp.py --series DIR --edits 9 --requests 30

It starts the server over stdio with pytest-lsp's client, opens one outline and measures, in
one run: the first analysis; diagnostics for that outline after each of `--edits` one-line
edits (from the change sent to its publishDiagnostics arriving); hover and definition latency
on the outline's mentions; the server's memory; and, as whole processes, a second
`storykit lint` after touching one outline against a cold one. It prints medians, p95s and
ratios against the issue's targets. Nothing is asserted: timings belong in this table, never in
a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a fresh clone without installing
    sys.path.insert(0, str(REPO))

from lsprotocol import types  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from storykit.lsp.analysis import analyse  # noqa: E402

SERVER = [sys.executable, "-m", "storykit", "lsp"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Driver:
    """A client that notes when each publishDiagnostics and analysis round arrives."""

    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.published: dict[tuple[str, int | None], float] = {}
        self.rounds: list[tuple[float, Any]] = []
        self.event = asyncio.Event()
        handle = client.protocol._handle_notification

        def noted(method: str, params: Any) -> None:
            now = time.perf_counter()
            if method == "textDocument/publishDiagnostics":
                self.published[(params.uri, params.version)] = now
            elif method == "storykit/analysed":
                self.rounds.append((now, params))
            self.event.set()
            handle(method, params)

        client.protocol._handle_notification = noted  # type: ignore[method-assign]

    def uri(self, rel: str) -> str:
        return from_fs_path(str(self.root / rel)) or ""

    async def until(self, done: Any) -> float:
        while (found := done()) is None:
            self.event.clear()
            await asyncio.wait_for(self.event.wait(), 600)
        return found  # type: ignore[no-any-return]

    def seen(self, rel: str, version: int) -> float | None:
        for at, params in self.rounds:
            for document in params.documents:
                if document.path == rel and document.version >= version:
                    return at
        return None


async def measure_server(root: Path, outline: str, edits: int, requests: int) -> dict[str, Any]:
    mentions = [u.span for u in analyse(root).uses_in(outline)][:requests]
    text = (root / outline).read_text(encoding="utf-8")
    lines = text.split("\n")
    beat_line = next(i for i, row in enumerate(lines) if row.startswith("## "))
    name = "Someone"

    config = ClientServerConfig(server_command=SERVER)
    client = await config.start()
    assert isinstance(client, LanguageClient)
    client.feature("storykit/analysed")(lambda params: None)  # noted by the driver
    driver = Driver(client, root)
    started = time.perf_counter()
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=driver.uri(""),
            initialization_options={"debounceMs": 0},
        )
    )
    uri = driver.uri(outline)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "markdown", 1, text))
    )
    await driver.until(lambda: driver.seen(outline, 1))
    first = time.perf_counter() - started
    after_edit: list[float] = []
    for version in range(2, edits + 2):
        where = types.Position(beat_line + 1, 0)
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [
                    types.TextDocumentContentChangePartial(
                        range=types.Range(where, where), text=f"{name} pauses, edit {version}.\n\n"
                    )
                ],
            )
        )
        arrived = await driver.until(lambda v=version: driver.published.get((uri, v)))
        after_edit.append(arrived - sent)
        await driver.until(lambda v=version: driver.seen(outline, v))
    # The edits moved the text below the beat heading: ask about mentions above it, or shift.
    shift = 2 * edits
    hovers: list[float] = []
    definitions: list[float] = []
    for mention in mentions:
        line = mention.line - 1 + (shift if mention.line - 1 > beat_line else 0)
        position = types.Position(line, mention.column)  # one character into the name
        doc = types.TextDocumentIdentifier(uri)
        start = time.perf_counter()
        await client.text_document_hover_async(types.HoverParams(doc, position))
        hovers.append(time.perf_counter() - start)
        start = time.perf_counter()
        await client.text_document_definition_async(types.DefinitionParams(doc, position))
        definitions.append(time.perf_counter() - start)
    memory = _memory(client)
    await client.shutdown_session()
    await client.stop()
    return {
        "first": first,
        "after_edit": after_edit,
        "hover": hovers,
        "definition": definitions,
        "memory": memory,
    }


def _memory(client: LanguageClient) -> dict[str, int]:
    server = client._server
    found: dict[str, int] = {}
    if server is None:
        return found
    for row in Path(f"/proc/{server.pid}/status").read_text().splitlines():
        key, _, value = row.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) // 1024
    return found


def _forget_cache(root: Path) -> None:
    """Delete the project's lint cache, so that the next lint is cold."""
    from storykit.lint.cache import cache_file

    cache_file(root).unlink(missing_ok=True)


def lint_seconds(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "storykit", "lint", str(root), "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def measure_cli(root: Path, outline: str, repeat: int) -> tuple[list[float], list[float]]:
    """(cold lints, second lints after touching one outline), alternated."""
    cold: list[float] = []
    warm: list[float] = []
    path = root / outline
    for n in range(repeat):
        _forget_cache(root)
        cold.append(lint_seconds(root))
        with path.open("a", encoding="utf-8") as stream:
            stream.write(f"\nA line added by the benchmark, run {n}.\n")
        warm.append(lint_seconds(root))
    return cold, warm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--series", type=Path, help="a generated series (default: make scale 100)")
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--edits", type=int, default=9)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3, help="cold/second lint pairs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="storykit-lsp-bench-") as scratch:
        os.environ["STORYKIT_CACHE_DIR"] = str(Path(scratch) / "cache")  # never the user's
        root = args.series
        if root is None:
            root = Path(scratch) / f"series-{args.scale}"
            subprocess.run(
                [
                    sys.executable,
                    str(REPO / "benchmarks/generate.py"),
                    "--scale",
                    str(args.scale),
                    "--out",
                    str(root),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        else:  # edits go to a copy: the series stays as generated
            copy = Path(scratch) / root.name
            subprocess.run(["cp", "-r", str(root), str(copy)], check=True)
            root = copy
        outline = sorted(p.relative_to(root).as_posix() for p in (root / "outlines").glob("*.md"))[
            0
        ]
        server = asyncio.run(measure_server(root, outline, args.edits, args.requests))
        cold, warm = measure_cli(root, outline, args.repeat)
    edit = server["after_edit"]
    rows = [
        ("first analysis after open", f"{server['first']:.2f} s", ""),
        (
            "diagnostics after one edit, median",
            f"{statistics.median(edit) * 1000:.0f} ms",
            "≤ 50 ms",
        ),
        ("diagnostics after one edit, p95", f"{percentile(edit, 0.95) * 1000:.0f} ms", "≤ 100 ms"),
        ("hover, median / p95", _ms(server["hover"]), "≤ 20 ms"),
        ("definition, median / p95", _ms(server["definition"]), "≤ 20 ms"),
        (
            "server memory (RSS / peak)",
            f"{server['memory'].get('VmRSS', 0)} / {server['memory'].get('VmHWM', 0)} MB",
            "< 500 MB",
        ),
        ("cold storykit lint, median", f"{statistics.median(cold):.2f} s", ""),
        ("second lint after touching one outline, median", f"{statistics.median(warm):.2f} s", ""),
        ("second ÷ cold", f"{statistics.median(warm) / statistics.median(cold):.0%}", "≤ 10%"),
    ]
    print(
        f"storykit lsp on {root.name}: {outline}, {args.edits} edits, {args.requests} requests each"
    )
    width = max(len(r[0]) for r in rows)
    for label, value, target in rows:
        print(f"  {label:<{width}}  {value:>16}  {target}")
    return 0


def _ms(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values) * 1000:.1f} / {percentile(values, 0.95) * 1000:.1f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
