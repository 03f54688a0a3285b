"""The words the contradiction rule reads facts with: ages, occupations, kinship."""

from __future__ import annotations

# Words that say how old someone is, as an inclusive range of years.
AGE_WORDS: dict[str, tuple[int, int]] = {
    "baby": (0, 2),
    "infant": (0, 1),
    "toddler": (1, 4),
    "child": (0, 12),
    "kid": (0, 12),
    "boy": (0, 17),
    "girl": (0, 17),
    "teenager": (13, 19),
    "teen": (13, 19),
    "teenage": (13, 19),
    "adolescent": (12, 19),
    "adult": (18, 120),
    "middle-aged": (40, 65),
    "elderly": (65, 120),
    "senior": (60, 120),
    "pensioner": (60, 120),
    "retiree": (55, 120),
}
DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60}
DECADES |= {"seventies": 70, "eighties": 80, "nineties": 90}
# Heads of an appositive that say who someone is to others, or what they are, not their job.
NOT_OCCUPATIONS = frozenset(
    (
        *("woman", "man", "boy", "girl", "child", "kid", "teenager", "teen", "person", "people"),
        *("figure", "soul", "friend", "father", "mother", "sister", "brother", "son", "daughter"),
        *("wife", "husband", "partner", "lover", "neighbour", "neighbor", "stranger", "cousin"),
        *("uncle", "aunt", "grandmother", "grandfather", "parent", "sibling", "twin", "widow"),
        *("widower", "orphan", "member", "leader", "one", "type", "dreamer", "visionary"),
        *("loner", "rebel", "outsider", "newcomer", "survivor", "believer", "lover", "mentor"),
    )
)
# Occupations whose head word has none of the usual endings (-ist, -er, -or, -ian ...).
OCCUPATION_WORDS = frozenset(
    ("nurse", "chef", "cook", "judge", "pilot", "spy", "monk", "nun", "guard", "clerk", "poet"),
) | frozenset(("cop", "coach", "medic", "surgeon", "thief", "maid", "nanny", "priest", "soldier"))
OCCUPATION_ENDINGS = ("ist", "er", "or", "ian", "ant", "ent", "eer", "ess", "ive", "ect", "ic")
# Where the appositive's description of the person ends ("a nurse specializing in ..." -> nurse).
STOP_WORDS = frozenset(
    (
        *("who", "whose", "whom", "that", "which", "with", "in", "at", "from", "for", "of", "on"),
        *("by", "and", "or", "but", "as", "than", "to", "into", "about", "after", "before"),
        *("while", "where", "when", "whereas"),
    )
)

# Kinship words of an introduction, as the relationship rule's roles: "Jonah, her father," says
# Jonah is a parent. Only kinship: friends, rivals and allies change over a story.
KIN_WORDS = {
    "father": "parent",
    "mother": "parent",
    "parent": "parent",
    "dad": "parent",
    "mum": "parent",
    "mom": "parent",
    "sister": "sibling",
    "brother": "sibling",
    "sibling": "sibling",
    "twin": "sibling",
    "son": "child",
    "daughter": "child",
    "child": "child",
}

# Ages written in words, as prose writes them ("Jo, aged seventeen,"; "aged forty-two").
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
_UNITS += " fifteen sixteen seventeen eighteen nineteen"
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
_TENS |= {"eighty": 80, "ninety": 90}
NUMBER_WORDS = {word: n for n, word in enumerate(_UNITS.split())} | _TENS


def number_in_words(text: str) -> int | None:
    """17 for "seventeen", 42 for "forty-two"; None for anything else."""
    text = text.lower()
    if text.isdigit():
        return int(text)
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    tens, _, unit = text.partition("-")
    if tens in _TENS and unit in NUMBER_WORDS and NUMBER_WORDS[unit] < 10:
        return _TENS[tens] + NUMBER_WORDS[unit]
    return None
