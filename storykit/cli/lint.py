"""`storykit lint [PATH]`: lint the project for continuity."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from storykit.cli import app
from storykit.cli.common import ExitCode, console_err, open_project
from storykit.errors import UsageError
from storykit.lint import LintResult, lint_project
from storykit.lint.finding import Severity
from storykit.lint.registry import load_rules
from storykit.lint.report import FORMATS, render_report
from storykit.model import Project

if TYPE_CHECKING:
    from storykit.lint.fix import FixReport


@app.command()
def lint(
    path: Path | None = typer.Argument(
        None,
        help="Project folder (default: current, else the embedded default), or a .fountain script.",
    ),
    output_format: str = typer.Option(
        "text", "--format", "-f", help=f"One of: {', '.join(FORMATS)}."
    ),
    select: list[str] = typer.Option([], "--select", help="Run only these rules (repeatable)."),
    ignore: list[str] = typer.Option([], "--ignore", help="Skip these rules (repeatable)."),
    statistics: bool = typer.Option(
        False,
        "--statistics",
        help="Count findings per rule and severity: after the report (text), or instead of it (json).",
    ),
    fix: bool = typer.Option(
        False,
        "--fix",
        help="Apply safe fixes (mojibake, near-miss names that are no word), then lint again.",
    ),
    unsafe_fixes: bool = typer.Option(
        False,
        "--unsafe-fixes",
        help="With --fix: apply unsafe fixes too (those that could change a correct word).",
    ),
    diff: bool = typer.Option(
        False,
        "--diff",
        help="Print the safe and the unsafe fixes, each labelled, as unified diffs; write nothing.",
    ),
    treatment: str | None = typer.Option(
        None, "--treatment", "-t", help="With a .fountain script: the treatment it is a draft of."
    ),
    project_dir: Path | None = typer.Option(
        None, "--project", "-p", help="With a .fountain script: the project whose bible to use."
    ),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Analyse everything afresh, neither reading nor writing the cache of the last lint.",
    ),
) -> None:
    """Lint the project at PATH for continuity errors.

    Exit 0 when no finding is at error level, 1 when one is, 2 when the input could not be
    loaded (a syntax, schema or duplicate-id error) or the command was misused.
    """
    if output_format not in FORMATS:
        raise UsageError(f"unknown format '{output_format}'", f"use one of: {', '.join(FORMATS)}")
    if statistics and output_format not in ("text", "json"):
        raise UsageError("--statistics works with --format text or json")
    script = path is not None and path.suffix.lower() in (".fountain", ".fdx")
    project, select = _open(path, treatment, project_dir, select, rewrites=fix or diff)
    _check_fix_options(project, fix=fix, unsafe_fixes=unsafe_fixes)
    cached = not (no_cache or script)
    result = _lint(project, select, ignore, cached)
    if diff or fix:
        project, result = _fix(project, result, diff=diff, unsafe=unsafe_fixes)
        result = _lint(project, select, ignore, cached)
    if statistics and output_format == "json":
        from storykit.lint.report.statistics import render_json

        _out(render_json(result))
    else:
        _out(render_report(output_format, result, project))
        if statistics:
            from storykit.lint.report.statistics import render_table

            _out(render_table(result))
    code = exit_code(result)
    if code == ExitCode.USAGE_OR_LOAD_ERROR:
        # The findings went to stdout in the chosen format; say on stderr why the exit is 2.
        loading = {r.name for r in load_rules()}
        problems = sum(1 for f in result.findings if f.rule in loading)
        console_err().print(
            f"storykit: the project did not load cleanly ({problems} schema or duplicate-id "
            "error" + ("s" if problems != 1 else "") + "); fix these first",
            markup=False,
        )
    raise typer.Exit(code)


def _check_fix_options(project: Project, *, fix: bool, unsafe_fixes: bool) -> None:
    if unsafe_fixes and not fix:
        raise UsageError("--unsafe-fixes goes with --fix", "storykit lint --fix --unsafe-fixes")
    if fix:
        from storykit.lint.fix import refuse_read_only

        refuse_read_only(project)


def _fix(
    project: Project, result: LintResult, *, diff: bool, unsafe: bool
) -> tuple[Project, LintResult]:
    """--diff (print both kinds, labelled, and exit) or --fix (apply, then reload to lint again)."""
    if diff:
        report = _apply_fixes(project, result, write=False, unsafe=True)
        _out(report.diff)
        _say_skipped(report)
        raise typer.Exit(ExitCode.FINDINGS if report.diff else ExitCode.OK)
    report = _apply_fixes(project, result, write=True, unsafe=unsafe)
    changed = len(report.files)
    _say_skipped(report)
    console_err().print(
        f"fixed {changed} file{'s' if changed != 1 else ''}; linting again", markup=False
    )
    return open_project(project.root, strict=False), result


def _open(
    path: Path | None,
    treatment: str | None,
    project_dir: Path | None,
    select: list[str],
    *,
    rewrites: bool,
) -> tuple[Project, list[str]]:
    """The project to lint, and the rules chosen: a screenplay is read against its bible by the
    rules that read scripts, at the script's own lines."""
    if path is not None and path.suffix.lower() in (".fountain", ".fdx"):
        from storykit.lint.script import open_script, script_rules

        if rewrites:
            raise UsageError("--fix and --diff never rewrite a script", "edit it in your app")
        return open_script(path, treatment, project_dir), script_rules(select)
    if treatment or project_dir:
        raise UsageError("--treatment and --project go with a .fountain script")
    return open_project(path, strict=False), select


def _lint(project: Project, select: list[str], ignore: list[str], cached: bool) -> LintResult:
    """Lint; with the cache, only the outlines changed since the last lint are analysed again
    (`lint.cache`: the same findings, from the user's cache folder)."""
    if not cached:
        return lint_project(project, select=select, ignore=ignore)
    from storykit.lint.cache import lint_cached

    return lint_cached(project, select, ignore)


def _out(text: str) -> None:
    # Reports go out verbatim: through rich, a ":fire:" in someone's outline would become an emoji.
    # sys.stdout, not click.echo: main() set it to escape what the terminal cannot show.
    sys.stdout.write(text)


def exit_code(result: LintResult) -> ExitCode:
    errors = [f for f in result.findings if f.severity == Severity.ERROR]
    loading = {r.name for r in load_rules()}
    if any(f.rule in loading for f in errors):
        return ExitCode.USAGE_OR_LOAD_ERROR
    return ExitCode.FINDINGS if errors else ExitCode.OK


def _apply_fixes(project: Project, result: LintResult, *, write: bool, unsafe: bool) -> FixReport:
    from storykit.lint.fix import apply_fixes  # only when fixing

    return apply_fixes(project, result.findings, write=write, unsafe=unsafe)


def _say_skipped(report: FixReport) -> None:
    err = console_err()
    for fix, why in report.skipped:
        err.print(f"{fix.path}:{fix.line}:{fix.column}: fix not applied: {why}", markup=False)
    if report.unsafe_left:
        err.print(
            f"{report.unsafe_left} unsafe fix{'es' if report.unsafe_left != 1 else ''} not "
            "applied (see them with --diff; apply them with --fix --unsafe-fixes)",
            markup=False,
        )
