"""Precision on real writing: how often `storykit lint` cries wolf, and what it still catches.

    python benchmarks/precision.py            # the table: per text, per rule, and the totals
    python benchmarks/precision.py --json     # the same numbers as JSON
    python benchmarks/precision.py --list     # every false finding, then every missed plant

Each folder of `corpus/` is a storykit project made from a public-domain text (corpus/README.md
says which and where from). On the clean text every finding is false unless `known.yaml` lists
it with the reason it is a true problem of the source. `planted.yaml` lists errors planted by
editing one line each; the planted copy is made from the clean project in a temporary folder,
linted, and a plant counts as found when its rule reports it at its file and line.

storykit is run as a whole process, `python -m storykit lint ... --format json`, as a writer
would run it: the numbers measure the command, whatever shape its insides take.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
_WORD = re.compile(r"[^\W\d_](?:[\w’'-]*\w)?")


@dataclass
class Text:
    """One corpus project: where it is, what to lint in it, and how many words of writing."""

    name: str
    root: Path

    @property
    def script(self) -> Path | None:
        scripts = sorted((self.root / "scripts").glob("*.fountain"))
        return scripts[0] if scripts else None

    @property
    def kind(self) -> str:
        return "screenplay" if self.script else "prose"

    def writing(self) -> list[Path]:
        """The files of writing the words are counted in: the script, or the outlines."""
        return [self.script] if self.script else sorted((self.root / "outlines").glob("*.md"))

    def words(self) -> int:
        count = 0
        for path in self.writing():
            body = path.read_text(encoding="utf-8")
            if path.suffix == ".md" and body.startswith("---"):
                body = body.split("\n---", 1)[1]
            for line in body.splitlines():
                if not line.startswith("#"):  # headings are structure, not the author's words
                    count += len(_WORD.findall(line))
        return count

    def yaml(self, name: str) -> list[dict[str, Any]]:
        path = self.root / name
        if not path.exists():
            return []
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return list(data.get("findings" if name == "known.yaml" else "errors", []))


@dataclass
class Result:
    text: Text
    findings: list[dict[str, Any]]
    false: list[dict[str, Any]]
    planted: list[dict[str, Any]]
    missed: list[dict[str, Any]] = field(default_factory=list)
    planted_findings: list[dict[str, Any]] = field(default_factory=list)


def texts() -> list[Text]:
    return [Text(p.name, p) for p in sorted(CORPUS.iterdir()) if (p / "storykit.yaml").exists()]


def lint(root: Path, script: Path | None) -> list[dict[str, Any]]:
    """The findings of `storykit lint` on a project (or its script), as JSON objects.

    A script is a draft of the treatment named like its corpus folder."""
    target = str(script if script else root)
    draft = ["--treatment", root.name] if script else []
    done = subprocess.run(
        [sys.executable, "-m", "storykit", "lint", target, *draft, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"storykit lint {target} failed ({done.returncode}):\n{done.stderr}")
    findings: list[dict[str, Any]] = json.loads(done.stdout)
    return findings


def plant(text: Text, into: Path) -> Path:
    """A copy of the clean project with every planted edit made; the copy's root."""
    copy = into / text.name
    shutil.copytree(text.root, copy)
    for error in text.yaml("planted.yaml"):
        for extra in [*error.get("support", []), *([error] if "add" in error else [])]:
            path = copy / extra["file"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(extra["add"], encoding="utf-8")
        if "find" not in error:
            continue
        path = copy / error["file"]
        lines = path.read_text(encoding="utf-8").split("\n")
        index = int(error["line"]) - 1
        if error["find"] not in lines[index]:
            raise SystemExit(
                f"{text.name}: {error['file']}:{error['line']} has no {error['find']!r}"
            )
        lines[index] = lines[index].replace(error["find"], error["replace"], 1)
        path.write_text("\n".join(lines), encoding="utf-8")
    return copy


def _at(finding: dict[str, Any], entry: dict[str, Any]) -> bool:
    return (
        finding["rule"] == entry["rule"]
        and finding["path"] == entry["file"]
        and finding["line"] == int(entry["line"])
    )


@cache
def measure(name: str) -> Result:
    """Lint one text clean and planted; which findings are false, which plants were missed."""
    text = next(t for t in texts() if t.name == name)
    findings = lint(text.root, text.script)
    known = text.yaml("known.yaml")
    false = [f for f in findings if not any(_at(f, k) for k in known)]
    planted = text.yaml("planted.yaml")
    result = Result(text, findings, false, planted)
    if planted:
        with tempfile.TemporaryDirectory() as tmp:
            copy = plant(text, Path(tmp))
            script = copy / text.script.relative_to(text.root) if text.script else None
            result.planted_findings = lint(copy, script)
        result.missed = [p for p in planted if not any(_at(f, p) for f in result.planted_findings)]
    return result


def summary(results: list[Result]) -> dict[str, Any]:
    """The numbers: per text, per rule, per kind of writing and in total."""
    rules = sorted(
        {f["rule"] for r in results for f in r.findings}
        | {p["rule"] for r in results for p in r.planted}
    )

    def row(group: list[Result], rule: str | None = None) -> dict[str, Any]:
        def keep(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [i for i in items if rule is None or i["rule"] == rule]

        words = sum(r.text.words() for r in group)
        false = [f for r in group for f in keep(r.false)]
        planted = sum(len(keep(r.planted)) for r in group)
        missed = sum(len(keep(r.missed)) for r in group)
        return {
            "words": words,
            "findings": sum(len(keep(r.findings)) for r in group),
            "false": len(false),
            "false_per_1000": round(1000 * len(false) / words, 2) if words else 0.0,
            "false_errors": sum(1 for f in false if f["severity"] == "error"),
            "planted": planted,
            "found": planted - missed,
            "recall": round((planted - missed) / planted, 3) if planted else None,
        }

    kinds = {kind: [r for r in results if r.text.kind == kind] for kind in ("prose", "screenplay")}
    return {
        "texts": {r.text.name: row([r]) | {"kind": r.text.kind} for r in results},
        "rules": {rule: row(results, rule) for rule in rules},
        "kinds": {kind: row(group) for kind, group in kinds.items() if group},
        "total": row(results),
    }


def _table(title: str, rows: dict[str, dict[str, Any]]) -> list[str]:
    head = f"| {title} | words | findings | false | false per 1,000 words | false at error | planted | found | recall |"
    out = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows.items():
        recall = "–" if r["recall"] is None else f"{100 * r['recall']:.0f}%"
        out.append(
            f"| {name} | {r['words']:,} | {r['findings']} | {r['false']} | {r['false_per_1000']:.2f} "
            f"| {r['false_errors']} | {r['planted']} | {r['found']} | {recall} |"
        )
    return out


def render(numbers: dict[str, Any]) -> str:
    rules = {rule: r | {"words": numbers["total"]["words"]} for rule, r in numbers["rules"].items()}
    lines = _table("text", numbers["texts"]) + [""]
    lines += _table("rule (all texts)", rules) + [""]
    lines += _table("writing", numbers["kinds"] | {"total": numbers["total"]})
    return "\n".join(lines) + "\n"


def listing(results: list[Result]) -> str:
    out = []
    for r in results:
        for f in r.false:
            out.append(
                f"false  {r.text.name}/{f['path']}:{f['line']}:{f['column']} "
                f"{f['severity']} {f['rule']}: {f['message']}"
            )
        for p in r.missed:
            out.append(
                f"missed {r.text.name}/{p['file']}:{p['line']} {p['rule']}: {p.get('note', '')}"
            )
    counts = Counter(f["rule"] for r in results for f in r.false)
    out.append("false findings by rule: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--list", action="store_true", help="list false findings and missed plants")
    parser.add_argument("--text", action="append", help="only this corpus folder (repeatable)")
    args = parser.parse_args(argv)
    chosen = [t.name for t in texts() if not args.text or t.name in args.text]
    results = [measure(name) for name in chosen]
    if args.list:
        sys.stdout.write(listing(results))
    elif args.json:
        sys.stdout.write(json.dumps(summary(results), indent=2) + "\n")
    else:
        sys.stdout.write(render(summary(results)))


if __name__ == "__main__":
    main()
