"""`storykit lint` as a user runs it: exit codes, select/ignore, config, suppressions, formats,
--statistics, --fix and --diff, on tiny real projects copied from tests/rules/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import readme_section, run_storykit

from storykit.lint import lint_project
from storykit.load import load_project

RULES_DIR = Path(__file__).parent / "rules"


def copy_fixture(tmp_path: Path, rule: str, which: str = "bad") -> Path:
    root = tmp_path / f"{rule}-{which}"
    shutil.copytree(RULES_DIR / rule / which, root)
    return root


def lint_json(root: Path, *args: str) -> tuple[int, list[dict]]:
    result = run_storykit("lint", str(root), "--format", "json", *args)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def rules_of(findings: list[dict]) -> set[str]:
    return {f["rule"] for f in findings}


# Exit codes ------------------------------------------------------------------------------------


def test_warnings_only_exit_0(tmp_path: Path) -> None:
    code, findings = lint_json(copy_fixture(tmp_path, "unseeded"), "--select", "unseeded")
    assert code == 0
    assert [f["rule"] for f in findings] == ["unseeded"] * 3


def test_an_error_level_finding_exits_1(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "unseeded")
    config = root / "storykit.yaml"
    config.write_text(config.read_text("utf-8") + "  severity: {unseeded: error}\n", "utf-8")
    code, findings = lint_json(root, "--select", "unseeded")
    assert code == 1
    assert {f["severity"] for f in findings} == {"error"}


@pytest.mark.parametrize("rule", ["schema", "duplicate-id"])
def test_load_problems_exit_2_and_are_still_reported_as_findings(tmp_path: Path, rule: str) -> None:
    result = run_storykit("lint", str(copy_fixture(tmp_path, rule)), "--format", "json")
    assert result.returncode == 2
    findings = json.loads(result.stdout)
    assert rule in rules_of(findings)
    assert all(f["path"] and f["line"] >= 1 for f in findings)
    assert "did not load cleanly" in result.stderr


def test_a_dangling_relation_is_a_finding_exit_1_not_a_load_failure(new_project: Path) -> None:
    """Contract §7: a `relationship` error is exit 1; exit 2 is for files that did not load."""
    ruth = new_project / "bible/characters/ruth.yaml"
    text = ruth.read_text("utf-8")
    assert "to: tom" in text
    ruth.write_text(text.replace("to: tom", "to: thom"), "utf-8")
    result = run_storykit("lint", str(new_project), "--format", "json")
    assert result.returncode == 1, result.stderr
    found = [f for f in json.loads(result.stdout) if f["rule"] == "relationship"]
    assert found and found[0]["severity"] == "error" and "thom" in found[0]["message"]
    assert found[0]["path"] == "bible/characters/ruth.yaml"
    assert "did not load cleanly" not in result.stderr


def test_a_load_rule_demoted_below_error_no_longer_exits_2(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "duplicate-id")
    config = root / "storykit.yaml"
    config.write_text(config.read_text("utf-8") + "  severity: {duplicate-id: warning}\n", "utf-8")
    code, findings = lint_json(root, "--select", "duplicate-id")
    assert code == 0 and findings


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "yaml"], "unknown format 'yaml'"),
        (["--select", "unseded"], "did you mean 'unseeded'"),
        (["--format", "sarif", "--statistics"], "--statistics works with"),
    ],
)
def test_misuse_exits_2_with_a_message(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_storykit("lint", str(copy_fixture(tmp_path, "unseeded", "good")), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# Selection and configuration --------------------------------------------------------------------


def test_select_by_name_or_code_and_ignore(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "dropped-thread")
    _, by_code = lint_json(root, "--select", "SK202")
    assert rules_of(by_code) == {"dropped-thread"}
    _, everything = lint_json(root)
    _, ignored = lint_json(root, "--ignore", "dropped-thread")
    assert "dropped-thread" in rules_of(everything)
    assert "dropped-thread" not in rules_of(ignored)
    assert len(ignored) == len(everything) - len(by_code)


def test_config_ignore_and_severity(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "dropped-thread")
    config = root / "storykit.yaml"
    config.write_text(
        config.read_text("utf-8")
        + "  ignore: [missing-beat]\n  severity: {dropped-thread: info}\n",
        "utf-8",
    )
    _, findings = lint_json(root)
    assert "missing-beat" not in rules_of(findings)
    assert {f["severity"] for f in findings if f["rule"] == "dropped-thread"} == {"info"}


def test_an_unknown_rule_in_the_config_names_the_line(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "unseeded", "good")
    config = root / "storykit.yaml"
    config.write_text(config.read_text("utf-8") + "  ignore: [dropped-thred]\n", "utf-8")
    result = run_storykit("lint", str(root))
    assert result.returncode == 2
    assert "storykit.yaml:5:" in result.stderr
    assert "did you mean 'dropped-thread'" in result.stderr


# Suppressions -------------------------------------------------------------------------------------


def test_markdown_suppression_silences_the_next_block(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "unseeded")
    outline = root / "outlines" / "lighthouse.md"
    text = outline.read_text("utf-8").replace(
        "## Finale\n\n", "## Finale\n\n<!-- storykit: ignore unseeded -->\n"
    )
    outline.write_text(text, "utf-8")
    _, findings = lint_json(root, "--select", "unseeded")
    # Ada and the flare gun were in the Finale; the wreck (Break into Three) still shows.
    assert [f["message"].split(" (")[0] for f in findings] == ["The old wreck"]


def test_yaml_suppression_on_the_line(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "relationship")
    ruth = root / "bible" / "characters" / "ruth.yaml"
    ruth.write_text(
        ruth.read_text("utf-8").replace(
            "{to: thom, as: friend-of}",
            "{to: thom, as: friend-of}  # storykit: ignore relationship",
        ),
        "utf-8",
    )
    project = load_project(root, strict=False)
    messages = [f.message for f in lint_project(project, select=["relationship"]).findings]
    assert not any("thom" in m for m in messages)
    assert any("oneself" in m for m in messages)  # only that line is silenced


def test_unused_and_misspelt_suppressions_are_reported(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "unseeded", "good")
    outline = root / "outlines" / "lighthouse.md"
    text = outline.read_text("utf-8").replace(
        "## Finale\n\n", "## Finale\n\n<!-- storykit: ignore unseeded, dropped-thred -->\n"
    )
    outline.write_text(text, "utf-8")
    project = load_project(root, strict=False)
    found = [f for f in lint_project(project).findings if f.rule == "unused-suppression"]
    assert sorted(f.message for f in found) == [
        "suppression names no rule 'dropped-thred'",
        "suppression of unseeded suppresses nothing",
    ]
    assert {f.line for f in found} == {
        outline.read_text("utf-8")
        .split("\n")
        .index("<!-- storykit: ignore unseeded, dropped-thred -->")
        + 1
    }
    assert any(f.suggestion == "did you mean 'dropped-thread'?" for f in found)


# Formats and statistics ----------------------------------------------------------------------


def test_text_format_lines(tmp_path: Path) -> None:
    result = run_storykit(
        "lint", str(copy_fixture(tmp_path, "missing-beat")), "--select", "missing-beat"
    )
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "outlines/lighthouse.md:23:1: warning missing-beat 'Catalyst' comes after 'Debate', but "
        "Save the Cat puts it before (suggestion: move 'Catalyst' before 'Debate')"
    )
    assert lines[-1] == "2 findings (0 errors, 1 warning, 1 info)"


def test_statistics_after_text_and_instead_of_json(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path, "dropped-thread")
    text = run_storykit("lint", str(root), "--select", "dropped-thread", "--statistics").stdout
    assert "5 findings (0 errors, 3 warnings, 2 info)" in text
    table = text.split("5 findings (0 errors, 3 warnings, 2 info)\n", 1)[1]
    assert table.splitlines()[1].split() == ["3", "dropped-thread", "SK202", "warning"]
    assert table.splitlines()[2].split() == ["2", "dropped-thread", "SK202", "info"]
    _, rows = lint_json(root, "--select", "dropped-thread", "--statistics")
    assert rows == [
        {"rule": "dropped-thread", "code": "SK202", "severity": "warning", "count": 3},
        {"rule": "dropped-thread", "code": "SK202", "severity": "info", "count": 2},
    ]


@pytest.mark.parametrize("output_format", ["sarif", "github"])
def test_every_format_runs_from_the_command_line(tmp_path: Path, output_format: str) -> None:
    result = run_storykit(
        "lint",
        str(copy_fixture(tmp_path, "unseeded")),
        "--format",
        output_format,
        "--select",
        "unseeded",
    )
    assert result.returncode == 0
    if output_format == "sarif":
        assert len(json.loads(result.stdout)["runs"][0]["results"]) == 3
    else:
        assert result.stdout.count("::warning file=") == 3


# storykit rules ---------------------------------------------------------------------------------


def test_rules_table_and_one_rule() -> None:
    table = run_storykit("rules", env={"COLUMNS": "200"})
    assert table.returncode == 0
    for name, code in (("unseeded", "SK201"), ("relationship", "SK301"), ("spelling", "SK502")):
        assert name in table.stdout and code in table.stdout
    one = run_storykit("rules", "SK202")
    assert one.returncode == 0
    assert "dropped-thread" in one.stdout
    assert "What it does." in one.stdout and "Why is this bad?" in one.stdout
    wrong = run_storykit("rules", "dropped-thred")
    assert wrong.returncode == 2 and "did you mean 'dropped-thread'" in wrong.stderr


# --fix and --diff -------------------------------------------------------------------------------

MOJIBAKE_LINE = "They challenge each otherâ€™s beliefs."


def _mojibake_project(new_project: Path) -> tuple[Path, Path]:
    outline = new_project / "outlines" / "first-draft.md"
    outline.write_text(outline.read_text("utf-8") + "\n" + MOJIBAKE_LINE + "\n", "utf-8")
    tom = new_project / "bible" / "characters" / "tom.yaml"
    tom.write_text(
        tom.read_text("utf-8").replace(
            "description: Ruth's younger brother, adrift in the storm.",
            "description: Ruthâ€™s younger brother.   # keep this comment",
        ),
        "utf-8",
    )
    return outline, tom


def test_diff_shows_the_fix_and_writes_nothing(new_project: Path) -> None:
    outline, tom = _mojibake_project(new_project)
    before = {p: p.read_bytes() for p in (outline, tom)}
    result = run_storykit("lint", str(new_project), "--diff")
    assert result.returncode == 1, result.stderr
    assert "-" + MOJIBAKE_LINE in result.stdout
    assert "+They challenge each other’s beliefs." in result.stdout
    assert {p: p.read_bytes() for p in (outline, tom)} == before


def test_fix_writes_safe_fixes_keeps_comments_and_lints_again(new_project: Path) -> None:
    outline, tom = _mojibake_project(new_project)
    result = run_storykit("lint", str(new_project), "--fix", "--format", "json")
    assert "fixed 2 files" in result.stderr
    assert "each other’s beliefs" in outline.read_text("utf-8")
    assert "Ruth’s younger brother.   # keep this comment" in tom.read_text("utf-8")
    assert "mojibake" not in rules_of(json.loads(result.stdout))


def test_the_linting_docs_list_every_rule_with_its_code_and_severity() -> None:
    from storykit.lint.registry import all_rules

    docs = readme_section("Linting: `storykit lint`")
    for rule in all_rules():
        row = f"| `{rule.name}` | {rule.code} | {rule.severity} |"
        assert row in docs, f"the README's linting section lacks the row for {rule.name}"
    for option in ("--select", "--ignore", "--format", "--statistics", "--fix", "--diff"):
        assert option in docs


def test_reports_are_written_verbatim(tmp_path: Path) -> None:
    """A writer's text passes through untouched: no emoji codes, no markup, no highlighting."""
    root = copy_fixture(tmp_path, "unseeded")
    wreck = root / "bible" / "threads" / "old-wreck.yaml"
    wreck.write_text(
        wreck.read_text("utf-8").replace(
            "name: The old wreck", 'name: "The :fire: [bold]wreck[/]"'
        ),
        "utf-8",
    )
    result = run_storykit("lint", str(root), "--select", "unseeded")
    assert "The :fire: [bold]wreck[/] (thread) first appears" in result.stdout
