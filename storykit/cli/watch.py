"""`storykit watch` and `storykit serve`: rebuild on every save and say what the save changed
(new and fixed lint findings); serve build/ on localhost and reload the open page after each
rebuild."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from storykit.cli import app
from storykit.errors import StorykitError
from storykit.lint.finding import Finding, Severity
from storykit.load import find_project, load_project

VERSION_PATH = "/__storykit_version"
# What a save can change: the bible, outlines, settings, a project's structures and templates.
_WATCHED_TOP = {"storykit.yaml", "bible", "outlines", "structures", "templates"}
# The page asks for the build's version once a second and reloads when it changes. Injected
# into each HTML response as it is served; the files in build/ are never touched.
RELOAD_SCRIPT = (
    "<script>/* storykit serve: reload after each rebuild */(function(){var v=null;"
    f"function poll(){{fetch('{VERSION_PATH}',{{cache:'no-store'}}).then(function(r){{return r.text()}})"
    ".then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})}"
    "poll();setInterval(poll,1000)})();</script>"
)

FindingKey = tuple[str, str, str]


def finding_key(finding: Finding) -> FindingKey:
    """What makes a finding the same one across saves: not its line, which an edit above shifts."""
    return (finding.rule, finding.path, finding.message)


@dataclass
class Delta:
    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)


def lint_delta(before: Iterable[Finding], after: Iterable[Finding]) -> Delta:
    """The findings `after` has and `before` had not (new), and the reverse (fixed)."""
    old = {finding_key(f): f for f in before}
    current = {finding_key(f): f for f in after}
    return Delta(
        new=[f for k, f in current.items() if k not in old],
        fixed=[f for k, f in old.items() if k not in current],
    )


def _line(finding: Finding) -> str:
    return (
        f"{finding.path}:{finding.line}:{finding.column}: "
        f"{finding.severity} {finding.rule} {finding.message}"
    )


def _counts(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
    return f"{len(findings)} findings: {errors} errors, {warnings} warnings"


def _say(text: str) -> None:
    # Flushed line by line: a watcher's output is read as it happens, often through a pipe.
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@dataclass
class Rebuilder:
    """Load, build (or only lint) and remember the findings, to report each save's delta."""

    root: Path
    out: Path | None
    build: bool
    findings: list[Finding] | None = None
    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self) -> None:
        started = time.perf_counter()
        try:
            project = load_project(self.root, strict=False)
            if self.build:
                from storykit.compile.build import build

                findings = build(project, self.out).lint.findings
            else:
                from storykit.lint import lint_project

                findings = lint_project(project).findings
        except StorykitError as error:
            # A half-typed file is normal while watching: say what is wrong and keep watching.
            for problem in error.problems:
                _say(f"error {problem}")
            _say("storykit: not rebuilt; fix the error and save again")
            return
        except Exception as error:  # a bug of ours must not end the watch: say it, keep on
            _say(
                f"storykit: internal error: {type(error).__name__}: {error} (please report it); "
                "not rebuilt, still watching"
            )
            return
        seconds = time.perf_counter() - started
        what = "rebuilt" if self.build else "linted"
        previous, self.findings = self.findings, findings
        # The new version first: whoever reads the report and then asks sees the new build.
        with self.lock:
            self.version += 1
        if previous is None:
            _say(f"storykit: {what} in {seconds:.1f}s ({_counts(findings)})")
            return
        delta = lint_delta(previous, findings)
        _say(
            f"storykit: {what} in {seconds:.1f}s: {len(delta.new)} new, "
            f"{len(delta.fixed)} fixed ({_counts(findings)})"
        )
        for finding in delta.new:
            _say(f"  new   {_line(finding)}")
        for finding in delta.fixed:
            _say(f"  fixed {_line(finding)}")


