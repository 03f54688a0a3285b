"""The relationship rule: relations to unknown or foreign characters, and relations that
contradict each other."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.lint.rules._load import load_findings
from storykit.model import ALL_TREATMENTS, Character, Position

# What a relation says about the one who holds it ("A sister-of B": A is B's *sibling*), and what
# it implies for the other side (B is A's *sibling*). Relations not listed here are the writer's
# own words: allowed, and never contradicted.
ROLE_OF: dict[str, str] = {
    "sibling-of": "sibling",
    "sister-of": "sibling",
    "brother-of": "sibling",
    "parent-of": "parent",
    "father-of": "parent",
    "mother-of": "parent",
    "child-of": "child",
    "daughter-of": "child",
    "son-of": "child",
    "mentor-of": "mentor",
    "student-of": "student",
    "employer-of": "employer",
    "employee-of": "employee",
    "friend-of": "friend",
    "best-friend-of": "friend",
    "neighbour-of": "neighbour",
    "colleague-of": "colleague",
    "rival-of": "rival",
    "partner-of": "partner",
    "ally-of": "ally",
    "enemy-of": "enemy",
}
INVERSE_ROLE: dict[str, str] = {
    "sibling": "sibling",
    "parent": "child",
    "child": "parent",
    "mentor": "student",
    "student": "mentor",
    "employer": "employee",
    "employee": "employer",
    "friend": "friend",
    "neighbour": "neighbour",
    "colleague": "colleague",
    "rival": "rival",
    "partner": "partner",
    "ally": "ally",
    "enemy": "enemy",
}
# Roles one person cannot hold towards the same other person at once. Friends may be rivals and
# allies may fall out over a story, so only kinship and the two one-way hierarchies are exclusive.
EXCLUSIVE: list[frozenset[str]] = [
    frozenset({"sibling", "parent", "child"}),
    frozenset({"mentor", "student"}),
    frozenset({"employer", "employee"}),
]


@dataclass(frozen=True)
class Claim:
    """What one relation in the bible says: `holder` is `role` of `other`, stated at `where`."""

    holder: str
    other: str
    role: str
    relation: str
    stated_by: str  # the character whose file says it
    where: Position


@rule("relationship", "SK301", Severity.ERROR, reads=("bible",))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A relation to an unknown character, or two relations that contradict each other.

    **What it does.** Checks every `relationships` entry of every character: that `to` names a
    character of the bible (with the nearest id as a did-you-mean), of the same treatment, and
    not the character itself; and that the relations between one pair of characters agree with
    each other, read from both sides. `sister-of` and `sibling-of` are one family (siblings),
    `father-of`, `mother-of` and `parent-of` another, whose inverse is `child-of`,
    `daughter-of` or `son-of`; `mentor-of` pairs with `student-of`, `employer-of` with
    `employee-of`; `friend-of`, `neighbour-of`, `rival-of` and the like are symmetric. Two
    relations contradict when they make one person both sibling and parent (or child) of the
    other, both mentor and student, both employer and employee. Relations storykit does not know
    are the writer's own words and are never errors.

    **Why is this bad?** Relationships are facts the whole room relies on. When Max's file says
    his sister is `sister-of` him but her file says she is his `mother-of`, one of them is wrong,
    and every outline, beat sheet and series bible built from the bible repeats the mistake.

    **Example.**

        # bible/characters/max-sister.yaml
        relationships:
          - {to: max, as: sister-of}
        # bible/characters/max.yaml
        relationships:
          - {to: max-sister, as: son-of}   # Max is her child, yet she is his sister
    """
    yield from load_findings(RULE, context)
    characters = context.project.characters
    claims: list[Claim] = []
    for character in characters.values():
        for i, relationship in enumerate(character.relationships):
            where = character.where(f"relationships.{i}.as")
            other = characters.get(relationship.to)
            if other is None:
                continue  # the loader's problem, reported above
            if other.id == character.id:
                yield RULE.finding(
                    f"{character.name} is '{relationship.relation}' {character.name}: a relation "
                    "to oneself",
                    relationship.position,
                    treatment=character.treatment,
                    suggestion="point 'to' at another character's id",
                )
                continue
            if _foreign(character, other):
                yield RULE.finding(
                    f"{character.name} ({character.treatment}) is '{relationship.relation}' "
                    f"{other.name} ({other.id}), a character of another treatment "
                    f"({other.treatment})",
                    relationship.position,
                    treatment=character.treatment,
                    suggestion="relate characters of one treatment, or move the character to `all`",
                )
                continue
            role = ROLE_OF.get(relationship.relation)
            if role is None:
                continue
            claims.append(
                Claim(character.id, other.id, role, relationship.relation, character.id, where)
            )
            claims.append(
                Claim(
                    other.id,
                    character.id,
                    INVERSE_ROLE[role],
                    relationship.relation,
                    character.id,
                    where,
                )
            )
    yield from _contradictions(claims, characters)


def _foreign(character: Character, other: Character) -> bool:
    return ALL_TREATMENTS not in (character.treatment, other.treatment) and (
        character.treatment != other.treatment
    )


def _contradictions(claims: list[Claim], characters: dict[str, Character]) -> Iterator[Finding]:
    by_pair: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        by_pair.setdefault((claim.holder, claim.other), []).append(claim)
    reported: set[tuple[Position, Position]] = set()
    for (holder, other), said in sorted(by_pair.items()):
        for i, first in enumerate(said):
            for second in said[i + 1 :]:
                if first.where == second.where or first.role == second.role:
                    continue
                if not any({first.role, second.role} <= group for group in EXCLUSIVE):
                    continue
                earlier, later = sorted((first, second), key=lambda c: c.where)
                if (earlier.where, later.where) in reported:
                    continue  # the same two relations, seen from the other side of the pair
                reported.add((earlier.where, later.where))
                a, b = characters[holder], characters[other]
                yield RULE.finding(
                    f"contradicting relations: {_says(earlier, characters)} "
                    f"({earlier.where}), but {_says(later, characters)}, which makes "
                    f"{a.name} both {earlier.role} and {later.role} of {b.name}",
                    later.where,
                    treatment=characters[later.stated_by].treatment,
                    suggestion=f"make {later.where.path} agree with {earlier.where.path}",
                )


def _says(claim: Claim, characters: dict[str, Character]) -> str:
    """The relation as written in its file: "max-sister.yaml says Max's sister sister-of Max"."""
    speaker = characters[claim.stated_by]
    target = claim.other if claim.stated_by == claim.holder else claim.holder
    return f"{speaker.name} is '{claim.relation}' {characters[target].name}"
