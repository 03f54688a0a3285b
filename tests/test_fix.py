"""storykit.lint.fix.apply_fixes: safe fixes unless unsafe ones are asked for, exact edits in
Markdown and YAML that keep comments, order, quoting and folding, a labelled diff of what
changes, and a second run that changes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storykit.lint import lint_project
from storykit.lint.finding import Finding, Fix, Severity
from storykit.lint.fix import apply_fixes, fix_text, fix_yaml
from storykit.load import load_project
from storykit.model import Project

RULES = Path(__file__).parent / "rules"


def copy_fixture(tmp_path: Path, rule: str) -> Path:
    root = tmp_path / rule
    shutil.copytree(RULES / rule / "bad", root)
    return root


def lint(root: Path) -> tuple[Project, list[Finding]]:
    project = load_project(root, strict=False)
    return project, lint_project(project).findings


def files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text("utf-8") for p in root.rglob("*") if p.is_file()
    }


def test_mojibake_fixes_markdown_and_yaml_and_says_so_in_a_diff(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "mojibake")
    before = files(root)
    project, findings = lint(root)
    diff = apply_fixes(project, findings, write=False).diff
    assert files(root) == before, "--diff must write nothing"
    assert diff.startswith("# safe fixes (storykit lint --fix)\n")
    assert "--- a/outlines/harbour.md" in diff and "+++ b/bible/characters/ruth.yaml" in diff
    assert "+Ruth and Tom trust each other’s word, and the café is closed." in diff

    assert apply_fixes(project, findings, write=True).diff == diff
    after = files(root)
    assert after["outlines/harbour.md"] == before["outlines/harbour.md"].replace(
        "otherâ€™s", "other’s"
    ).replace("cafÃ©", "café")
    # The YAML keeps its comment lines, its quoting and the gap before the trailing comment.
    assert after["bible/characters/ruth.yaml"] == before["bible/characters/ruth.yaml"].replace(
        "hasnâ€™t", "hasn’t"
    )
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"outlines/harbour.md", "bible/characters/ruth.yaml"}


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "mojibake")
    project, findings = lint(root)
    apply_fixes(project, findings, write=True)
    project, findings = lint(root)
    assert [f for f in findings if f.rule == "mojibake"] == []
    assert apply_fixes(project, findings, write=True).diff == ""


def test_near_miss_fixes_only_names_with_exactly_one_candidate(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "near-miss-name")
    before = (root / "outlines/harbour.md").read_text("utf-8")
    project, findings = lint(root)
    apply_fixes(project, findings, write=True)
    after = (root / "outlines/harbour.md").read_text("utf-8")
    assert "Ruth and Ruth climb" in after  # Rith -> Ruth
    assert "Her friend Korin's boat" in after  # the possessive stays
    assert "Magdalena waits" in after and "looks for him inland" in after
    assert "Sebastian looks" in after  # a name of another treatment: then foreign-name says so
    assert "The fisherman Tam is missing" in after  # Tim or Tom? not ours to choose
    assert before.count("\n") == after.count("\n")


def test_unsafe_findings_are_never_applied(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "spelling")
    before = files(root)
    project, findings = lint(root)
    assert any(f.rule == "spelling" for f in findings)
    assert apply_fixes(project, findings, write=True).diff == ""
    assert files(root) == before


def test_a_file_changed_since_linting_is_left_alone(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "mojibake")
    project, findings = lint(root)
    outline = root / "outlines/harbour.md"
    edited = outline.read_text("utf-8") + "\nA new line the writer just typed.\n"
    outline.write_text(edited, "utf-8")
    apply_fixes(project, findings, write=True)
    assert outline.read_text("utf-8") == edited


def test_markdown_edits_check_the_old_text() -> None:
    text = "one two\nthree four\n"
    assert fix_text(text, [Fix("x.md", 2, 7, "four", "4")]) == "one two\nthree 4\n"
    assert fix_text(text, [Fix("x.md", 2, 7, "five", "5")]) == text  # not there: skipped
    assert fix_text(text, [Fix("x.md", 9, 1, "one", "1")]) == text  # no such line


YAML = """\
# A comment that must stay.
id: ruth   # the id
name: Ruth
description: >-
  The keeper, who hasnâ€™t left the rock in twenty years, and who will not leave it
  now that the storm is coming.
relationships:
  - {to: tom, as: sister-of}
quoted: 'keeperâ€™s light'
"""


def test_yaml_round_trip_keeps_folding_flow_style_and_indentation() -> None:
    old = (
        "The keeper, who hasnâ€™t left the rock in twenty years, and who will not leave it "
        "now that the storm is coming."
    )
    fixed = fix_yaml(YAML, [Fix("r.yaml", 5, 3, old, old.replace("â€™", "’"), "description")])
    assert fixed == YAML.replace("hasnâ€™t", "hasn’t")
    quoted = fix_yaml(YAML, [Fix("r.yaml", 9, 9, "keeperâ€™s light", "keeper’s light", "quoted")])
    assert quoted == YAML.replace("'keeperâ€™s light'", "'keeper’s light'")


@pytest.mark.parametrize("key", ["nowhere", "relationships.5.to", "name.deeper"])
def test_yaml_fix_at_a_missing_key_changes_nothing(key: str) -> None:
    assert fix_yaml(YAML, [Fix("r.yaml", 1, 1, "Ruth", "Rue", key)]) == YAML


def test_yaml_fix_whose_old_value_differs_changes_nothing() -> None:
    assert fix_yaml(YAML, [Fix("r.yaml", 3, 7, "Ruthie", "Rue", "name")]) == YAML


def test_findings_without_a_fix_are_ignored(default_project: Project) -> None:
    finding = Finding("spelling", Severity.WARNING, "x", "outlines/bedsync.md", 1, 1)
    assert apply_fixes(default_project, [finding], write=False).diff == ""
