"""SARIF 2.1.0: the findings as a log that code-scanning services (GitHub, Azure DevOps) upload.

Fingerprints hash the rule, the file, the message and the text of the finding's line (not its
number), so a finding keeps its identity when unrelated edits move it up or down the file.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from storykit import __version__
from storykit.lint.engine import LintResult
from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import Rule, all_rules
from storykit.model import Project

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/storykit/storykit"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "storykit/v1"


def render(result: LintResult, project: Project) -> str:
    return json.dumps(sarif_log(result, project), indent=2, ensure_ascii=False) + "\n"


def sarif_log(result: LintResult, project: Project) -> dict[str, Any]:
    rules = all_rules()
    descriptors = [_descriptor(r) for r in rules]
    index = {r.name: i for i, r in enumerate(rules)}
    seen: dict[str, int] = {}
    results = []
    for finding in result.findings:
        fingerprint = fingerprint_of(finding, project)
        seen[fingerprint] = seen.get(fingerprint, 0) + 1  # identical findings stay distinct
        results.append(_result(finding, index[finding.rule], f"{fingerprint}:{seen[fingerprint]}"))
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "storykit",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {
                    "SRCROOT": {"description": {"text": "The storykit project's root folder."}}
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def fingerprint_of(finding: Finding, project: Project) -> str:
    """A hash of what the finding is about, independent of where the line sits in the file."""
    lines = project.sources.get(finding.path, "").split("\n")
    text = lines[finding.line - 1].strip() if 0 < finding.line <= len(lines) else ""
    key = "\0".join((finding.rule, finding.path, finding.message, text))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.name,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"code": rule.code, "tags": ["continuity"]},
    }


def _result(finding: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
    region: dict[str, int] = {
        "startLine": max(finding.line, 1),
        "startColumn": max(finding.column, 1),
    }
    if finding.end_line is not None and finding.end_column is not None:
        region["endLine"] = finding.end_line
        region["endColumn"] = finding.end_column
    text = finding.message + (f" (suggestion: {finding.suggestion})" if finding.suggestion else "")
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.path, "uriBaseId": "SRCROOT"},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if finding.treatment:
        result["properties"] = {"treatment": finding.treatment}
    return result
