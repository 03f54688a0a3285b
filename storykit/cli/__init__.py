"""The command line: a thin typer layer over the library; one module per command.

Errors are caught once, here: a StorykitError becomes its message and exit code 2, never a
traceback. Heavy libraries (WeasyPrint, Jinja2) are imported only inside the commands that
render, so `storykit lint` starts fast.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

import typer

from storykit import __version__
from storykit.cli.common import ExitCode, console_err, print_problems
from storykit.errors import StorykitError


def _flags_take_no_value() -> None:
    """Show `--fix`, not `--fix <bool>`, in --help: typer 0.29 labels an on/off flag with a value
    type as if it took one. A flag has no value to describe."""
    from typer.core import TyperOption

    labelled = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: object) -> str | None:
        return None if self.is_flag else labelled(self, ctx)  # type: ignore[arg-type]

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_take_no_value()

app = typer.Typer(
    name="storykit",
    help="A story bible as code: lint a bible for continuity; compile outlines, beat sheets, PDFs.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storykit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """A story bible as code."""


# Each command's module, in the order of `--help`; a module adds its command(s) to `app`.
COMMANDS = {
    "beats": "beats",
    "build": "build",
    "compare": "compare",
    "export": "export",
    "import": "importer",
    "init": "init",
    "lint": "lint",
    "lsp": "lsp",
    "report": "report",
    "rules": "rules",
    "schema": "schema",
    "watch": "watch",
    "serve": "watch",
}


def _register(argv: list[str] | None = None) -> None:
    """Import the command modules: only the named command's when `argv` names one (a lint
    need not load the builder, the web server or the help renderer), else all of them (for
    --help, shell completion, and the suggestions of an unknown command)."""
    named = next((a for a in argv or () if not a.startswith("-")), None)
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    if named in COMMANDS and not completing:
        modules = [COMMANDS[named]]
    else:
        modules = list(dict.fromkeys(COMMANDS.values()))
    for module in modules:
        importlib.import_module(f"storykit.cli.{module}")


def _tolerant_streams() -> None:
    # A terminal that cannot show a character (LANG=C, a Latin-1 console) must not turn a name
    # with a zero-width joiner into a crash: show such characters as \u200d escapes instead.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main() -> None:
    _tolerant_streams()
    _register(sys.argv[1:])
    try:
        app()  # standalone: typer reports its own usage errors with exit code 2
    except StorykitError as error:
        print_problems(error.problems)
        sys.exit(ExitCode.USAGE_OR_LOAD_ERROR)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(ExitCode.OK)
    except Exception as error:  # a bug of ours: say so in one line, unless debugging
        if os.environ.get("STORYKIT_DEBUG"):
            raise
        console_err().print(
            f"storykit: internal error: {type(error).__name__}: {error} "
            "(please report it; set STORYKIT_DEBUG=1 for the traceback)",
            markup=False,
        )
        sys.exit(ExitCode.USAGE_OR_LOAD_ERROR)
    finally:
        # The process ends with the command, and what it made goes with it. Shutting down, the
        # interpreter runs full collections over every object still tracked (the project, the
        # dictionary's word list, typer's and pydantic's classes): 70-100 ms after a lint. Frozen,
        # they are skipped; storykit leaves no file open and nothing to clean up at exit.
        gc.freeze()
