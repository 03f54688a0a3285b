"""The JSON Schemas: generated from the loader's field table, shipped as generated, accepting every
file of the embedded default and rejecting what the loader rejects."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from storykit.jsonschema import (
    kinds,
    modeline,
    packaged_schema_dir,
    render,
    schema_for,
    write_schemas,
)
from storykit.load.bible import FOLDERS
from storykit.load.schema import KINDS
from storykit.load.yamlsrc import parse_yaml
from storykit.model import Limits

FIXTURES = Path(__file__).parent / "rules"


def validator(kind: str) -> Draft202012Validator:
    schema = schema_for(kind)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def as_loaded(path: Path) -> object:
    """The value of a YAML file (or an outline's front matter) exactly as the loader sees it."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        match = re.match(r"---\n(.*?)\n---\n", text, re.S)
        assert match, f"{path} has no front matter"
        text = match.group(1)
    return parse_yaml(text, path.name, Limits()).value


def files_by_kind(root: Path) -> list[tuple[str, Path]]:
    found = [("config", root / "storykit.yaml")]
    for folder, kind in FOLDERS.items():
        found += [(kind, p) for p in sorted((root / "bible" / folder).glob("*.y*ml"))]
    found += [("outline", p) for p in sorted((root / "outlines").glob("*.md"))]
    return found


def errors(kind: str, value: object) -> list[str]:
    return [e.message for e in validator(kind).iter_errors(value)]


def test_every_kind_of_the_field_table_has_a_valid_schema() -> None:
    assert kinds() == list(KINDS)
    for kind in kinds():
        Draft202012Validator.check_schema(schema_for(kind))


def test_shipped_schemas_equal_a_fresh_generation() -> None:
    # If this fails, the field table changed: run `python -m storykit.jsonschema` and commit.
    shipped = packaged_schema_dir()
    assert sorted(p.stem for p in shipped.glob("*.json")) == sorted(kinds())
    for kind in kinds():
        assert (shipped / f"{kind}.json").read_text(encoding="utf-8") == render(kind), kind


def test_every_file_of_the_default_fits_its_schema(default_root: Path) -> None:
    files = files_by_kind(default_root)
    assert len(files) > 40  # the whole default, not an empty folder
    for kind, path in files:
        assert errors(kind, as_loaded(path)) == [], path


def test_every_file_of_a_new_project_fits_its_schema(new_project: Path) -> None:
    for kind, path in files_by_kind(new_project):
        assert errors(kind, as_loaded(path)) == [], path


def test_the_schemas_reject_the_loaders_bad_fixture() -> None:
    bad = FIXTURES / "schema" / "bad" / "bible" / "characters" / "tom.yaml"
    found = errors("character", as_loaded(bad))
    assert any("'rol'" in e for e in found), found  # the unknown key
    assert any("[41]" in e for e in found), found  # age as a list


def test_the_schemas_agree_with_the_loader_on_the_schema_fixtures() -> None:
    """A fixture file fits its schema exactly when the loader finds no schema problem in it."""
    expected = json.loads((FIXTURES / "schema" / "expected.json").read_text())
    flagged = {f["path"] for f in expected}
    for case in ("good", "bad"):
        root = FIXTURES / "schema" / case
        for kind, path in files_by_kind(root):
            rel = path.relative_to(root).as_posix()
            fits = not errors(kind, as_loaded(path))
            assert fits == (case == "good" or rel not in flagged), rel


@pytest.mark.parametrize(
    ("kind", "value", "complaint"),
    [
        (
            "character",
            {"id": "tom", "name": "Tom", "treatment": "x", "ocupation": "y"},
            "ocupation",
        ),
        ("character", {"id": "tom", "name": "Tom", "treatment": "x", "age": True}, "True"),
        ("character", {"id": "tom", "name": "Tom"}, "'treatment' is a required property"),
        ("character", {"id": "Tom", "name": "Tom", "treatment": "x"}, "does not match"),
        ("character", {"id": "t", "name": "T", "treatment": "x", "role": "hero"}, "'hero'"),
        (
            "character",
            {"id": "t", "name": "T", "treatment": "x", "relationships": [{"to": "u"}]},
            "'as' is a required property",
        ),
        ("device", {"id": "d", "name": "D", "treatment": "x", "kind": "gadget"}, "'gadget'"),
        ("thread", {"id": "t", "name": "T", "treatment": "x", "setup": ["Catalyst"]}, "Catalyst"),
        ("treatment", {"id": "t", "title": "T", "year": "2045"}, "'2045' is not of type"),
        ("rules", {"id": "r", "name": "R", "treatment": "all"}, "'rules' is a required property"),
        ("config", {"title": "T", "lint": {"ignore": ["unknwon-name"]}}, "unknwon-name"),
        ("config", {"title": "T", "lint": {"severity": {"spelling": "loud"}}}, "'loud'"),
        ("config", {"titel": "T"}, "'title' is a required property"),
        ("outline", {"title": "T"}, "'treatment' is a required property"),
    ],
)
def test_bad_values_are_rejected(kind: str, value: dict, complaint: str) -> None:
    found = errors(kind, value)
    assert any(complaint in e for e in found), found


def test_empty_optional_values_are_allowed_as_the_loader_allows_them() -> None:
    assert errors("character", {"id": "t", "name": "T", "treatment": "x", "role": None}) == []
    assert errors("character", {"id": "t", "name": None, "treatment": "x"}) != []


def test_write_schemas_and_the_modeline_point_at_each_other(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / ".storykit" / "schemas")
    assert len(written) == len(kinds())
    line = modeline("character", "bible/characters/ruth.yaml")
    assert line == "# yaml-language-server: $schema=../../.storykit/schemas/character.json"
    target = (tmp_path / "bible" / "characters" / line.split("=", 1)[1]).resolve()
    assert target.is_file()
    assert modeline("config", "storykit.yaml").endswith("=.storykit/schemas/config.json")


def test_schema_command(storykit_cli, tmp_path: Path, new_project: Path) -> None:
    listed = storykit_cli("schema")
    assert listed.returncode == 0 and "character" in listed.stdout
    printed = storykit_cli("schema", "device")
    assert json.loads(printed.stdout) == schema_for("device")
    typo = storykit_cli("schema", "charcter")
    assert typo.returncode == 2 and "did you mean 'character'" in typo.stderr
    outside = storykit_cli("schema", "--write", cwd=tmp_path)
    assert outside.returncode == 2 and "not inside a storykit project" in outside.stderr
    wrote = storykit_cli("schema", "--write", cwd=new_project / "bible")
    assert wrote.returncode == 0, wrote.stderr
    assert (new_project / ".storykit" / "schemas" / "thread.json").is_file()


MODELINE = re.compile(r"^#\s+yaml-language-server\s*:\s*\$schema=(\S+)", re.M)


def test_init_files_point_editors_at_schemas_that_validate_them(new_project: Path) -> None:
    """Each YAML file `storykit init` writes names its schema by a path relative to itself (as
    yaml-language-server resolves it), the file is there, and the file fits it."""
    files = [new_project / "storykit.yaml", *sorted((new_project / "bible").rglob("*.yaml"))]
    assert len(files) == 5
    for path in files:
        found = MODELINE.findall(path.read_text(encoding="utf-8"))
        assert len(found) == 1, path
        schema_path = (path.parent / found[0]).resolve()
        assert schema_path.is_relative_to(new_project.resolve()), schema_path
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        assert schema == json.loads(render(schema_path.stem))
        assert list(Draft202012Validator(schema).iter_errors(as_loaded(path))) == [], path
