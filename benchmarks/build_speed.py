"""How long a full `storykit build` takes, as a ratio to WeasyPrint rendering the same HTML alone.

    python benchmarks/build_speed.py --scale 10            # generate, build, print one JSON line
    python benchmarks/build_speed.py --project DIR          # an existing project

The build runs once, into a fresh folder, with every PDF's HTML handed to WeasyPrint timed on
the way (the time inside `render_pdf`, which is WeasyPrint's layout and drawing and nothing of
storykit's). The ratio `build / weasyprint` says how much the build costs beyond the PDFs a
producer receives: 1.0 would be a build that does nothing but typeset. A measurement, not a
test: the machine's load moves it, so run it on an idle machine and compare ratios.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def measure(project_dir: Path) -> dict[str, object]:
    import storykit.compile.render as render
    import storykit.compile.renderer as renderer
    from storykit.compile.build import build
    from storykit.load import load_project

    typesetting = [0.0, 0]
    original = render.render_pdf

    def timed(*args: object, **kwargs: object) -> bytes:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            typesetting[0] += time.perf_counter() - started
            typesetting[1] += 1

    render.render_pdf = timed  # type: ignore[assignment]
    renderer.render_pdf = timed  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as out:
            started, cpu = time.perf_counter(), time.process_time()
            report = build(load_project(project_dir, strict=False), Path(out) / "build")
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    finally:
        render.render_pdf = original
        renderer.render_pdf = original
    return {
        "outputs": len(report.written),
        "pdfs": typesetting[1],
        "build_seconds": round(seconds, 2),
        "build_cpu_seconds": round(cpu_seconds, 2),
        "weasyprint_seconds": round(typesetting[0], 2),
        "ratio": round(seconds / typesetting[0], 2) if typesetting[0] else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--project", type=Path)
    args = parser.parse_args()
    if args.project:
        print(json.dumps({"project": str(args.project), **measure(args.project)}))
        return 0
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate  # type: ignore[import-not-found]

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "series"
        generate(args.scale, project)
        print(json.dumps({"scale": args.scale, **measure(project)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
