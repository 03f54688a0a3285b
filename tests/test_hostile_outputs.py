"""No reaching out: nothing a bible holds makes storykit fetch, read or evaluate anything.

A local HTTP server listens on 127.0.0.1 (a random port) for the whole test. A bible holds
`<img src=…>`, `<link href=…>`, CSS `url(…)`, `file:///etc/passwd`, `/dev/urandom`, SVG and
Markdown image references and template syntax in every text field; the HTML and PDF outputs must
show that text literally, and the server must receive nothing — not a request, not a connection.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from helpers import run_storykit

from storykit.scaffold import create_project

TIMEOUT = 300


# --- a server that records every contact ------------------------------------------------------


@dataclass
class Listener:
    port: int
    contacts: list[str] = field(default_factory=list)  # client addresses, before any request
    requests: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    record = Listener(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server hook
            record.requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')

        do_POST = do_HEAD = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def verify_request(self, request: object, client_address: object) -> bool:
            record.contacts.append(str(client_address))  # a bare connection counts too
            return True

    server = Server(("127.0.0.1", 0), Handler)
    record.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()


def test_the_listener_hears_a_real_fetch(listener: Listener) -> None:
    """The check is not vacuous: a fetch of the payload URL is recorded."""
    import urllib.request

    with urllib.request.urlopen(f"{listener.base}/probe.png", timeout=10) as response:
        assert response.status == 200
    assert listener.requests == ["/probe.png"]
    assert listener.contacts


# --- the hostile bible ------------------------------------------------------------------------


def payloads(base: str) -> list[str]:
    """Everything that, rendered unescaped, would make a browser or WeasyPrint fetch or run."""
    return [
        f'<img src="{base}/img.png">',
        f"<img src={base}/img-unquoted.png>",
        f'<link rel="stylesheet" href="{base}/link.css">',
        f"<style>@import url({base}/import.css); body {{ background: url({base}/style.png) }}</style>",
        f'<div style="background-image: url({base}/inline-style.png)">styled</div>',
        f"url({base}/bare-url.png)",
        '<img src="file:///etc/passwd">',
        "file:///etc/passwd",
        '<img src="/dev/urandom">',
        "/dev/urandom",
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/svg-image.png"/></svg>',
        f'<object data="{base}/object.svg"></object>',
        f'<iframe src="{base}/iframe.html"></iframe>',
        f'<script src="{base}/script.js"></script>',
        f"![picture]({base}/markdown-image.png)",
        f"[a link]({base}/markdown-link)",
        f"<{base}/autolink>",
        "{{ 7*7 }}",
        "{{ 'TEMPLATE' ~ '-EVALUATED' }}",
        "{% if true %}IF-TAG{% endif %}",
    ]


TEMPLATE_LITERAL = "{{ 7*7 }}"
EVALUATED = "TEMPLATE-EVALUATED"  # only a template engine evaluating bible text writes this


def hostile_project(root: Path, base: str) -> list[str]:
    """A `storykit init` project with the payloads in every free-text field; returns them."""
    create_project(root, title="Hostile")
    texts = payloads(base)
    joined = " ".join(texts)

    def rewrite(relative: str, **values: object) -> None:
        path = root / relative
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(values)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    rewrite(
        "bible/treatments/first-draft.yaml",
        logline=joined,
        premise=joined,
        setting=joined,
        themes=texts,
    )
    rewrite(
        "bible/characters/ruth.yaml",
        occupation=texts[0],
        description=joined,
        notes=joined,
        arc={"want": joined, "need": texts[3], "change": texts[10]},
    )
    rewrite("bible/characters/tom.yaml", description=joined, notes=joined)
    rewrite("bible/devices/the-light.yaml", description=joined, notes=joined)
    (root / "bible/threads").mkdir(exist_ok=True)
    (root / "bible/threads/the-storm.yaml").write_text(
        yaml.safe_dump(
            {
                "id": "the-storm",
                "name": "the storm",
                "treatment": "first-draft",
                "description": joined,
                "notes": joined,
                "setup": "catalyst",
                "payoff": "finale",
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    (root / "bible/rules").mkdir(exist_ok=True)
    (root / "bible/rules/first-draft.yaml").write_text(
        yaml.safe_dump(
            {"id": "first-draft", "name": "Rules", "treatment": "first-draft", "rules": texts},
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    prose = "\n\n".join(f"Ruth reads {text} in the storm." for text in texts)
    front = yaml.safe_dump(
        {"treatment": "first-draft", "title": texts[0], "variant": texts[17]}, allow_unicode=True
    )
    (root / "outlines/first-draft.md").write_text(
        f"---\n{front}---\n# Act One {texts[2]}\n{prose}\n\n## Opening Image\n{prose}\n\n"
        f"## Catalyst\nTom's boat is missing. {joined}\n\n# Act Two\n## Midpoint\n{prose}\n\n"
        f"# Act Three\n## Finale\nRuth finds Tom. {joined}\n",
        encoding="utf-8",
    )
    return texts


# --- reading the outputs back -----------------------------------------------------------------


class _Markup(HTMLParser):
    """Every tag with its attributes, and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


