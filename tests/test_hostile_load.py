"""Hostile files meet the loader: resource limits, links out of the project, odd file types.

Each test names the guarantee it holds; each was seen failing once with the guard removed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import yaml
from helpers import assert_located, run_storykit, time_limit
from hypothesis import given, settings
from hypothesis import strategies as st

from storykit.errors import LoadError, StorykitError
from storykit.lint import lint_project
from storykit.load import load_project, yamlsrc
from storykit.model import Limits


def write(root: Path, relative: str, text: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems(root: Path) -> list[str]:
    with pytest.raises(LoadError) as caught:
        load_project(root)
    assert_located(caught.value)
    return [str(p) for p in caught.value.problems]


def problems_in(root: Path, relative: str) -> list[str]:
    """The problems of one file (replacing a file may upset the others' references)."""
    return [p for p in problems(root) if p.startswith(f"{relative}:")]


def set_limits(root: Path, **limits: object) -> None:
    config = root / "storykit.yaml"
    text = config.read_text(encoding="utf-8").split("limits:\n")[0]
    lines = "".join(f"  {key}: {value}\n" for key, value in limits.items())
    config.write_text(text + "limits:\n" + lines, encoding="utf-8")


def laughs(levels: int, width: int = 9) -> str:
    """The classic alias bomb: each level repeats the one before `width` times."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


# --- alias bombs ------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["bible/characters/tom.yaml", "storykit.yaml", "outline"])
def test_billion_laughs_is_refused_before_anything_expands(
    new_project: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """9^31 nodes if expanded: refused from the event stream, before a node is composed."""
    bomb = laughs(30)
    if where == "outline":
        write(
            new_project, "outlines/first-draft.md", f"---\n{bomb}treatment: first-draft\n---\n# A\n"
        )
        where = "outlines/first-draft.md"
    else:
        write(new_project, where, bomb)

    real_compose = yamlsrc.yaml.compose

    def compose(text: str, *args: object, **kwargs: object) -> object:
        assert "lol0" not in text, "the bomb reached the composer"
        return real_compose(text, *args, **kwargs)

    monkeypatch.setattr(yamlsrc.yaml, "compose", compose)
    with time_limit(10):  # a guard against a hang, not a benchmark
        found = problems(new_project)
    (bomb_problem,) = [p for p in found if "too many YAML nodes" in p]
    assert bomb_problem.startswith(f"{where}:")
    assert "over 100,000, aliases expanded" in bomb_problem
    assert "alias bomb" in bomb_problem


def test_billion_laughs_through_the_command_line(new_project: Path) -> None:
    write(new_project, "bible/devices/the-light.yaml", laughs(40))
    result = run_storykit("lint", str(new_project), timeout=60)
    assert result.returncode == 2, result.stderr
    assert "bible/devices/the-light.yaml:" in result.stderr
    assert "too many YAML nodes" in result.stderr
    assert "Traceback" not in result.stderr


def test_aliases_within_the_limit_still_work(new_project: Path) -> None:
    text = (new_project / "bible/characters/tom.yaml").read_text(encoding="utf-8")
    text = text.replace("occupation: fisherman", "occupation: &job fisherman\ndescription: *job")
    text = text.replace("description: Ruth's younger brother, adrift in the storm.\n", "")
    write(new_project, "bible/characters/tom.yaml", text)
    assert load_project(new_project).characters["tom"].description == "fisherman"


def test_an_alias_inside_its_own_anchor_is_refused(new_project: Path) -> None:
    write(new_project, "bible/characters/tom.yaml", "id: tom\nname: &a [Tom, *a]\n")
    assert any(
        p.startswith("bible/characters/tom.yaml:2:")
        and "refers to a structure that contains it" in p
        for p in problems(new_project)
    )


def test_max_yaml_nodes_is_configurable(new_project: Path) -> None:
    many = "\n".join(f"  - theme {i}" for i in range(200))
    path = "bible/treatments/first-draft.yaml"
    text = (
        (new_project / path)
        .read_text(encoding="utf-8")
        .replace("themes: [duty, family]", "themes:\n" + many)
    )
    write(new_project, path, text)
    assert len(load_project(new_project).treatments["first-draft"].themes) == 200
    set_limits(new_project, max_yaml_nodes=150)
    (found,) = problems_in(new_project, path)
    assert "too many YAML nodes (over 150" in found


# --- size -------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_with_a_message(new_project: Path) -> None:
    write(
        new_project,
        "bible/characters/tom.yaml",
        "id: tom\nname: Tom\ndescription: " + "x" * 2_100_000 + "\n",
    )
    (found,) = problems_in(new_project, "bible/characters/tom.yaml")
    assert found == (
        "bible/characters/tom.yaml:1:1: file is 2,100,032 bytes, over the limit of 2,000,000 "
        "(split it, or raise limits.max_file_bytes in storykit.yaml)"
    )


def test_max_file_bytes_is_configurable(new_project: Path) -> None:
    long_description = "A man of the sea. " * 100
    text = (new_project / "bible/characters/tom.yaml").read_text(encoding="utf-8")
    write(
        new_project,
        "bible/characters/tom.yaml",
        text.replace("adrift in the storm.", long_description),
    )
    load_project(new_project)
    set_limits(new_project, max_file_bytes=1000)
    (found,) = [p for p in problems(new_project) if "over the limit" in p]  # the rest are small
    assert found.startswith("bible/characters/tom.yaml:1:1: file is")
    assert "over the limit of 1,000" in found


def test_an_outline_over_the_size_limit_is_refused(new_project: Path) -> None:
    set_limits(new_project, max_file_bytes=5000)
    text = (new_project / "outlines/first-draft.md").read_text(encoding="utf-8")
    write(new_project, "outlines/first-draft.md", text + "\nRuth waits.\n" * 1000)
    (found,) = problems(new_project)
    assert found.startswith("outlines/first-draft.md:1:1: file is")


def test_limits_below_one_are_refused_where_they_are_set(new_project: Path) -> None:
    set_limits(new_project, max_file_bytes=0)
    (found,) = problems(new_project)
    assert found.startswith("storykit.yaml:")
    assert "limits.max_file_bytes must be at least 1, found 0" in found
    line = int(found.split(":")[1])
    assert (new_project / "storykit.yaml").read_text().splitlines()[
        line - 1
    ].strip() == "max_file_bytes: 0"


def test_limits_of_the_wrong_type_are_schema_errors(new_project: Path) -> None:
    set_limits(new_project, max_depth="deep")  # type: ignore[arg-type]
    (found,) = problems(new_project)
    assert "'max_depth' must be a whole number, found the string 'deep'" in found


# --- nesting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nesting",
    [
        pytest.param("[" * 60 + "]" * 60, id="flow-sequences"),
        pytest.param("{a: " * 60 + "}" * 60, id="flow-mappings"),
        pytest.param(
            "\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 61)), id="block-mappings"
        ),
    ],
)
def test_deep_nesting_is_refused_at_its_line(new_project: Path, nesting: str) -> None:
    write(
        new_project,
        "bible/characters/tom.yaml",
        f"id: tom\nname: Tom\ntreatment: first-draft\narc: {nesting}\n",
    )
    (found,) = problems_in(new_project, "bible/characters/tom.yaml")
    assert "nested deeper than 50 levels" in found
    assert int(found.split(":")[1]) >= 4


def test_nesting_deep_enough_to_crash_libyaml_is_refused_not_a_crash(new_project: Path) -> None:
    """libyaml's composer recursed in C and killed the interpreter (SIGSEGV) at ~30 000 levels.

    Run through the real command line: a crash would take pytest with it.
    """
    write(
        new_project,
        "bible/characters/tom.yaml",
        "id: tom\nname: " + "[" * 200_000 + "]" * 200_000 + "\n",
    )
    result = run_storykit("lint", str(new_project), timeout=60)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert "bible/characters/tom.yaml:2:" in result.stderr
    assert "nested deeper than 50 levels" in result.stderr


def test_max_depth_is_configurable_up_to_a_hard_ceiling(new_project: Path) -> None:
    arc = "arc: {want: " + "[" * 60 + "x" + "]" * 60 + "}\n"
    write(
        new_project,
        "bible/characters/tom.yaml",
        f"id: tom\nname: Tom\ntreatment: first-draft\n{arc}",
    )
    set_limits(new_project, max_depth=100)
    found = problems_in(new_project, "bible/characters/tom.yaml")  # YAML fine; want: not a string
    assert not any("nested deeper" in p for p in found), found
    assert any("'want' must be a string" in p for p in found), found
    # No setting lifts the ceiling that keeps libyaml's recursion from crashing the process.
    write(
        new_project,
        "bible/characters/tom.yaml",
        "id: tom\nname: " + "[" * 100_000 + "]" * 100_000 + "\n",
    )
    # The node limit raised too, so that only the depth ceiling stands between this and a crash.
    set_limits(new_project, max_depth=1_000_000, max_yaml_nodes=100_000_000)
    result = run_storykit("lint", str(new_project), timeout=60)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert f"nested deeper than {yamlsrc.HARD_MAX_DEPTH} levels" in result.stderr


def test_deep_markdown_is_harmless(new_project: Path) -> None:
    text = (new_project / "outlines/first-draft.md").read_text(encoding="utf-8")
    deep = "> " * 50_000 + "Ruth\n\n" + "".join("  " * i + "- x\n" for i in range(500))
    write(new_project, "outlines/first-draft.md", text + "\n" + deep)
    with time_limit(30):
        project = load_project(new_project)
        lint_project(project)


# --- files that are not what they seem --------------------------------------------------------


def test_a_symlinked_file_pointing_outside_is_refused(new_project: Path, tmp_path: Path) -> None:
    secret = write(
        tmp_path, "outside/secret.yaml", "id: secret\nname: Secret\ntreatment: first-draft\n"
    )
    os.symlink(secret, new_project / "bible/characters/secret.yaml")
    (found,) = problems(new_project)
    assert found.startswith(
        "bible/characters/secret.yaml:1:1: symbolic link points outside the project"
    )


def test_a_symlinked_folder_pointing_outside_is_refused(new_project: Path, tmp_path: Path) -> None:
    write(tmp_path, "elsewhere/spy.yaml", "id: spy\nname: Spy\ntreatment: first-draft\n")
    (new_project / "bible/devices/the-light.yaml").rename(tmp_path / "elsewhere/the-light.yaml")
    (new_project / "bible/devices").rmdir()
    os.symlink(tmp_path / "elsewhere", new_project / "bible/devices", target_is_directory=True)
    found = problems(new_project)
    assert all("symbolic link points outside the project" in p for p in found), found
    assert {p.split(":")[0] for p in found} == {
        "bible/devices/spy.yaml",
        "bible/devices/the-light.yaml",
    }


def test_a_symlink_to_a_device_is_refused(new_project: Path) -> None:
    os.symlink("/dev/urandom", new_project / "outlines/random.md")
    with time_limit(10):
        (found,) = problems(new_project)
    assert found.startswith("outlines/random.md:1:1: symbolic link points outside the project")


def test_a_symlink_inside_the_project_is_followed(new_project: Path) -> None:
    (new_project / "outlines/first-draft.md").rename(new_project / "first-draft.md")
    os.symlink(new_project / "first-draft.md", new_project / "outlines/first-draft.md")
    assert list(load_project(new_project).outlines) == ["first-draft"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_waited_on(new_project: Path) -> None:
    os.mkfifo(new_project / "bible/characters/pipe.yaml")
    with time_limit(10):  # reading a FIFO with no writer blocks forever
        (found,) = problems(new_project)
    assert found == "bible/characters/pipe.yaml:1:1: not a regular file; refusing to read it"


def test_a_folder_named_like_a_file_is_refused(new_project: Path) -> None:
    (new_project / "outlines/folder.md").mkdir()
    (found,) = problems(new_project)
    assert found.startswith("outlines/folder.md:1:1: not a regular file")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file_is_reported(new_project: Path) -> None:
    path = new_project / "bible/characters/tom.yaml"
    path.chmod(0)
    try:
        (found,) = [p for p in problems(new_project) if p.startswith("bible/characters/tom.yaml")]
    finally:
        path.chmod(0o644)
    assert found == "bible/characters/tom.yaml:1:1: cannot read file: Permission denied"


# --- text that is not what it seems -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (
            b"id: tom\nname: \xed\xa0\x80Tom\n",
            "2:7",
            "not valid UTF-8 (byte 0xed)",
        ),  # lone surrogate
        (b"id: tom\nname: Tom\xff\n", "2:10", "not valid UTF-8 (byte 0xff)"),
        (b"id: tom\nname: T\x00om\n", "2:8", "NUL byte in text"),
        (b"id: tom\n\nname: T\x07om\n", "3:8", "character U+0007 is not allowed in YAML"),
        (b'id: tom\nname: "\\ud800"\n', "2:", "YAML syntax error"),  # an escaped lone surrogate
    ],
    ids=["lone-surrogate", "latin-1", "nul", "control-character", "escaped-surrogate"],
)
def test_text_that_is_not_clean_utf8_is_located(
    new_project: Path, data: bytes, where: str, message: str
) -> None:
    write(new_project, "bible/characters/tom.yaml", data)
    found = [p for p in problems(new_project) if p.startswith("bible/characters/tom.yaml")]
    assert len(found) == 1 and found[0].startswith(f"bible/characters/tom.yaml:{where}"), found
    assert message in found[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!bool maybe", "cannot read 'maybe' as !!bool"),
        ("!!bool", "cannot read '' as !!bool"),
        ("!!int", "cannot read '' as !!int"),
        ("!!float", "cannot read '' as !!float"),
        ("!!timestamp x", "cannot read 'x' as !!timestamp"),
        ("2001-13-45", "cannot read this value: month must be in 1..12"),
    ],
)
def test_a_tag_that_does_not_fit_its_value_is_located(
    new_project: Path, value: str, message: str
) -> None:
    """PyYAML's constructors trust an explicit tag and fail with a bare KeyError or IndexError."""
    write(new_project, "bible/characters/tom.yaml", f"id: tom\nname: Tom\nage: {value}\n")
    (found,) = problems_in(new_project, "bible/characters/tom.yaml")
    assert found.startswith("bible/characters/tom.yaml:3:6: "), found
    assert message in found, found


def test_bom_crlf_and_bidi_marks_load_as_text(new_project: Path) -> None:
    character = 'id: tom\nname: "Tom\u200d"\naliases: ["\u200fTommy"]\ntreatment: first-draft\n'
    write(
        new_project,
        "bible/characters/tom.yaml",
        b"\xef\xbb\xbf" + character.replace("\n", "\r\n").encode(),
    )
    project = load_project(new_project, strict=False)
    assert project.characters["tom"].names == ["Tom\u200d", "\u200fTommy"]
    lint_project(project)


# --- structures and settings ------------------------------------------------------------------


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e999", "[12]", "twelve"])
def test_a_malformed_project_structure_is_a_located_problem(new_project: Path, value: str) -> None:
    write(
        new_project,
        "structures/mine.yaml",
        f"id: mine\nname: Mine\npages: {value}\nbeats: [{{id: a, name: A, page: {value}}}]\n",
    )
    found = problems(new_project)
    assert any(p.startswith("structures/mine.yaml:1:1: malformed structure") for p in found), found


@pytest.mark.parametrize(
    "setting",
    [
        "select: [unknwn-name]",
        "ignore: [nope]",
        "severity: {nope: info}",
    ],
)
def test_an_unknown_rule_in_the_settings_names_storykit_yaml(
    new_project: Path, setting: str
) -> None:
    config = new_project / "storykit.yaml"
    text = config.read_text(encoding="utf-8")
    # The setting replaces both of init's `ignore:` and `severity:` lines, so no key repeats.
    text = text.replace("  ignore: [missing-beat]", "  " + setting)
    text = text.replace("  severity: {}", "  ignore: []" if "ignore" not in setting else "")
    config.write_text(text, encoding="utf-8")
    project = load_project(new_project, strict=False)
    with pytest.raises(StorykitError) as caught:
        lint_project(project)
    assert_located(caught.value)
    assert caught.value.problems[0].path == "storykit.yaml"


def test_parse_yaml_limits_apply_to_front_matter_too() -> None:
    """parse_yaml is the one door for YAML: outlines' front matter comes through it as well."""
    with pytest.raises(yamlsrc.YamlProblem) as caught:
        yamlsrc.parse_yaml(laughs(12), "outlines/x.md", Limits(), line_offset=1)
    assert caught.value.problem.line >= 2  # the front matter starts on the outline's line 2
    assert yaml.__with_libyaml__, "the C parser is what these limits were written against"


_yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    value=_yaml_values,
    flow=st.booleans(),
    max_depth=st.integers(1, 8),
    max_nodes=st.integers(2, 60) | st.just(100_000),
)
def test_a_file_let_past_the_shape_walk_could_not_have_failed_it(
    value: object, flow: bool, max_depth: int, max_nodes: int
) -> None:
    """The walk over the event stream is skipped for text too plain to be refused by it: a
    skip must never let through what the walk would have refused."""
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    limits = Limits(max_depth=max_depth, max_yaml_nodes=max_nodes)
    if yamlsrc._shape_is_bounded(text, limits):
        yamlsrc._check_shape(text, "x.yaml", limits, 0)  # raises YamlProblem if refused
