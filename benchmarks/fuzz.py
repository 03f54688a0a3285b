"""Fuzz storykit with mutated projects: no internal error, no hang, no byte changed outside build/
except by --fix on its own spans (issue 18).

Each input is a fresh `storykit init` project (with a Fountain script and a damaged word, so
that --fix has work), one of whose files is mutated — bytes flipped, cut short, Unicode edge
cases spliced in, line ends turned to CRLF or CR, a BOM added, the file replaced by a link out
of the project, a link loop, a named pipe or a folder — and then put through one command, in
turn: lint (text, JSON, SARIF, GitHub), build (every output rendered in memory; the PDFs too for
every 50th input), compare, beats, export (Fountain and FDX), script lint, --fix, and import
(which may draft new files, but never change one that was there).

A command may succeed or stop with a located storykit error; anything else is an internal
error. Every input runs under an alarm (HANG_SECONDS): one that rings is a hang. Before each
command every file of the project is read; afterwards nothing may differ, except that --fix may
change the files it fixed and only as a fix does: same line ends, same BOM, same number of
lines, and a second --fix changes nothing more.

    python benchmarks/fuzz.py --inputs 10000 --seed 1

prints the counts and exits 1 if any input failed (the failures are listed, with their seed, so
each can be replayed with --only N).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

HANG_SECONDS = 30
EDGE_CASES = [
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u202e",  # right-to-left override
    "\u200d",  # zero-width joiner
    "\ufeff",  # a BOM in the middle
    "\u0301\u0301\u0301",  # combining marks on nothing
    "👩‍👩‍👧‍👦",  # a ZWJ emoji sequence
    "ı",  # dotless i (casefolds oddly)
    "ǅ",  # titlecase digraph
    "\U0010ffff",  # the last code point
    "Ã©Ã¢â‚¬â„¢",  # mojibake
    "&a [*a, *a]",  # YAML anchors
    "{{ 7*7 }}",
    "\x00",
    "\x1b[31m",
    "#" * 7,
    "\t",
    "---\n",
    "...\n",
]
BAD_BYTES = [b"\xff", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80", b"\xf4\x90\x80\x80"]
FILES = [
    "outlines/first-draft.md",
    "bible/characters/ruth.yaml",
    "bible/characters/tom.yaml",
    "bible/treatments/first-draft.yaml",
    "bible/devices/the-light.yaml",
    "storykit.yaml",
    "scripts/draft.fountain",
]
SCRIPT = (
    "Title: Draft\n\nINT. LIGHTHOUSE - NIGHT\n\nRuth climbs the stairs.\n\nRUTH\n"
    "Tom? Can you hear me?\n\nTOM (V.O.)\nThe boat is gone.\n\n> THE END <\n"
)


@dataclass
class Tally:
    inputs: int = 0
    internal_errors: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    bytes_changed: list[str] = field(default_factory=list)
    located: int = 0
    by_command: dict[str, int] = field(default_factory=dict)
    by_mutation: dict[str, int] = field(default_factory=dict)


class Hang(Exception):
    pass


@contextlib.contextmanager
def alarm(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- Mutations ------------------------------------------------------------------------------


def _flip(data: bytes, rng: random.Random) -> bytes:
    mutable = bytearray(data)
    for _ in range(rng.randint(1, 4) if data else 0):
        mutable[rng.randrange(len(mutable))] ^= 1 << rng.randrange(8)
    return bytes(mutable)


def _unicode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    at = rng.randrange(len(text) + 1)
    edge = rng.choice(EDGE_CASES) * rng.randint(1, 3)
    return (text[:at] + edge + text[at:]).encode("utf-8", "surrogatepass")


def _bad_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(BAD_BYTES) + data[at:]


def _duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    return data + rng.choice(lines) * rng.randint(1, 50) if lines else data


CONTENT: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip": _flip,
    "truncate": lambda data, rng: data[: rng.randrange(len(data) + 1)],
    "unicode": _unicode,
    "bad-bytes": _bad_bytes,
    "crlf": lambda data, rng: data.replace(b"\n", b"\r\n"),
    "cr": lambda data, rng: data.replace(b"\n", b"\r"),
    "bom": lambda data, rng: b"\xef\xbb\xbf" + data,
    "empty": lambda data, rng: b"",
    "duplicate-line": _duplicate_line,
}
KINDS = ["flip", "unicode", *CONTENT, "link-out", "loop", "fifo", "folder"]


def mutate(root: Path, rng: random.Random, outside: Path) -> str:
    """Mutate one file of the project at `root`; return what was done."""
    name = rng.choice(FILES)
    path = root / name
    kind = rng.choice(KINDS)
    if kind in CONTENT:
        path.write_bytes(CONTENT[kind](path.read_bytes(), rng))
        return f"{kind} {name}"
    path.unlink()
    if kind == "link-out":
        path.symlink_to(outside)
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    return f"{kind} {name}"


# --- Commands -------------------------------------------------------------------------------


def files_of(root: Path) -> dict[str, bytes | str]:
    """Every entry under `root` but build/: a file's bytes, or what kind of thing it is."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative == "build" or relative.startswith("build/"):
            continue
        if path.is_symlink():
            found[relative] = "link -> " + os.readlink(path)
        elif path.is_dir():
            found[relative] = "folder"
        elif path.is_file():
            found[relative] = path.read_bytes()
        else:
            found[relative] = "special"
    return found


