"""`storykit rules [NAME]`: the lint rules as a table, or one rule's full documentation."""

from __future__ import annotations

import typer
from rich.table import Table

from storykit.cli import app
from storykit.cli.common import console
from storykit.lint.registry import all_rules, rule_by_name


@app.command()
def rules(
    name: str | None = typer.Argument(None, help="A rule's name or code: print its full text."),
) -> None:
    """List the lint rules (name, code, default severity, what each catches), or explain one."""
    if name is None:
        table = Table(title="storykit lint rules", title_justify="left")
        table.add_column("rule", no_wrap=True)
        table.add_column("code", no_wrap=True)
        table.add_column("severity", no_wrap=True)
        table.add_column("catches")
        for rule in all_rules():
            table.add_row(rule.name, rule.code, str(rule.severity), rule.summary)
        console().print(table)
        console().print("Details: storykit rules NAME", markup=False)
        return
    from rich.console import Console
    from rich.markdown import Markdown  # it pulls in pygments: only for a rule's page

    rule = rule_by_name(name)
    # A page to read, not a report to grep: wrapped at word boundaries to the terminal's width
    # (80 columns in a pipe), where the report console leaves long lines whole.
    Console(highlight=False).print(
        Markdown(f"# {rule.name} ({rule.code}, default: {rule.severity})\n\n{rule.doc}\n")
    )
