"""The embedded default: five treatments, faithful outlines, shipped inside the package too."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from helpers import REPO

from storykit.load import load_project
from storykit.model import Project

SEEDS = REPO.parent / "shared" / "seeds"
LEADS = {
    "bedsync": {"Amelia", "Korin", "Jax", "Agnes"},
    "dream-coders": {"Aiden", "Mara", "Theo", "Lila"},
    "bedtime-nexus": {"Lila", "Max", "Zara", "Rami"},
    "sleepsync": {"Sebastian", "Maya", "Elena", "Omar"},
    "neoterra": {"Zara", "Jonah", "Celeste", "Eli"},
}


def test_default_loads_strictly_with_the_expected_counts(default_root: Path) -> None:
    project = load_project(default_root, strict=True)  # the flaws are in the prose, not the format
    assert list(project.treatments) == [
        "bedsync",
        "dream-coders",
        "bedtime-nexus",
        "sleepsync",
        "neoterra",
    ]
    assert {"bedsync", "dream-coders", "bedtime-nexus", "sleepsync", "neoterra"} <= set(
        project.outlines
    )
    assert len(project.characters) >= 23  # twenty leads, Ishmael, Max's sister, Lila's father
    assert len(project.devices) >= 20
    assert len(project.threads) >= 10
    assert {r.treatment for r in project.rules.values()} == {*project.treatments, "all"}


@pytest.mark.parametrize("treatment", list(LEADS))
def test_every_lead_has_a_bible_entry(default_project: Project, treatment: str) -> None:
    names = {c.name for c in default_project.characters.values() if c.treatment == treatment}
    assert LEADS[treatment] <= names


def test_minor_characters_are_recorded(default_project: Project) -> None:
    minor = {c.name: c.treatment for c in default_project.characters.values() if c.role == "minor"}
    assert minor["Ishmael"] == "bedsync"
    assert minor["Max's sister"] == "bedtime-nexus"
    assert minor["Lila's father"] == "bedtime-nexus"


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("treatment", list(LEADS))
def test_outline_is_the_seed_beat_by_beat_flaws_included(
    default_project: Project, default_root: Path, treatment: str
) -> None:
    outline = default_project.outlines[treatment]
    source = default_root / default_project.treatments[treatment].source
    told = [word for beat in outline.beats for p in beat.paragraphs for word in _words(p.text)]
    assert told == _words(source.read_text(encoding="utf-8"))


def test_the_flaws_are_kept(default_project: Project) -> None:
    text = {name: o.source for name, o in default_project.outlines.items()}
    assert "otherâ€™s" in text["sleepsync"]
    assert "Reccesses" in text["neoterra"]
    for flaw in ("selffulfillment", "Synthesizers", "the trio", "Lavish Jax students Ishmael"):
        assert flaw in text["bedsync"]


@pytest.mark.skipif(
    not SEEDS.is_dir(),
    reason="needs the five seeds in ../shared/seeds/ beside this clone (not present here)",
)
def test_sources_are_the_seeds_verbatim(default_root: Path) -> None:
    for seed in SEEDS.glob("*.txt"):
        assert (default_root / "bible/sources" / seed.name).read_bytes() == seed.read_bytes()


def _default_files(root: Path) -> dict[str, bytes]:
    files = {"storykit.yaml": (root / "storykit.yaml").read_bytes()}
    for folder in ("bible", "outlines"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def test_the_wheel_carries_the_same_default_project(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    wheel = Path(
        next(iter(WheelBuilder(str(REPO)).build(directory=str(tmp_path), versions=["standard"])))
    )
    prefix = "storykit/default/"
    with zipfile.ZipFile(wheel) as archive:
        packaged = {
            name.removeprefix(prefix): archive.read(name)
            for name in archive.namelist()
            if name.startswith(prefix)
        }
        assert "storykit/structures/save-the-cat.yaml" in archive.namelist()
        assert "storykit/compile/assets/fonts/OFL.txt" in archive.namelist()
    assert packaged == _default_files(REPO)