def cli(*args: str) -> None:
    """A command line, in process: a located error (exit 2, message) or success; else raise."""
    from typer.testing import CliRunner

    from storykit.cli import _register, app
    from storykit.errors import StorykitError

    _register()  # every command's module, as `storykit` itself does from its argv
    result = CliRunner().invoke(app, list(args), catch_exceptions=True)
    if result.exit_code == 2 and (
        "No such command" in result.output or "No such option" in result.output
    ):
        # The fuzz's own command line is wrong: every input would "pass" without running.
        raise AssertionError(f"the fuzz misused the command line: {' '.join(args[:2])}")
    error = result.exception
    if error is None or isinstance(error, (SystemExit, StorykitError)):
        return
    raise error


def render(root: Path, pdf: bool) -> None:
    from storykit.compile.build import plan
    from storykit.errors import StorykitError
    from storykit.lint import lint_project
    from storykit.load import load_project

    try:
        project = load_project(root, strict=False)
        for output in plan(project, lint_project(project).findings):
            if output.pdf and not pdf:
                continue
            output.render()
    except StorykitError:
        return  # located: what a bad input should get


def commands(root: Path, out: Path, pdf: bool) -> dict[str, Callable[[], None]]:
    r = str(root)
    return {
        "lint": lambda: cli("lint", r),
        "lint-json": lambda: cli("lint", r, "--format", "json"),
        "lint-sarif": lambda: cli("lint", r, "--format", "sarif"),
        "lint-github": lambda: cli("lint", r, "--format", "github"),
        "build": lambda: render(root, pdf),
        "compare": lambda: cli(
            "compare", "first-draft", "first-draft", "-p", r, "--format", "json"
        ),
        "beats": lambda: cli("beats", "first-draft", "--project", r),
        "export-fountain": lambda: cli("export", "fountain", "first-draft", "-p", r),
        "export-fdx": lambda: cli("export", "fdx", "first-draft", "-p", r, "--out", str(out)),
        "script": lambda: cli("lint", str(root / "scripts/draft.fountain"), "-p", r),
        "fix": lambda: cli("lint", r, "--fix"),
        "import": lambda: cli("import", str(root / "scripts/draft.fountain"), "-p", r),
    }


def fix_kept_the_form(before: dict[str, bytes | str], after: dict[str, bytes | str]) -> str | None:
    """Why the changes of a --fix are not a fix's (None when they are)."""
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if not isinstance(old, bytes) or not isinstance(new, bytes):
            return f"{name}: a fix changed what kind of file it is"
        checks = {
            "CRLF": old.count(b"\r\n") == new.count(b"\r\n"),
            "CR": old.count(b"\r") == new.count(b"\r"),
            "LF": old.count(b"\n") == new.count(b"\n"),
            "BOM": old.startswith(b"\xef\xbb\xbf") == new.startswith(b"\xef\xbb\xbf"),
            "final newline": old.endswith((b"\n", b"\r")) == new.endswith((b"\n", b"\r")),
        }
        broken = [what for what, kept in checks.items() if not kept]
        if broken:
            return f"{name}: a fix changed its {', '.join(broken)}"
    return None


