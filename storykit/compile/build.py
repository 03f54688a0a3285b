"""`storykit build`: load, lint, plan what is stale, render each output, write atomically, report.

Every outline gets its outline (HTML, Markdown), beat sheet (HTML, Markdown, CSV) and
treatment (PDF, Word); the project gets the bible page, the series-bible PDF, the comparison of every
outline (HTML, PDF, JSON) and index.html. Each output has
a key (a hash of exactly the inputs it is made from); the manifest remembers the key and the hash
of the file written, so a rebuild with nothing changed renders and writes nothing, and a changed
outline rebuilds its own outputs and the project-wide ones.

The steps live in their own modules: `plan` here (what there is to make and its keys),
`renderer.Renderer` (the bytes of each output), `folder` (the build folder: checks, lock,
orphans, manifest).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from storykit import __version__
from storykit.analysis import Analysis
from storykit.compile.bounds import check_bounds
from storykit.compile.folder import (
    build_lock,
    check_out_dir,
    refuse_linked_folders,
    remove_orphans,
    write_manifest,
)
from storykit.compile.manifest import OUTPUT_NAME, Manifest, Record, digest
from storykit.compile.render import (
    PACKAGE_DIR,
    reproducible_date,
    sweep_temporaries,
    template_files,
    write_atomic,
)
from storykit.compile.renderer import Renderer
from storykit.compile.script_report import script_pages
from storykit.errors import BuildError
from storykit.lint import LintResult, lint_project
from storykit.lint.finding import Finding
from storykit.model import Project, slugify

__all__ = ["BuildReport", "Output", "Renderer", "build", "output_stems", "plan"]

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

    @property
    def repaired(self) -> list[Finding]:
        """Damaged text (a `mojibake` finding) that the documents print repaired, not as is."""
        return [f for f in self.lint.findings if f.rule == "mojibake"]


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


def _content_of(rel: str, text: str) -> str:
    """What a source says, for the build's keys: a YAML file's data, so a change to its comments
    or layout alone rebuilds nothing (findings, which carry lines, are keyed on their own)."""
    if not rel.endswith((".yaml", ".yml")):
        return text
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return text  # the loader has reported it; the raw text keys it


def _shared_key(project: Project) -> str:
    """Everything every output depends on: storykit, templates, structures, config and bible."""
    parts: list[str | bytes] = [__version__, reproducible_date(project.config) or ""]
    for path in template_files(project.root, PACKAGE_DIR):
        parts += [path.name, path.read_bytes()]
    for path in sorted((PACKAGE_DIR / "compare" / "templates").glob("*")):  # the comparison's own
        parts += [path.name, path.read_bytes()]
    for path in sorted((PACKAGE_DIR.parent / "structures").glob("*.yaml")):
        parts += [path.name, path.read_bytes()]
    for rel, text in sorted(project.sources.items()):
        if not rel.startswith("outlines/"):
            parts += [rel, _content_of(rel, text)]
    from storykit.compile.compare.cast import cast_source

    parts += cast_source(project)  # the comparison's cast functions: the project's or storykit's
    return digest(*parts)


def _treatment_sources(project: Project, treatment: str) -> list[str]:
    return [project.sources.get(o.path, o.source) for o in project.outlines_of(treatment)]


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
                f"outlines/{stem}.html",  # shows the heat-map: keyed on the treatment's outlines
                digest(key, "html", own, *_treatment_sources(project, outline.treatment)),
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
            # Its columns are the union of the treatment's outlines: keyed on all of them.
            Output(
                f"presence/{stem}.svg",
                digest(key, "presence.svg", *_treatment_sources(project, outline.treatment)),
                partial(renderer.presence_svg, name),
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
                f"beats/{stem}.pdf",
                digest(key, "beats.pdf"),
                partial(renderer.beats_pdf, name),
                pdf=True,
            )
        )
        pdfs.append(
            Output(
                f"treatments/{stem}.pdf",
                digest(key, "treatment.pdf"),
                partial(renderer.treatment_pdf, name),
                pdf=True,
            )
        )
        texts.append(
            Output(
                f"treatments/{stem}.docx",
                digest(key, "treatment.docx"),
                partial(renderer.treatment_docx, name),
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
