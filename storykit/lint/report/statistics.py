"""`--statistics`: how many findings each rule produced, at each severity."""

from __future__ import annotations

import json
from collections import Counter

from storykit.lint.engine import LintResult
from storykit.lint.registry import all_rules


def counts(result: LintResult) -> list[dict[str, str | int]]:
    """One row per (rule, severity), most frequent first, then by rule name."""
    codes = {r.name: r.code for r in all_rules()}
    tally = Counter((f.rule, str(f.severity)) for f in result.findings)
    rows = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    return [
        {"rule": rule, "code": codes.get(rule, ""), "severity": severity, "count": count}
        for (rule, severity), count in rows
    ]


def render_table(result: LintResult) -> str:
    rows = counts(result)
    if not rows:
        return "no findings\n"
    header = ("count", "rule", "code", "severity")
    cells = [
        header,
        *[(str(r["count"]), str(r["rule"]), str(r["code"]), str(r["severity"])) for r in rows],
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.rjust(widths[i]) if i == 0 else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in cells
    ]
    lines.append(f"{len(result.findings)} findings")
    return "\n".join(lines) + "\n"


def render_json(result: LintResult) -> str:
    return json.dumps(counts(result), indent=2) + "\n"