def watched(root: Path, out: Path | None) -> Callable[[object, str], bool]:
    """The watchfiles filter: the project's sources, never build output or editors' temporaries."""
    root = root.resolve()
    out_dir = (out or root / "build").resolve()

    def keep(_change: object, path: str) -> bool:
        file = Path(path).resolve()
        if file.is_relative_to(out_dir) or not file.is_relative_to(root):
            return False
        parts = file.relative_to(root).parts
        if not parts or parts[0] not in _WATCHED_TOP:
            return False
        name = parts[-1]
        return not (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")))

    return keep


def watch_loop(rebuilder: Rebuilder, stop: threading.Event | None = None) -> None:
    import watchfiles

    rebuilder.run()
    _say(f"storykit: watching {rebuilder.root} (Ctrl-C to stop)")
    for _changes in watchfiles.watch(
        rebuilder.root,
        watch_filter=watched(rebuilder.root, rebuilder.out),
        stop_event=stop,
        raise_interrupt=False,
    ):
        rebuilder.run()


@app.command()
def watch(
    path: Path | None = typer.Argument(
        None, help="Project folder (default: current, else the embedded default)."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Build folder (default: build/ in the project)."
    ),
    lint_only: bool = typer.Option(
        False, "--lint-only", help="Only lint on each save; build nothing."
    ),
) -> None:
    """Rebuild on every save, printing the lint delta: new and fixed findings."""
    root = find_project(path)
    watch_loop(Rebuilder(root, out, build=not lint_only))


# The names a browser on this machine uses for it: any other Host is a page elsewhere that
# rebound its own name to 127.0.0.1 (DNS rebinding) to read the build.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def is_local_host(header: str | None) -> bool:
    """Whether a request's Host header names this machine's loopback (any port)."""
    if not header:
        return False
    host = header.strip().lower()
    if host.startswith("["):
        name = host[: host.find("]") + 1]
    else:
        name = host.rsplit(":", 1)[0] if ":" in host else host
    return name.removesuffix(".") in LOCAL_HOSTS


class _Handler(http.server.SimpleHTTPRequestHandler):
    """build/ as it is, plus the version endpoint and the reload script in HTML pages; only for
    a loopback Host, never a folder listing, never a file a link leads to outside build/."""

    rebuilder: Rebuilder

    def do_GET(self) -> None:  # noqa: N802 - the http.server hook's name
        if not is_local_host(self.headers.get("Host")):
            self.send_error(403, "storykit serve answers only http://localhost and 127.0.0.1")
            return
        if self.path.split("?", 1)[0] == VERSION_PATH:
            with self.rebuilder.lock:
                body = str(self.rebuilder.version).encode()
            self._send(body, "text/plain; charset=utf-8")
            return
        path = self._inside(Path(self.translate_path(self.path)))
        if path is not None and path.is_dir():
            path = self._inside(path / "index.html")
        if path is None:
            self.send_error(404, "File not found")
            return
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes()
            script = RELOAD_SCRIPT.encode()
            marker = page.lower().rfind(b"</body>")
            page = page[:marker] + script + page[marker:] if marker >= 0 else page + script
            self._send(page, "text/html; charset=utf-8")
            return
        super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802 - the http.server hook's name
        self.send_error(405, "only GET")

    def _inside(self, path: Path) -> Path | None:
        """`path` if it really lies in the served folder (no link leads out), else None."""
        root = Path(self.directory).resolve()
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a link loop
            return None
        return path if real == root or real.is_relative_to(root) else None

    def send_head(self) -> Any:
        path = self._inside(Path(self.translate_path(self.path)))
        if path is None or path.is_dir():
            self.send_error(404, "File not found")  # never a folder listing
            return None
        return super().send_head()

    def list_directory(self, path: Any) -> None:
        self.send_error(404, "File not found")
        return None

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # one line per request would drown the lint delta


def make_server(out_dir: Path, rebuilder: Rebuilder, port: int) -> http.server.ThreadingHTTPServer:
    """The HTTP server of `storykit serve`, bound to 127.0.0.1:port (0: any free port)."""
    handler = functools.partial(
        type("Handler", (_Handler,), {"rebuilder": rebuilder}), directory=str(out_dir)
    )
    # 127.0.0.1 only: a build holds unpublished work, not something for the whole network.
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        raise StorykitError(
            f"cannot listen on 127.0.0.1:{port}: {error.strerror or error} (try --port 0)"
        ) from error


@app.command()
def serve(
    path: Path | None = typer.Argument(
        None, help="Project folder (default: current, else the embedded default)."
    ),
    port: int = typer.Option(8000, "--port", help="Port on 127.0.0.1 (0: any free port)."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Build folder (default: build/ in the project)."
    ),
) -> None:
    """Build, serve build/ on http://127.0.0.1:PORT/, rebuild on every save and reload the page."""
    root = find_project(path)
    rebuilder = Rebuilder(root, out, build=True)
    out_dir = out or root / "build"
    out_dir.mkdir(parents=True, exist_ok=True)
    server = make_server(out_dir, rebuilder, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _say(f"storykit: serving {out_dir} at http://127.0.0.1:{server.server_address[1]}/")
    try:
        watch_loop(rebuilder)
    finally:
        server.shutdown()
