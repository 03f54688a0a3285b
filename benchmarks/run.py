"""Measure storykit at series scale, in one run: print a table, write the numbers as JSON.

    python benchmarks/run.py                      # everything (a few minutes)
    python benchmarks/run.py --quick              # scales 1 and 10, one repeat, no build
    python benchmarks/run.py --only parse,cold    # chosen sections

Sections (each compared with its target; see benchmarks/README.md):

- parse    lint vs. parse-only: `load + lint + text report` ÷ `load` of the same files, in-process,
           best of N, at the largest scale asked for; lint with every rule in one process; and
           `storykit lint` on that project as a whole process;
- peer     words per second of storykit lint against proselint's Python API on the same outline
           text (the concatenated beat paragraphs, on a sample of --peer-words words of the
           middle scale: proselint takes ~20-30 µs a word), at the middle and largest scales;
- scaling  time per word of lint at each scale (default 1, 10, 100);
- cold     `storykit --help` and `storykit lint` on the default, as whole processes, best of N;
           and whether linting imported WeasyPrint or Jinja2;
- build    full build, no-op rebuild and one-outline-changed rebuild of a copy of the default,
           as ratios to the full build (storykit.compile.build.build; "n/a" if absent);
- memory   peak resident memory of a process that loads and lints the largest scale.

The synthetic projects come from benchmarks/generate.py (deterministic) in a temporary folder.
Benchmarks are not tests: nothing here fails on a slow machine, it only reports.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a fresh clone without installing
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import count_words, generate  # noqa: E402

SECTIONS = ("parse", "peer", "scaling", "cold", "build", "memory")
HEAVY = ("weasyprint", "jinja2")


def best_of(repeat: int, action: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(max(1, repeat)):
        gc.collect()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def load(root: Path) -> Any:
    from storykit.load import load_project

    return load_project(root, strict=False)


def lint(root: Path) -> int:
    """What `storykit lint` does in-process: load, lint, render the text report."""
    from storykit.lint import lint_project
    from storykit.lint.report import render_report

    project = load(root)
    result = lint_project(project)
    render_report("text", result, project)
    return len(result.findings)


def warm(root: Path) -> None:
    """Lint once in this process: imports, the dictionary and compiled patterns stay cached."""
    lint(root)


def outline_text(root: Path) -> str:
    """The beat and act paragraphs of every outline, concatenated: the prose both linters read."""
    from storykit.analysis import paragraphs_of

    project = load(root)
    return "\n\n".join(
        paragraph.text
        for outline in project.outlines.values()
        for _, _, paragraph in paragraphs_of(outline)
    )


# --- sections -----------------------------------------------------------------------------------


def measure_parse(root: Path, repeat: int) -> dict[str, Any]:
    warm(root)
    parse_s = best_of(repeat, lambda: load(root))
    lint_s = best_of(repeat, lambda: lint(root))
    # What a save costs: `storykit lint` as a whole process, nothing cached, memory fresh.
    whole = [*storykit_command(), "lint", str(root)]
    env = {**os.environ, "NO_COLOR": "1"}
    process_s = best_of(
        repeat, lambda: subprocess.run(whole, env=env, capture_output=True, check=False)
    )
    return {
        "project": root.name,
        "words": count_words(root),
        "parse_s": parse_s,
        "lint_s": lint_s,
        "ratio": lint_s / parse_s,
        "whole_process_s": process_s,
        "findings": lint(root),
    }


def measure_scaling(roots: dict[float, Path], repeat: int) -> dict[str, Any]:
    rows = []
    for scale, root in roots.items():
        warm(root)
        seconds = best_of(repeat, lambda root=root: lint(root))
        words = count_words(root)
        rows.append(
            {
                "scale": scale,
                "words": words,
                "lint_s": seconds,
                "us_per_word": seconds / words * 1e6,
            }
        )
    first, last = rows[0], rows[-1]
    return {"rows": rows, "growth": last["us_per_word"] / first["us_per_word"]}


def measure_peer(roots: list[Path], repeat: int, sample_words: int) -> dict[str, Any]:
    """proselint's words per second on a sample of the first project's outline text, against
    storykit's on each project whole (the middle scale, and the largest: a series)."""
    try:
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
        from proselint.version import __version__ as proselint_version
    except ImportError:
        return {
            "available": False,
            "note": "proselint is not installed (pip install -e '.[bench]')",
        }
    registry = CheckRegistry()
    if not registry.checks:
        registry.register_many(__register__)
    words = outline_text(roots[0]).split()
    sample = " ".join(words[:sample_words])
    sample_count = len(sample.split())
    config = {**DEFAULT, "max_errors": 10**9}  # its default stops at 1,000 results
    peer_s = best_of(repeat, lambda: LintFile("outlines", sample).lint(config))
    peer_wps = sample_count / peer_s
    rows = []
    for root in roots:
        count = len(outline_text(root).split())
        warm(root)
        storykit_s = best_of(repeat, lambda root=root: lint(root))
        rows.append(
            {
                "project": root.name,
                "storykit_words": count,
                "storykit_s": storykit_s,
                "storykit_words_per_s": count / storykit_s,
                "ratio": count / storykit_s / peer_wps,
            }
        )
    return {
        "available": True,
        "proselint": proselint_version,
        "proselint_project": roots[0].name,
        "proselint_words": sample_count,
        "proselint_s": peer_s,
        "proselint_words_per_s": peer_wps,
        "rows": rows,
    }


