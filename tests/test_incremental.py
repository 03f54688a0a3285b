"""The incremental lint gives what a whole lint gives: after every step of random edit sequences
(lines added, removed, changed, outlines added and deleted, a bible file or the settings
touched), `lint_incremental` with one memory carried along (sometimes through pickle, as the CLI
keeps it) renders the same JSON report as `lint_project` on the same files."""

from __future__ import annotations

import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import copy_default
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples
from lsp_session import REPO_BENCHMARKS

from storykit.errors import LoadError
from storykit.lint import lint_project
from storykit.lint.incremental import Memory, lint_incremental
from storykit.lint.report import render_report
from storykit.load import load_project
from storykit.scaffold import create_project

# Lines that wake rules up: names, near misses, a group word, a misspelling, mojibake, a beat
# heading, a suppression, an unknown name; and plain prose.
LINES = [
    "Corin waits at the dock.",
    "Amelia, Korin, Jax and Agnes, the trio, argue all night.",
    "Ruth and Tom, both of them, climb the stairs.",
    "The Reccesses of the mind are selffulfillment.",
    "It was each otherâ€™s fault.",
    "## Midpoint",
    "## Finale",
    "# Act Three",
    "<!-- storykit: ignore unknown-name -->",
    "Synthesizers hum in the Zephyrine tower.",
    "Thom's boat is gone.",
    "Nothing happens here.",
    "",
]


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("incremental")
    init = base / "init"
    create_project(init, title="Lighthouse")
    (init / "scripts").mkdir()  # a screenplay, linted with the project
    (init / "scripts" / "pilot.fountain").write_text(
        "Title: Lighthouse\n\nINT. LIGHTHOUSE - NIGHT\n\nRuth climbs.\n\nTHOM\nRuth, the light!\n",
        encoding="utf-8",
    )
    series = base / "series"
    subprocess.run(
        [
            sys.executable,
            str(REPO_BENCHMARKS / "generate.py"),
            "--scale",
            "1",
            "--out",
            str(series),
        ],
        check=True,
        capture_output=True,
    )
    return {"default": copy_default(base / "default"), "init": init, "series": series}


edit = st.tuples(
    st.sampled_from(
        ["insert", "delete", "replace", "new-outline", "drop-outline", "bible", "config"]
    ),
    st.integers(min_value=0, max_value=10_000),  # which file
    st.integers(min_value=0, max_value=10_000),  # which line
    st.one_of(st.sampled_from(LINES), st.text(alphabet="abcAB ,.'’\n#-", max_size=30)),
    st.booleans(),  # carry the memory through pickle first
)


def apply(root: Path, step: tuple[str, int, int, str, bool]) -> None:
    kind, which, where, line, _ = step
    outlines = sorted((root / "outlines").glob("*.md"))
    if kind in ("bible", "config"):
        files = sorted((root / "bible" / "characters").glob("*.yaml"))
        path = (
            root / "storykit.yaml" if kind == "config" or not files else files[which % len(files)]
        )
        text = path.read_text(encoding="utf-8")
        # A comment changes the text and not the model: a new digest, the same story. An
        # unknown key is a schema finding in the bible, found by every shard as well.
        extra = f"# touched {which}\n" if where % 2 == 0 else f"mood{which}: calm\n"
        path.write_text(text + extra, encoding="utf-8")
        return
    if kind == "forget" and outlines:
        # Every mention of one thread (or character) taken out of one outline: a thread set up
        # and never named is reported at its bible file, from what that outline no longer says.
        project = load_project(root, strict=False)
        threads = [t for t in project.threads.values() if t.setup] or list(
            project.characters.values()
        )
        if threads:
            thread = threads[which % len(threads)]
            own = [o for o in project.outlines.values() if o.treatment == thread.treatment]
            chosen = own or list(project.outlines.values())
            path = root / chosen[where % len(chosen)].path
            text = path.read_text(encoding="utf-8")
            for name in sorted(thread.names, key=len, reverse=True):
                text = re.sub(rf"\b{re.escape(name)}\b", "it", text)
            path.write_text(text, encoding="utf-8")
        return
    if kind == "new-outline" and outlines:
        source = outlines[which % len(outlines)]
        shutil.copy(source, root / "outlines" / f"zz-copy-{which}.md")
        return
    if kind == "drop-outline" and len(outlines) > 1:
        outlines[which % len(outlines)].unlink()
        return
    if not outlines:
        return
    path = outlines[which % len(outlines)]
    lines = path.read_text(encoding="utf-8").split("\n")
    at = where % len(lines)
    if kind == "insert" or kind in ("new-outline", "drop-outline"):
        lines.insert(at, line)
    elif kind == "delete" and at > 5:  # keep the front matter
        del lines[at]
    elif kind == "replace" and at > 5:
        lines[at] = line
    path.write_text("\n".join(lines), encoding="utf-8")


