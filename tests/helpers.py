"""Helpers the test modules share (fixtures are in conftest.py): the README's sections, the real
command line in a subprocess, and for the fuzz tests the invariant every damaged project must
keep, the projects to start from, and the ways a file gets damaged."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from storykit.errors import StorykitError
from storykit.lint import lint_project
from storykit.lint.report import render_report
from storykit.load import load_project
from storykit.load.project import embedded_default
from storykit.model import Project
from storykit.scaffold import create_project

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"  # screenshots and other things a person may want to look at
README = REPO / "README.md"


def readme_section(heading: str) -> str:
    """The README's `## heading` section, up to the next `## ` heading (subsections included);
    headings inside fenced code (a Markdown or Fountain example) do not count."""
    lines = README.read_text(encoding="utf-8").splitlines()
    in_fence, start, end = False, None, len(lines)
    for number, line in enumerate(lines):
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and re.match(r"#{1,2} ", line):
            if start is not None:
                end = number
                break
            if line == f"## {heading}":
                start = number
    assert start is not None, f"the README has no '## {heading}' section"
    return "\n".join(lines[start:end])


def run_storykit(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the real command line as a user would, in a subprocess."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    full_env.pop("STORYKIT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "storykit", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- the invariant ---------------------------------------------------------------------------


class Hung(Exception):
    """Raised by the alarm: the code under test ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (a hang never reaches hypothesis' own deadline)."""

    def ring(signum: int, frame: Any) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_located(error: StorykitError) -> None:
    """Every problem of a storykit error names a file and a line: the user can go and fix it."""
    assert error.problems, "a StorykitError without problems tells the user nothing"
    for problem in error.problems:
        assert problem.path, f"problem without a file: {problem!r}"
        assert problem.line >= 1 and problem.column >= 1, f"problem without a line: {problem!r}"
        assert problem.message.strip(), f"problem without a message: {problem!r}"


def check_handled(root: Path, seconds: float = 20) -> Project | StorykitError:
    """Load (lenient, then strict) and lint `root`; fail on anything but a located StorykitError."""
    with time_limit(seconds):
        try:
            project = load_project(root, strict=False)
        except StorykitError as error:
            assert_located(error)
            return error
        try:
            result = lint_project(project)
        except StorykitError as error:
            assert_located(error)
            return error
        for finding in result.findings:
            assert finding.path and finding.line >= 1 and finding.column >= 1, finding
            assert finding.message.strip(), finding
        for output_format in ("text", "json"):
            render_report(output_format, result, project)
        try:
            load_project(root, strict=True)
        except StorykitError as error:
            assert_located(error)
    return project


# --- projects to start from ------------------------------------------------------------------


def _files_of(root: Path) -> dict[str, bytes]:
    wanted = [
        root / "storykit.yaml",
        *(root / "bible").rglob("*.y*ml"),
        *(root / "outlines").glob("*.md"),
    ]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in wanted if p.is_file()}


def _init_files() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        create_project(Path(folder) / "p", title="Fuzz")
        return _files_of(Path(folder) / "p")


INIT_FILES = _init_files()


def default_files() -> dict[str, bytes]:
    return _files_of(embedded_default())


@contextlib.contextmanager
def project_from(workspace: Path, files: dict[str, bytes]) -> Iterator[Path]:
    """A fresh project folder holding exactly `files`, removed afterwards."""
    root = Path(tempfile.mkdtemp(dir=workspace))
    try:
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- ways a file gets damaged ----------------------------------------------------------------

