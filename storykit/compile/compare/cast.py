"""Who plays which part in each outline, and what each outline's world is built from.

The parts (cast functions) and aspects of the world are data, not code: `cast.yaml` beside this
module holds neutral defaults (protagonist, antagonist, mentor or ally, love interest; central
technology, the faction against it, the ending), and a project overrides them with a
`cast.yaml` of its own at its root, in the same format (the file's comments describe it).

Every pick is derived from the bible and the outline, never from a list of names: a role the
bible gives, a relation to the protagonist, words in an occupation or in the text about an
entry. Only entries the outline mentions qualify; ties go to the entry mentioned more often,
then to bible order. Each pick carries a short `basis` (kept in the JSON for tools; the pages
a person reads show the pick, not the working).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from storykit.analysis import Index
from storykit.errors import BuildError
from storykit.model import Character, Entry, Outline, Project

CAST_FILE = "cast.yaml"
PACKAGE_CAST = Path(__file__).resolve().parent / CAST_FILE
# Where a sentence ends, for "the ending": an end mark (not a colon, unlike the index's sentence
# starts: "a decision looms over the citizens:" has not ended yet), closing quotes, then space.
SENTENCE_END = re.compile(r"[.!?]['’\"”)\]]*\s+")


@dataclass(frozen=True)
class Pick:
    """An entry chosen for a function in one outline, and the reason in a few words."""

    id: str
    name: str
    kind: str  # character | device | thread
    basis: str


@dataclass(frozen=True)
class Function:
    """One part to look for (or one aspect of the world), as `cast.yaml` describes it."""

    id: str
    label: str
    role: str = ""
    relations: tuple[str, ...] = ()
    occupation: re.Pattern[str] | None = None
    words: re.Pattern[str] | None = None
    kinds: tuple[str, ...] = ()
    fallback: str = ""


@dataclass(frozen=True)
class CastFunctions:
    functions: tuple[Function, ...]
    world: tuple[Function, ...]


def _pattern(words: Any, where: str) -> re.Pattern[str] | None:
    if words is None:
        return None
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise BuildError(f"{where}: expected a list of words")
    parts = [re.escape(w.strip()).replace(r"\*", r"\w*").replace(r"\ ", r"\s+") for w in words]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


def _function(value: Any, where: str) -> Function:
    known = {"id", "label", "role", "relations", "occupation", "words", "kinds", "fallback"}
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise BuildError(f"{where}: expected {{id: ..., label: ...}}")
    unknown = sorted(set(value) - known)
    if unknown:
        raise BuildError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(sorted(known))})")
    return Function(
        id=value["id"],
        label=str(value.get("label") or value["id"]),
        role=str(value.get("role") or ""),
        relations=tuple(str(r) for r in value.get("relations") or ()),
        occupation=_pattern(value.get("occupation"), f"{where}.occupation"),
        words=_pattern(value.get("words"), f"{where}.words"),
        kinds=tuple(str(k) for k in value.get("kinds") or ()),
        fallback=str(value.get("fallback") or ""),
    )


@lru_cache(maxsize=16)
def _parse(name: str, text: str) -> CastFunctions:
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise BuildError(f"{name}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise BuildError(f"{name}: expected the keys functions and world")
    lists = {key: data.get(key) or [] for key in ("functions", "world")}
    for key, items in lists.items():
        if not isinstance(items, list):
            raise BuildError(f"{name}: {key} must be a list")
    return CastFunctions(
        tuple(_function(v, f"{name}: functions[{i}]") for i, v in enumerate(lists["functions"])),
        tuple(_function(v, f"{name}: world[{i}]") for i, v in enumerate(lists["world"])),
    )


def cast_source(project: Project) -> tuple[str, str]:
    """(file name, text) of the cast functions: the project's own, else storykit's defaults."""
    own = project.root / CAST_FILE
    if own.is_file() and not own.is_symlink():
        return CAST_FILE, own.read_text(encoding="utf-8")
    return "storykit's cast.yaml", PACKAGE_CAST.read_text(encoding="utf-8")


def cast_functions(project: Project) -> CastFunctions:
    return _parse(*cast_source(project))


@dataclass
class OutlineFacts:
    """The cast functions and world of one outline."""

    cast: dict[str, Pick | None]
    world: dict[str, Pick | str | None] = field(default_factory=dict)


def _text_of(entry: Entry) -> str:
    parts = [entry.name, *entry.aliases, entry.description]
    if isinstance(entry, Character):
        parts += [entry.occupation, entry.arc.want, entry.arc.need, entry.arc.change]
    return " ".join(parts)


class _Scorer:
    def __init__(self, project: Project, index: Index, outline: Outline) -> None:
        self.project = project
        self.index = index
        self.outline = outline
        self.order = {id(e): n for n, e in enumerate(project.entries)}
        self.sentences = _sentences(outline)

    def mentions(self, entry: Entry) -> int:
        return len(self.index.mentions_of(entry, self.outline.name))

    def characters(self) -> list[Character]:
        return [c for c in self.project.characters.values() if self._mentioned(c)]

    def entries(self, kinds: tuple[str, ...]) -> list[Entry]:
        """Entries of the outline's treatment it mentions, of these kinds (thread is a kind)."""
        return [
            e
            for e in self.project.entries_of(self.outline.treatment)
            if _kind(e) in kinds and self._mentioned(e)
        ]

    def _mentioned(self, entry: Entry) -> bool:
        return entry.treatment in (self.outline.treatment, "all") and self.mentions(entry) > 0

    def best(self, scored: list[tuple[float, Entry, str]]) -> Pick | None:
        """The highest score; ties to the most mentioned, then bible order."""
        positive = [item for item in scored if item[0] > 0]
        if not positive:
            return None
        score, entry, basis = max(
            positive,
            key=lambda item: (item[0], self.mentions(item[1]), -self.order.get(id(item[1]), 0)),
        )
        return Pick(entry.id, entry.name, entry.kind_name, basis)

    def sentences_naming(self, entry: Entry) -> list[str]:
        names = [n for n in entry.names if n]
        return [s for s in self.sentences if any(_names(s, n) for n in names)]


