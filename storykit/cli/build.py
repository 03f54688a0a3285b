"""`storykit build [PATH] [--out DIR]`: lint, then compile everything into build/, incrementally."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from storykit.cli import app
from storykit.cli.common import ExitCode, console_err, is_embedded_default, open_project
from storykit.lint.finding import Severity


@app.command()
def build(
    path: Path | None = typer.Argument(
        None, help="Project folder (default: current, else the embedded default)."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Build folder (default: build/ in the project)."
    ),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="Fail (exit 1) and write nothing when lint finds an error; for CI and pre-commit.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Lint the project, then write outlines, beat sheets, PDF treatments, the series bible and
    index.html into build/. Only outputs whose inputs changed are rebuilt.

    Exit 0 when the outputs were written, whatever lint found (its summary is printed); with
    --strict, 1 when lint found an error (and nothing is written); 2 when the project could not
    be loaded or an output could not be written. The embedded default (outside any project)
    is built into ./build of the current folder, never inside the installed package.
    """
    from storykit.compile.build import build as run_build
    from storykit.lint.report import render_report

    project = open_project(path, strict=False)
    if out is None and is_embedded_default(project):
        out = Path.cwd() / "build"
    with _progress(quiet) as hook:
        report = run_build(project, out, strict=strict, progress=hook)
    findings = report.lint.findings
    if not quiet:
        errors = sum(1 for f in findings if f.severity == Severity.ERROR)
        warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
        infos = len(findings) - errors - warnings
        console_err().print(
            f"lint: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}, "
            f"{infos} info (storykit lint for details)",
            markup=False,
        )
    if report.stopped:
        console_err().print(render_report("text", report.lint, project).rstrip(), markup=False)
        console_err().print(
            "storykit: --strict: lint found errors; nothing was built", markup=False
        )
        raise typer.Exit(ExitCode.FINDINGS)
    if not quiet and report.repaired:
        console_err().print(
            f"warning: {len(report.repaired)} damaged word{'s' * (len(report.repaired) != 1)} "
            "printed repaired in every document (mojibake; storykit lint --fix repairs the "
            "source, build --strict refuses): "
            + ", ".join(f"{f.path}:{f.line}:{f.column}" for f in report.repaired[:5])
            + (" …" if len(report.repaired) > 5 else ""),
            markup=False,
        )
    if not quiet:
        where = _shown(report.out)
        console_err().print(
            f"built {where}: {len(report.written)} written, {len(report.skipped)} up to date"
            + (f", {len(report.removed)} removed" if report.removed else "")
            + f" in {report.seconds:.1f}s",
            markup=False,
        )
    raise typer.Exit(ExitCode.OK)


def _shown(folder: Path) -> str:
    try:
        return str(folder.relative_to(Path.cwd()))
    except ValueError:
        return str(folder)


class _progress:
    """A rich progress bar on stderr while outputs render; nothing when quiet or not a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if self.quiet or not console_err().is_terminal:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(
            TextColumn("building"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=console_err(),
            transient=True,
        )
        self.bar.start()
        return self.hook

    def hook(self, label: str, done: int, total: int) -> None:
        assert self.bar is not None
        if self.task is None:
            self.task = self.bar.add_task(label, total=total)
        self.bar.update(self.task, completed=done, description=label)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
