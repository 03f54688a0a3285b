"""The README's section on the writer's ecosystem documents every command and option it is about."""

from __future__ import annotations

from typing import Any

import typer
from helpers import readme_section

from storykit.cli import _register, app

SECTION = "Working with your other tools"
COMMANDS = [("export", "fountain"), ("export", "fdx"), ("schema",), ("watch",), ("serve",)]


def command(path: tuple[str, ...]) -> Any:
    _register()
    found: Any = typer.main.get_command(app)
    for name in path:
        found = found.commands[name]
    return found


def test_every_command_and_option_is_in_the_readme_section() -> None:
    text = readme_section(SECTION)
    for path in COMMANDS:
        assert f"storykit {' '.join(path)}" in text, path
        for param in command(path).params:
            if param.param_type_name == "option" and param.name != "help":
                assert any(opt in text for opt in param.opts), (path, param.opts)


def test_shell_completion_and_the_hook_are_documented() -> None:
    text = readme_section(SECTION)
    for words in (
        "--install-completion",
        "--show-completion",
        "storykit-lint",
        "upload-sarif",
        "storykit lint --format sarif > storykit.sarif",
        "--treatment",
    ):
        assert words in text, words
