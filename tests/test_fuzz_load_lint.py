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

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import (
    INIT_FILES,
    ODD_TEXT,
    check_handled,
    default_files,
    mutated,
    outline_text,
    project_from,
    retyped,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

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
