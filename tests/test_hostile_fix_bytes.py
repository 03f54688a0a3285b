"""`storykit lint --fix` edits exactly the bytes of each finding's span (issue 18).

Line endings (CRLF, lone CR), the BOM, escapes, trailing spaces, the final newline, document-end
markers, links (symbolic and hard) and every other byte stay as they were; a second --fix
changes nothing; a fix never lands inside a URL or a code span, never turns a damaged word into
a worse one, and never touches the embedded default.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_storykit

TIMEOUT = 120
DAMAGED, REPAIRED = "keeperâ€™s", "keeper’s"
OUTLINE = "outlines/first-draft.md"
RUTH = "bible/characters/ruth.yaml"


def fix(root: Path, *extra: str) -> None:
    result = run_storykit("lint", str(root), "--fix", *extra, timeout=TIMEOUT)
    assert result.returncode in (0, 1), result.stderr
    assert "internal error" not in result.stderr, result.stderr


def diff(root: Path, *extra: str) -> str:
    result = run_storykit("lint", str(root), "--diff", *extra, timeout=TIMEOUT)
    assert "internal error" not in result.stderr, result.stderr
    return result.stdout


def ruth_with(description: bytes) -> bytes:
    """ruth.yaml with its description replaced by `description` (raw bytes, LF lines)."""
    return (
        b"id: ruth\nname: Ruth\ntreatment: first-draft\nrole: protagonist\n"
        b"occupation: lighthouse keeper\ndescription: " + description + b"\n"
        b"relationships:\n  - {to: tom, as: sister-of}\n"
    )


def outline_with(new_project: Path, paragraph: str) -> bytes:
    text = (new_project / OUTLINE).read_text(encoding="utf-8")
    return text.replace("The radio says Tom's boat is missing in the storm.", paragraph).encode()


def check_exact(root: Path, relative: str, before: bytes, *extra: str) -> bytes:
    """Write `before`, fix, and assert that only the damaged word changed, byte for byte."""
    (root / relative).write_bytes(before)
    assert DAMAGED.encode() in before
    fix(root, *extra)
    after = (root / relative).read_bytes()
    assert after == before.replace(DAMAGED.encode(), REPAIRED.encode()), after
    fix(root, *extra)  # idempotent
    assert (root / relative).read_bytes() == after
    return after


YAML_CASES = {
    "crlf": ruth_with(f"The {DAMAGED} sister.".encode()).replace(b"\n", b"\r\n"),
    "lone-cr": ruth_with(f"The {DAMAGED} sister.".encode()).replace(b"\n", b"\r"),
    "bom": b"\xef\xbb\xbf" + ruth_with(f"The {DAMAGED} sister.".encode()),
    "multi-line-plain": ruth_with(f"The {DAMAGED}\n  sister, who never\n  leaves.".encode()),
    "document-end": ruth_with(f"The {DAMAGED} sister.".encode()) + b"...\n",
    "escape-kept": ruth_with(f'"Caf\\u00e9 of the {DAMAGED} sister."'.encode()),
    "trailing-spaces": ruth_with(f"The {DAMAGED} sister.   ".encode()),
    "no-final-newline": ruth_with(f"The {DAMAGED} sister.".encode()).rstrip(b"\n"),
    "tab-before-comment": ruth_with(f"The {DAMAGED} sister.\t# a comment".encode()),
    "single-quoted": ruth_with(f"'The {DAMAGED} sister''s keeper'".encode()),
    "folded": ruth_with(f">-\n  The {DAMAGED}\n  sister.".encode()),
    "two-in-one-value": ruth_with(f"The {DAMAGED} sister and the {DAMAGED} son.".encode()),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_a_yaml_fix_changes_only_the_damaged_word(new_project: Path, case: str) -> None:
    check_exact(new_project, RUTH, YAML_CASES[case])


def test_an_escaped_damaged_word_is_left_alone_and_said_so(new_project: Path) -> None:
    # The writer chose escapes for one of the two; that word is not in the file literally, so
    # there is no exact span for it, and the value is left whole rather than half fixed.
    before = ruth_with(f'"The {DAMAGED} sister, the keeper\\u00e2\\u20ac\\u2122s son."'.encode())
    (new_project / RUTH).write_bytes(before)
    result = run_storykit("lint", str(new_project), "--fix", timeout=TIMEOUT)
    assert "internal error" not in result.stderr
    assert (new_project / RUTH).read_bytes() == before
    assert "not applied" in result.stderr, result.stderr


MARKDOWN_CASES = {
    "crlf": lambda text: text.replace(b"\n", b"\r\n"),
    "lone-cr": lambda text: text.replace(b"\n", b"\r"),
    "bom": lambda text: b"\xef\xbb\xbf" + text,
    "trailing-spaces": lambda text: text.replace(b"storm.", b"storm.   "),
    "no-final-newline": lambda text: text.rstrip(b"\n"),
}


@pytest.mark.parametrize("case", sorted(MARKDOWN_CASES))
def test_a_markdown_fix_changes_only_the_damaged_word(new_project: Path, case: str) -> None:
    before = outline_with(new_project, f"The radio says the {DAMAGED} boat is lost in the storm.")
    check_exact(new_project, OUTLINE, MARKDOWN_CASES[case](before))


def test_a_symlinked_bible_file_stays_a_link_and_its_target_is_fixed(new_project: Path) -> None:
    target = new_project / "bible/shared-ruth.yaml.txt"
    target.write_bytes(ruth_with(f"The {DAMAGED} sister.".encode()))
    link = new_project / RUTH
    link.unlink()
    link.symlink_to(os.path.relpath(target, link.parent))
    fix(new_project)
    assert link.is_symlink()
    assert target.read_bytes() == ruth_with(f"The {REPAIRED} sister.".encode())


def test_a_hard_linked_bible_file_stays_linked(new_project: Path, tmp_path: Path) -> None:
    (new_project / RUTH).write_bytes(ruth_with(f"The {DAMAGED} sister.".encode()))
    twin = tmp_path / "twin.yaml"
    os.link(new_project / RUTH, twin)
    fix(new_project)
    assert os.path.samefile(new_project / RUTH, twin)
    assert twin.read_bytes() == ruth_with(f"The {REPAIRED} sister.".encode())


def test_a_link_whose_target_is_outside_the_project_is_never_written(
    new_project: Path, tmp_path: Path
) -> None:
    # The loader refuses it; the fixer must not write there either.
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(ruth_with(f"The {DAMAGED} sister.".encode()))
    (new_project / RUTH).unlink()
    (new_project / RUTH).symlink_to(outside)
    run_storykit("lint", str(new_project), "--fix", timeout=TIMEOUT)
    assert outside.read_bytes() == ruth_with(f"The {DAMAGED} sister.".encode())


def test_a_near_miss_is_never_fixed_inside_a_url_or_a_code_span(new_project: Path) -> None:
    paragraph = "Ruthh reads https://example.com/Ruthh and types `Ruthh` at the storm."
    before = outline_with(new_project, paragraph)
    expected = outline_with(new_project, paragraph.replace("Ruthh reads", "Ruth reads", 1))
    (new_project / OUTLINE).write_bytes(before)
    fix(new_project)
    assert (new_project / OUTLINE).read_bytes() == expected


def test_a_near_miss_fix_never_cuts_into_a_damaged_word(new_project: Path) -> None:
    before = outline_with(new_project, "The radio says Tomâ€™s boat is missing in the storm.")
    (new_project / OUTLINE).write_bytes(before)
    fix(new_project, "--select", "near-miss-name")
    assert (new_project / OUTLINE).read_bytes() == before  # never "Tom€™s"
    fix(new_project)
    assert (new_project / OUTLINE).read_bytes() == before.replace(
        "Tomâ€™s".encode(), "Tom’s".encode()
    )


def test_fix_on_the_embedded_default_is_refused(tmp_path: Path) -> None:
    from storykit.load.project import embedded_default

    default = embedded_default()
    before = {p: p.read_bytes() for p in sorted((default / "outlines").glob("*.md"))}
    result = run_storykit("lint", "--fix", cwd=tmp_path, timeout=TIMEOUT)
    assert result.returncode == 2, result.stderr
    assert "embedded default" in result.stderr and "internal error" not in result.stderr
    assert {p: p.read_bytes() for p in before} == before
    assert run_storykit("lint", "--diff", cwd=tmp_path, timeout=TIMEOUT).returncode == 1
