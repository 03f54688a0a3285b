"""Located errors, never "storykit: internal error" (issue 18): symlink loops in the bible, a
structure of `pages: 0`, a manifest nested 100,000 deep or a folder where the manifest or an
output goes, and project templates that fail in every way Jinja2 can fail."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_storykit

TIMEOUT = 300


def assert_located(result, pattern: str) -> None:  # type: ignore[no-untyped-def]
    assert "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stdout + result.stderr
    # lint reports a load problem as a schema finding on stdout; other commands on stderr
    assert re.search(pattern, result.stdout + result.stderr, re.MULTILINE), result.stderr


LOOPS = {
    "two links to each other": {
        "bible/characters/a.yaml": "b.yaml",
        "bible/characters/b.yaml": "a.yaml",
    },
    "a link to itself": {"bible/characters/self.yaml": "self.yaml"},
}


@pytest.mark.parametrize("loop", sorted(LOOPS))
def test_a_symlink_loop_in_the_bible_is_located(new_project: Path, loop: str) -> None:
    for link, target in LOOPS[loop].items():
        (new_project / link).symlink_to(target)
    result = run_storykit("lint", str(new_project), timeout=TIMEOUT)
    first = re.escape(sorted(LOOPS[loop])[0])
    assert_located(result, rf"^{first}:1:1: error .*link loop")


def copy_structure(project: Path, pages: str) -> None:
    import storykit

    source = Path(storykit.__file__).parent / "structures/save-the-cat.yaml"
    (project / "structures").mkdir(exist_ok=True)
    text = re.sub(r"(?m)^pages: .*$", f"pages: {pages}", source.read_text("utf-8"))
    (project / "structures/save-the-cat.yaml").write_text(text, "utf-8")


@pytest.mark.parametrize("pages", ["0", "-3"])
@pytest.mark.parametrize("command", [["build"], ["beats", "first-draft", "-p"]])
def test_a_structure_of_no_pages_is_located(
    new_project: Path, pages: str, command: list[str]
) -> None:
    copy_structure(new_project, pages)
    result = run_storykit("lint", str(new_project), timeout=TIMEOUT)
    assert_located(result, r"^structures/save-the-cat\.yaml:4:8: error .*pages must be at least 1")
    # The other commands load leniently: the structure is left out, and nothing divides by it.
    result = run_storykit(*command, str(new_project), timeout=TIMEOUT)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.returncode in (0, 1, 2), result.stderr


def test_a_manifest_nested_deep_is_ignored_not_a_crash(new_project: Path) -> None:
    build = new_project / "build"
    build.mkdir()
    (build / ".storykit-manifest.json").write_text("[" * 100_000 + "]" * 100_000)
    result = run_storykit("build", str(new_project), timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    assert json.loads((build / ".storykit-manifest.json").read_text())["format"] == 1


@pytest.mark.parametrize("folder", [".storykit-manifest.json", "index.html"])
def test_a_folder_where_the_build_writes_is_located(new_project: Path, folder: str) -> None:
    (new_project / "build" / folder).mkdir(parents=True)
    (new_project / "build" / folder / "keep.txt").write_text("mine\n")
    result = run_storykit("build", str(new_project), timeout=TIMEOUT)
    assert_located(result, rf"build/{re.escape(folder)}")
    assert (new_project / "build" / folder / "keep.txt").read_text() == "mine\n"


TEMPLATES = {
    "not-found": ('<html><body>\n{% include "no-such-part.html" %}\n</body></html>\n', 2),
    "security": ('<html><body>\n\n{{ "{0.__class__}".format(1) }}\n</body></html>\n', 3),
    "undefined": ("<html><body>\n{{ no_such_thing.at_all }}\n</body></html>\n", 2),
    "syntax": ("<html><body>\n\n\n{% if %}\n</body></html>\n", 4),
    "recursion": (
        "<html><body>\n{% macro down() %}{{ down() }}{% endmacro %}\n{{ down() }}\n</body></html>\n",
        2,
    ),
}


@pytest.mark.parametrize("case", sorted(TEMPLATES))
def test_a_failing_project_template_is_located(new_project: Path, case: str) -> None:
    text, line = TEMPLATES[case]
    (new_project / "templates").mkdir()
    (new_project / "templates/index.html").write_text(text, "utf-8")
    result = run_storykit("build", str(new_project), timeout=TIMEOUT)
    assert_located(result, rf"^templates/index\.html:{line}:\d+: error .*template")


def test_a_failing_template_stops_compare_too(new_project: Path) -> None:
    (new_project / "templates").mkdir()
    (new_project / "templates/compare.html").write_text("{{ missing.value }}\n", "utf-8")
    result = run_storykit(
        "compare", "first-draft", "first-draft", "-p", str(new_project), "--format", "html"
    )
    assert_located(result, r"^templates/compare\.html:1:\d+: error .*template")