FORBIDDEN_IN_MARKUP = ("127.0.0.1", "file:", "/dev/urandom", "/etc/passwd")


def check_html(path: Path, shown_literally: bool) -> None:
    """No tag or attribute of the page points anywhere the bible said; bible text shows as text."""
    source = path.read_text(encoding="utf-8")
    markup = _Markup()
    markup.feed(source)
    for tag, attrs in markup.tags:
        for name, value in attrs.items():
            for forbidden in FORBIDDEN_IN_MARKUP:
                assert forbidden not in (value or ""), f"{path.name}: <{tag} {name}={value!r}>"
        assert tag not in ("script", "iframe", "object", "image", "embed") or not (
            attrs.get("src") or attrs.get("data") or attrs.get("href")
        ), (path.name, tag, attrs)
    shown = " ".join(html.unescape("".join(markup.text)).split())
    assert EVALUATED not in source, f"{path.name}: a template evaluated bible text"
    if shown_literally:
        assert TEMPLATE_LITERAL in shown, f"{path.name}: {TEMPLATE_LITERAL} not shown as typed"
        assert '<img src="file:///etc/passwd">' in shown, path.name
        assert "{% if true %}IF-TAG{% endif %}" in shown, path.name


def check_pdf(path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(path)
    text = " ".join("\n".join(page.extract_text() or "" for page in reader.pages).split())
    assert EVALUATED not in text, f"{path.name}: a template evaluated bible text"
    assert TEMPLATE_LITERAL in text, f"{path.name}: {TEMPLATE_LITERAL} not shown as typed"
    assert '<img src="file:///etc/passwd">' in text, f"{path.name}: a tag was rendered, not shown"
    assert '<img src="/dev/urandom">' in text, f"{path.name}: a tag was rendered, not shown"
    assert sum(len(page.images) for page in reader.pages) == 0, f"{path.name} embeds an image"


def outputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# --- the tests --------------------------------------------------------------------------------


def assert_silent(listener: Listener) -> None:
    assert listener.contacts == [] and listener.requests == [], (
        f"storykit reached out: {listener.requests or listener.contacts}"
    )


def test_build_reaches_out_to_nothing_and_shows_the_text(
    tmp_path: Path, listener: Listener
) -> None:
    root = tmp_path / "hostile"
    hostile_project(root, listener.base)
    result = run_storykit("build", str(root), timeout=TIMEOUT)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert_silent(listener)
    built = outputs(root / "build")
    pages = [p for p in built if p.suffix == ".html"]
    pdfs = [p for p in built if p.suffix == ".pdf"]
    assert len(pages) >= 3 and len(pdfs) >= 2, built
    for page in pages:  # every page; the outline's own pages must show every payload as typed
        check_html(page, shown_literally=page.parent.name in ("outlines", "beats"))
    for pdf in pdfs:
        check_pdf(pdf)
    for text_output in (p for p in built if p.suffix in (".md", ".csv", ".json")):
        assert EVALUATED not in text_output.read_text(encoding="utf-8"), text_output.name


@pytest.mark.parametrize("output_format", ["html", "pdf"])
def test_compare_reaches_out_to_nothing_and_shows_the_text(
    tmp_path: Path, listener: Listener, output_format: str
) -> None:
    root = tmp_path / "hostile"
    hostile_project(root, listener.base)
    outline = (root / "outlines/first-draft.md").read_text(encoding="utf-8")
    (root / "outlines/second.md").write_text(
        outline.replace("variant:", "variant: second", 1).replace(
            "Ruth finds Tom.", "Tom finds Ruth."
        ),
        encoding="utf-8",
    )
    out = tmp_path / f"compare.{output_format}"
    result = run_storykit(
        "compare",
        "first-draft",
        "second",
        "--project",
        str(root),
        "--format",
        output_format,
        "--out",
        str(out),
        timeout=TIMEOUT,
    )
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert_silent(listener)
    if output_format == "html":
        check_html(out, shown_literally=True)
    else:
        check_pdf(out)
