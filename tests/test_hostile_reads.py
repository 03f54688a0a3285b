"""Nothing is read that must not be (issue 18): a script linked out of the project is refused
like a bible file, and never echoed in any report format."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_storykit

TIMEOUT = 120
SECRET = "Zorblax GITHUB_TOKEN=Ghp_Qw3rtySecretValue"


@pytest.fixture
def leaking_script(new_project: Path, tmp_path: Path) -> Path:
    secret = tmp_path / "secrets.txt"
    secret.write_text(f"INT. KITCHEN - NIGHT\n\n{SECRET} waits.\n\nRUTH\nWho is {SECRET}?\n")
    scripts = new_project / "scripts"
    scripts.mkdir()
    link = scripts / "draft.fountain"
    link.symlink_to(secret)
    return link


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_a_script_linked_out_of_the_project_is_refused(
    leaking_script: Path, output_format: str
) -> None:
    root = leaking_script.parents[1]
    result = run_storykit(
        "lint", "scripts/draft.fountain", "--format", output_format, cwd=root, timeout=TIMEOUT
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "outside the project" in result.stderr and "internal error" not in result.stderr
    assert "Zorblax" not in result.stdout + result.stderr
    assert "Ghp_" not in result.stdout + result.stderr


def test_a_script_in_a_linked_folder_out_of_the_project_is_refused(
    new_project: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "draft.fountain").write_text(f"INT. KITCHEN - NIGHT\n\n{SECRET} waits.\n")
    (new_project / "scripts").symlink_to(elsewhere)
    for how in (["-p", str(new_project)], []):  # the project named, or found from the link
        result = run_storykit(
            "lint", str(new_project / "scripts/draft.fountain"), *how, timeout=TIMEOUT
        )
        assert result.returncode == 2 and "outside the project" in result.stderr, result.stderr
        assert "Zorblax" not in result.stdout + result.stderr


def test_a_script_linked_inside_the_project_is_read(new_project: Path) -> None:
    scripts = new_project / "scripts"
    scripts.mkdir()
    (scripts / "real.fountain").write_text("INT. KITCHEN - NIGHT\n\nZorblax waits.\n")
    (scripts / "draft.fountain").symlink_to("real.fountain")
    result = run_storykit("lint", str(scripts / "draft.fountain"), timeout=TIMEOUT)
    assert "internal error" not in result.stderr
    assert "Zorblax" in result.stdout, result.stdout + result.stderr
