"""`storykit serve` serves build/ to this machine's browser only (issue 18): a request whose Host
is not loopback is refused (DNS rebinding), no folder is listed, no link out of build/ is
followed; and a rebuild that fails in any way is reported while the watch goes on."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from storykit.cli.watch import Rebuilder, is_local_host, make_server

SECRET = "root:x:0:0:not-for-the-web\n"


@pytest.fixture
def served(new_project: Path, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    out = new_project / "build"
    (out / "outlines").mkdir(parents=True)
    (out / "index.html").write_text("<html><body>the build</body></html>")
    (out / "outlines/first-draft.html").write_text("<html><body>outline</body></html>")
    (out / "notes.txt").write_text("inside\n")
    secret = tmp_path / "passwd"
    secret.write_text(SECRET)
    (out / "leak.txt").symlink_to(secret)
    (out / "leak").symlink_to(tmp_path)
    (out / "same.txt").symlink_to("notes.txt")
    server = make_server(out, Rebuilder(new_project, None, build=True), 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], out
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", ""])
def test_a_foreign_host_is_refused(served: tuple[int, Path], host: str) -> None:
    port, _ = served
    status, body = get(port, "/index.html", host or None)
    assert status == 403 and "the build" not in body


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])
def test_loopback_hosts_are_served(served: tuple[int, Path], host: str) -> None:
    port, _ = served
    status, body = get(port, "/index.html", f"{host}:{port}")
    assert status == 200 and "the build" in body


def test_no_folder_is_listed(served: tuple[int, Path]) -> None:
    port, _ = served
    status, body = get(port, "/outlines/", f"localhost:{port}")
    assert status == 404 and "first-draft" not in body


@pytest.mark.parametrize("path", ["/leak.txt", "/leak/passwd", "/leak/"])
def test_a_link_out_of_build_is_not_followed(served: tuple[int, Path], path: str) -> None:
    port, _ = served
    status, body = get(port, path, f"localhost:{port}")
    assert status == 404 and "not-for-the-web" not in body and "passwd" not in body


def test_files_and_links_inside_build_are_served(served: tuple[int, Path]) -> None:
    port, _ = served
    assert get(port, "/notes.txt", f"localhost:{port}") == (200, "inside\n")
    assert get(port, "/same.txt", f"localhost:{port}") == (200, "inside\n")
    assert "outline" in get(port, "/outlines/first-draft.html", f"localhost:{port}")[1]


def test_host_names() -> None:
    assert (
        is_local_host("localhost:8000") and is_local_host("[::1]:1") and is_local_host("127.0.0.1")
    )
    assert not is_local_host("localhost.evil.example") and not is_local_host(None)


def test_a_rebuild_that_fails_unexpectedly_is_reported_and_the_watch_goes_on(
    new_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import storykit.lint

    rebuilder = Rebuilder(new_project, None, build=False)
    real = storykit.lint.lint_project

    def broken(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(storykit.lint, "lint_project", broken)
    rebuilder.run()  # must not raise
    assert "internal error: ZeroDivisionError" in capsys.readouterr().out
    monkeypatch.setattr(storykit.lint, "lint_project", real)
    rebuilder.run()
    assert "storykit: linted" in capsys.readouterr().out