def one(number: int, seed: int, workspace: Path, pristine: Path, tally: Tally) -> None:
    rng = random.Random(f"{seed}-{number}")
    root = workspace / f"p{number}"
    shutil.copytree(pristine, root, symlinks=True)
    outside = workspace / "outside.txt"
    mutation = mutate(root, rng, outside)
    names = list(commands(root, workspace / "out.fdx", False))
    chosen = names[number % len(names)]
    run = commands(root, workspace / "out.fdx", number % 50 == 0)[chosen]
    label = f"#{number} {mutation} | {chosen}"
    tally.inputs += 1
    tally.by_command[chosen] = tally.by_command.get(chosen, 0) + 1
    kind = mutation.split()[0]
    tally.by_mutation[kind] = tally.by_mutation.get(kind, 0) + 1
    before = files_of(root)
    try:
        with alarm(HANG_SECONDS), contextlib.redirect_stdout(io.StringIO()):
            run()
            if chosen == "fix":
                once = files_of(root)
                run()
                if files_of(root) != once:
                    tally.bytes_changed.append(f"{label}: a second --fix changed more")
    except Hang:
        tally.hangs.append(label)
    except Exception as error:  # noqa: BLE001 - what the fuzz is for
        tally.internal_errors.append(f"{label}: {type(error).__name__}: {error}"[:300])
    after = files_of(root)
    if chosen == "fix":
        why = fix_kept_the_form(before, after)
        if why:
            tally.bytes_changed.append(f"{label}: {why}")
    else:
        # import drafts new files; no command may change or remove one that was there
        kept = set(before) if chosen == "import" else set(before) | set(after)
        changed = sorted(k for k in kept if before.get(k) != after.get(k))
        if changed:
            tally.bytes_changed.append(f"{label}: changed {', '.join(changed)}")
    shutil.rmtree(root, ignore_errors=True)


def make_pristine(folder: Path) -> Path:
    from storykit.scaffold import create_project

    root = folder / "pristine"
    create_project(root, title="Fuzz")
    outline = root / "outlines/first-draft.md"
    outline.write_text(
        outline.read_text("utf-8").replace("Tom's boat", "Tomâ€™s boat and Ruthh's lamp"),
        "utf-8",
    )
    (root / "scripts").mkdir()
    (root / "scripts/draft.fountain").write_text(SCRIPT, "utf-8")
    (folder / "outside.txt").write_text("GITHUB_TOKEN=not-a-secret\n", "utf-8")
    return root


def fuzz(inputs: int, seed: int, only: int | None = None) -> Tally:
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="storykit-fuzz-") as folder:
        workspace = Path(folder)
        pristine = make_pristine(workspace)
        numbers = [only] if only is not None else range(inputs)
        for number in numbers:
            one(number, seed, workspace, pristine, tally)
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", type=int, default=None, help="replay one input by number")
    args = parser.parse_args()
    started = time.perf_counter()
    tally = fuzz(args.inputs, args.seed, args.only)
    seconds = time.perf_counter() - started
    print(f"inputs: {tally.inputs} (seed {args.seed}, {seconds:.0f} s)")
    print(f"internal errors: {len(tally.internal_errors)}")
    print(f"hangs (over {HANG_SECONDS} s): {len(tally.hangs)}")
    print(f"bytes changed outside build/ (other than --fix's spans): {len(tally.bytes_changed)}")
    print("by command: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.by_command.items())))
    print("by mutation: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.by_mutation.items())))
    for line in tally.internal_errors + tally.hangs + tally.bytes_changed:
        print("  " + line)
    return 1 if tally.internal_errors or tally.hangs or tally.bytes_changed else 0


if __name__ == "__main__":
    sys.exit(main())
