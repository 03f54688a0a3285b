"""Rules on two processes find exactly what one process finds, and a failure in the second
process is not lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_fuzz_load_lint import time_limit

from storykit.lint import lint_project, parallel
from storykit.lint.registry import LintContext, Rule, all_rules
from storykit.load import load_project
from storykit.load.project import embedded_default

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def series_10(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated series of about 60,000 words, with flaws for every rule planted in it."""
    root = tmp_path_factory.mktemp("parallel") / "series-10"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--scale", "10"]
        + ["--out", str(root)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return root


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The start methods of the second processes made, as they are made.

    The suite leaves threads of its own behind (the browser tests' playwright driver), and
    storykit never forks while another thread runs; for these tests that idle thread counts as
    none, or the second process would silently never be tried. (That the guard holds is
    `test_no_second_process_while_another_thread_runs`.)
    """
    import multiprocessing
    import threading

    made: list[str] = []
    real = multiprocessing.get_context

    def recording(method: str | None = None) -> Any:
        made.append(str(method))
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", recording)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    return made


def _as_values(findings: list) -> list[tuple]:  # type: ignore[type-arg]
    return [(f.sort_key, f.severity, f.end_line, f.end_column, f.suggestion) for f in findings]


def test_two_processes_find_what_one_finds(series_10: Path, forks: list[str]) -> None:
    alone = lint_project(load_project(series_10, strict=False), jobs=1).findings
    assert forks == []
    shared = lint_project(load_project(series_10, strict=False), jobs=2).findings
    assert forks == ["fork"]
    assert len({f.rule for f in alone}) >= 10  # the series gives most rules work
    assert _as_values(shared) == _as_values(alone)


def test_the_second_process_returns_each_rule_in_the_registry_order(
    series_10: Path, forks: list[str]
) -> None:
    rules = all_rules()
    context = LintContext(load_project(series_10, strict=False))
    found = parallel.run_rules(rules, context, jobs=2)
    by_rule = [f.rule for f in found]
    order = {r.name: n for n, r in enumerate(rules)}
    assert by_rule == sorted(by_rule, key=order.__getitem__)
    assert parallel.SECOND_PROCESS & set(by_rule)  # findings did come back from the second
    assert forks == ["fork"]


def test_a_rule_failing_in_the_second_process_fails_the_lint(
    series_10: Path, monkeypatch: pytest.MonkeyPatch, forks: list[str]
) -> None:
    """The second process sends nothing back; its rules run again here, and the error shows."""

    def broken(context: LintContext) -> list:  # type: ignore[type-arg]
        raise RuntimeError("this rule is broken")

    rules = [
        Rule(r.name, r.code, r.severity, broken) if r.name == "mojibake" else r for r in all_rules()
    ]
    monkeypatch.setattr("storykit.lint.engine.select_rules", lambda *_: rules)
    with pytest.raises(RuntimeError, match="this rule is broken"):
        lint_project(load_project(series_10, strict=False), jobs=2)
    assert forks == ["fork"]  # it failed there first, then here


def test_a_rule_failing_in_the_first_process_stops_the_second(
    series_10: Path, monkeypatch: pytest.MonkeyPatch, forks: list[str]
) -> None:
    """The second half is not waited for: a rule here that fails (or ^C) ends the lint now."""
    import multiprocessing
    import time

    def broken(context: LintContext) -> list:  # type: ignore[type-arg]
        raise RuntimeError("this rule is broken")

    def slow(context: LintContext) -> list:  # type: ignore[type-arg]
        time.sleep(120)  # stands for a long second half
        return []

    replaced = {"unseeded": broken, "mojibake": slow}
    rules = [
        Rule(r.name, r.code, r.severity, replaced[r.name]) if r.name in replaced else r
        for r in all_rules()
    ]
    monkeypatch.setattr("storykit.lint.engine.select_rules", lambda *_: rules)
    with time_limit(60), pytest.raises(RuntimeError, match="this rule is broken"):
        lint_project(load_project(series_10, strict=False), jobs=2)
    assert multiprocessing.active_children() == []  # stopped and reaped, not left running
    assert forks == ["fork"]


def test_a_small_project_or_one_job_stays_in_one_process(series_10: Path, forks: list[str]) -> None:
    small = LintContext(load_project(embedded_default(), strict=False))
    large = LintContext(load_project(series_10, strict=False))
    assert not parallel._use_a_second_process(small, None)  # the default: too small to split
    assert not parallel._use_a_second_process(large, 1)
    assert parallel._use_a_second_process(large, 2)


def test_no_second_process_while_another_thread_runs(series_10: Path) -> None:
    import threading

    large = LintContext(load_project(series_10, strict=False))
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        assert not parallel._use_a_second_process(large, 2)
    finally:
        stop.set()
        waiting.join()


def test_the_second_process_runs_registered_rules() -> None:
    assert {r.name for r in all_rules()} >= parallel.SECOND_PROCESS
