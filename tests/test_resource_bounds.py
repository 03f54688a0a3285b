"""Resource bounds (issue 18): for each dimension of the input, doubling it at most doubles the
time and the memory a lint takes.

Measured as a ratio, never against a wall clock: the cost of the input at size n and at 2n,
each less the cost of the same project without that dimension's content (what loading and the
dictionary take anyway), in CPU time of this process (the best of two) and in peak memory
traced by tracemalloc. A cost under a small floor is flat: there is nothing to double. The
allowance over 2x (SLACK) absorbs the noise of a shared machine; a quadratic cost fails it by
far (4x), a cubic one by more.
"""

from __future__ import annotations

import random
import string
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from storykit.analysis.dictionary import _SHARED_CORRECTIONS
from storykit.lint import lint_project
from storykit.lint.script import open_script, script_rules
from storykit.load import load_project
from storykit.scaffold import create_project

SLACK = 2.6  # "at most doubles", with room for noise
TIME_FLOOR = 0.03  # seconds of marginal cost below which a dimension is flat
MEMORY_FLOOR = 2_000_000  # bytes, likewise
CATALYST = "The radio says Tom's boat is missing in the storm."
OUTLINE = "outlines/first-draft.md"


def words(n: int, seed: int, length: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(string.ascii_lowercase) for _ in range(length)) for _ in range(n)]


def paragraph(root: Path, text: str) -> None:
    path = root / OUTLINE
    path.write_text(path.read_text("utf-8").replace(CATALYST, text), "utf-8")


def character(root: Path, ident: str, extra: str = "") -> None:
    (root / f"bible/characters/{ident}.yaml").write_text(
        f"id: {ident}\nname: {ident.capitalize()}\ntreatment: first-draft\nrole: supporting\n"
        f"description: A person of the story.\n{extra}",
        "utf-8",
    )


def _names(n: int) -> list[str]:
    return [f"zq{w}" for w in words(n, 5, 6)]


# Each dimension: how to put n of it into a fresh `storykit init` project (n=0: the baseline).
DIMENSIONS: dict[str, Callable[[Path, int], None]] = {
    "word length": lambda root, n: paragraph(root, "Ruth says " + "a" * n + " twice."),
    "line length": lambda root, n: paragraph(root, " ".join(["Ruth walks the shore"] * n)),
    "paragraph length": lambda root, n: paragraph(
        root, "\n".join(["Ruth walks the shore at night."] * n)
    ),
    "damaged words per paragraph": lambda root, n: paragraph(
        root, " ".join(f"Itâ€™s {w}." for w in words(n, 1, 4)) or "Ruth."
    ),
    "distinct unknown words": lambda root, n: paragraph(root, " ".join(words(n, 2)) + "."),
    "paragraph count": lambda root, n: paragraph(
        root, "\n\n".join(["Ruth walks the shore at night."] * n) or "Ruth."
    ),
    "names per beat": lambda root, n: paragraph(root, " ".join(["Ruth and Tom talk."] * n)),
    "characters in the bible": lambda root, n: [character(root, name) for name in _names(n)],
    "relationships per character": lambda root, n: (
        [character(root, name) for name in _names(300)],
        character(
            root,
            "zzhub",
            "relationships:\n"
            + "".join(f"  - {{to: {name}, as: friend-of}}\n" for name in _names(300)[:n]),
        ),
    ),
    "aliases of one anchor": lambda root, n: (root / "bible/devices/echo.yaml").write_text(
        "id: echo\nname: Echo\nkind: technology\ntreatment: first-draft\n"
        'description: &d "' + "The keeperâ€™s lamp. " * 10 + '"\n'
        "notes:\n" + "".join("  - *d\n" for _ in range(n)),
        "utf-8",
    ),
}
SIZES = {
    "word length": 200_000,
    "line length": 8_000,
    "paragraph length": 2_000,
    "damaged words per paragraph": 150,
    "distinct unknown words": 250,
    "paragraph count": 1_000,
    "names per beat": 1_500,
    "characters in the bible": 150,
    "relationships per character": 150,
    "aliases of one anchor": 4_000,
}


def fresh() -> None:
    """Forget the corrections earlier lints of this process found: each run pays for its own."""
    _SHARED_CORRECTIONS.clear()


def lint_cost(root: Path) -> tuple[float, int]:
    """(best CPU seconds of three, peak traced bytes) of loading and linting `root`: the best of
    three, since a loaded machine (another test process on the other core) slows single runs."""
    best = float("inf")
    for _ in range(3):
        fresh()
        started = time.process_time()
        lint_project(load_project(root, strict=False))
        best = min(best, time.process_time() - started)
    fresh()
    tracemalloc.start()
    try:
        lint_project(load_project(root, strict=False))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return best, peak


def costs(
    tmp_path: Path, make: Callable[[Path, int], object], sizes: list[int]
) -> list[tuple[float, int]]:
    found = []
    for n in sizes:
        root = tmp_path / f"n{n}"
        create_project(root, title="Bounds")
        make(root, n)
        found.append(lint_cost(root))
    return found


def assert_at_most_doubles(measured: list[tuple[float, int]], what: str) -> None:
    (t0, m0), (t1, m1), (t2, m2) = measured
    time_1, time_2 = max(t1 - t0, TIME_FLOOR), t2 - t0
    memory_1, memory_2 = max(m1 - m0, MEMORY_FLOOR), m2 - m0
    assert time_2 <= SLACK * time_1, f"{what}: time x{time_2 / time_1:.1f} when doubled"
    assert memory_2 <= SLACK * memory_1, f"{what}: memory x{memory_2 / memory_1:.1f} when doubled"


@pytest.fixture(autouse=True)
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """The two-edit search budget cut from 100 to 10 a lint: the same bound, met ten times
    sooner, so that what grows past it is measured in seconds, not minutes, on a busy machine."""
    import storykit.analysis.dictionary

    monkeypatch.setattr(storykit.analysis.dictionary, "MAX_FUZZY_SEARCHES", 10)


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    """The dictionary and the imports, loaded once before anything is measured."""
    lint_project(load_project(Path(__file__).resolve().parents[1], strict=False))


@pytest.mark.parametrize("dimension", sorted(DIMENSIONS))
def test_doubling_a_dimension_at_most_doubles_time_and_memory(
    tmp_path: Path, dimension: str
) -> None:
    n = SIZES[dimension]
    measured = costs(tmp_path, DIMENSIONS[dimension], [0, n, 2 * n])
    assert_at_most_doubles(measured, dimension)


def test_doubling_the_distinct_cues_of_a_script_at_most_doubles_time_and_memory(
    tmp_path: Path,
) -> None:
    root = tmp_path / "project"
    create_project(root, title="Bounds")
    measured = []
    for n in (0, 150, 300):
        cues = [w.upper() for w in words(n, 3)]
        script = root / f"draft-{n}.fountain"
        script.write_text(
            "INT. KITCHEN - NIGHT\n\n" + "".join(f"{c}\nHello there.\n\n" for c in cues), "utf-8"
        )
        best = float("inf")
        for _ in range(2):
            fresh()
            started = time.process_time()
            lint_project(open_script(script, None), select=script_rules())
            best = min(best, time.process_time() - started)
        fresh()
        tracemalloc.start()
        try:
            lint_project(open_script(script, None), select=script_rules())
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        measured.append((best, peak))
    assert_at_most_doubles(measured, "distinct cues")
