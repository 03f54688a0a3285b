"""Record a session with `storykit lsp` on the embedded default, as the protocol exchange: what
an editor sends and what the server answers, message by message, written to
docs/lsp-session.md (long lists shortened; nothing else changed).

    python docs/record_lsp.py

The editor's side is played by this script over the server's stdin and stdout: open an outline,
type a near miss, hover over a name, jump to its definition.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "lsp-session.md"
OUTLINE = "outlines/bedsync.md"


class Session:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "storykit", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=root,
        )
        self.log: list[tuple[str, dict[str, Any]]] = []
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        ident = None
        if request:
            self.next_id += 1
            ident = message["id"] = self.next_id
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        self.log.append(("editor →", message))
        return ident

    def read(self) -> dict[str, Any]:
        stream = self.process.stdout
        assert stream is not None
        length = 0
        while (line := stream.readline().strip()) != b"":
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(stream.read(length))
        return message

    def until(self, done: Any) -> dict[str, Any]:
        """Read messages (logging those about the outline) until `done(message)`."""
        while True:
            message = self.read()
            uri = (message.get("params") or {}).get("uri", "")
            if (
                "id" in message
                or uri.endswith(OUTLINE)
                or message.get("method") == "storykit/analysed"
            ):
                self.log.append(("← server", message))
            if done(message):
                return message

    def uri(self, rel: str) -> str:
        return (self.root / rel).as_uri()


def shortened(message: dict[str, Any]) -> dict[str, Any]:
    params = message.get("params") or {}
    if message.get("method") == "textDocument/didOpen":
        item = dict(params["textDocument"])
        item["text"] = item["text"][:60] + "…"
        return {**message, "params": {"textDocument": item}}
    if message.get("method") == "textDocument/publishDiagnostics":
        shown = [d for d in params["diagnostics"] if d["data"]["rule"] != "missing-beat"][:3]
        left = len(params["diagnostics"]) - len(shown)
        return {**message, "params": {**params, "diagnostics": [*shown, f"… {left} more"]}}
    if (
        "result" in message
        and isinstance(message["result"], dict)
        and "capabilities" in message["result"]
    ):
        return {
            **message,
            "result": {"capabilities": "…", "serverInfo": message["result"]["serverInfo"]},
        }
    return message


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "bedtime"
        root.mkdir()
        shutil.copy(REPO / "storykit.yaml", root)
        for folder in ("bible", "outlines"):
            shutil.copytree(REPO / folder, root / folder)
        text = (root / OUTLINE).read_text(encoding="utf-8")
        session = Session(root)
        first = session.send(
            "initialize",
            {"processId": None, "rootUri": session.uri(""), "capabilities": {}},
            request=True,
        )
        session.until(lambda m: m.get("id") == first)
        session.send("initialized", {})
        item = {"uri": session.uri(OUTLINE), "languageId": "markdown", "version": 1, "text": text}
        session.send("textDocument/didOpen", {"textDocument": item})
        session.until(lambda m: m.get("method") == "storykit/analysed" and m["params"]["documents"])
        row = text.split("\n").index("## Opening Image") + 1
        where = {"line": row, "character": 0}
        session.send(
            "textDocument/didChange",
            {
                "textDocument": {"uri": session.uri(OUTLINE), "version": 2},
                "contentChanges": [
                    {
                        "range": {"start": where, "end": where},
                        "text": "Corin waits at the dock.\n\n",
                    }
                ],
            },
        )
        session.until(
            lambda m: (
                m.get("method") == "storykit/analysed"
                and m["params"]["documents"][0]["version"] == 2
            )
        )
        rows = text.split("\n")
        amelia = next(i for i, r in enumerate(rows) if "Amelia" in r)
        shifted = amelia + 2 if amelia >= row else amelia  # the two lines typed above it
        position = {"line": shifted, "character": rows[amelia].index("Amelia") + 2}
        for method in ("textDocument/hover", "textDocument/definition"):
            ident = session.send(
                method,
                {"textDocument": {"uri": session.uri(OUTLINE)}, "position": position},
                request=True,
            )
            session.until(lambda m, i=ident: m.get("id") == i)
        ident = session.send("shutdown", None, request=True)
        session.until(lambda m, i=ident: m.get("id") == i)
        session.send("exit", None)
        session.process.wait(timeout=30)
        lines = [
            "# A recorded session with `storykit lsp`",
            "",
            "Made by `python docs/record_lsp.py` on the embedded default: every message between the",
            "editor and the server, in order (long lists shortened, paths of the temporary copy shown",
            "as they were). The editor opens `outlines/bedsync.md`, types a near miss of Korin,",
            "hovers over Amelia and asks where she is defined.",
            "",
        ]
        for side, message in session.log:
            shown = json.dumps(shortened(message), indent=2, ensure_ascii=False)
            lines += [f"**{side}**", "", "```json", shown.replace(str(root), "/project"), "```", ""]
        OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
