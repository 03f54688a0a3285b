"""The README is the front door: its two commands are the CI's, and it documents every command
and option the command line has (as sqlite-utils' tests/test_docs.py does)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from helpers import README, REPO

from storykit.cli import _register, app

TEST_COMMAND = "python3 -m pip install -e '.[test]' && python3 -m pytest"
SETUP_COMMAND = "python3 -m pip install . && storykit build"


def _commands() -> Iterator[tuple[str, Any]]:
    """Every leaf command of the CLI, as its full name ("export fountain") and click object."""
    _register()
    root: Any = typer.main.get_command(app)

    def walk(prefix: str, group: Any) -> Iterator[tuple[str, Any]]:
        for name, sub in sorted(group.commands.items()):
            full = f"{prefix} {name}".strip()
            if hasattr(sub, "commands"):
                yield from walk(full, sub)
            else:
                yield full, sub

    yield from walk("", root)


COMMANDS = list(_commands())


def test_the_readme_gives_the_two_commands_and_ci_runs_the_test_one() -> None:
    text = README.read_text(encoding="utf-8")
    assert f"```sh\n{SETUP_COMMAND}\n```" in text
    assert f"```sh\n{TEST_COMMAND}\n```" in text
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in ci.splitlines(), ".ci/run must run exactly the README's test command"


def test_the_readme_shows_its_pictures() -> None:
    text = README.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", text)
    assert {"docs/images/treatment-page.png", "docs/images/compare.png"} <= set(images)
    for image in images:
        assert (REPO / image).is_file(), image


@pytest.mark.parametrize("name,command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme(name: str, command: Any) -> None:
    text = README.read_text(encoding="utf-8")
    assert f"storykit {name}" in text, f"`storykit {name}` is not in the README"
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert any(opt in text for opt in param.opts), f"storykit {name}: {param.opts}"
