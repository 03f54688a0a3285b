"""The contradiction rule: one fact (age, occupation, year, kind) stated differently in two places."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from storykit.analysis import Mention, paragraphs_of
from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.lint.rules._facts import (
    AGE_WORDS,
    DECADES,
    KIN_WORDS,
    NOT_OCCUPATIONS,
    OCCUPATION_ENDINGS,
    OCCUPATION_WORDS,
    STOP_WORDS,
    number_in_words,
)
from storykit.lint.rules.relationship import INVERSE_ROLE, ROLE_OF
from storykit.model import Character, Device, Position
from storykit.text import WordClass

_APPOSITIVE = re.compile(
    r",\s+(?:(a|an|the)\s+([^,.;:!?()\"“”—–]+)|(\d{1,3})\s*[,.;]|(\d{1,3})-year-old"
    r"|aged\s+(\d{1,3}|[a-z]+(?:-[a-z]+)?)\b)"
)
# The story's year, stated as its own sentence's opening: "In the year 2045," / "In 2045 ...".
# Not "born in New Jersey in the year 1858" or "I graduated in 1915": a year in a clause about
# something else is that thing's year.
_YEAR = re.compile(r"\bIn (?:the year )?(\d{4})\b")
_SENTENCE_END = re.compile(r"(?:^|[.!?:][\"”’')\]]*)\s*$")
_YEAR_WORD = re.compile(r"\d{4}\b")
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Said:
    """What one place says about a character: an age range, a description of who they are."""

    where: Position
    text: str  # the words as written, for the message
    ages: tuple[int, int] | None
    head: str  # the last word of the description (its head noun), lowercase
    words: frozenset[str]  # the description's words, lowercase


@rule("contradiction", "SK302", Severity.ERROR, reads=("bible", "outlines"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """One fact stated differently in two places: age, occupation, year, device kind.

    **What it does.** Compares the facts the bible records with what is said elsewhere:

    - a character's `age` and `occupation` with their introductions in the outlines of their
      own treatment, of the forms "Korin, 67," / "Korin, a 67-year-old ...", "Lila, a sleep
      technician," and "Agnes, an elderly woman": an age (a number, or a word such as child,
      teenager or elderly, which stands for a range of years) that cannot be the bible's, or an
      occupation that shares no word with the bible's and is not close to it (rapidfuzz);
    - the same with the opening words of the character's own `description` in the bible;
    - a character's kinship in the bible's `relationships` (parent, sibling, child) with
      introductions such as "Jonah, her father," or "Lila, Aiden's younger sister,";
    - a treatment's `year` with "In the year 2045" / "In 2045" in its outlines and in its own
      logline, premise and setting;
    - two devices of one treatment with one name and different `kind`s.

    It is deliberately conservative: a description is taken for an occupation only when its
    head word looks like one (technician, nurse, programmer), never for words that say who
    someone is to others ("her overprotective father", "his best friend") or what they are
    ("a wayward boy", which is an age, not a job); a title before the name ("The protagonist,
    Lila, a sleep technician,") is fine; and an introduction that agrees is silent. Relations
    in the bible that contradict each other are the `relationship` rule's.

    **Why is this bad?** A fact told twice will, sooner or later, be told two ways, and the
    bible is only worth keeping if it is the one place that is right. A script editor who reads
    "Korin, 67," in the outline and "age: 34" in the bible has to ask which is true; so does
    the actor.

    **Example.**

        # bible/characters/jonah.yaml
        occupation: SleepSync technician
        # outlines/neoterra.md
        Jonah, a retired firefighter, drags Zara into the streets.
        # Jonah is 'a retired firefighter' here, but the bible's occupation is 'SleepSync
        # technician'
    """
    project = context.project
    named = _named_then_comma(context)
    for said, character in _outline_introductions(context, named):
        yield from _compare(said, character)
    for character in project.characters.values():
        described = _describe(character.description, character.where("description"))
        if described is not None:
            yield from _compare(described, character)
    yield from _relations(context, named)
    yield from _years(context)
    yield from _device_kinds(context)


def _outline_introductions(
    context: LintContext, named: list[tuple[Mention, Character]]
) -> Iterator[tuple[Said, Character]]:
    for mention, character in named:
        said = _introduction(mention, context.project.outlines[mention.outline].path)
        if said is not None:
            yield said, character


def _named_then_comma(context: LintContext) -> list[tuple[Mention, Character]]:
    """The own-treatment mentions of a character by a name or alias as written (a possessive,
    "Lila's, ...", introduces no one) that a comma follows: where an introduction ("Korin, 67,")
    or a kinship ("Jonah, her brother,") can stand. Both patterns start with the comma."""
    characters = context.project.characters
    names = {c.id: set(c.names) for c in characters.values()}
    found = []
    for mention in context.index.mentions:
        if not mention.paragraph.text.startswith(",", mention.end):
            continue
        if mention.entry.kind != "character" or mention.foreign:
            continue
        character = characters.get(mention.entry.id)
        if character is not None and mention.surface in names[character.id]:
            found.append((mention, character))
    return found


def _introduction(mention: Mention, path: str) -> Said | None:
    """What the words right after a name say: "Korin, 67," or "Lila, a sleep technician,"."""
    text = mention.paragraph.text
    match = _APPOSITIVE.match(text, mention.end)
    if match is None:
        return None
    start = match.start() + len(match.group(0)) - len(match.group(0).lstrip(", \n\t"))
    line, column = mention.paragraph.locate(start)
    return _said_from_match(match, Position(path, line, column))


def _said_from_match(match: re.Match[str], where: Position) -> Said | None:
    number = match.group(3) or match.group(4)
    age = int(number) if number else number_in_words(match.group(5) or "")
    if age is not None:
        return Said(where, match.group(0).strip(", .;"), (age, age), "", frozenset())
    if match.group(2) is None:
        return None
    return _describe_phrase(match.group(2), where, match.group(1))


def _describe(description: str, where: Position) -> Said | None:
    """What the first words of a bible description say: "A once-prominent sleep technologist who"."""
    match = re.match(r"\s*(a|an)\s+([^,.;:!?()\"“”—–]+)", description, re.IGNORECASE)
    if match is None:
        return None
    return _describe_phrase(match.group(2), where, match.group(1))


def _describe_phrase(phrase: str, where: Position, article: str) -> Said | None:
    words: list[str] = []
    for word in _WORD.findall(phrase):
        lower = word.lower()
        if lower in STOP_WORDS or (words and lower.endswith(("ing", "ed")) and len(lower) > 4):
            break  # "a nurse specializing in ...", "a researcher intrigued by ..."
        words.append(lower)
    if not words:
        return None
    ages = _age_of_words(words)
    text = f"{article.lower()} {' '.join(_WORD.findall(phrase)[: len(words)])}"
    return Said(where, text, ages, words[-1], frozenset(words))


def _age_of_words(words: list[str]) -> tuple[int, int] | None:
    for word in words:
        if word in AGE_WORDS:
            return AGE_WORDS[word]
        year_old = re.fullmatch(r"(\d{1,3})-year-old", word)
        if year_old:
            age = int(year_old.group(1))
            return age, age
    return None


def bible_age(age: int | str | None) -> tuple[int, int] | None:
    """The range of years a bible `age` allows: 67 -> (67, 67), "teenager" -> (13, 19)."""
    if isinstance(age, bool) or age is None:
        return None
    if isinstance(age, int):
        return age, age
    text = str(age).strip().lower()
    if text.isdigit():
        return int(text), int(text)
    if text in AGE_WORDS:
        return AGE_WORDS[text]
    decade = re.fullmatch(r"(?:(early|mid|late)[- ])?(\w+)", text)
    if decade and decade.group(2) in DECADES:
        low = DECADES[decade.group(2)]
        part = decade.group(1)
        return {
            "early": (low, low + 3),
            "mid": (low + 3, low + 6),
            "late": (low + 6, low + 9),
        }.get(part or "", (low, low + 9))
    return None


def _compare(said: Said, character: Character) -> Iterator[Finding]:
    where = said.where
    if said.ages is not None:
        recorded = bible_age(character.age)
        if recorded is not None and (said.ages[1] < recorded[0] or said.ages[0] > recorded[1]):
            yield RULE.finding(
                f"{character.name} is '{said.text}' here, but the bible's age is "
                f"'{character.age}' ({character.where('age')})",
                where,
                treatment=character.treatment,
                suggestion=f"make the age agree with {character.where('age').path}",
            )
    if (
        character.occupation
        and _looks_like_occupation(said)
        and not _agrees(said, character.occupation)
    ):
        yield RULE.finding(
            f"{character.name} is '{said.text}' here, but the bible's occupation is "
            f"'{character.occupation}' ({character.where('occupation')})",
            where,
            treatment=character.treatment,
            suggestion=f"make the occupation agree with {character.where('occupation').path}",
        )


def _looks_like_occupation(said: Said) -> bool:
    head = said.head
    if not head or head in NOT_OCCUPATIONS or head in AGE_WORDS:
        return False
    if head in OCCUPATION_WORDS:
        return True
    ending = next((e for e in OCCUPATION_ENDINGS if head.endswith(e)), None)
    return ending is not None and _agent_of(head[: -len(ending)])


def _agent_of(stem: str) -> bool:
    """Whether a word's stem before an agent ending is a word: "teach-er", "golf-er",
    "technolog(y)-ist", "inspect-or" are; "slend-er", "dapp-er", "pati-ent" are not."""
    from storykit.worldnames import common_word

    if len(stem) < 3:
        return False
    forms = (stem, stem + "e", stem + "y", stem[:-1] if stem[-1:] == stem[-2:-1] else "")
    return any(form and common_word(form) for form in forms)


def _agrees(said: Said, occupation: str) -> bool:
    from rapidfuzz import fuzz

    wanted = {w.lower() for w in _WORD.findall(occupation)}
    if said.words & wanted:
        return True
    return fuzz.token_set_ratio(" ".join(sorted(said.words)), occupation.lower()) >= 80


def _years(context: LintContext) -> Iterator[Finding]:
    project = context.project
    # The pattern is slow to try at every character; its four digits follow a space, so they
    # open a word of the paragraph: only paragraphs with such a word can hold a year.
    year_like = WordClass(lambda word: _YEAR_WORD.match(word) is not None)
    for treatment in project.treatments.values():
        if treatment.year is None:
            continue
        recorded = treatment.where("year")
        places: list[tuple[str, Position]] = []
        for key in ("logline", "premise", "setting"):
            value = getattr(treatment, key)
            for match in _YEAR.finditer(value or ""):
                if _SENTENCE_END.search(value or "", 0, match.start()):
                    places.append((match.group(1), treatment.where(key)))
        for outline in project.outlines_of(treatment.id):
            for _, _, paragraph in paragraphs_of(outline):
                if not year_like.found_in(context.words(paragraph)):
                    continue
                for match in _YEAR.finditer(paragraph.text):
                    if not _SENTENCE_END.search(paragraph.text, 0, match.start()):
                        continue
                    line, column = paragraph.locate(match.start())
                    places.append((match.group(1), Position(outline.path, line, column)))
        for year, where in places:
            if int(year) != treatment.year:
                yield RULE.finding(
                    f"the year is {year} here, but treatment {treatment.id}'s year is "
                    f"{treatment.year} ({recorded})",
                    where,
                    treatment=treatment.id,
                    suggestion=f"make the year agree with {recorded.path}",
                )


def _device_kinds(context: LintContext) -> Iterator[Finding]:
    seen: dict[tuple[str, str], Device] = {}
    for device in context.project.devices.values():
        for name in device.names:
            key = (device.treatment, name)
            first = seen.setdefault(key, device)
            if first is not device and first.kind != device.kind:
                yield RULE.finding(
                    f"'{name}' is a {device.kind} here, but a {first.kind} in "
                    f"{first.position.path} ({first.id})",
                    device.where("kind"),
                    treatment=device.treatment,
                    suggestion="give both the same kind, or different names",
                )
                break


KINSHIP = frozenset({"parent", "sibling", "child"})
_KIN = re.compile(
    r",\s+(?:(her|his|their)|([A-Z][\w-]*(?:\s[A-Z][\w-]*)?)['’]s)\s+(?:[a-z-]+\s+){0,2}?("
    + "|".join(KIN_WORDS)
    + r")\b"
)


def _relations(context: LintContext, named: list[tuple[Mention, Character]]) -> Iterator[Finding]:
    """ "Jonah, her brother," when the bible makes Jonah a parent; "Lila, Aiden's sister," when
    the bible makes her his daughter."""
    project = context.project
    characters = project.characters
    roles: dict[tuple[str, str], set[str]] = {}  # (holder, other) -> kinship roles in the bible
    for character in characters.values():
        for relationship in character.relationships:
            role = ROLE_OF.get(relationship.relation)
            if role in KINSHIP and relationship.to in characters:
                roles.setdefault((character.id, relationship.to), set()).add(role)
                inverse = INVERSE_ROLE[role]
                roles.setdefault((relationship.to, character.id), set()).add(inverse)
    for mention, character in named:
        match = _KIN.match(mention.paragraph.text, mention.end)
        if match is None:
            continue
        stated = KIN_WORDS[match.group(3)]
        if match.group(2):  # "Lila, Aiden's sister": towards a named character
            other = next(
                (
                    c
                    for c in project.characters.values()
                    if match.group(2) in c.names and c.treatment in (character.treatment, "all")
                ),
                None,
            )
            if other is None:
                continue
            recorded = roles.get((character.id, other.id), set())
            towards = f" of {other.name}"
        else:  # "Jonah, her father": towards someone; any kinship the bible gives him
            recorded = {
                r for (holder, _), found in roles.items() if holder == character.id for r in found
            }
            towards = ""
        if not recorded or stated in recorded:
            continue
        outline = project.outlines[mention.outline]
        start = match.start() + len(match.group(0)) - len(match.group(0).lstrip(", \n\t"))
        line, column = mention.paragraph.locate(start)
        phrase = match.group(0).lstrip(", \n\t")
        yield RULE.finding(
            f"{character.name} is '{phrase}' here (a {stated}{towards}), but the bible makes "
            f"{character.name} {' and '.join(f'a {r}' for r in sorted(recorded))}{towards}",
            Position(outline.path, line, column),
            treatment=character.treatment,
            suggestion=f"make the relation agree with {character.position.path}",
        )
