"""Hostile projects through the real command line: exit 0, 1 or 2, never a traceback, never a hang.

Every run is a subprocess with a timeout, so a crash or a hang fails the test instead of the
whole session.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import INIT_FILES, mutated, project_from, run_storykit
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

TIMEOUT = 60


# How the command line reports a problem of a file: `path:line:column: error ...`.
LOCATED = re.compile(r"^[^\s:][^:]*:[1-9]\d*:[1-9]\d*: error ")


def assert_clean_exit(
    result, *, allowed: tuple[int, ...] = (0, 1, 2), located: bool = False
) -> None:
    """Exit 0, 1 or 2, no traceback; exit 2 has a message, and with `located` (a project's own
    files were at fault, not the command line) every problem in it names a file and a line."""
    assert result.returncode in allowed, (result.returncode, result.stderr[-2000:])
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream[-2000:]
        assert "internal error" not in stream, stream[-2000:]
    if result.returncode == 2:  # an error names a file and a line, or is a usage message
        assert result.stderr.strip(), "exit 2 without a message"
        if located:
            # A load error prints its problems on stderr; error findings go to stdout (text or
            # JSON) with a summary on stderr. Either way each names a file and a line.
            lines = [*result.stderr.splitlines(), *result.stdout.splitlines()]
            problems = [line for line in lines if LOCATED.match(line)]
            if result.stdout.lstrip().startswith("["):
                problems += [
                    f
                    for f in json.loads(result.stdout)
                    if f["severity"] == "error" and f["path"] and f["line"] >= 1
                ]
            unlocated = [line for line in result.stderr.splitlines() if line.startswith("error ")]
            assert problems and not unlocated, f"a problem without file and line: {result.stderr}"


def write(root: Path, relative: str, data: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


HOSTILE = {
    "zero-width-joiner-in-name": {
        "bible/characters/tom.yaml": 'id: tom\nname: "To\u200dm"\naliases: ["\u200fTommy\u202e"]\n'
        "treatment: first-draft\n",
        "outlines/first-draft.md": "---\ntreatment: first-draft\n---\n# Act One\n## Catalyst\n"
        "To\u200dm's boat and \u200fTommy\u202e and Ｒｕｔｈ.\n",
    },
    "invisible-key": {
        "bible/characters/tom.yaml": "id: tom\nname: Tom\ntreatment: first-draft\n\u200drole: minor\n"
    },
    "bom-and-crlf": {
        "bible/characters/tom.yaml": "\ufeffid: tom\r\nname: Tom\r\ntreatment: first-draft\r\n",
        "outlines/first-draft.md": "\ufeff---\r\ntreatment: first-draft\r\n---\r\n# A\r\n## Catalyst\r\nTom.\r\n",
    },
    "invalid-utf8": {"bible/characters/tom.yaml": b"id: tom\nname: \xed\xa0\x80\n"},
    "truncated": {"bible/characters/ruth.yaml": "id: ruth\nname: Ruth\ntreatment: first-dr"},
    "truncated-front-matter": {"outlines/first-draft.md": "---\ntreatment: first-draft\n"},
    "wrong-types": {
        "bible/characters/tom.yaml": "id: [tom]\nname: {a: 1}\ntreatment: 7\naliases: yes\nage: .inf\n"
        "relationships: {to: ruth}\narc: [want]\n",
    },
    "unknown-structure": {
        "outlines/first-draft.md": "---\ntreatment: first-draft\nstructure: nope\n---\n# A\n## Catalyst\nTom.\n",
    },
    "deep-nesting": {"bible/devices/the-light.yaml": "id: " + "[" * 100_000 + "]" * 100_000 + "\n"},
    "enormous-line": {
        "outlines/first-draft.md": "---\ntreatment: first-draft\n---\n# A\n## Catalyst\n"
        + "Ruth and Tom " * 30_000
        + "\n",
    },
    "empty-files": {
        "storykit.yaml": "",
        "bible/characters/tom.yaml": "",
        "outlines/first-draft.md": "",
    },
    "template-syntax": {
        "bible/characters/tom.yaml": 'id: tom\nname: "{{ 7*7 }}"\ntreatment: first-draft\n'
        'description: "{% for x in range(10**9) %}{% endfor %}"\n',
    },
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_hostile_projects_through_lint(new_project: Path, case: str, output_format: str) -> None:
    for relative, data in HOSTILE[case].items():
        write(new_project, relative, data)
    result = run_storykit("lint", str(new_project), "--format", output_format, timeout=TIMEOUT)
    assert_clean_exit(result, located=True)
    if output_format == "json" and result.returncode in (0, 1):
        for finding in json.loads(result.stdout):
            assert finding["path"] and finding["line"] >= 1, finding


def test_a_terminal_that_cannot_show_a_name_gets_escapes_not_a_crash(new_project: Path) -> None:
    """An accented value and a joiner, on a terminal without Unicode: escaped, not a crash."""
    write(
        new_project,
        "bible/characters/tom.yaml",
        "id: tom\nname: Tom\ntreatment: first-draft\nrole: m\u00efnor\u200d\n",
    )
    result = run_storykit(
        "lint", str(new_project), env={"PYTHONIOENCODING": "ascii"}, timeout=TIMEOUT
    )
    assert_clean_exit(
        result, allowed=(1, 2), located=True
    )  # 2: schema errors mean it did not load cleanly
    assert "bible/characters/tom.yaml:4:7:" in result.stdout
    assert "found 'm\\xefnor\\u200d'" in result.stdout


def test_invisible_characters_are_shown_in_messages(new_project: Path) -> None:
    write(
        new_project,
        "bible/characters/tom.yaml",
        'id: tom\nname: Tom\ntreatment: first-draft\nrole: "minor\u200f"\n',
    )
    result = run_storykit("lint", str(new_project), timeout=TIMEOUT)
    assert_clean_exit(
        result, allowed=(1, 2), located=True
    )  # 2: schema errors mean it did not load cleanly
    assert "found 'minor\\u200f'" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "{root}/nope"],
        ["lint", "{root}/storykit.yaml/x"],
        ["lint", "{root}/bible"],
        ["lint", "{root}", "--format", "yaml"],
        ["lint", "{root}", "--select", "no-such-rule"],
        ["lint", "{root}", "--ignore", "\u200d"],
        ["no-such-command"],
        ["lint", "--no-such-option"],
    ],
)
def test_misuse_is_a_message_and_exit_2(new_project: Path, args: list[str]) -> None:
    result = run_storykit(*[a.format(root=new_project) for a in args], timeout=TIMEOUT)
    assert_clean_exit(result, allowed=(2,))


@pytest.fixture(scope="module")
def cli_workspace():
    folder = Path(tempfile.mkdtemp(prefix="storykit-cli-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=examples(8), deadline=None)  # each example is a subprocess; its own timeout
@given(st.data())
def test_mutated_projects_through_the_command_line(
    cli_workspace: Path, data: st.DataObject
) -> None:
    files = dict(INIT_FILES)
    name = data.draw(st.sampled_from(sorted(files)), label="file")
    files[name] = data.draw(mutated(files[name]), label=name)
    with project_from(cli_workspace, files) as root:
        result = run_storykit("lint", str(root), "--format", "json", timeout=TIMEOUT)
        assert_clean_exit(result, located=True)
