"""The shared rendering layer: Jinja2 environments, a WeasyPrint fetcher that reaches nothing but
storykit's own assets, reproducible PDFs and atomic writes.

Every compiler output (and the comparison) goes through here, so the safety rules live in one
place: bible text is only ever data for a template (autoescaped), never a template itself; the PDF
renderer may read the package's fonts and CSS and nothing else; every file is written to a
temporary name beside its target and renamed into place.

Jinja2 and WeasyPrint are imported inside the functions: `storykit lint` never pays for them.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import mimetypes
import os
import re
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from storykit.errors import BuildError
from storykit.load.files import FileProblem, check_inside, read_text
from storykit.model import Limits

if TYPE_CHECKING:
    import jinja2

    from storykit.model import ProjectConfig

PACKAGE_DIR = Path(__file__).resolve().parent
ASSETS_DIR = PACKAGE_DIR / "assets"

# Temporary files carry this prefix, so a build can sweep away what a killed build left behind.
TEMP_PREFIX = ".storykit-tmp-"

_W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FetchRefused(ValueError):
    """WeasyPrint asked for a URL that is not one of storykit's own assets."""


# --- templates ---------------------------------------------------------------------------------


def template_env(project_root: Path | None, package_dir: Path) -> jinja2.Environment:
    """A sandboxed, autoescaping, strict Jinja2 environment for the renderer in `package_dir`.

    Templates are looked up in the project's `templates/` folder first (so a writers' room can
    restyle its outputs), then in `package_dir/templates`. The sandbox keeps a cloned project's
    templates from running Python; bible text only ever arrives as data; a project template that
    fails is a BuildError at its file and line (storykit.compile.template_errors).
    """
    from jinja2 import (
        ChoiceLoader,
        FileSystemLoader,
        FunctionLoader,
        StrictUndefined,
        select_autoescape,
    )

    from storykit.compile.template_errors import LocatingEnvironment

    loaders: list[Any] = [FileSystemLoader(str(package_dir / "templates"))]
    if project_root is not None and (project_root / "templates").is_dir():
        loaders.insert(0, FunctionLoader(partial(_project_template, project_root)))
    env = LocatingEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "svg"), default_for_string=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if project_root is not None:  # a project template that fails is located, not a crash
        env.project_templates = project_root / "templates"
    env.filters["md"] = markdown_text
    env.filters["csv_cell"] = csv_cell
    return env


def _project_template(project_root: Path, name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """A template from the project's own templates/, read like every other project file: never
    through a link that leads out of the project, never past the size limit."""
    from jinja2.loaders import split_template_path  # refuses `..` in a template name

    path = project_root.joinpath("templates", *split_template_path(name))
    if not (path.is_file() or path.is_symlink()):
        return None  # not overridden: the package's own template serves
    try:
        text = read_text(path, project_root, Limits())
    except FileProblem as problem:
        raise BuildError(problem.problem) from None
    if path.suffix.lower() == ".css":  # pages stay self-contained: no @import, no url(http…)
        from storykit.compile.stylesheets import strip_external_references

        text = strip_external_references(text)
    return text, str(path), lambda: True


_MARKDOWN_SPECIAL = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "`": "\\`", "\\": "\\\\"}
)


def markdown_text(value: object) -> str:
    """Text for a Markdown output: no tag, link, image or code span can come out of it."""
    return str(value).translate(_MARKDOWN_SPECIAL)


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, - or @ would run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def template_files(project_root: Path | None, package_dir: Path) -> Iterator[Path]:
    """Every file a render may read: templates (project and package) and the package assets."""
    if project_root is not None and (project_root / "templates").is_dir():
        for path in sorted(p for p in (project_root / "templates").rglob("*") if p.is_file()):
            try:  # the project's own templates: never read through a link out of it
                check_inside(path, project_root)
            except FileProblem as problem:
                raise BuildError(problem.problem) from None
            yield path
    for root in (package_dir / "templates", ASSETS_DIR):
        if root.is_dir():
            yield from sorted(p for p in root.rglob("*") if p.is_file())


# --- fetching ----------------------------------------------------------------------------------


