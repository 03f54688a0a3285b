"""The fuzz run of benchmarks/fuzz.py, short (issue 18): mutated projects through lint (every
format), build, compare, beats, export, script lint, --fix and import give no internal error, no hang,
and change no byte outside build/ except by --fix on its own spans. The full run
(`python benchmarks/fuzz.py --inputs 10000`) is made by hand; its counts are in the README."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import fuzz  # noqa: E402 - benchmarks/ is not a package


def test_a_short_fuzz_run_finds_nothing() -> None:
    tally = fuzz.fuzz(inputs=72, seed=2026)
    assert tally.inputs == 72
    assert set(tally.by_command) == {
        "lint", "lint-json", "lint-sarif", "lint-github", "build", "compare", "beats",
        "export-fountain", "export-fdx", "script", "fix", "import",
    }  # fmt: skip
    assert tally.internal_errors == []
    assert tally.hangs == []
    assert tally.bytes_changed == []


def test_the_fix_check_sees_a_changed_line_end() -> None:
    before = {"a.md": b"one\r\ntwo\r\n"}
    assert fuzz.fix_kept_the_form(before, {"a.md": b"one\r\nTWO\r\n"}) is None
    assert "CRLF" in (fuzz.fix_kept_the_form(before, {"a.md": b"one\ntwo\r\n"}) or "")
    assert "BOM" in (fuzz.fix_kept_the_form(before, {"a.md": b"\xef\xbb\xbfone\r\ntwo\r\n"}) or "")


def test_every_fuzzed_command_really_runs_on_the_unmutated_project(tmp_path: Path) -> None:
    """A command line the fuzz got wrong (a missing command, a wrong option) would make every
    input 'pass' without running anything: on the pristine project each command must run."""
    root = fuzz.make_pristine(tmp_path)
    for run in fuzz.commands(root, tmp_path / "out.fdx", False).values():
        run()  # raises AssertionError on a usage error of the fuzz's own making, naming it
