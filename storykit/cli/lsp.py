"""`storykit lsp`: the language server, over stdin and stdout."""

from __future__ import annotations

import typer

from storykit.cli import app
from storykit.errors import UsageError


@app.command()
def lsp(
    stdio: bool = typer.Option(
        True, "--stdio", help="Talk over stdin and stdout (the only transport; editors pass it)."
    ),
) -> None:
    """Run the language server for an editor: diagnostics, hover, definition, references,
    completion, rename, code actions and the outline view, for outlines, bible files and
    scripts. It talks over stdin and stdout and never opens a network port."""
    try:
        from storykit.lsp.server import serve
    except ImportError as error:  # installed without the lsp extra
        raise UsageError(
            f"the language server needs pygls and lsprotocol ({error.name} is missing)",
            "install them with: pip install 'storykit[lsp]'",
        ) from None
    serve()