def data_url(data: bytes, mime: str) -> str:
    """A data: URL for bytes storykit generated itself (register it with the fetcher)."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def safe_url_fetcher(allowed_root: Path = ASSETS_DIR, data_urls: Collection[str] = ()) -> Any:
    """A WeasyPrint URL fetcher that serves files under `allowed_root` and refuses the rest.

    `http:`, `https:`, `ftp:`, `file:` outside the root (symlinks resolved), and any `data:` URL
    not in `data_urls` raise FetchRefused, which WeasyPrint turns into a missing resource. The
    refused URLs are kept in `.refused`, so tests and callers can see what was asked for.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = allowed_root.resolve()
    allowed_data = frozenset(data_urls)

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if url.startswith("data:") and url in allowed_data:
                header, _, payload = url[len("data:") :].partition(",")
                mime = header.split(";")[0] or "application/octet-stream"
                body = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload)
                return URLFetcherResponse(url, body, {"Content-Type": mime})
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
            self.refused.append(url)
            raise FetchRefused(f"storykit renders only its own assets; refused {url[:200]}")

    return SafeFetcher()


# --- PDF ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfMetadata:
    title: str
    author: str = ""
    language: str = "en"
    # W3C date (YYYY-MM-DD or a full timestamp); None writes no dates at all.
    date: str | None = None
    subject: str = ""


def reproducible_date(config: ProjectConfig | None) -> str | None:
    """The date inside generated PDFs: SOURCE_DATE_EPOCH if set, else the draft date; never now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = datetime.fromtimestamp(int(epoch), tz=UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    draft = (config.draft_date if config else "").strip()
    return draft if _W3C_DATE.match(draft) else None


@contextlib.contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    # A refused fetch is WeasyPrint's warning, not the user's problem: the fetcher keeps a record.
    loggers = [logging.getLogger(name) for name in ("weasyprint", "weasyprint.progress")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def render_pdf(
    html: str, *, base_url: Path = ASSETS_DIR, metadata: PdfMetadata, url_fetcher: Any = None
) -> bytes:
    """The PDF for `html`, byte-identical for identical input (no clock, no random id)."""
    from weasyprint import HTML

    fetcher = url_fetcher if url_fetcher is not None else safe_url_fetcher()
    # WeasyPrint's line breaker asserts on a paragraph separator (U+2029) after a space, as
    # text pasted from a word processor has it; inside a <p> it is only white space anyway.
    html = html.replace("\u2029", " ")
    with _quiet_weasyprint():
        document = HTML(
            string=html, base_url=base_url.resolve().as_uri() + "/", url_fetcher=fetcher
        ).render()
        document.metadata.title = metadata.title
        document.metadata.authors = [metadata.author] if metadata.author else []
        document.metadata.lang = metadata.language
        document.metadata.description = metadata.subject or None
        document.metadata.generator = "storykit"
        document.metadata.created = metadata.date
        document.metadata.modified = metadata.date
        # A stable file identifier derived from the content, instead of none or a random one.
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        data: bytes = document.write_pdf(pdf_identifier=identifier)
    return data


def write_pdf(
    html: str,
    out: Path,
    *,
    base_url: Path = ASSETS_DIR,
    metadata: PdfMetadata,
    url_fetcher: Any = None,
) -> bytes:
    """Render `html` to a PDF at `out`, atomically; returns the bytes written."""
    data = render_pdf(html, base_url=base_url, metadata=metadata, url_fetcher=url_fetcher)
    write_atomic(out, data)
    return data


# --- writing -----------------------------------------------------------------------------------


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` via a temporary file in the same folder and os.replace.

    A build killed at any moment leaves either the old file or the new one, never half of one;
    the temporary's name starts with TEMP_PREFIX so the next build can sweep it away.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    except OSError as error:
        raise BuildError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):  # a full disk, a file-size limit: name the output
            raise BuildError(
                f"cannot write {path}: {error.strerror or error}; what was there is unchanged"
            ) from None
        raise


def sweep_temporaries(folder: Path) -> int:
    """Remove the temporaries a killed build left under `folder`; returns how many."""
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.rglob(TEMP_PREFIX + "*"):
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed
