"""The name and text rules (unknown-name, near-miss-name, foreign-name, name-collision,
count-mismatch, contradiction, mojibake, spelling): their answers on the embedded default, exact
positions, and the analysis (storykit.analysis) they share.

The per-rule bad/good fixtures live in tests/rules/<rule>/ and run in test_rule_fixtures.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storykit.analysis import Analysis, build_index
from storykit.lint import lint_project
from storykit.lint.finding import Finding
from storykit.lint.rules.contradiction import bible_age
from storykit.lint.rules.count_mismatch import group_words
from storykit.lint.rules.mojibake import damaged_words
from storykit.load import load_project
from storykit.model import Project

RULES = Path(__file__).parent / "rules"
MINE = (
    "unknown-name",
    "near-miss-name",
    "foreign-name",
    "name-collision",
    "count-mismatch",
    "contradiction",
    "mojibake",
    "spelling",
)


@pytest.fixture(scope="session")
def default_findings(default_project: Project) -> list[Finding]:
    return list(lint_project(default_project, select=MINE).findings)


def words_at(root: Path, finding: Finding) -> str:
    line = (root / finding.path).read_text("utf-8").split("\n")[finding.line - 1]
    return line[finding.column - 1 :]


def only(findings: list[Finding], rule: str, path: str, word: str) -> Finding:
    found = [f for f in findings if f.rule == rule and f.path == path and word in f.message]
    assert len(found) == 1, (rule, path, word, found)
    return found[0]


# --- the known answers on the default ------------------------------------------------------------


def test_bedsync_synthesizers_is_an_unknown_name(default_findings, default_root) -> None:
    found = only(default_findings, "unknown-name", "outlines/bedsync.md", "Synthesizers")
    assert words_at(default_root, found).startswith("Synthesizers")
    assert (found.treatment, str(found.severity)) == ("bedsync", "warning")


def test_bedsync_lavish_is_reported_but_jax_beside_it_is_known(default_findings) -> None:
    only(default_findings, "unknown-name", "outlines/bedsync.md", "'Lavish'")
    assert not [f for f in default_findings if "Jax" in f.message and f.rule == "unknown-name"]


def test_spelling_catches_selffulfillment_and_reccesses(default_findings, default_root) -> None:
    self_ = only(default_findings, "spelling", "outlines/bedsync.md", "selffulfillment")
    assert words_at(default_root, self_).startswith("selffulfillment")
    assert self_.suggestion == "self-fulfillment"
    reccesses = only(default_findings, "spelling", "outlines/neoterra.md", "Reccesses")
    assert words_at(default_root, reccesses).startswith("Reccesses")
    assert reccesses.suggestion == "Recesses"
    # a misspelt sentence-initial word is a spelling finding, never also an unknown name
    assert not [
        f for f in default_findings if f.rule == "unknown-name" and "Reccesses" in f.message
    ]


def test_name_collisions_lila_zara_sleepsync(default_findings) -> None:
    collisions = [f for f in default_findings if f.rule == "name-collision"]
    by_name = {f.message.split("'")[1]: f for f in collisions}
    assert set(by_name) == {"Lila", "Zara", "SleepSync"}
    lila = by_name["Lila"].message + (by_name["Lila"].treatment or "")
    assert "dream-coders" in lila and "bedtime-nexus" in lila
    zara = by_name["Zara"].message + (by_name["Zara"].treatment or "")
    assert "bedtime-nexus" in zara and "neoterra" in zara
    sleepsync = by_name["SleepSync"].message + (by_name["SleepSync"].treatment or "")
    assert "sleepsync" in sleepsync and "neoterra" in sleepsync
    for finding in collisions:  # at the `name:` value in the entry's YAML file
        assert finding.path.startswith("bible/") and (finding.line, finding.column) == (3, 7)


def test_sleepsync_mojibake_with_repair(default_findings, default_root) -> None:
    found = only(default_findings, "mojibake", "outlines/sleepsync.md", "otherâ€™s")
    assert found.suggestion == "other’s"
    assert words_at(default_root, found).startswith("otherâ€™s")
    assert found.fix is not None and (found.fix.old, found.fix.new) == ("otherâ€™s", "other’s")
    # and spelling does not report the same damaged word a second time
    assert not [f for f in default_findings if f.rule == "spelling" and "other" in f.message]


def test_bedsync_the_trio_while_four_are_in_play(default_findings, default_root) -> None:
    found = only(default_findings, "count-mismatch", "outlines/bedsync.md", "the trio")
    assert words_at(default_root, found).startswith("the trio")
    assert "four characters are in play here: Amelia, Korin, Jax, Agnes" in found.message


def test_the_default_has_no_foreign_names_contradictions_or_near_misses(default_findings) -> None:
    # Every name the outlines use is their own treatment's, and every introduction agrees with
    # the bible: these rules must stay silent rather than guess.
    assert [f for f in default_findings if f.rule in ("foreign-name", "contradiction")] == []
    assert [f for f in default_findings if f.rule == "near-miss-name"] == []


def test_every_finding_of_these_rules_points_at_its_words(default_findings, default_root) -> None:
    for finding in default_findings:
        if finding.path.endswith(".md"):
            quoted = finding.message.split("'")[1]
            assert words_at(default_root, finding).startswith(quoted), finding


# --- the shared helpers ----------------------------------------------------------------------------


def test_near_miss_matching_runs_once_per_unique_candidate(monkeypatch, tmp_path) -> None:
    import shutil

    from rapidfuzz import process

    root = tmp_path / "p"
    shutil.copytree(RULES / "near-miss-name" / "bad", root)
    outline = root / "outlines" / "harbour.md"
    outline.write_text(
        outline.read_text("utf-8") + "\n## Debate\n\n" + "Rith waves to Tom. " * 500 + "\n",
        "utf-8",
    )
    calls: list[str] = []
    real = process.extract

    def counting(query, choices, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(query)
        return real(query, choices, **kwargs)

    monkeypatch.setattr(process, "extract", counting)
    candidates = Analysis(load_project(root, strict=False)).name_candidates
    assert sum(c.text == "Rith" for c in candidates) == 501
    assert len(calls) == len(set(calls))  # each unique candidate compared once, not per token


def test_sentence_initial_words() -> None:
    analysis = Analysis(load_project(RULES / "unknown-name" / "bad", strict=False))
    kinds = {c.text: c.kind for c in analysis.name_candidates}
    assert kinds == {
        "Grey Gate": "unknown",
        "Lavish": "unknown",
        "HBCN": "unknown",
        "Quillonary": "unknown",  # sentence-initial, not English, nothing close: a name
    }


def test_speller_knows_the_project_dictionary_and_corrects() -> None:
    spell = Analysis(load_project(RULES / "spelling" / "good", strict=False)).speller
    assert spell.knows("dreamwell") and spell.knows("seaglass") and spell.knows("users’")
    assert spell.knows("dreamscapes")  # the shipped supplement
    assert spell.knows("co-authoring") and not spell.knows("co-authorring")
    assert spell.correction("lihgt") == "light"
    assert spell.correction("selffulfillment") == "self-fulfillment"
    assert spell.correction("xqzvwk") is None


@pytest.mark.parametrize(
    "word",
    ["reccesses", "lihgt", "recieve", "zurich", "teh", "a", "xqzvwk", "selffulfillment", "light"],
)
def test_a_correction_is_the_nearest_then_most_frequent_word(word: str) -> None:
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    spell = Analysis(load_project(RULES / "spelling" / "good", strict=False)).speller
    words = list(spell.frequency)
    # The definition, by brute force: every word within two edits, nearest first, then the
    # most frequent, then the first in order; else two words run together.
    near = [
        (int(distance), -spell.frequency[known], known)
        for known, distance, _ in process.extract_iter(
            word, words, scorer=Levenshtein.distance, score_cutoff=2
        )
    ]
    assert spell.correction(word) == (min(near)[2] if near else spell._split(word))


def test_in_play_is_named_here_or_a_principal_between_first_and_last_mention() -> None:
    project = load_project(RULES / "count-mismatch" / "bad", strict=False)
    index = build_index(project)
    outline = project.outlines["harbour"]
    # Set-Up names nobody, but Ruth, Tom, Ada and Ben are named before and after it.
    assert [c.name for c in index.in_play(outline, 1)] == ["Ada", "Ben", "Ruth", "Tom"]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("the trio swims", [3]),
        ("the unlikely pair argue", [2]),
        ("a pair of boots", []),
        ("a trio of guards", []),
        ("the trio of them", [3]),
        ("all four of them", [4]),
        ("the five of us", [5]),
        ("both of them, and they both", [2, 2]),
        ("both Ruth and Tom", []),
        ("three of Ruth's friends", []),
        ("the two of them", [2]),
    ],
)
def test_group_words(text: str, numbers: list[int]) -> None:
    assert [n for _, _, n in group_words(text)] == numbers


@pytest.mark.parametrize(
    ("age", "years"),
    [
        (67, (67, 67)),
        ("41", (41, 41)),
        ("teenager", (13, 19)),
        ("elderly", (65, 120)),
        ("late thirties", (36, 39)),
        ("forties", (40, 49)),
        ("ageless", None),
        (None, None),
    ],
)
def test_bible_age(age: object, years: tuple[int, int] | None) -> None:
    assert bible_age(age) == years  # type: ignore[arg-type]


def test_damaged_words_are_whole_words() -> None:
    assert damaged_words("each otherâ€™s beliefs, at the cafÃ©.") == [
        (5, "otherâ€™s", "other’s"),
        (31, "cafÃ©", "café"),
    ]
    assert damaged_words("each other’s café — “fine”") == []


def test_look_alike_letters_are_no_group_words() -> None:
    """Unicode case-insensitive matching lets "the paır" (dotless ı) and "the ſix of them"
    (long s) through the patterns; they are not "pair" and "six", and must not crash the rule."""
    assert group_words("Then the paır left, and the ſix of them stayed.") == []
    assert [n for _, _, n in group_words("Then the pair left, and the six of them stayed.")] == [
        2,
        6,
    ]
