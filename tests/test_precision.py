"""Precision on real writing (issue 14): the corpus of public-domain texts, linted as a writer
would lint it. Clean texts must give no false finding; every planted error must be found at its
line; `--fix` must not touch a clean text.

What still fails is marked xfail(strict=True) with the reason: the suite stays green, and a fix
that makes one pass turns it red until its mark is removed, so the marks are always the truth.
The issue's Done-when targets are asserted without marks.
The numbers themselves come from benchmarks/precision.py, run as a writer runs storykit.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("precision", REPO / "benchmarks/precision.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["precision"] = module
    spec.loader.exec_module(module)
    return module


PRECISION = _benchmark()
TEXTS = [t.name for t in PRECISION.texts()]
PLANTS = [(t.name, i) for t in PRECISION.texts() for i, _ in enumerate(t.yaml("planted.yaml"))]

# Clean texts that still draw false findings, and why: each text is under the target of
# one per 1,000 words (asserted below), but not yet at none.
NOISY_TODAY: dict[object, str] = {
    "cask": "unseeded: Lady Fortunato, named once in the Finale; 'gemmary', an archaic word",
    "earnest": "historical names and titles (French Revolution, Tories, the Railway Guide)",
    "garden-party": "unseeded: the widow and her sister first appear at the climax; 'inkpot'",
    "gatsby": "real-world names no data names (the Civil War, Maecenas); the green light",
    "identity": "first-person narrator absent from the climax; Albert chain, Harris tweed",
    "little-women": "Hannah and Aunt March first named in the Finale; Banquo, Apollyon",
}

# Planted errors the rules miss: (text, index in planted.yaml) -> why.
MISSED_TODAY: dict[object, str] = {
    ("identity", 3): "Lestrade is a name Hunspell knows and nobody's first name: taken as real",
    ("little-women", 2): "Amie is two edits from Amy, and a three-letter name allows one",
}

# Clean texts whose bytes `storykit lint --fix` changes (item 4): none since the near misses
# stopped firing on correct words; the hostile-input engineer's safe/unsafe split keeps it so.
FIX_CHANGES_TODAY: dict[object, str] = {}


def _marked(reasons: dict[object, str], values: list[object]) -> list[object]:
    """`values` as parameters, each one in `reasons` marked xfail(strict) with its reason."""
    out: list[object] = []
    for value in values:
        args = value if isinstance(value, tuple) else (value,)
        if value in reasons:
            out.append(
                pytest.param(*args, marks=pytest.mark.xfail(strict=True, reason=reasons[value]))
            )
        else:
            out.append(pytest.param(*args))
    return out


def test_the_corpus_is_real_and_varied() -> None:
    """At least six texts, one a Fountain play, each 2,000-8,000 words, each with its source
    in corpus/README.md, and none of the texts kept for the independent check."""
    texts = PRECISION.texts()
    assert len(texts) >= 6
    assert any(t.kind == "screenplay" for t in texts)
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for text in texts:
        assert 2000 <= text.words() <= 8000, (text.name, text.words())
        assert f"`{text.name}/`" in readme, f"{text.name} has no source in corpus/README.md"
    everything = " ".join(p.read_text(encoding="utf-8") for t in texts for p in t.writing()).lower()
    for kept in ("scandal in bohemia", "rip van winkle", "gift of the magi", "wizard of oz"):
        assert f"title: {kept}" not in everything


@pytest.mark.parametrize("name", TEXTS)
def test_each_text_has_ten_planted_errors_across_rule_families(name: str) -> None:
    text = next(t for t in PRECISION.texts() if t.name == name)
    planted = text.yaml("planted.yaml")
    assert len(planted) >= 10
    families = {p["rule"] for p in planted}
    # A script is checked by the four name rules; an outline by every rule family.
    assert len(families) >= (4 if text.kind == "screenplay" else 8), families


@pytest.mark.parametrize("name", _marked(NOISY_TODAY, TEXTS))
def test_a_clean_text_gives_no_false_finding(name: str) -> None:
    result = PRECISION.measure(name)
    false = [f"{f['path']}:{f['line']} {f['rule']}: {f['message']}" for f in result.false]
    assert false == []


@pytest.mark.parametrize("name", TEXTS)
def test_every_kept_finding_is_still_found_with_its_reason(name: str) -> None:
    """known.yaml lists the true problems of a source; each must have a reason and be found."""
    text = next(t for t in PRECISION.texts() if t.name == name)
    result = PRECISION.measure(name)
    for known in text.yaml("known.yaml"):
        assert known.get("reason"), known
        assert any(PRECISION._at(f, known) for f in result.findings), known


@pytest.mark.parametrize(("name", "index"), _marked(MISSED_TODAY, PLANTS))
def test_a_planted_error_is_found_at_its_line(name: str, index: int) -> None:
    result = PRECISION.measure(name)
    plant = result.planted[index]
    assert plant not in result.missed, plant


def test_done_when_at_most_one_false_finding_per_1000_words_none_at_error() -> None:
    numbers = PRECISION.summary([PRECISION.measure(n) for n in TEXTS])
    for kind, row in numbers["kinds"].items():
        assert row["false_per_1000"] <= 1.0, (kind, row)
    assert numbers["total"]["false_errors"] == 0


def test_done_when_recall_on_planted_copies_is_at_least_95_percent() -> None:
    numbers = PRECISION.summary([PRECISION.measure(n) for n in TEXTS])
    assert numbers["total"]["recall"] >= 0.95, numbers["total"]


PROSE = [t.name for t in PRECISION.texts() if t.kind == "prose"]


@pytest.mark.parametrize("name", _marked(FIX_CHANGES_TODAY, PROSE))
def test_fix_changes_no_byte_of_a_clean_text(name: str, tmp_path: Path) -> None:
    copy = tmp_path / name
    shutil.copytree(CORPUS / name, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    done = subprocess.run(
        [sys.executable, "-m", "storykit", "lint", str(copy), "--fix"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    after = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    changed = [str(p.relative_to(copy)) for p in before if before[p] != after.get(p)]
    assert changed == []
