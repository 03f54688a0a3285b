"""Fuzz: random and mutated bible files and outlines, through load_project and the lint engine.

The invariant, for every input: loading and linting either work, or end in a StorykitError whose
problems each name a file and a line >= 1. Any other exception is a bug, and so is a hang (every
example runs under a deadline and an alarm). Lint findings and both reports must hold up too.

Inputs start from real projects (a `storykit init` project, and the embedded default) and are
damaged the ways a bible gets damaged: truncated by a bad merge, wrong types typed by hand, pasted
from a word processor (BOM, CRLF, right-to-left marks, zero-width joiners, invalid UTF-8, lone
surrogates encoded as UTF-8), nested absurdly deep, or grown enormous.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from storykit.errors import StorykitError
from storykit.lint import lint_project
from storykit.lint.report import render_report
from storykit.load import load_project
from storykit.load.project import embedded_default
from storykit.model import Project
from storykit.scaffold import create_project

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


@pytest.fixture(scope="module")
def workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="storykit-fuzz-") as folder:
        yield Path(folder)


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


# --- the tests --------------------------------------------------------------------------------

YAML_FILES = sorted(name for name in INIT_FILES if name.endswith(".yaml"))


@settings(max_examples=examples(60))
@given(st.data())
def test_mutated_files_of_a_new_project(workspace: Path, data: st.DataObject) -> None:
    files = dict(INIT_FILES)
    for name in data.draw(
        st.lists(st.sampled_from(sorted(files)), min_size=1, max_size=2, unique=True)
    ):
        files[name] = data.draw(mutated(files[name]), label=name)
    with project_from(workspace, files) as root:
        check_handled(root)


@settings(max_examples=examples(60))
@given(st.data())
def test_wrong_types_in_every_bible_file(workspace: Path, data: st.DataObject) -> None:
    files = dict(INIT_FILES)
    for name in data.draw(
        st.lists(st.sampled_from(YAML_FILES), min_size=1, max_size=3, unique=True)
    ):
        files[name] = data.draw(retyped(files[name]), label=name)
    with project_from(workspace, files) as root:
        check_handled(root)


@settings(max_examples=examples(60))
@given(st.data())
def test_generated_outlines(workspace: Path, data: st.DataObject) -> None:
    files = dict(INIT_FILES)
    names = ["Ruth", "Tom", "the light", "lighthouse", "Rut", "Thomas", "Korin"]
    text = data.draw(outline_text("first-draft", names), label="outline")
    raw = text.encode("utf-8")
    if data.draw(st.booleans()):
        raw = data.draw(mutated(raw), label="mutated outline")
    files[data.draw(st.sampled_from(["outlines/first-draft.md", "outlines/other.md"]))] = raw
    with project_from(workspace, files) as root:
        check_handled(root)


@settings(max_examples=examples(30))
@given(st.data())
def test_odd_unicode_in_names_and_prose(workspace: Path, data: st.DataObject) -> None:
    """Names with joiners, bidi marks and accents: the index, every rule and the reports cope."""
    odd = st.sampled_from(ODD_TEXT)
    name = data.draw(
        st.builds(lambda a, b, c: a + b + c, odd | st.just("T"), odd, odd | st.just("m"))
    )
    alias = data.draw(st.text(min_size=1, max_size=8) | odd)
    character = yaml.safe_dump(
        {"id": "tom", "name": name, "aliases": [alias], "treatment": "first-draft"},
        allow_unicode=True,
    )
    outline = data.draw(outline_text("first-draft", ["Ruth", name, alias, name + "s"]))
    files = {
        **INIT_FILES,
        "bible/characters/tom.yaml": character.encode("utf-8"),
        "outlines/first-draft.md": outline.encode("utf-8"),
    }
    with project_from(workspace, files) as root:
        check_handled(root)


@settings(max_examples=examples(30))
@given(st.data())
def test_project_structure_files(workspace: Path, data: st.DataObject) -> None:
    """A project's own structures/ file, mangled: the loader must not trip over it."""
    beats = [{"id": "catalyst", "name": "Catalyst", "page": 12, "act": 1}]
    base = yaml.safe_dump({"id": "mine", "name": "Mine", "pages": 100, "beats": beats}).encode()
    text = data.draw(st.one_of(retyped(base), mutated(base)), label="structure")
    files = {**INIT_FILES, "structures/mine.yaml": text}
    with project_from(workspace, files) as root:
        check_handled(root)


