"""The reporters: SARIF 2.1.0 against the schema's required fields, stable fingerprints, GitHub
workflow-command escaping, JSON fields and the statistics table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from storykit.lint import LintResult, lint_project
from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import all_rules
from storykit.lint.report import github, json_report, sarif, statistics
from storykit.load import load_project

RULES_DIR = Path(__file__).parent / "rules"

# The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that a log must satisfy to be
# accepted: required properties, enumerations and minimums, written out here (no download).
_MESSAGE = {
    "type": "object",
    "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
    "properties": {"text": {"type": "string"}, "id": {"type": "string"}},
}
_REGION = {
    "type": "object",
    "properties": {
        "startLine": {"type": "integer", "minimum": 1},
        "startColumn": {"type": "integer", "minimum": 1},
        "endLine": {"type": "integer", "minimum": 1},
        "endColumn": {"type": "integer", "minimum": 1},
    },
}
_LOCATION = {
    "type": "object",
    "properties": {
        "physicalLocation": {
            "type": "object",
            "anyOf": [{"required": ["address"]}, {"required": ["artifactLocation"]}],
            "properties": {
                "artifactLocation": {
                    "type": "object",
                    "properties": {"uri": {"type": "string"}, "uriBaseId": {"type": "string"}},
                },
                "region": _REGION,
            },
        }
    },
}
_DESCRIPTOR = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string"},
        "shortDescription": {"type": "object", "required": ["text"]},
        "fullDescription": {"type": "object", "required": ["text"]},
        "help": {"type": "object", "required": ["text"]},
        "defaultConfiguration": {
            "type": "object",
            "properties": {"level": {"enum": ["none", "note", "warning", "error"]}},
        },
    },
}
SARIF_REQUIRED = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "format": "uri"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "informationUri": {"type": "string", "format": "uri"},
                                    "rules": {"type": "array", "items": _DESCRIPTOR},
                                },
                            }
                        },
                    },
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "message": _MESSAGE,
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "locations": {"type": "array", "items": _LOCATION},
                                "partialFingerprints": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


@pytest.fixture
def dropped(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A copy of the dropped-thread fixture (findings at warning and info, with end columns)."""
    root = tmp_path / "project"
    shutil.copytree(RULES_DIR / "dropped-thread" / "bad", root)
    project = load_project(root, strict=False)
    return root, project, lint_project(project)


def test_sarif_fits_the_schema_and_refers_to_its_rules(dropped) -> None:  # type: ignore[no-untyped-def]
    _, project, result = dropped
    log = json.loads(sarif.render(result, project))
    jsonschema.validate(log, SARIF_REQUIRED)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules[: len(all_rules())]] == [r.name for r in all_rules()]
    assert run["results"], "the fixture has findings"
    for item, finding in zip(run["results"], result.findings, strict=True):
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"] == finding.rule
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": finding.path, "uriBaseId": "SRCROOT"}
        assert location["region"]["startLine"] == finding.line
        assert location["region"]["startColumn"] == finding.column
    levels = {item["level"] for item in run["results"]}
    assert levels == {"warning", "note"}  # info is SARIF's "note"
    unseeded = next(r for r in rules if r["id"] == "unseeded")
    assert unseeded["defaultConfiguration"]["level"] == "warning"
    assert "**Why is this bad?**" in unseeded["fullDescription"]["text"]


def test_sarif_fingerprints_survive_unrelated_edits(dropped) -> None:  # type: ignore[no-untyped-def]
    root, project, result = dropped

    def fingerprints(project, result) -> dict[str, str]:  # type: ignore[no-untyped-def]
        run = json.loads(sarif.render(result, project))["runs"][0]
        return {
            item["message"]["text"]: item["partialFingerprints"][sarif.FINGERPRINT_KEY]
            for item in run["results"]
        }

    before = fingerprints(project, result)
    assert len(set(before.values())) == len(before), "fingerprints are distinct"
    outline = root / "outlines" / "lighthouse.md"
    # An unrelated paragraph in the Opening Image moves every later finding down two lines.
    outline.write_text(
        outline.read_text("utf-8").replace(
            "## Opening Image\n\n", "## Opening Image\n\nGulls wheel over the rock.\n\n"
        ),
        "utf-8",
    )
    moved = load_project(root, strict=False)
    moved_result = lint_project(moved)
    assert [f.line for f in moved_result.findings if f.rule == "dropped-thread"] != [
        f.line for f in result.findings if f.rule == "dropped-thread"
    ]
    assert fingerprints(moved, moved_result) == before


def test_sarif_fingerprint_changes_when_the_finding_does() -> None:
    from storykit.model import Project, ProjectConfig

    project = Project(root=Path("."), config=ProjectConfig(title="t"))
    project.sources["a.md"] = "Ishmael walks.\nIshmael runs.\n"
    first = Finding("unseeded", Severity.WARNING, "Ishmael first appears late", "a.md", 1, 1)
    other_line = Finding("unseeded", Severity.WARNING, "Ishmael first appears late", "a.md", 2, 1)
    other_message = Finding("unseeded", Severity.WARNING, "Korin first appears late", "a.md", 1, 1)
    prints = {sarif.fingerprint_of(f, project) for f in (first, other_line, other_message)}
    assert len(prints) == 3


def test_json_report_has_the_contract_fields(dropped) -> None:  # type: ignore[no-untyped-def]
    _, project, result = dropped
    findings = json.loads(json_report.render(result, project))
    required = {"rule", "severity", "message", "path", "line", "column", "treatment", "suggestion"}
    assert findings and all(required <= set(f) for f in findings)
    assert {f["treatment"] for f in findings if f["rule"] == "dropped-thread"} == {"lighthouse"}


def test_github_annotations(dropped) -> None:  # type: ignore[no-untyped-def]
    _, project, result = dropped
    lines = github.render(result, project).splitlines()
    assert len(lines) == len(result.findings)
    info = next(line for line in lines if "The debt" in line)
    assert info.startswith("::notice file=outlines/lighthouse.md,line=42,col=58,endLine=42,")
    assert ",title=dropped-thread::thread 'The debt' is set up" in info


def test_github_escaping_follows_the_workflow_command_rules() -> None:
    finding = Finding(
        rule="spelling",
        severity=Severity.ERROR,
        message="100% wrong:\r\nsecond line, still",
        path="outlines/a,b:c.md",
        line=3,
        column=7,
    )
    assert github.annotation(finding) == (
        "::error file=outlines/a%2Cb%3Ac.md,line=3,col=7,title=spelling"
        "::100%25 wrong:%0D%0Asecond line, still"
    )


def test_statistics_table_counts_per_rule_and_severity() -> None:
    findings = [
        Finding("unseeded", Severity.WARNING, "a", "x.md", 1, 1),
        Finding("unseeded", Severity.WARNING, "b", "x.md", 2, 1),
        Finding("dropped-thread", Severity.INFO, "c", "x.md", 3, 1),
        Finding("dropped-thread", Severity.WARNING, "d", "x.md", 4, 1),
        Finding("unseeded", Severity.ERROR, "e", "x.md", 5, 1),
    ]
    table = statistics.render_table(LintResult(findings))
    assert table.splitlines() == [
        "count  rule            code   severity",
        "    2  unseeded        SK201  warning",
        "    1  dropped-thread  SK202  info",
        "    1  dropped-thread  SK202  warning",
        "    1  unseeded        SK201  error",
        "5 findings",
    ]
    assert statistics.render_table(LintResult([])) == "no findings\n"
