"""No lost work from `storykit build`: a build killed mid-way leaves every previous output intact;
two builds at once do not corrupt each other; no outline can make a build write outside build/.

Each build is a real `storykit build` subprocess, with a timeout. Skipped until the command exists.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import copy_default, run_storykit

TIMEOUT = 600


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = run_storykit("build", str(root), *extra, timeout=TIMEOUT)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


def complete(path: Path) -> bool:
    """Whether an output file is whole: a PDF that ends and parses, HTML that closes."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        if not data.rstrip().endswith(b"%%EOF"):
            return False
        from pypdf import PdfReader

        try:
            return len(PdfReader(path).pages) > 0
        except Exception:
            return False
    if path.suffix == ".html":
        return data.rstrip().lower().endswith(b"</html>")
    return True


def touch_every_outline(root: Path, words: str) -> None:
    """Change every outline (and so every output that depends on one), keeping it valid."""
    for outline in sorted((root / "outlines").glob("*.md")):
        with outline.open("a", encoding="utf-8") as stream:
            stream.write(f"\n{words}\n")


CHANGE = "The end, again."


@pytest.fixture(scope="module")
def built_default(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The default, built once: (project, hashes of its build/)."""
    root = copy_default(tmp_path_factory.mktemp("built") / "project")
    build(root)
    return root, hashes(root / "build")


@pytest.fixture(scope="module")
def rebuilt(
    built_default: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, str], float]:
    """What a finished rebuild after CHANGE writes, and how long that rebuild took."""
    source, _ = built_default
    root = tmp_path_factory.mktemp("rebuilt") / "project"
    shutil.copytree(source, root)
    touch_every_outline(root, CHANGE)
    started = time.monotonic()
    build(root)
    return hashes(root / "build"), time.monotonic() - started


def start_build(root: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("STORYKIT_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "storykit", "build", str(root)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _stats(folder: Path) -> dict[Path, tuple[int, int]]:
    stats = {}
    for path in folder.rglob("*"):
        with contextlib.suppress(FileNotFoundError):  # a temporary renamed away meanwhile
            status = path.stat()
            stats[path] = (status.st_ino, status.st_mtime_ns)
    return stats


def kill_mid_way(root: Path, writes: int) -> bool:
    """Start a build and kill it (SIGKILL) as soon as `writes` paths in build/ are new or
    replaced (temporaries and renamed outputs): a point in the build counted in its own writes,
    not in seconds, so a loaded machine strikes at the same place. True when it was still
    running when killed."""
    build_dir = root / "build"
    known = _stats(build_dir)
    process = start_build(root)
    seen: set[Path] = set()
    deadline = time.monotonic() + TIMEOUT
    while process.poll() is None and time.monotonic() < deadline:
        now = _stats(build_dir)
        seen.update(path for path, stat in now.items() if known.get(path) != stat)
        if len(seen) >= writes:
            break
        time.sleep(0.002)  # leave the build its core
    running = process.poll() is None
    with contextlib.suppress(ProcessLookupError):  # it may have finished (and been reaped)
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    return running


# Where in the build to strike, counted in the paths it has written (the default has 42
# outputs, each first written to a temporary): from the first write to the last PDFs.
STRIKES = (1, 12, 4, 30, 20, 8, 40, 2, 26, 16)


def test_a_build_killed_mid_way_leaves_every_previous_output_intact(
    built_default: tuple[Path, dict[str, str]],
    rebuilt: tuple[dict[str, str], float],
    tmp_path: Path,
) -> None:
    source, before = built_default
    after_full, _ = rebuilt
    assert any(name.endswith(".pdf") for name in before), before
    caught = 0
    for attempt, writes in enumerate(STRIKES):
        root = tmp_path / f"attempt-{attempt}"
        shutil.copytree(source, root)
        touch_every_outline(root, CHANGE)
        build_dir = root / "build"
        if not kill_mid_way(root, writes):
            continue  # it finished first: nothing was interrupted
        now = hashes(build_dir)
        if now == before:
            continue  # killed before it wrote anything: not mid-way
        caught += 1
        # Each output is either as it was, or as a finished rebuild writes it: never half.
        for name, digest in before.items():
            assert name in now, f"attempt {attempt}: {name} vanished"
            assert now[name] in (digest, after_full.get(name)), (
                f"attempt {attempt} (killed after {writes} writes): {name} is neither the old "
                f"output nor the new one (complete: {complete(build_dir / name)})"
            )
        for name, digest in now.items():
            if name not in before and name in after_full:
                assert digest == after_full[name], f"attempt {attempt}: new {name} is partial"
        if caught == 1:  # and the next build recovers: exactly a clean rebuild's outputs
            build(root)
            assert hashes(build_dir) == after_full, f"attempt {attempt}: a rebuild left debris"
        if caught >= 3:
            break
    assert caught, "no attempt caught the build mid-way; the test proved nothing"


# `python -m storykit`, but with SIGXFSZ back to its default action (Python ignores it), so that
# the kernel kills the build the moment a write passes the file size limit.
_KILLED_BY_SIZE_LIMIT = (
    "import runpy, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_DFL); "
    "sys.argv[0] = 'storykit'; runpy.run_module('storykit', run_name='__main__', alter_sys=True)"
)


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")
def test_a_build_killed_in_the_middle_of_writing_a_pdf_leaves_the_old_pdf_whole(
    built_default: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """Killed exactly mid-write, not somewhere near it: a file size limit above every text
    output (and the fonts WeasyPrint copies) but below the largest PDF makes the kernel kill the
    rebuild (SIGXFSZ) in the middle of writing that PDF. A write in place would leave it cut off
    at the limit; the atomic write leaves the old one, and a cut-off temporary beside it."""
    import resource

    from storykit.compile.render import ASSETS_DIR, TEMP_PREFIX

    source, before = built_default
    root = tmp_path / "project"
    shutil.copytree(source, root)
    build_dir = root / "build"
    sizes = {name: (build_dir / name).stat().st_size for name in before}
    largest_text = max(size for name, size in sizes.items() if not name.endswith(".pdf"))
    largest_font = max(p.stat().st_size for p in (ASSETS_DIR / "fonts").iterdir())
    largest_pdf = max(size for name, size in sizes.items() if name.endswith(".pdf"))
    floor = max(largest_text, largest_font)
    limit = (floor + largest_pdf) // 2
    assert floor + 4096 < limit < largest_pdf - 4096, sizes
    touch_every_outline(root, CHANGE)

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_BY_SIZE_LIMIT, "build", str(root)],
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        preexec_fn=limit_file_size,
        timeout=TIMEOUT,
    )
    assert killed.returncode == -signal.SIGXFSZ, (killed.returncode, killed.stderr[-2000:])
    now = hashes(build_dir)
    for name, digest in before.items():
        assert name in now, f"{name} vanished"
        assert now[name] == digest or complete(build_dir / name), f"{name} is cut off"
    big = [name for name, size in sizes.items() if name.endswith(".pdf") and size > limit]
    for name in big:
        assert now[name] == before[name], f"{name} was overwritten in place, and cut off"
    # The kill did land mid-PDF: a temporary cut off exactly at the limit is left over.
    left = [p.stat().st_size for p in build_dir.rglob(TEMP_PREFIX + "*")]
    assert left == [limit], f"not killed in the middle of writing a PDF: {left}"


def test_two_builds_at_once_do_not_corrupt_each_other(
    built_default: tuple[Path, dict[str, str]],
    rebuilt: tuple[dict[str, str], float],
    tmp_path: Path,
) -> None:
    source, _ = built_default
    expected, _ = rebuilt
    root = tmp_path / "twice"
    shutil.copytree(source, root)
    touch_every_outline(root, CHANGE)
    first, second = start_build(root), start_build(root)
    outputs = [first.communicate(timeout=TIMEOUT)[1], second.communicate(timeout=TIMEOUT)[1]]
    codes = [first.returncode, second.returncode]
    errors = [(output or b"").decode(errors="replace") for output in outputs]
    for code, error in zip(codes, errors, strict=True):
        assert "Traceback" not in error and "internal error" not in error, error
        # Either both build, or one waits for / refuses the other with a message.
        assert code in (0, 1) or (code == 2 and error.strip()), (code, error)
    assert any(code in (0, 1) for code in codes), errors
    assert hashes(root / "build") == expected
    for path in (root / "build").rglob("*"):
        if path.is_file():
            assert complete(path), path


def waits_on_a_lock(pid: int) -> bool:
    """Whether process `pid` is blocked waiting for a file lock (Linux lists waiters with ->)."""
    for line in Path("/proc/locks").read_text(encoding="ascii").splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[1] == "->" and fields[5] == str(pid):
            return True
    return False


@pytest.mark.skipif(not Path("/proc/locks").is_file(), reason="needs Linux's /proc/locks")
def test_a_build_waits_for_the_build_that_holds_the_folder(tmp_path: Path) -> None:
    """While one build holds build/ (its flock on the folder), a second one writes nothing and
    sweeps nothing: not even the first one's half-written temporary, whose rename would fail."""
    import fcntl

    from storykit.compile.render import TEMP_PREFIX
    from storykit.scaffold import create_project

    root = tmp_path / "project"
    create_project(root, title="Locked")
    build_dir = root / "build"
    build_dir.mkdir()
    in_flight = build_dir / f"{TEMP_PREFIX}first-build"
    in_flight.write_bytes(b"%PDF-1.7 half of a PDF the first build is writing")
    holder = os.open(build_dir, os.O_RDONLY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # the first build, mid-way
        second = start_build(root)
        deadline = time.monotonic() + TIMEOUT  # a guard against a hang, not a measurement
        while second.poll() is None and not waits_on_a_lock(second.pid):
            assert time.monotonic() < deadline, "the second build neither waited nor finished"
            time.sleep(0.01)
        assert second.poll() is None, "the second build ran while the first held build/"
        assert in_flight.is_file(), "the second build swept the first one's temporary"
        assert sorted(p.name for p in build_dir.iterdir()) == [in_flight.name]
    finally:
        os.close(holder)  # the first build ends
    _, error = second.communicate(timeout=TIMEOUT)
    assert second.returncode in (0, 1), error.decode(errors="replace")[-2000:]
    assert not in_flight.exists(), "the next build sweeps what a finished build left"
    assert all(complete(p) for p in build_dir.rglob("*") if p.is_file())
    assert (build_dir / "series-bible.pdf").is_file()


ESCAPING_TITLES = [
    "../../x",
    "../../../tmp/escaped",
    "/etc/passwd",
    "..",
    ".",
    "a/../../b",
    "~/x",
    "\u202e../x",
]
ODD_FILE_NAMES = ["-rf", "a b", "..x", "%2e%2e%2fx", "back\\slash", "\u202eevil", "con", "x" * 200]


def test_no_outline_title_or_file_name_writes_outside_build(tmp_path: Path) -> None:
    from storykit.scaffold import create_project

    root = tmp_path / "deep" / "down" / "project"
    create_project(root, title="Escape")
    template = (root / "outlines/first-draft.md").read_text(encoding="utf-8")
    for i, title in enumerate(ESCAPING_TITLES):
        text = template.replace('title: "Escape"', f"title: {title!r}".replace("'", '"'))
        (root / f"outlines/title-{i}.md").write_text(text, encoding="utf-8")
    for name in ODD_FILE_NAMES:
        (root / f"outlines/{name}.md").write_text(template, encoding="utf-8")
    everything_before = {p for p in tmp_path.rglob("*")}
    result = run_storykit("build", str(root), timeout=TIMEOUT)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    build_dir = (root / "build").resolve()
    for path in tmp_path.rglob("*"):
        if path in everything_before:
            continue
        assert path.resolve().is_relative_to(build_dir), f"written outside build/: {path}"
    outlines = len(list((root / "outlines").glob("*.md")))
    assert len(list((build_dir / "outlines").glob("*.html"))) == outlines, "an outline was lost"
    assert len(list((build_dir / "treatments").glob("*.pdf"))) == outlines


def test_a_build_folder_linked_outside_the_project_is_refused(tmp_path: Path) -> None:
    from storykit.scaffold import create_project

    root = tmp_path / "project"
    create_project(root, title="Linked")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / "build", target_is_directory=True)
    result = run_storykit("build", str(root), timeout=TIMEOUT)
    assert list(elsewhere.iterdir()) == [], "the build wrote outside the project"
    assert result.returncode == 2 and "build" in result.stderr, result.stderr


def test_a_link_inside_build_never_leads_into_the_bible(tmp_path: Path) -> None:
    from storykit.scaffold import create_project

    root = tmp_path / "project"
    create_project(root, title="Linked")
    (root / "build").mkdir()
    os.symlink("../bible/characters", root / "build" / "outlines", target_is_directory=True)
    characters_before = sorted(p.name for p in (root / "bible/characters").iterdir())
    result = run_storykit("build", str(root), timeout=TIMEOUT)
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (root / "bible/characters").iterdir()) == characters_before
    assert result.returncode == 2, result.stderr
    assert "build/outlines: it is a symbolic link" in result.stderr