def _names(sentence: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", sentence) is not None


def _sentences(outline: Outline) -> list[str]:
    found = []
    for beat in outline.beats:
        for paragraph in beat.paragraphs:
            found += [s for s in _split_sentences(paragraph.text) if s]
    return found


def _split_sentences(text: str) -> list[str]:
    pieces, start = [], 0
    for match in SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return pieces


def first_sentence(text: str) -> str:
    return next((s for s in _split_sentences(text) if s), "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def facts_of(
    project: Project, index: Index, outline: Outline, functions: CastFunctions | None = None
) -> OutlineFacts:
    """Each cast function and aspect of the world of `outline`, as `functions` describe them."""
    functions = functions or cast_functions(project)
    scorer = _Scorer(project, index, outline)
    characters = scorer.characters()
    cast: dict[str, Pick | None] = {}
    for function in functions.functions:
        protagonist = cast.get("protagonist")
        cast[function.id] = _find(function, scorer, characters, protagonist)
    world: dict[str, Pick | str | None] = {}
    for aspect in functions.world:
        if aspect.id == "ending":
            final = outline.beats[-1] if outline.beats else None
            world[aspect.id] = first_sentence(final.text) if final else None
        else:
            world[aspect.id] = _find(aspect, scorer, characters, cast.get("protagonist"))
    return OutlineFacts(cast=cast, world=world)


def _find(
    function: Function, scorer: _Scorer, characters: list[Character], protagonist: Pick | None
) -> Pick | None:
    """The first way of `function` that finds an entry (see cast.yaml)."""
    others = [c for c in characters if protagonist is None or c.id != protagonist.id]
    candidates = characters  # the protagonist may also be, say, the technologist
    if function.role:
        found = scorer.best(
            [(1.0, c, f"role: {c.role}") for c in candidates if c.role == function.role]
        )
        if found:
            return found
    if function.relations and protagonist is not None:
        found = scorer.best(
            [
                (
                    1.0,
                    c,
                    f"{c.name} {relation} {protagonist.name}"
                    if forward
                    else f"{protagonist.name} {relation} {c.name}",
                )
                for c in others
                for relation, forward in _relations(
                    scorer.project, c, protagonist.id, function.relations
                )
            ]
        )
        if found:
            return found
    if function.occupation is not None:
        pattern = function.occupation
        found = scorer.best(
            [
                (
                    2 * len(pattern.findall(c.occupation)) + len(pattern.findall(c.description)),
                    c,
                    f"occupation: {c.occupation}"
                    if pattern.search(c.occupation)
                    else "described as one",
                )
                for c in candidates
            ]
        )
        if found:
            return found
    if function.words is not None:
        pattern = function.words
        pool: list[Entry] = (
            list(scorer.entries(function.kinds)) if function.kinds else list(candidates)
        )
        found = scorer.best(
            [
                (
                    (
                        count := len(pattern.findall(_text_of(e)))
                        + sum(len(pattern.findall(t)) for t in scorer.sentences_naming(e))
                    ),
                    e,
                    f"{count} of the function's words in bible and outline",
                )
                for e in pool
            ]
        )
        if found:
            return found
    elif function.kinds:
        found = scorer.best(
            [(1.0, e, f"most-mentioned {_kind(e)}") for e in scorer.entries(function.kinds)]
        )
        if found:
            return found
    return _fallback(function, scorer, characters, protagonist)


def _fallback(
    function: Function, scorer: _Scorer, characters: list[Character], protagonist: Pick | None
) -> Pick | None:
    if function.fallback == "most-mentioned":
        return scorer.best([(1.0, c, "most mentioned") for c in characters])
    if function.fallback == "title-or-most-mentioned":
        treatment = scorer.project.treatments.get(scorer.outline.treatment)
        title = treatment.title if treatment else scorer.outline.title
        return scorer.best(
            [
                (
                    2.0 if d.name == title else 1.0,
                    d,
                    f"the {_kind(d)} the story is named after"
                    if d.name == title
                    else f"most-mentioned {_kind(d)}",
                )
                for d in scorer.entries(("place", "organisation"))
            ]
        )
    if function.id == "ally" and protagonist is not None:  # no ally in the bible: who is beside
        return scorer.best(
            [
                (shared, c, f"beside {protagonist.name} in {_plural(shared, 'beat')}")
                for c in characters
                if c.id != protagonist.id and c.role == "supporting"
                for shared in [_beats_together(scorer.index, scorer.outline, c.id, protagonist.id)]
            ]
        )
    return None


def _beats_together(index: Index, outline: Outline, one: str, other: str) -> int:
    presence = index.presence.get(outline.name, {})
    return sum(1 for ids in presence.values() if one in ids and other in ids)


def _kind(entry: Entry) -> str:
    return getattr(entry, "kind", entry.kind_name)


def _relations(
    project: Project, character: Character, other: str, relations: tuple[str, ...]
) -> list[tuple[str, bool]]:
    """`relations` between `character` and `other`: (relation, stated by character)."""
    found = [
        (r.relation, True)
        for r in character.relationships
        if r.to == other and r.relation in relations
    ]
    other_character = project.characters.get(other)
    if other_character is not None:
        found += [
            (r.relation, False)
            for r in other_character.relationships
            if r.to == character.id and r.relation in relations
        ]
    return found
