"""Every lint rule has a fixture that must trigger it, one that must not, and documentation.

tests/rules/<rule-name>/bad/   a tiny complete project that must trigger the rule
tests/rules/<rule-name>/good/  one that must not
tests/rules/<rule-name>/expected.json   the rule's findings on bad/, exactly

Adding a rule means adding its folder. After a deliberate change to a rule's findings, rewrite
the snapshots with `STORYKIT_REGENERATE=1 pytest tests/test_rule_fixtures.py` and review the
diff like code.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from storykit.lint import lint_project
from storykit.lint.finding import Fix, Severity
from storykit.lint.registry import all_rules
from storykit.load import load_project

RULES_DIR = Path(__file__).parent / "rules"
RULE_NAMES = [r.name for r in all_rules()]
KEYS = ("rule", "severity", "path", "line", "column", "end_line", "end_column", "message")
KEYS += ("suggestion", "fix")
REGENERATE = os.environ.get("STORYKIT_REGENERATE") == "1"


def findings_of(rule: str, project_dir: Path) -> list[dict[str, object]]:
    """The rule's findings on a fixture project, as `storykit lint --select RULE` finds them."""
    project = load_project(project_dir, strict=False)
    result = lint_project(project, select=[rule])
    return [
        {key: _plain(getattr(f, key)) for key in KEYS} for f in result.findings if f.rule == rule
    ]


def _plain(value: object) -> object:
    """A finding's field as JSON holds it: a severity by name, a fix as its fields."""
    if isinstance(value, Severity):
        return str(value)
    if isinstance(value, Fix):
        return dataclasses.asdict(value)
    return value


def _folder(rule: str, which: str) -> Path:
    folder = RULES_DIR / rule / which
    if not folder.is_dir():
        pytest.skip(f"no {which}/ fixture for {rule} (test_rule_registry.py fails for it)")
    return folder


def test_no_fixture_folder_for_an_unknown_rule() -> None:
    stray = sorted(p.name for p in RULES_DIR.iterdir() if p.is_dir() and p.name not in RULE_NAMES)
    assert not stray, f"fixture folders for rules that do not exist: {stray}"


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_bad_fixture_yields_exactly_the_expected_findings(rule: str) -> None:
    found = findings_of(rule, _folder(rule, "bad"))
    expected_file = RULES_DIR / rule / "expected.json"
    if REGENERATE:
        expected_file.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert found, f"the bad fixture of {rule} does not trigger it"
    expected = json.loads(expected_file.read_text("utf-8"))
    assert found == expected


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_good_fixture_does_not_trigger_the_rule(rule: str) -> None:
    assert findings_of(rule, _folder(rule, "good")) == []


@pytest.mark.parametrize("rule", all_rules(), ids=RULE_NAMES)
def test_every_rule_documents_itself_in_three_parts(rule) -> None:  # type: ignore[no-untyped-def]
    doc = rule.doc
    positions = [
        doc.find(part) for part in ("**What it does.**", "**Why is this bad?**", "**Example.**")
    ]
    assert all(p > 0 for p in positions), f"{rule.name}'s docstring lacks a part: {positions}"
    assert positions == sorted(positions), f"{rule.name}'s docstring has its parts out of order"
    assert "TODO" not in doc
    assert rule.summary and not rule.summary.startswith("**"), "the first paragraph is the summary"