@pytest.mark.parametrize("linked", ["templates/index.html", "templates"])
def test_a_project_template_linked_outside_the_project_is_refused(
    tmp_path: Path, linked: str
) -> None:
    """A template override is a project file like any other: a link out of the project (to the
    file, or to the whole templates/ folder) is refused, and nothing it points at is read."""
    from storykit.scaffold import create_project

    root = tmp_path / "project"
    create_project(root, title="Linked")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("SECRET-OUTSIDE-THE-PROJECT", encoding="utf-8")
    if linked == "templates":
        os.symlink(outside, root / "templates", target_is_directory=True)
    else:
        (root / "templates").mkdir()
        os.symlink(outside / "index.html", root / "templates/index.html")
    result = run_storykit("build", str(root), timeout=TIMEOUT)
    assert result.returncode == 2, result.stderr
    assert "templates/index.html:1:1: error symbolic link points outside the project" in (
        result.stderr
    )
    built = root / "build"
    leaked = [p for p in built.rglob("*") if p.is_file() and b"SECRET" in p.read_bytes()]
    assert leaked == []


def test_a_project_template_inside_the_project_still_overrides(tmp_path: Path) -> None:
    from storykit.scaffold import create_project

    root = tmp_path / "project"
    create_project(root, title="Restyled")
    (root / "templates").mkdir()
    (root / "templates/index.html").write_text("<p>{{ project_title }} by hand</p>\n", "utf-8")
    result = run_storykit("build", str(root), timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert (root / "build/index.html").read_text("utf-8") == "<p>Restyled by hand</p>\n"
