"""The README's "limits of trust" section stays true: its limits and defaults are the code's."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import yaml
from helpers import readme_section

from storykit.load.schema import KINDS
from storykit.load.yamlsrc import HARD_MAX_DEPTH
from storykit.model import Limits


def _text() -> str:
    return readme_section("Limits of trust")


def test_the_documented_limits_block_is_the_defaults() -> None:
    block = re.search(r"```yaml\n(limits:\n.*?)```", _text(), re.S)
    assert block, "the README's limits of trust lost its limits: example"
    documented = yaml.safe_load(block.group(1))["limits"]
    assert documented == {f.name: f.default for f in fields(Limits)}


def test_every_limit_is_in_the_table_with_its_default() -> None:
    text = _text()
    for limit in fields(Limits):
        row = re.search(rf"^\| `{limit.name}` \| ([\d,]+) \|", text, re.M)
        assert row, f"{limit.name} missing from the limits table"
        assert int(row.group(1).replace(",", "")) == limit.default


def test_every_limit_is_settable_in_storykit_yaml() -> None:
    settable = KINDS["config"]["limits"].fields
    assert settable is not None
    assert set(settable) == {f.name for f in fields(Limits)}


def test_the_documented_depth_ceiling_is_the_code_s() -> None:
    assert f"at most {HARD_MAX_DEPTH}" in _text()
    assert f"past {HARD_MAX_DEPTH}" in _text()


def test_the_documented_folders_are_the_ones_the_loader_reads() -> None:
    from storykit.load.bible import FOLDERS

    text = _text()
    for folder in FOLDERS:
        assert f"`bible/{folder}/`" in text, folder
    assert Path("outlines").name in text
