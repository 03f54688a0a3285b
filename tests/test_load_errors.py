"""Every class of malformed input stops with exit 2 and names file, line, column and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from storykit.errors import LoadError
from storykit.load import load_project


def problems_of(root: Path) -> list[str]:
    with pytest.raises(LoadError) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems]


def write(root: Path, relative: str, text: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def test_the_starter_project_loads_cleanly(new_project: Path) -> None:
    project = load_project(new_project)
    assert project.load_problems == []
    assert list(project.characters) == ["ruth", "tom"]


def test_yaml_syntax_error_names_line_and_column(new_project: Path) -> None:
    write(new_project, "bible/devices/the-light.yaml", "id: the-light\nname: [unclosed\n")
    assert any(
        p.startswith("bible/devices/the-light.yaml:3:1: YAML syntax error")
        for p in problems_of(new_project)
    ), problems_of(new_project)


def test_duplicate_key_is_an_error_not_silently_the_last(new_project: Path) -> None:
    write(
        new_project,
        "bible/characters/tom.yaml",
        "id: tom\nname: Tom\nname: Thomas\ntreatment: first-draft\n",
    )
    (problem,) = [p for p in problems_of(new_project) if "duplicate key" in p]
    assert problem.startswith("bible/characters/tom.yaml:3:1: duplicate key 'name'")
    assert "first defined at line 2" in problem


def test_unknown_key_suggests_the_right_one(new_project: Path) -> None:
    text = (
        (new_project / "bible/characters/tom.yaml").read_text().replace("occupation:", "ocupation:")
    )
    write(new_project, "bible/characters/tom.yaml", text)
    (problem,) = problems_of(new_project)
    assert problem == (
        "bible/characters/tom.yaml:5:1: unknown key 'ocupation' (did you mean 'occupation'?)"
    )


def test_misspelt_name_key_reports_both_the_typo_and_the_missing_field(new_project: Path) -> None:
    text = (new_project / "bible/characters/tom.yaml").read_text().replace("name: Tom", "nmae: Tom")
    write(new_project, "bible/characters/tom.yaml", text)
    found = problems_of(new_project)
    assert "bible/characters/tom.yaml:2:1: unknown key 'nmae' (did you mean 'name'?)" in found
    assert any(
        p.startswith("bible/characters/tom.yaml:1:1: missing required key 'name'") for p in found
    )


def test_wrong_type_says_what_was_expected(new_project: Path) -> None:
    text = (new_project / "bible/characters/ruth.yaml").read_text().replace("age: 41", "age: [41]")
    write(new_project, "bible/characters/ruth.yaml", text)
    (problem,) = problems_of(new_project)
    assert (
        problem == "bible/characters/ruth.yaml:7:6: 'age' must be a number or a word, found a list"
    )


def test_bad_choice_gets_a_did_you_mean(new_project: Path) -> None:
    text = (
        (new_project / "bible/characters/ruth.yaml")
        .read_text()
        .replace("role: protagonist", "role: protagonst")
    )
    write(new_project, "bible/characters/ruth.yaml", text)
    (problem,) = problems_of(new_project)
    assert "'role' must be one of protagonist, antagonist, supporting, minor" in problem
    assert problem.endswith("(did you mean 'protagonist'?)")


def test_duplicate_ids_point_at_the_first_file(new_project: Path) -> None:
    text = (new_project / "bible/characters/tom.yaml").read_text()
    write(new_project, "bible/characters/tom.yml", text)
    found = problems_of(new_project)
    assert found == [
        "bible/characters/tom.yml:1:5: duplicate character id 'tom' (first defined in bible/characters/tom.yaml)"
    ]


def test_references_to_unknown_ids(new_project: Path) -> None:
    text = (
        (new_project / "bible/characters/ruth.yaml").read_text().replace("{to: tom,", "{to: thom,")
    )
    write(new_project, "bible/characters/ruth.yaml", text)
    text = (
        (new_project / "bible/devices/the-light.yaml")
        .read_text()
        .replace("treatment: first-draft", "treatment: frist-draft")
    )
    write(new_project, "bible/devices/the-light.yaml", text)
    found = problems_of(new_project)
    assert (
        "bible/characters/ruth.yaml:10:10: unknown character id 'thom' (did you mean 'tom'?)"
        in found
    )
    assert (
        "bible/devices/the-light.yaml:4:12: unknown treatment 'frist-draft' (did you mean 'first-draft'?)"
        in found
    )


def test_outline_naming_unknown_treatment_and_structure(new_project: Path) -> None:
    path = new_project / "outlines/first-draft.md"
    text = path.read_text().replace("treatment: first-draft", "treatment: first-drafts")
    text = text.replace("structure: save-the-cat", "structure: save-the-kat")
    path.write_text(text)
    found = problems_of(new_project)
    assert any(
        p.startswith("outlines/first-draft.md:2:12: unknown treatment 'first-drafts'")
        for p in found
    )
    assert (
        "outlines/first-draft.md:4:12: unknown structure 'save-the-kat' (did you mean 'save-the-cat'?)"
        in found
    )


def test_outline_without_front_matter(new_project: Path) -> None:
    write(new_project, "outlines/loose.md", "# Act One\n## Catalyst\nSomething happens.\n")
    found = problems_of(new_project)
    assert any(
        p.startswith("outlines/loose.md:1:1: an outline must start with YAML front matter")
        for p in found
    )


def test_thread_beats_must_exist(new_project: Path) -> None:
    write(
        new_project,
        "bible/threads/storm.yaml",
        "id: storm\nname: the storm\ntreatment: first-draft\nsetup: catalist\npayoff: finale\n",
    )
    found = problems_of(new_project)
    assert (
        "bible/threads/storm.yaml:4:8: unknown beat 'catalist' (did you mean 'catalyst'?)" in found
    )


def test_not_utf8_names_the_byte_position(new_project: Path) -> None:
    write(new_project, "bible/devices/the-light.yaml", b"id: the-light\nname: caf\xe9\n")
    (problem,) = problems_of(new_project)
    assert (
        problem
        == "bible/devices/the-light.yaml:2:10: not valid UTF-8 (byte 0xe9) (save the file as UTF-8)"
    )


def test_one_bad_file_does_not_hide_the_others(new_project: Path) -> None:
    write(new_project, "bible/devices/a.yaml", "id: [\n")
    write(new_project, "bible/devices/b.yaml", b"\xff")
    write(
        new_project,
        "bible/characters/c.yaml",
        "id: c\nname: C\ntreatment: first-draft\nrole: hero\n",
    )
    paths = {p.split(":")[0] for p in problems_of(new_project)}
    assert paths == {"bible/devices/a.yaml", "bible/devices/b.yaml", "bible/characters/c.yaml"}


def test_file_that_is_not_a_mapping(new_project: Path) -> None:
    write(new_project, "bible/devices/list.yaml", "- just\n- a list\n")
    assert problems_of(new_project) == [
        "bible/devices/list.yaml:1:1: expected a mapping of keys (device), found a list"
    ]


def test_id_must_match_file_name(new_project: Path) -> None:
    text = (new_project / "bible/characters/tom.yaml").read_text()
    (new_project / "bible/characters/tom.yaml").unlink()
    write(new_project, "bible/characters/thomas.yaml", text)
    (problem,) = problems_of(new_project)
    assert problem.startswith(
        "bible/characters/thomas.yaml:1:5: id 'tom' does not match the file name"
    )


def test_cli_reports_load_errors_with_exit_2_and_no_traceback(
    new_project: Path, storykit_cli
) -> None:
    write(
        new_project,
        "bible/characters/tom.yaml",
        "id: tom\nname: Tom\nname: Thomas\ntreatment: first-draft\n",
    )
    result = storykit_cli("lint", str(new_project))
    assert result.returncode == 2
    assert "bible/characters/tom.yaml:3:1: error duplicate key 'name'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_lint_on_a_folder_that_is_not_a_project(tmp_path: Path, storykit_cli) -> None:
    result = storykit_cli("lint", str(tmp_path))
    assert result.returncode == 2
    assert "is not a storykit project (no storykit.yaml)" in result.stderr
    assert "storykit init" in result.stderr


def test_a_file_that_fails_does_not_cascade_into_unknown_references(new_project: Path) -> None:
    """Ruth's file is broken; Tom's relationship to her is not a second, misleading problem."""
    ruth = new_project / "bible/characters/ruth.yaml"
    write(new_project, "bible/characters/ruth.yaml", ruth.read_text().replace("name:", "nmae:"))
    write(new_project, "bible/treatments/first-draft.yaml", "id: [first-draft\n")
    found = problems_of(new_project)
    assert all(p.startswith(("bible/characters/ruth.yaml", "bible/treatments/")) for p in found)
    assert any("unknown key 'nmae' (did you mean 'name'?)" in p for p in found), found


def test_a_reference_to_the_id_of_a_file_that_failed_to_build_is_not_unknown(
    new_project: Path,
) -> None:
    """The id a broken file states counts as known, also when the file is named otherwise: the
    loader read it from the parsed document (it once asked a YamlDocument whether it was a dict,
    and reported ruth.yaml's relation to 'tom' again as an unknown id)."""
    tom = new_project / "bible/characters/tom.yaml"
    text = tom.read_text("utf-8")
    assert "name: Tom" in text and "id: tom" in text
    tom.unlink()
    write(new_project, "bible/characters/thomas.yaml", text.replace("name:", "nmae:"))
    found = problems_of(new_project)
    assert found, "the broken file is reported"
    assert all(p.startswith("bible/characters/thomas.yaml:") for p in found), found
    assert not any("unknown character id 'tom'" in p for p in found), found


def test_a_reference_to_a_missing_file_is_still_unknown(new_project: Path) -> None:
    (new_project / "bible/characters/ruth.yaml").unlink()
    found = problems_of(new_project)
    assert found == ["bible/characters/tom.yaml:8:10: unknown character id 'ruth' (known: tom)"], (
        found
    )