# Plain scalars as a writer types them, that YAML resolves to something other than a string (a
# date that is no date, a hex number with no digits, a tag that does not fit its value): the
# `mutated` edits rarely leave one of these standing alone as a whole value.
HAND_TYPED_SCALARS = [
    "2001-13-45",
    "2026-02-30",
    "2026-1-1",
    "2001-12-14t21:59:43.10-05:00",
    "12:30:00",
    "0x",
    "0o9",
    "!!int 0x",
    "!!int twelve",
    "!!float x",
    "!!bool maybe",
    "!!bool",
    "!!int",
    "!!float",
    "!!timestamp x",
    "!!binary x",
    "!!timestamp 2001-99-01",
    "!!str",
    "!!null x",
    "!!set {a}",
    "!!omap [a]",
    "!!python/name:os.system",
    "1e400",
    ".inf",
    "-.NaN",
    "~",
    "<<",
    "=",
]


@st.composite
def hand_typed(draw: st.DrawFn, data: bytes) -> bytes:
    """A YAML file with the values of a few `key: value` lines retyped as raw scalars."""
    lines = data.decode("utf-8").split("\n")
    values = [
        i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")
    ]
    for i in draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True)):
        key = lines[i].split(": ", 1)[0]
        lines[i] = f"{key}: {draw(st.sampled_from(HAND_TYPED_SCALARS))}"
    return "\n".join(lines).encode("utf-8")


@settings(max_examples=examples(40))
@given(st.data())
def test_hand_typed_scalars_in_every_bible_file(workspace: Path, data: st.DataObject) -> None:
    files = dict(INIT_FILES)
    names = [*YAML_FILES, "outlines/first-draft.md"]  # the outline: its front matter
    for name in data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)):
        files[name] = data.draw(hand_typed(files[name]), label=name)
    with project_from(workspace, files) as root:
        check_handled(root)


@pytest.fixture(scope="module")
def default_copy() -> dict[str, bytes]:
    files = default_files()
    if not any(name.startswith("outlines/") for name in files):
        pytest.skip("the embedded default has no outlines yet")
    return files


@settings(max_examples=examples(30))
@given(st.data())
def test_mutated_files_of_the_default(
    workspace: Path, default_copy: dict[str, bytes], data: st.DataObject
) -> None:
    files = dict(default_copy)
    name = data.draw(st.sampled_from(sorted(files)), label="file")
    damage = retyped(files[name]) if name.endswith(".yaml") else mutated(files[name])
    files[name] = data.draw(st.one_of(damage, mutated(files[name])), label=name)
    with project_from(workspace, files) as root:
        check_handled(root)


def test_the_checker_itself_rejects_a_crash(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The invariant is not vacuous: a plain exception from the loader fails check_handled."""
    import storykit.load.bible as bible

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(bible, "_relationships", broken)
    with project_from(workspace, INIT_FILES) as root, pytest.raises(KeyError):
        check_handled(root)


@settings(max_examples=examples(100))
@given(st.text(alphabet="ab\n\r\u2028 ", max_size=60), st.integers(1, 500), st.data())
def test_paragraph_locate_is_counting_lines(
    text: str, first_line: int, data: st.DataObject
) -> None:
    """Paragraph.locate uses a table of line starts (counting per mention was quadratic on a
    pasted megabyte); it must agree with plainly counting the newlines before the offset."""
    from storykit.model import Paragraph

    offset = data.draw(st.integers(0, len(text)))
    before = text[:offset]
    expected = (first_line + before.count("\n"), offset - (before.rfind("\n") + 1) + 1)
    assert Paragraph(text, first_line).locate(offset) == expected
