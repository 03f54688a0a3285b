"""Fuzz the compiler: every project that loads must render every output, or stop with a located
StorykitError. In-process for speed: the HTML, Markdown and CSV outputs for many mutated
projects, and the PDFs (slow) for a few.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import (
    INIT_FILES,
    assert_located,
    mutated,
    outline_text,
    project_from,
    retyped,
    time_limit,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from storykit.errors import StorykitError
from storykit.lint import lint_project
from storykit.load import load_project

YAML_FILES = sorted(name for name in INIT_FILES if name.endswith(".yaml"))


def render_all(root: Path, *, pdf: bool) -> None:
    """Load, lint and render every planned output in memory; only a located error may stop it."""
    from storykit.compile.build import plan

    with time_limit(60):
        try:
            project = load_project(root, strict=False)
            findings = lint_project(project).findings
            for output in plan(project, findings):
                if output.pdf and not pdf:
                    continue
                data = output.render()
                assert isinstance(data, bytes) and data, output.name
                if output.name.endswith((".html", ".md", ".csv")):
                    data.decode("utf-8")  # well-formed text, whatever the bible held
        except StorykitError as error:
            assert_located(error)


def damaged_project(data: st.DataObject) -> dict[str, bytes]:
    files = dict(INIT_FILES)
    choice = data.draw(st.sampled_from(["yaml", "outline", "bytes"]), label="damage")
    if choice == "yaml":
        name = data.draw(st.sampled_from(YAML_FILES), label="file")
        files[name] = data.draw(retyped(files[name]), label=name)
    elif choice == "outline":
        names = ["Ruth", "Tom", "the light", "Rut", "Korin", "{{ 7*7 }}", "<b>Ruth</b>"]
        files["outlines/first-draft.md"] = data.draw(outline_text("first-draft", names)).encode()
    else:
        name = data.draw(st.sampled_from(sorted(files)), label="file")
        files[name] = data.draw(mutated(files[name]), label=name)
    return files


@settings(max_examples=examples(40))
@given(st.data())
def test_text_outputs_of_damaged_projects(workspace: Path, data: st.DataObject) -> None:
    with project_from(workspace, damaged_project(data)) as root:
        render_all(root, pdf=False)


@settings(max_examples=examples(4), deadline=None)  # WeasyPrint takes its time; the alarm guards
@given(st.data())
def test_pdf_outputs_of_damaged_projects(workspace: Path, data: st.DataObject) -> None:
    with project_from(workspace, damaged_project(data)) as root:
        render_all(root, pdf=True)


def test_an_unknown_structure_stops_the_build_at_its_line(tmp_path: Path) -> None:
    files = dict(INIT_FILES)
    outline = files["outlines/first-draft.md"].decode()
    files["outlines/first-draft.md"] = outline.replace(
        "structure: save-the-cat", "structure: nope", 1
    ).encode()
    line = next(
        n
        for n, text in enumerate(files["outlines/first-draft.md"].decode().split("\n"), 1)
        if text.startswith("structure: nope")
    )
    with project_from(tmp_path, files) as root:
        from storykit.compile.build import plan

        project = load_project(root, strict=False)
        findings = lint_project(project).findings
        assert any(
            f.rule == "schema"
            and "unknown structure 'nope'" in f.message
            and (f.path, f.line) == ("outlines/first-draft.md", line)
            for f in findings
        ), findings
        beats = [o for o in plan(project, findings) if o.name.startswith("beats/")]
        assert beats, "the outline still plans its beat sheet"
        with pytest.raises(StorykitError) as stopped:
            beats[0].render()  # no silent fall-back to another structure
        assert [(p.path, p.line) for p in stopped.value.problems] == [
            ("outlines/first-draft.md", line)
        ]
        assert "unknown structure 'nope'" in stopped.value.problems[0].message


def test_a_paragraph_separator_in_prose_builds_a_pdf(tmp_path: Path) -> None:
    files = dict(INIT_FILES)
    files["outlines/first-draft.md"] = (
        "---\ntreatment: first-draft\n---\n\n# Act One\n\nRuth \u2029\n".encode()
    )
    with project_from(tmp_path, files) as root:
        render_all(root, pdf=True)
