"""The registry is the one place rules are declared: adding a rule means its module under
storykit/lint/rules/, its line in `all_rules`, and its fixture folder under tests/rules/; each
test here says which of them is missing."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from helpers import run_storykit

import storykit.lint.rules
from storykit.lint.finding import Severity
from storykit.lint.registry import READS, Rule, all_rules, load_rules, rule

RULES_DIR = Path(__file__).parent / "rules"
RULE_MODULES = sorted(
    m.name for m in pkgutil.iter_modules(storykit.lint.rules.__path__) if not m.name.startswith("_")
)
DOC_PARTS = ("**What it does.**", "**Why is this bad?**", "**Example.**")


def test_rule_names_and_codes_are_unique() -> None:
    names = [r.name for r in all_rules()]
    codes = [r.code for r in all_rules()]
    assert len(set(names)) == len(names), f"a rule name is registered twice: {names}"
    assert len(set(codes)) == len(codes), f"a rule code is used twice: {codes}"
    assert not set(names) & set(codes)


@pytest.mark.parametrize("module", RULE_MODULES)
def test_every_rule_module_is_registered(module: str) -> None:
    handle = getattr(importlib.import_module(f"storykit.lint.rules.{module}"), "RULE", None)
    assert isinstance(handle, Rule), f"storykit/lint/rules/{module}.py defines no @rule RULE"
    assert handle.name.replace("-", "_") == module, f"{module}.py declares rule {handle.name}"
    assert handle in all_rules(), (
        f"rule {handle.name} is not registered: add `{module}.RULE` to all_rules() in "
        "storykit/lint/registry.py"
    )


@pytest.mark.parametrize("each", all_rules(), ids=[r.name for r in all_rules()])
def test_every_rule_has_its_fixture_folder_and_docstring_parts(each: Rule) -> None:
    folder = RULES_DIR / each.name
    missing = [
        f"tests/rules/{each.name}/{part}"
        for part in ("bad/storykit.yaml", "good/storykit.yaml", "expected.json")
        if not (folder / part).is_file()
    ]
    missing += [f"the docstring part {part}" for part in DOC_PARTS if part not in each.doc]
    assert not missing, f"rule {each.name} lacks: {', '.join(missing)}"


def test_what_a_rule_reads_is_declared_and_checked() -> None:
    for each in all_rules():
        assert each.reads and each.reads <= set(READS), each.name
    with pytest.raises(ValueError, match="reads must be some of"):
        rule("x", "SK999", Severity.INFO, reads=("screenplays",))
    with pytest.raises(ValueError, match="reads must be some of"):
        rule("x", "SK999", Severity.INFO, reads=())


def test_load_rules_come_from_the_registry() -> None:
    # Contract §7: exit 2 only when a file could not be loaded (syntax, schema, duplicate-id).
    assert [r.name for r in load_rules()] == ["schema", "duplicate-id"]


def test_unused_suppression_is_a_rule_with_its_own_page() -> None:
    page = run_storykit("rules", "unused-suppression")
    assert page.returncode == 0, page.stderr
    assert "SK601" in page.stdout and "What it does." in page.stdout
    assert run_storykit("rules", "SK601").stdout == page.stdout
