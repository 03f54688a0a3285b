"""`storykit build`: load, lint, plan what is stale, render each output, write atomically, report.

Every outline gets its outline (HTML, Markdown), beat sheet (HTML, Markdown, CSV) and PDF
treatment; the project gets the bible page, the series-bible PDF, the comparison of every
outline (HTML, PDF, JSON) and index.html. Each output has
a key (a hash of exactly the inputs it is made from); the manifest remembers the key and the hash
of the file written, so a rebuild with nothing changed renders and writes nothing, and a changed
outline rebuilds its own outputs and the project-wide ones.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import storykit
from storykit import __version__
from storykit.analysis import Analysis, Index
from storykit.compile.bounds import check_bounds
from storykit.compile.manifest import MANIFEST_NAME, OUTPUT_NAME, Manifest, Record, digest
from storykit.compile.render import (
    PACKAGE_DIR,
    render_pdf,
    reproducible_date,
    sweep_temporaries,
    template_env,
    template_files,
    write_atomic,
)
from storykit.compile.script_report import script_pages
from storykit.errors import BuildError, Problem
from storykit.lint import LintResult, lint_project
from storykit.lint.finding import Finding
from storykit.model import Project, slugify

if TYPE_CHECKING:
    import jinja2

    from storykit.compile.beats import BeatSheet
    from storykit.compile.compare import Comparison

# File names Windows reserves: an outline called `con.md` must not produce build/outlines/con.html.
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_STEM_LENGTH = 60

# (label of the output being rendered, outputs done, outputs to do)
ProgressHook = Callable[[str, int, int], None]


@dataclass
class Output:
    """One file of the build: where it goes, the key of its inputs, and how to make it."""

    name: str  # relative to the build folder, always matching manifest.OUTPUT_NAME
    key: str
    render: Callable[[], bytes]
    pdf: bool = False


@dataclass
class BuildReport:
    out: Path
    lint: LintResult
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False  # --strict and error-level findings: nothing was built

    @property
    def has_errors(self) -> bool:
        return self.lint.has_errors


def build(
    project: Project,
    out: Path | None = None,
    *,
    strict: bool = False,
    progress: ProgressHook | None = None,
) -> BuildReport:
    """Lint `project`, then bring every output in `out` (default: build/) up to date."""
    started = time.perf_counter()
    out_dir = check_out_dir(project, out or project.root / "build")
    check_bounds(project)  # storykit.compile.bounds: no outline that would take minutes to lay out
    lint = lint_project(project)
    report = BuildReport(out=out_dir, lint=lint)
    if strict and lint.has_errors:
        report.stopped = True
        return report
    with build_lock(out_dir):
        outputs = plan(project, lint.findings, lint.analysis)  # the lint's index, reused
        refuse_linked_folders(out_dir, {Path(o.name).parent for o in outputs})
        sweep_temporaries(out_dir)
        manifest = Manifest.read(out_dir, __version__)
        stale = [o for o in outputs if not manifest.is_fresh(o.name, o.key, out_dir)]
        report.skipped = [o.name for o in outputs if o not in stale]
        for done, output in enumerate(stale):
            if progress:
                progress(output.name, done, len(stale))
            data = output.render()
            write_atomic(out_dir / output.name, data)
            manifest.outputs[output.name] = Record(output.key, hashlib.sha256(data).hexdigest())
            report.written.append(output.name)
        if progress and stale:
            progress("", len(stale), len(stale))
        report.removed = remove_orphans(out_dir, manifest, {o.name for o in outputs})
        write_manifest(out_dir, manifest)
    report.seconds = time.perf_counter() - started
    return report


# --- planning ----------------------------------------------------------------------------------


def output_stems(project: Project) -> dict[str, str]:
    """Outline name -> the file stem of its outputs: a slug, unique, never a reserved name.

    Derived from the file name, never the title; a stem that is not already a clean slug gets a
    short hash of the original, so `a b.md` and `a-b.md` cannot overwrite each other.
    """
    stems: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(project.outlines):
        stem = slugify(name)[:_STEM_LENGTH].strip("-") or "outline"
        if stem != name or stem in _RESERVED or stem in used:
            stem = f"{stem}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"
        used.add(stem)
        stems[name] = stem
    return stems


def _findings_key(findings: list[Finding]) -> str:
    rows = [
        [f.rule, str(f.severity), f.message, f.path, f.line, f.column, f.suggestion or ""]
        for f in findings
    ]
    return json.dumps(rows, ensure_ascii=False)


def _shared_key(project: Project) -> str:
    """Everything every output depends on: storykit, templates, structures, config and bible."""
    parts: list[str | bytes] = [__version__, reproducible_date(project.config) or ""]
    for path in template_files(project.root, PACKAGE_DIR):
        parts += [path.name, path.read_bytes()]
    for path in sorted((PACKAGE_DIR.parent / "structures").glob("*.yaml")):
        parts += [path.name, path.read_bytes()]
    for rel, text in sorted(project.sources.items()):
        if not rel.startswith("outlines/"):
            parts += [rel, text]
    return digest(*parts)


class Renderer:
    """What the outputs are made with, created on first use: a no-op build never pays for
    Jinja2, WeasyPrint or the name index."""

    def __init__(
        self,
        project: Project,
        findings: list[Finding],
        stems: dict[str, str],
        analysis: Analysis | None = None,
    ) -> None:
        self.project = project
        self.findings = findings
        self.stems = stems
        self.analysis = analysis  # the lint's, when the build linted: its index is reused
        self._sheets: dict[str, BeatSheet] = {}  # outline -> its beat sheet, for three outputs

    @cached_property
    def env(self) -> jinja2.Environment:
        return template_env(self.project.root, PACKAGE_DIR)

    @cached_property
    def index(self) -> Index:
        return (self.analysis or Analysis(self.project)).index

    def _sheet(self, name: str) -> BeatSheet:
        from storykit.compile.beats import beat_sheet

        if name not in self._sheets:
            self._sheets[name] = beat_sheet(self.project, self.project.outlines[name], self.index)
        return self._sheets[name]

    def _outline_context(self, name: str) -> dict[str, Any]:
        from storykit.compile.outline import outline_context

        outline = self.project.outlines[name]
        return outline_context(
            self.project, outline, self.index, self.findings, stem=self.stems[name]
        )

    def _sheet_context(self, name: str) -> dict[str, Any]:
        from storykit.compile.beats import beats_context

        return beats_context(self._sheet(name), self.project, stem=self.stems[name])

    def outline_html(self, name: str) -> bytes:
        from storykit.compile.outline import outline_html

        return outline_html(self.env, self._outline_context(name)).encode("utf-8")

    def outline_markdown(self, name: str) -> bytes:
        from storykit.compile.outline import outline_markdown

        return outline_markdown(self.env, self._outline_context(name)).encode("utf-8")

    def beats_html(self, name: str) -> bytes:
        template = self.env.get_template("beats.html")
        return template.render(self._sheet_context(name)).encode("utf-8")

    def beats_markdown(self, name: str) -> bytes:
        from storykit.compile.outline import tidy_markdown

        template = self.env.get_template("beats.md")
        return tidy_markdown(template.render(self._sheet_context(name))).encode("utf-8")

    def beats_csv(self, name: str) -> bytes:
        from storykit.compile.beats import render_csv

        return render_csv(self._sheet(name)).encode("utf-8")

    def treatment_pdf(self, name: str) -> bytes:
        from storykit.compile.treatment import treatment_html, treatment_metadata

        outline = self.project.outlines[name]
        return render_pdf(
            treatment_html(self.env, self.project, outline),
            metadata=treatment_metadata(self.project, outline),
        )

    def bible_html(self) -> bytes:
        from storykit.compile.series_bible import bible_html

        return bible_html(self.env, self.project, self.index).encode("utf-8")

    def series_bible_pdf(self) -> bytes:
        from storykit.compile.series_bible import series_bible_html, series_bible_metadata

        return render_pdf(
            series_bible_html(self.env, self.project, self.index),
            metadata=series_bible_metadata(self.project),
        )

    @cached_property
    def comparison(self) -> Comparison:
        from storykit.compile.compare import compare, project_order

        return compare(self.project, project_order(self.project), index=self.index)

    def comparison_file(self, fmt: str) -> bytes:
        from storykit.compile.compare import render_comparison

        return render_comparison(self.project, self.comparison, fmt)

    def index_html(self) -> bytes:
        from storykit.compile.site import index_context, index_html

        context = index_context(self.project, self.findings, self.stems)
        return index_html(self.env, context).encode("utf-8")


def plan(
    project: Project, findings: list[Finding], analysis: Analysis | None = None
) -> list[Output]:
    """Every output of the build, in the order they are made: text first, PDFs, index last.

    An outline's outputs are keyed on what is shared (storykit, templates, config, bible) and
    its own file; its outline pages also on its own findings. The project-wide outputs are
    keyed on everything.
    """
    from storykit.compile.outline import findings_for

    shared = _shared_key(project)
    stems = output_stems(project)
    renderer = Renderer(project, findings, stems, analysis)
    texts: list[Output] = []
    pdfs: list[Output] = []
    for name, stem in stems.items():
        outline = project.outlines[name]
        source = project.sources.get(outline.path, outline.source)
        own = _findings_key(findings_for(outline, findings))
        key = digest(shared, "outline", name, stem, source)
        texts += [
            Output(
                f"outlines/{stem}.html",
                digest(key, "html", own),
                partial(renderer.outline_html, name),
            ),
            Output(
                f"outlines/{stem}.md",
                digest(key, "md", own),
                partial(renderer.outline_markdown, name),
            ),
            Output(
                f"beats/{stem}.html", digest(key, "beats.html"), partial(renderer.beats_html, name)
            ),
            Output(
                f"beats/{stem}.md", digest(key, "beats.md"), partial(renderer.beats_markdown, name)
            ),
            Output(
                f"beats/{stem}.csv", digest(key, "beats.csv"), partial(renderer.beats_csv, name)
            ),
        ]
        pdfs.append(
            Output(
                f"treatments/{stem}.pdf",
                digest(key, "treatment.pdf"),
                partial(renderer.treatment_pdf, name),
                pdf=True,
            )
        )
    texts += [  # a report page per script of scripts/ (compile/script_report.py)
        Output(name, digest(shared, name, text), render)
        for name, text, render in script_pages(project, lambda: renderer.env)
    ]
    everything = digest(
        shared,
        json.dumps(stems, sort_keys=True),
        *(project.sources.get(path, "") for path in project.scripts),
        *(project.sources.get(o.path, o.source) for o in project.outlines.values()),
    )
    texts.append(Output("bible.html", digest(everything, "bible.html"), renderer.bible_html))
    pdfs.append(
        Output(
            "series-bible.pdf",
            digest(everything, "series-bible.pdf"),
            renderer.series_bible_pdf,
            pdf=True,
        )
    )
    if stems:  # every outline side by side, aligned by beat (nothing to compare without one)
        texts += [
            Output(f"comparison.{ext}", digest(everything, f"comparison.{ext}"), render)
            for ext, render in (
                ("html", partial(renderer.comparison_file, "html")),
                ("json", partial(renderer.comparison_file, "json")),
            )
        ]
        pdfs.append(
            Output(
                "comparison.pdf",
                digest(everything, "comparison.pdf"),
                partial(renderer.comparison_file, "pdf"),
                pdf=True,
            )
        )
    site_page = Output(
        "index.html", digest(everything, "index.html", _findings_key(findings)), renderer.index_html
    )
    outputs = [*texts, *pdfs, site_page]
    # The last guard on where the build writes: a check, not an assert (`python -O` drops those).
    strays = [o.name for o in outputs if not OUTPUT_NAME.match(o.name)]
    if strays:
        raise BuildError(f"refusing to write outputs with unexpected names: {', '.join(strays)}")
    return outputs


# --- the build folder ---------------------------------------------------------------------------


def check_out_dir(project: Project, out: Path) -> Path:
    """The build folder, refused when it is (or holds) the project's own files, or is a link:
    a link could lead the build anywhere, so storykit writes only into a real folder."""
    if out.absolute().is_symlink():
        raise BuildError(
            f"refusing to build into {out}: it is a symbolic link "
            f"(to {os.readlink(out.absolute())}); build into a real folder, or pass --out DIR"
        )
    out_dir = out.resolve() if out.exists() else out.absolute()
    root = project.root.resolve()
    inputs = [root / "bible", root / "outlines", root / "templates", root / "structures"]
    if (
        out_dir == root
        or root.is_relative_to(out_dir)
        or any(out_dir.is_relative_to(folder) for folder in inputs)
    ):
        raise BuildError(
            Problem(
                "",
                0,
                0,
                f"refusing to build into {out}: it is or holds the project's own files",
                "use a folder of its own, such as build/",
            )
        )
    if out_dir.is_relative_to(Path(storykit.__file__).resolve().parent):
        raise BuildError(
            Problem(
                "",
                0,
                0,
                f"refusing to build into {out}: it is inside the installed storykit package",
                "pass --out DIR, or run storykit build from the folder you want build/ in",
            )
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    return out_dir


def refuse_linked_folders(out_dir: Path, folders: set[Path]) -> None:
    """Refuse a folder inside the build folder that is a symbolic link: following it would write
    the outputs wherever it points (into the bible, say). Output files that are links are
    harmless: the atomic rename replaces the link itself, never its target."""
    for folder in sorted(folders):
        path = out_dir
        for part in folder.parts:
            path = path / part
            if path.is_symlink():
                raise BuildError(
                    f"refusing to write into {path}: it is a symbolic link "
                    f"(to {os.readlink(path)}); remove it and build again"
                )


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time per folder: a second waits for the first (an flock on the folder
    itself, so no lock file is left behind and a killed build releases it)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(f"cannot create {out_dir}: {error.strerror}") from error
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, builds are still atomic per file
        yield
        return
    descriptor = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def remove_orphans(out_dir: Path, manifest: Manifest, planned: set[str]) -> list[str]:
    """Delete outputs of outlines that no longer exist (only names storykit itself writes)."""
    removed = []
    for name in sorted(set(manifest.outputs) - planned):
        del manifest.outputs[name]
        if not OUTPUT_NAME.match(name):
            continue
        path = out_dir / name
        try:
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(name)
        except OSError as error:
            if error.errno != errno.ENOENT:
                raise
    return removed


def write_manifest(out_dir: Path, manifest: Manifest) -> None:
    text = manifest.to_json()
    path = out_dir / MANIFEST_NAME
    try:
        if path.read_text(encoding="utf-8") == text:
            return  # a no-op build writes nothing, not even the manifest
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