def storykit_command() -> list[str]:
    script = Path(sys.executable).with_name("storykit")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "storykit"]


def measure_cold(repeat: int) -> dict[str, Any]:
    from storykit.load.project import embedded_default

    default = embedded_default()
    env = {**os.environ, "NO_COLOR": "1"}
    command = storykit_command()

    def run(*args: str) -> None:
        subprocess.run([*command, *args], env=env, capture_output=True, check=False)

    run("--help")  # warm the file cache and bytecode
    help_s = best_of(repeat, lambda: run("--help"))
    lint_s = best_of(repeat, lambda: run("lint", str(default)))
    probe = (
        "import sys\nfrom storykit.cli import main\nsys.argv = ['storykit', 'lint', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))),"
        " file=sys.__stderr__)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe, str(default)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    heavy = found.stderr.strip().splitlines()[-1].split() if found.stderr.strip() else []
    return {"help_s": help_s, "lint_default_s": lint_s, "heavy_imports_in_lint": heavy}


def measure_build(repeat: int) -> dict[str, Any]:
    try:
        from storykit.compile.build import build
    except ImportError:
        return {"available": False, "note": "n/a: storykit.compile.build.build does not exist yet"}
    from storykit.load.project import embedded_default

    default = embedded_default()
    with tempfile.TemporaryDirectory(prefix="storykit-bench-build-") as folder:
        root = Path(folder) / "project"
        root.mkdir()
        shutil.copy2(default / "storykit.yaml", root / "storykit.yaml")
        for name in ("bible", "outlines"):
            shutil.copytree(default / name, root / name)
        out = root / "build"

        def full() -> None:
            shutil.rmtree(out, ignore_errors=True)
            build(load(root), out)

        full_s = best_of(repeat, full)
        outputs = len(build(load(root), out).skipped)  # a no-op: every output is fresh
        noop_s = best_of(max(3, repeat), lambda: build(load(root), out))
        outline = sorted((root / "outlines").glob("*.md"))[0]
        original = outline.read_text(encoding="utf-8")
        counter = iter(range(10**6))

        def one_changed() -> None:
            # A new sentence each time, so every run really has one changed outline to rebuild.
            outline.write_text(
                original + f"\nA changed line, number {next(counter)}.\n", encoding="utf-8"
            )
            report = build(load(root), out)
            assert report.written, "a changed outline rebuilt nothing"

        changed_s = best_of(repeat, one_changed)
        outline.write_text(original + "\nOne more change.\n", encoding="utf-8")
        rebuilt = len(build(load(root), out).written)
    return {
        "available": True,
        "project": "default (a copy)",
        "outputs": outputs,
        "outputs_rebuilt_for_one_outline": rebuilt,
        "full_s": full_s,
        "noop_s": noop_s,
        "one_changed_s": changed_s,
        "noop_ratio": noop_s / full_s,
        "one_changed_ratio": changed_s / full_s,
    }


def measure_memory(root: Path) -> dict[str, Any]:
    """Peak resident memory of a fresh process that loads and lints `root`.

    Read from /proc/self/status (VmHWM): ru_maxrss would keep the high-water mark of the
    benchmark process the child was forked from, which holds every generated project. The
    second process a large project's rules run in is reported apart (RUSAGE_CHILDREN of the
    probe); most of its resident pages are the first's, shared until written.
    """
    script = (
        "import resource, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})\n"
        "from pathlib import Path\n"
        "def peak():\n"
        "    try:\n"
        "        for line in open('/proc/self/status'):\n"
        "            if line.startswith('VmHWM:'):\n"
        "                return int(line.split()[1])\n"
        "    except OSError:\n"
        "        pass\n"
        "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "from run import lint\n"
        "base = peak()\n"
        "lint(Path(sys.argv[1]))\n"
        "print(base, peak(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True
    )
    base_kb, peak_kb, second_kb = map(int, result.stdout.split()[-3:])
    return {
        "project": root.name,
        "words": count_words(root),
        "peak_rss_mb": peak_kb / 1024,
        "second_process_rss_mb": second_kb / 1024,
        "after_imports_rss_mb": base_kb / 1024,
        "lint_rss_mb": (peak_kb - base_kb) / 1024,
    }


# --- report --------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT met")


def table(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(measure, value, target, verdict) rows."""
    rows: list[tuple[str, str, str, str]] = []
    parse = results.get("parse")
    if parse:
        rows.append(
            (
                f"lint ÷ parse-only ({parse['project']}, {parse['words']:,} words)",
                f"{parse['lint_s']:.2f} s ÷ {parse['parse_s']:.2f} s = {parse['ratio']:.2f}×",
                "≤ 3×",
                verdict(parse["ratio"] <= 3),
            )
        )
        rows.append(
            (
                f"lint, absolute ({parse['project']})",
                f"{parse['lint_s']:.2f} s",
                "≤ 2 s",
                verdict(parse["lint_s"] <= 2),
            )
        )
        rows.append(
            (
                f"`storykit lint {parse['project']}`, whole process",
                f"{parse['whole_process_s']:.2f} s",
                "",
                "",
            )
        )
    peer = results.get("peer")
    if peer and peer.get("available"):
        for row in peer["rows"]:
            rows.append(
                (
                    f"words/s: storykit ({row['project']}) vs proselint {peer['proselint']} "
                    f"({peer['proselint_words']:,}-word sample of {peer['proselint_project']})",
                    f"{row['storykit_words_per_s']:,.0f} vs {peer['proselint_words_per_s']:,.0f}"
                    f" = {row['ratio']:.1f}×",
                    "≥ 20×",
                    verdict(row["ratio"] >= 20),
                )
            )
    elif peer:
        rows.append(("words/s vs proselint", peer["note"], "≥ 20×", "n/a"))
    scaling = results.get("scaling")
    if scaling:
        for row in scaling["rows"]:
            rows.append(
                (
                    f"lint at scale {row['scale']:g} ({row['words']:,} words)",
                    f"{row['lint_s']:.3f} s, {row['us_per_word']:.2f} µs/word",
                    "",
                    "",
                )
            )
        first, last = scaling["rows"][0], scaling["rows"][-1]
        rows.append(
            (
                f"time per word, scale {last['scale']:g} ÷ scale {first['scale']:g}",
                f"{scaling['growth']:.2f}×",
                "≤ 1.5×",
                verdict(scaling["growth"] <= 1.5) if len(scaling["rows"]) > 1 else "n/a",
            )
        )
    cold = results.get("cold")
    if cold:
        rows.append(("`storykit --help`, whole process", f"{cold['help_s']:.3f} s", "", ""))
        rows.append(
            (
                "`storykit lint` on the default, whole process",
                f"{cold['lint_default_s']:.3f} s",
                "< 0.5 s",
                verdict(cold["lint_default_s"] < 0.5),
            )
        )
        heavy = cold["heavy_imports_in_lint"]
        rows.append(
            (
                "WeasyPrint / Jinja2 imported by lint",
                ", ".join(heavy) or "neither",
                "neither",
                verdict(not heavy),
            )
        )
    build = results.get("build")
    if build and build.get("available"):
        rows.append(
            (
                f"full build ({build['project']}, {build['outputs']} outputs)",
                f"{build['full_s']:.2f} s",
                "",
                "",
            )
        )
        rows.append(
            (
                "no-op rebuild ÷ full build",
                f"{build['noop_s']:.3f} s = {build['noop_ratio']:.1%}",
                "< 5%",
                verdict(build["noop_ratio"] < 0.05),
            )
        )
        rows.append(
            (
                f"one outline changed ÷ full build ({build['outputs_rebuilt_for_one_outline']} outputs rebuilt)",
                f"{build['one_changed_s']:.2f} s = {build['one_changed_ratio']:.1%}",
                "",
                "",
            )
        )
    elif build:
        rows.append(("build", build["note"], "< 5% (no-op)", "n/a"))
    memory = results.get("memory")
    if memory:
        rows.append(
            (
                f"peak memory of lint ({memory['project']})",
                f"{memory['peak_rss_mb']:.0f} MB RSS ({memory['after_imports_rss_mb']:.0f} MB after"
                " imports)"
                + (
                    f"; the rules' second process {memory['second_process_rss_mb']:.0f} MB,"
                    " mostly pages shared with the first"
                    if memory["second_process_rss_mb"]
                    else ""
                ),
                "",
                "",
            )
        )
    return rows


def render(rows: list[tuple[str, str, str, str]]) -> str:
    header = ("measure", "value", "target", "")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    return "\n".join(lines)


def _measure(
    sections: list[str], scales: list[float], repeat: int, work: Path, peer_words: int
) -> dict[str, Any]:
    """Generate the series the sections need into `work`, and run each section."""
    results: dict[str, Any] = {}
    roots: dict[float, Path] = {}
    if set(sections) & {"parse", "peer", "scaling", "memory"}:
        for scale in scales:
            root = work / f"series-{scale:g}"
            generate(scale, root)
            roots[scale] = root
            print(f"generated scale {scale:g}: {count_words(root):,} words", file=sys.stderr)
    largest = roots[max(roots)] if roots else None
    middle = roots.get(10.0, largest)
    for section in sections:
        print(f"measuring {section} …", file=sys.stderr)
        if section == "parse" and largest:
            results["parse"] = measure_parse(largest, repeat)
        elif section == "peer" and middle and largest:
            peers = [middle] if largest == middle else [middle, largest]
            results["peer"] = measure_peer(peers, repeat, peer_words)
        elif section == "scaling" and roots:
            results["scaling"] = measure_scaling(roots, repeat)
        elif section == "cold":
            results["cold"] = measure_cold(repeat)
        elif section == "build":
            results["build"] = measure_build(min(repeat, 2))
        elif section == "memory" and largest:
            results["memory"] = measure_memory(largest)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scales", default="1,10,100", help="comma-separated scale factors (default 1,10,100)"
    )
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"sections to run, of: {','.join(SECTIONS)}"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per timing; the best counts (default 5)"
    )
    parser.add_argument(
        "--peer-words", type=int, default=100_000, help="proselint's sample, in words"
    )
    parser.add_argument(
        "--quick", action="store_true", help="scales 1,10, one repeat, no build or memory"
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=REPO / "build" / "benchmarks.json",
        help="where to write the JSON",
    )
    parser.add_argument(
        "--work", type=Path, help="where to generate the projects (default: a temporary folder)"
    )
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    repeat = args.repeat
    if args.quick:
        scales = [s for s in scales if s <= 10] or [1.0]
        repeat = 1
        sections = [s for s in sections if s not in ("build", "memory")]

    temporary = None
    if args.work is None:
        temporary = tempfile.TemporaryDirectory(prefix="storykit-bench-")
        work = Path(temporary.name)
    else:
        work = args.work
    results: dict[str, Any] = {
        "machine": machine(),
        "scales": scales,
        "repeat": repeat,
        "sections": sections,
    }
    try:
        results.update(_measure(sections, scales, repeat, work, args.peer_words))
    finally:
        if temporary is not None:
            temporary.cleanup()
    rows = table(results)
    results["table"] = [
        dict(zip(("measure", "value", "target", "verdict"), r, strict=True)) for r in rows
    ]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    m = results["machine"]
    print(f"\n{m['nproc']} CPUs, {m['cpu']}, Python {m['python']}\n")
    print(render(rows))
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
