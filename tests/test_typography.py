"""What every document prints: damage repaired (ftfy) and one typographic style (SmartyPants)."""

from __future__ import annotations

import pytest

from storykit.compile.typography import typeset, typeset_pieces


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("each otherâ€™s beliefs", "each other’s beliefs"),  # the SleepSync seed's damage
        ('the concept of "Bedtime"', "the concept of “Bedtime”"),
        ("Jax's students", "Jax’s students"),
        ("she waits -- and wakes...", "she waits — and wakes…"),
        ("already “curly” and ’tis", "already “curly” and ’tis"),
        ("a < b & c", "a < b & c"),  # plain text, never read as markup
        (r"a back\slash and \"", "a back\\slash and \\”"),
        ("choose another with --structure", "choose another with --structure"),
        ("", ""),
    ],
)
def test_typeset(typed: str, printed: str) -> None:
    assert typeset(typed) == printed


def test_correct_accents_and_dashes_stay_as_they_are() -> None:
    text = "Zoë’s café — naïve, 1990–2045"
    assert typeset(text) == text


def test_pieces_are_read_as_one_text() -> None:
    # The pieces of a paragraph cut around its links keep their quotes paired.
    assert typeset_pieces(['"Wake up, ', "Amelia", '" he says.']) == [
        "“Wake up, ",
        "Amelia",
        "” he says.",
    ]
    assert typeset_pieces(['He calls "', "Amelia", '".']) == ["He calls “", "Amelia", "”."]
