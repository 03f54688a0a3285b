"""Name matching in prose: whole words, case-sensitive, aliases, possessives and plurals."""

from __future__ import annotations

from pathlib import Path

from storykit.analysis import build_index
from storykit.analysis.mentions import find_names
from storykit.analysis.names import NameTable
from storykit.load import load_project
from storykit.model import Character, Device, Paragraph, Position
from storykit.text import base_forms, tokens


def entry(kind, id_: str, name: str, treatment: str = "t", aliases: list[str] | None = None):
    return kind(
        id=id_, name=name, treatment=treatment, position=Position("x.yaml"), aliases=aliases or []
    )


TABLE = NameTable.of(
    [
        entry(Character, "amelia", "Amelia"),
        entry(Character, "max-sister", "Max's sister", aliases=["his sister"]),
        entry(Device, "ssu", "Sleep Synchronization Units", aliases=["SSU"]),
        entry(Device, "coders", "Dream Coders", aliases=["Dream Coder"]),
        entry(Device, "bedsync", "BedSync System", aliases=["BedSync"]),
    ]
)


def names_in(text: str) -> list[tuple[str, str]]:
    paragraph = Paragraph(text, 1)
    return [(text[a.start : b.end], refs[0].id) for a, b, refs in find_names(paragraph, TABLE)]


def test_possessives_straight_and_curly() -> None:
    assert names_in("Amelia's regret and BedSync’s reign") == [
        ("Amelia's", "amelia"),
        ("BedSync’s", "bedsync"),
    ]


def test_plural_of_an_alias() -> None:
    assert names_in("the mind-altering effects of the SSUs.") == [("SSUs", "ssu")]


def test_longest_name_wins() -> None:
    assert names_in("the BedSync System and BedSync") == [
        ("BedSync System", "bedsync"),
        ("BedSync", "bedsync"),
    ]
    assert names_in("a Dream Coder among Dream Coders'") == [
        ("Dream Coder", "coders"),
        ("Dream Coders", "coders"),
    ]


def test_whole_words_only() -> None:
    assert names_in("Ameliaville and Pamelia and BedSyncs-like") == []


def test_case_sensitive() -> None:
    assert names_in("amelia and bedsync") == []


def test_phrase_aliases() -> None:
    assert names_in("Max confronts the loss of his sister.") == [("his sister", "max-sister")]


def test_base_forms() -> None:
    assert base_forms("SSUs") == ["SSUs", "SSU"]
    assert "Coders" in base_forms("Coders'")


def test_sentence_starts() -> None:
    words = tokens("Meanwhile, Omar rallies. Society shifts: Each one.")
    assert [(w.text, w.sentence_start) for w in words] == [
        ("Meanwhile", True),
        ("Omar", False),
        ("rallies", False),
        ("Society", True),
        ("shifts", False),
        ("Each", True),
        ("one", False),
    ]


def test_presence_by_beat_and_foreign_mentions(new_project: Path) -> None:
    outline = new_project / "outlines/first-draft.md"
    outline.write_text(outline.read_text().replace("The radio says", "Amelia hears that"))
    (new_project / "bible/treatments/other.yaml").write_text("id: other\ntitle: Other\n")
    (new_project / "bible/characters/amelia.yaml").write_text(
        "id: amelia\nname: Amelia\ntreatment: other\n"
    )
    project = load_project(new_project)
    index = build_index(project)
    draft = project.outlines["first-draft"]
    assert [c.id for c in index.present_in(draft, 0)] == ["ruth"]
    assert [c.id for c in index.present_in(draft, 1)] == ["tom"]  # Amelia is foreign here
    (foreign,) = [m for m in index.mentions if m.foreign]
    assert (foreign.entry.id, foreign.line, foreign.column, foreign.surface) == (
        "amelia",
        12,
        1,
        "Amelia",
    )


def test_one_phrase_matcher_longest_first_with_possessives_and_case_folding() -> None:
    from storykit.analysis.names import PhraseMatcher

    exact: PhraseMatcher[str] = PhraseMatcher()
    for phrase in ("Dream", "Dream Coders", "Dream Coders League"):
        exact.setdefault(tuple(phrase.split()), phrase)
    texts = ["the", "Dream", "Coders'", "plan", "and", "a", "Dream"]
    assert exact.matches_at(texts, 1) == [(2, "Dream Coders"), (1, "Dream")]  # "Coders'" too
    assert exact.longest_at(texts, 1) == 2
    assert exact.longest_at(texts, 0) == 0
    assert exact.matches_at(texts, 6) == [(1, "Dream")]  # a longer phrase past the end: none
    folded: PhraseMatcher[bool] = PhraseMatcher(casefold=True)
    folded.setdefault(("sleep", "tech"), True)
    assert folded.longest_at(["SLEEP", "Tech's"], 0) == 2
    assert exact.longest_at(["dream"], 0) == 0  # case-sensitive unless folded


def test_one_offset_to_line_and_column_for_text_bytes_and_a_table() -> None:
    from storykit.text import line_column, line_starts

    text = "ab\ncd\n\nef"
    starts = line_starts(text)
    for offset in range(len(text) + 1):
        found = line_column(text, offset)
        assert found == line_column(text, offset, starts)
        assert found == line_column(text.encode(), offset)
        before = text[:offset]
        assert found == (before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1)
    assert line_column("é\nx", 2) == (2, 1)
