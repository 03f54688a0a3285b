"""The benchmarks work: the generator writes a loadable, deterministic series whose planted flaws
give every rule work, and the runner measures it and writes its table and JSON.

Benchmarks are not tests: nothing here looks at a time. Only scale 1 runs (about the default's
size), so the suite stays fast.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from storykit.lint import lint_project
from storykit.load import load_project
from storykit.text import SENTENCE_GAP, WORD, tokens

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO / "benchmarks"
# Rules whose flaws would stop a strict load (the brief of the generator: keep it loadable).
# Loading rules find nothing in a project that loads; the series has no suppression comments.
# unknown-speaker reads only scripts (cues), and the generated series has outlines only.
NOT_PLANTED = {"schema", "duplicate-id", "unused-suppression", "unknown-speaker"}


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _generate(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "generate.py"),
            "--scale",
            "1",
            "--out",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="session")
def series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "series-1"
    result = _generate(root)
    assert result.returncode == 0, result.stderr
    return root


def test_the_series_loads_strictly_at_the_default_size(series: Path) -> None:
    project = load_project(series, strict=True)  # no schema or duplicate-id problem planted
    assert len(project.outlines) == 5
    assert 18 <= len(project.characters) <= 25
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from generate import count_words
    finally:
        sys.path.remove(str(BENCHMARKS))
    assert 3000 <= count_words(series) <= 5000


def test_every_rule_but_the_loading_ones_has_work(series: Path) -> None:
    from storykit.lint.registry import all_rules

    project = load_project(series, strict=False)
    fired = {f.rule for f in lint_project(project).findings}
    wanted = {r.name for r in all_rules()} - NOT_PLANTED
    assert wanted <= fired, f"no planted flaw for: {sorted(wanted - fired)}"


def test_the_same_seed_writes_the_same_project(series: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert _generate(again).returncode == 0
    assert _tree_digest(again) == _tree_digest(series)
    other = tmp_path / "other"
    assert _generate(other, "--seed", "7").returncode == 0
    assert _tree_digest(other) != _tree_digest(series)


def test_the_generator_replaces_only_what_it_wrote(tmp_path: Path) -> None:
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    result = _generate(precious)
    assert result.returncode != 0
    assert "refusing" in result.stderr
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_the_runner_prints_a_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--scales",
            "1",
            "--repeat",
            "1",
            "--only",
            "parse,peer,scaling,cold",
            "--peer-words",
            "2000",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "lint ÷ parse-only" in result.stdout
    assert "`storykit lint` on the default" in result.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["parse"]["words"] > 3000
    assert data["parse"]["lint_s"] > 0 and data["parse"]["parse_s"] > 0
    assert data["parse"]["findings"] > 0
    assert [row["scale"] for row in data["scaling"]["rows"]] == [1.0]
    assert data["cold"]["heavy_imports_in_lint"] == []  # linting never imports WeasyPrint/Jinja2
    assert data["parse"]["whole_process_s"] > 0
    if data["peer"]["available"]:
        assert data["peer"]["proselint_words"] == 2000
        assert [row["project"] for row in data["peer"]["rows"]] == ["series-1"]
        assert data["peer"]["rows"][0]["storykit_words"] > 3000
    assert {row["measure"] for row in data["table"]} >= {"lint, absolute (series-1)"}


def test_the_runner_refuses_an_unknown_section() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--only", "speed"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown section" in result.stderr


# --- The optimisations keep behaviour ----------------------------------------------------------


def _reference_tokens(text: str) -> list[tuple[str, int, int, bool]]:
    """The tokeniser as first written (a gap searched between every two words): the reference."""
    result: list[tuple[str, int, int, bool]] = []
    previous_end = 0
    for match in WORD.finditer(text):
        gap = text[previous_end : match.start()]
        opens = not result or bool(SENTENCE_GAP.search(gap))
        result.append((match.group(), match.start(), match.end(), opens))
        previous_end = match.end()
    return result


def test_the_one_pass_tokeniser_agrees_with_the_reference() -> None:
    rng = random.Random(2045)
    alphabet = "ab Zé.!?:;,'’\"”)]-\n\t3_(“ "
    texts = ["", "Amelia's regret. Korin: “Yes.” (Jax) said so!", "3.5 v2.0 e.g. U.S. end"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        assert [tuple(t) for t in tokens(text)] == _reference_tokens(text), text


def test_the_narrowed_mojibake_test_agrees_with_ftfy() -> None:
    ftfy_badness = pytest.importorskip("ftfy.badness")
    from storykit.lint.rules.mojibake import _may_be_damaged

    rng = random.Random(8)
    pool = "aé’“”—ÃÂâ€™œžŸ°µØÙВЂ √±≈ΒΓ Œ\n.,x"
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    texts += ["they challenge each otherâ€™s beliefs", "a café’s “dream” — fine"]
    for text in texts:
        assert _may_be_damaged(text) == ftfy_badness.is_bad(text), repr(text)


def test_a_paragraph_the_group_word_filters_skip_holds_no_group_word() -> None:
    from storykit.lint.rules import count_mismatch as cm
    from storykit.text import Words

    rng = random.Random(3)
    words = ["the", "THE", "trio", "TRİO", "paır", "pair", "of", "them", "uſ", "us", "both", "we"]
    words += ["they", "bOth", "all", "four", "ſix", "six", "two", "duo", "Quartet", "odd", "é"]
    words += ["x-both", "trio's", "\u212aids", "tHem", "x-us", ",", ".", "-", "’", "\n"]
    texts = [
        "".join(rng.choice(["", " ", "  "]) + rng.choice(words) for _ in range(rng.randint(1, 9)))
        for _ in range(20000)
    ]
    texts += ["The Trio", "both of \u0130hem", "we b\u00f6th", "The uncanny PAIR", "x-both of us"]
    held = 0
    for text in texts:
        opening = Words(text).texts

        def opens(pattern: re.Pattern[str], words: list[str] = opening) -> bool:
            return any(pattern.match(w) for w in words)

        checks = [
            (cm._GROUP_NOUN, opens(cm._OPENS_GROUP_NOUN)),
            (cm._N_OF_THEM, opens(cm._OPENS_NUMBER) and opens(cm._OPENS_THEM)),
            (cm._BOTH, opens(cm._HOLDS_BOTH)),
        ]
        for pattern, passed in checks:
            if pattern.search(text):
                held += 1
                assert passed, (pattern.pattern, text)
    assert held > 200  # the texts do exercise the filters


def test_a_paragraph_the_year_filter_skips_holds_no_year() -> None:
    from storykit.lint.rules.contradiction import _YEAR, _YEAR_WORD
    from storykit.text import Words

    rng = random.Random(4)
    words = [
        "In",
        "in",
        "the year",
        "2045",
        "20456",
        "2045's",
        "2045-ish",
        "x2045",
        "٢٠٤٥",
        ".",
        "",
    ]
    texts = [
        "".join(rng.choice(["", " ", "  "]) + rng.choice(words) for _ in range(rng.randint(1, 7)))
        for _ in range(20000)
    ]
    held = 0
    for text in texts:
        if _YEAR.search(text):
            held += 1
            assert any(_YEAR_WORD.match(w) for w in Words(text).texts), text
    assert held > 200  # the texts do exercise the filter


def test_the_english_dictionary_read_directly_is_the_spellcheckers() -> None:
    from spellchecker import SpellChecker

    from storykit.load.dictionary import english_frequency as _english_frequency

    expected = dict(SpellChecker(language="en").word_frequency.dictionary)
    found = _english_frequency()
    assert found == expected
    assert list(found) == list(expected)


@pytest.mark.parametrize(
    "text",
    [
        '{\n"a": 5,\n"ab": 2,\n"b\u00e9": 1\n}',  # an escape
        '{\n"A": 5,\n"a": 2,\n"b": 1\n}',  # a capital: spellings merged
        '{\n"Étude": 5,\n"étude": 2\n}',  # a capital beyond ASCII
        '{\n"b": 5,\n"a": 2\n}',  # not sorted
        '{\n"a": 5,\n"a": 2\n}',  # a word twice: the last count holds
        '{"a": 5, "b": 2}',  # not one word a line
        '{\n"a": 5,\n"b": 2.5\n}',  # a count that is no integer
        '{\n"a": 5,\n"b": 2,\n"c": 7\n}',  # as pyspellchecker writes them
    ],
)
def test_a_frequency_file_is_read_as_pyspellchecker_reads_it(text: str) -> None:
    from storykit.load.dictionary import read_frequencies

    expected: dict[str, float] = {}
    for key, count in json.loads(text).items():
        expected[key.lower()] = expected.get(key.lower(), 0) + count
    found = read_frequencies(text.encode("utf-8"))
    assert dict(found) == expected and list(found) == list(expected)
    assert all(word in found for word in expected) and "zz" not in found and "" not in found
    assert found.get("zz") is None