# Text pasted from anywhere: byte-order marks, line ends of every system, bidi controls, joiners,
# combining accents, curly quotes, emoji, a non-character, line and paragraph separators.
ODD_TEXT = [
    "\ufeff",
    "\r\n",
    "\r",
    "\u2028",
    "\u2029",
    "\x85",
    "\t",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\u200f",
    "\u200e",
    "\u202e",
    "\u2066",
    "\u200d",
    "\u200b",
    "\u00ad",
    "\ufffd",
    "\uffff",
    "e\u0301",
    "’",
    "“",
    "”",
    "—",
    "…",
    "é",
    "ß",
    "İ",
    "ǅ",
    "👩‍👩‍👧",
    "🙂",
    "\U000e0001",
    "Korin\u200d",
    "Am\u200delia",
    "\u202eailemA",
    "Ａｍｅｌｉａ",
    "otherâ€™s",
]
# Bytes no UTF-8 text contains: a lone surrogate encoded as UTF-8 (what a sloppy converter
# writes), a stray continuation byte, a truncated sequence, Latin-1, overlong forms.
BAD_BYTES = [
    b"\xed\xa0\x80",
    b"\xed\xbf\xbf",
    b"\x80",
    b"\xc3",
    b"\xe2\x80",
    b"\xff\xfe",
    b"\xe9",
    b"\xc0\xaf",
    b"\xf4\x90\x80\x80",
    b"\x00",
    b"\xef\xbb\xbf",
]
# Fragments that make YAML and Markdown mean something else.
SYNTAX = [
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "<<: *a",
    "? ",
    "|",
    ">",
    "#",
    "'",
    '"',
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "# storykit: ignore all",
    "<!-- storykit: ignore unknown-name -->",
    "\n# ",
    "\n## ",
    "\n### ",
    "\n===\n",
    "\n---\n",
    "\n```\n",
    "\n> ",
    "\n1. ",
    "| a | b |\n|---|---|\n",
    "<script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "~",
    "null",
    "yes",
    "no",
    ".inf",
    "-.nan",
    "0x1F",
    "1e400",
    "9" * 5000,
    "2001-13-45",
    "12:30:00",
]


def _fragment() -> st.SearchStrategy[bytes]:
    text = st.one_of(
        st.sampled_from(ODD_TEXT),
        st.sampled_from(SYNTAX),
        st.text(max_size=30),
    ).map(lambda s: s.encode("utf-8"))
    deep = st.builds(
        lambda opener, n: opener * n,
        st.sampled_from([b"[", b"{a: ", b"- ", b"> ", b"  ", b"*", b"#"]),
        st.integers(1, 100_000),  # libyaml once crashed past ~30 000
    )
    enormous = st.builds(
        lambda piece, n: piece * n,
        st.sampled_from([b"x", b"Amelia ", b"\xe2\x80\x8d", b"a'", b"\n", b"lol, "]),
        st.integers(1_000, 400_000),
    )
    return st.one_of(text, st.sampled_from(BAD_BYTES), st.binary(max_size=20), deep, enormous)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` after a few random edits: truncations, insertions, deletions, repeated lines."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["truncate", "insert", "insert", "delete", "repeat", "crlf"]))
        if edit == "truncate":
            data = data[:at]
        elif edit == "insert":
            data = data[:at] + draw(_fragment()) + data[at:]
        elif edit == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif edit == "repeat":
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        else:
            data = data.replace(b"\n", b"\r\n")
    return data


# Any YAML value at all, for "wrong types everywhere".
YAML_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(),
        st.text(max_size=40),
        st.sampled_from(ODD_TEXT),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), children, max_size=4),
    ),
    max_leaves=12,
)


@st.composite
def retyped(draw: st.DrawFn, data: bytes) -> bytes:
    """A bible file (or front matter) with some values swapped for values of any type."""
    value = yaml.safe_load(data.decode("utf-8"))
    if not isinstance(value, dict):
        return data
    keys = list(value)
    for key in draw(st.lists(st.sampled_from(keys), max_size=len(keys), unique=True)):
        if draw(st.booleans()):
            value[key] = draw(YAML_VALUES)
        else:
            del value[key]
    for key in draw(st.lists(st.text(min_size=1, max_size=12), max_size=2)):
        value[key] = draw(YAML_VALUES)
    if draw(st.booleans()) and value:  # sometimes the whole file is another type
        value = draw(st.sampled_from([[value], str(value), 7, None]))
    return yaml.safe_dump(value, allow_unicode=draw(st.booleans())).encode("utf-8")


# --- outlines ---------------------------------------------------------------------------------

BEAT_NAMES = [
    "Opening Image",
    "Theme Stated",
    "Set-Up",
    "Catalyst",
    "Debate",
    "Break into Two",
    "B Story",
    "Fun and Games",
    "Midpoint",
    "Bad Guys Close In",
    "All Is Lost",
    "Dark Night of the Soul",
    "Break into Three",
    "Finale",
    "Final Image",
    "Not A Beat",
    "",
]


def _prose(names: list[str]) -> st.SearchStrategy[str]:
    word = st.one_of(
        st.sampled_from(names),
        st.sampled_from(names).map(lambda n: n + "'s"),
        st.sampled_from(["the", "trio", "both", "four of them", "and", ".", ",", "—", "said"]),
        st.sampled_from(ODD_TEXT),
        st.text(min_size=1, max_size=12),
    )
    return st.lists(word, min_size=1, max_size=30).map(" ".join)


@st.composite
def outline_text(draw: st.DrawFn, treatment: str, names: list[str]) -> str:
    """A Markdown outline: front matter (usually sane), then acts, beats and prose in any order."""
    front: dict[str, Any] = {"treatment": draw(st.sampled_from([treatment, treatment, "nope", ""]))}
    for key in draw(
        st.lists(st.sampled_from(["title", "variant", "structure", "extra"]), unique=True)
    ):
        front[key] = draw(
            st.one_of(
                st.sampled_from(["save-the-cat", "three-act", "nope", "../../x", "x/../../y"]),
                YAML_VALUES,
            )
        )
    blocks = [f"---\n{yaml.safe_dump(front, allow_unicode=True)}---"]
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["act", "beat", "beat", "prose", "prose", "other"]))
        if kind == "act":
            blocks.append("# " + draw(st.sampled_from(["Act One", "Act Two", "Act Three", ""])))
        elif kind == "beat":
            blocks.append("## " + draw(st.one_of(st.sampled_from(BEAT_NAMES), _prose(names))))
        elif kind == "prose":
            blocks.append(draw(_prose(names)))
        else:
            blocks.append(
                draw(
                    st.sampled_from(
                        [
                            "<!-- storykit: ignore unknown-name -->",
                            "<!-- storykit: ignore -->",
                            "```\n# not an act\n```",
                            "> ## quoted beat",
                            "- a list\n  - nested",
                            "Setext Act\n===",
                            "### a scene",
                            "<img src=x onerror=alert(1)>",
                            "---",
                        ]
                    )
                )
            )
    return "\n\n".join(blocks) + draw(st.sampled_from(["\n", "", "\n\n\n"]))