def check(root: Path, steps: list[tuple[str, int, int, str, bool]]) -> None:
    memory = Memory()
    for number, step in enumerate([None, *steps]):
        if step is not None:
            apply(root, step)
            if step[4]:
                memory = pickle.loads(pickle.dumps(memory))
        try:
            project = load_project(root, strict=False)
        except LoadError:
            continue  # neither can lint what does not load
        whole = render_report("json", lint_project(project), project)
        project = load_project(root, strict=False)  # a fresh load, as the next run has
        again = render_report("json", lint_incremental(project, memory), project)
        assert again == whole, f"after step {number}: {step}"


@pytest.mark.parametrize("name", ["default", "init", "series"])
@settings(max_examples=examples(8), deadline=None)  # an example lints a project many times
@given(steps=st.lists(edit, min_size=1, max_size=5))
@example(
    steps=[("forget", 4, 0, "", False), ("forget", 4, 0, "", True), ("insert", 1, 30, "x", False)]
)
@example(steps=[("forget", 2, 1, "", False), ("drop-outline", 0, 0, "", False)])
@example(steps=[("new-outline", 1, 0, "", False), ("forget", 1, 0, "", True)])
@example(steps=[("bible", 0, 1, "", False), ("new-outline", 1, 0, "", False)])
@example(steps=[("bible", 0, 1, "", False), ("drop-outline", 1, 0, "", True)])
@example(
    steps=[
        ("insert", 0, 12, LINES[1], False),
        ("bible", 0, 0, "", False),
        ("forget", 0, 0, "", False),
    ]
)
def test_incremental_findings_equal_a_whole_lint(
    projects: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, name: str, steps: list
) -> None:
    root = tmp_path_factory.mktemp(name) / "project"
    shutil.copytree(projects[name], root)
    check(root, steps)


def test_one_outline_edit_analyses_one_shard_and_keeps_the_rest(
    projects: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "series"
    shutil.copytree(projects["series"], root)
    memory = Memory()
    lint_incremental(load_project(root, strict=False), memory)
    assert memory.whole
    outline = sorted((root / "outlines").glob("*.md"))[0]
    outline.write_text(outline.read_text(encoding="utf-8") + "\nCorin waits.\n", encoding="utf-8")
    lint_incremental(load_project(root, strict=False), memory)
    # The old text's contribution to the bible's findings, then the new one's: two shards.
    assert not memory.whole and memory.shards == 2
    outline.write_text(
        outline.read_text(encoding="utf-8") + "\nCorin waits again.\n", encoding="utf-8"
    )
    lint_incremental(load_project(root, strict=False), memory)
    assert not memory.whole and memory.shards == 1  # the old contribution is known now
    bible = next((root / "bible" / "characters").glob("*.yaml"))
    bible.write_text(bible.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")
    lint_incremental(load_project(root, strict=False), memory)
    assert memory.whole  # a bible file changed: everything again


@pytest.mark.parametrize("settings", [("spelling",), ()])
def test_incremental_honours_select(
    projects: dict[str, Path], tmp_path: Path, settings: tuple[str, ...]
) -> None:
    root = tmp_path / "default"
    shutil.copytree(projects["default"], root)
    memory = Memory()
    project = load_project(root, strict=False)
    assert render_report(
        "json", lint_incremental(project, memory, select=settings), project
    ) == render_report("json", lint_project(project, select=settings), project)
    project = load_project(root, strict=False)
    other = ("unused-suppression",)
    assert render_report(
        "json", lint_incremental(project, memory, select=other), project
    ) == render_report("json", lint_project(project, select=other), project)


@settings(max_examples=examples(6), deadline=None)
@given(
    steps=st.lists(st.tuples(st.integers(0, 50), st.sampled_from(LINES)), min_size=1, max_size=4)
)
def test_the_language_servers_edits_analyse_as_a_fresh_start(
    projects: dict[str, Path], steps: list[tuple[int, str]]
) -> None:
    """The server parses only the edited outline again; what it sees is what a fresh
    analysis of the same texts sees: findings, problems and every mention."""
    from storykit.lsp.analysis import Analyser, analyse

    root = projects["default"]
    analyser = Analyser(root)
    analyser.analyse({})
    path = "outlines/bedsync.md"
    lines = (root / path).read_text(encoding="utf-8").split("\n")
    for where, line in steps:
        lines.insert(6 + where % (len(lines) - 6), line)
        overlay = {path: "\n".join(lines)}
        again, fresh = analyser.analyse(overlay), analyse(root, overlay)
        assert [f.sort_key for f in again.findings] == [f.sort_key for f in fresh.findings]
        assert again.problems == fresh.problems
        for outline in ("outlines/bedsync.md", "outlines/neoterra.md"):
            assert again.uses_in(outline) == fresh.uses_in(outline)