GOLDEN_SCREENS = REPO / "tests" / "golden" / "screens"


def assert_looks_like(picture: Path, golden_name: str, tolerance: float = 0.02) -> None:
    """The picture matches its golden screenshot: the same size, and at most `tolerance` of its
    pixels visibly different (antialiasing and font hinting move a few; a layout change moves
    many). STORYKIT_REGENERATE=1 writes the golden instead, to be reviewed like code."""
    import os
    import shutil

    from PIL import Image, ImageChops

    golden = GOLDEN_SCREENS / golden_name
    if os.environ.get("STORYKIT_REGENERATE") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(picture, golden)
    assert golden.is_file(), f"no golden {golden_name}: run with STORYKIT_REGENERATE=1, review it"
    seen, expected = Image.open(picture).convert("L"), Image.open(golden).convert("L")
    assert seen.size == expected.size, (golden_name, seen.size, expected.size)
    difference = ImageChops.difference(seen, expected).point(lambda v: 255 if v > 48 else 0)
    changed = difference.histogram()[255] / (seen.width * seen.height)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if changed > tolerance:
        difference.save(ARTIFACTS / f"diff-{golden_name}")
    assert changed <= tolerance, (
        f"{golden_name}: {changed:.1%} of pixels differ (see test-artifacts)"
    )


def copy_default(target: Path) -> Path:
    """The embedded default's project files (storykit.yaml, bible/, outlines/), copied into
    `target`: tests that change or build the default work on a copy."""
    source = embedded_default()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "storykit.yaml", target / "storykit.yaml")
    for folder in ("bible", "outlines"):
        shutil.copytree(source / folder, target / folder)
    return target
