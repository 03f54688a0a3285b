"""Bible YAML files → typed entries (treatments, characters, devices, threads, world rules)."""

from __future__ import annotations

from typing import Any

from storykit.errors import Problem
from storykit.load.schema import KINDS, check_fields
from storykit.load.yamlsrc import YamlDocument
from storykit.model import (
    Arc,
    Character,
    Device,
    Entry,
    Position,
    Relationship,
    Thread,
    Treatment,
    WorldRules,
)

# Folder under bible/ → kind name in the schema table.
FOLDERS = {
    "treatments": "treatment",
    "characters": "character",
    "devices": "device",
    "threads": "thread",
    "rules": "rules",
}


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def build_entry(
    kind: str, doc: YamlDocument, rel_path: str
) -> tuple[Entry | Treatment | None, list[Problem]]:
    """One bible file → its entry (None if it lacks what an entry needs) and its problems."""
    top = Position(rel_path, 1, 1)
    if not isinstance(doc.value, dict):
        what = "an empty file" if doc.value is None else f"a {type(doc.value).__name__}"
        return None, [
            Problem(
                rel_path, 1, 1, f"expected a mapping of keys ({kind}), found {what}", rule="schema"
            )
        ]
    data, problems = check_fields(doc.value, KINDS[kind], doc.positions, doc.key_positions, top)
    required = [k for k, spec in KINDS[kind].items() if spec.required]
    if any(data.get(k) is None for k in required):
        return None, problems
    positions = {**doc.positions}
    common: dict[str, Any] = {"position": top, "field_positions": positions}
    if kind == "treatment":
        return (
            Treatment(
                id=data["id"],
                title=data["title"],
                logline=data.get("logline", ""),
                premise=data.get("premise", ""),
                year=data.get("year"),
                setting=data.get("setting", ""),
                source=data.get("source", ""),
                themes=data.get("themes", []),
                notes=data.get("notes", ""),
                **common,
            ),
            problems,
        )
    common.update(
        id=data["id"],
        name=data["name"],
        treatment=data["treatment"],
        description=data.get("description", ""),
        notes=data.get("notes", ""),
    )
    if kind == "rules":
        return WorldRules(rules=data["rules"], **common), problems
    common["aliases"] = data.get("aliases", [])
    if kind == "device":
        return Device(kind=data.get("kind", "technology"), **common), problems
    if kind == "thread":
        return (
            Thread(
                characters=data.get("characters", []),
                setup=_as_list(data.get("setup")),
                payoff=_as_list(data.get("payoff")),
                **common,
            ),
            problems,
        )
    relationships, more = _relationships(data.get("relationships", []), doc, rel_path)
    problems.extend(more)
    arc = data.get("arc", {})
    return (
        Character(
            role=data.get("role", "supporting"),
            occupation=data.get("occupation", ""),
            age=data.get("age"),
            relationships=relationships,
            arc=Arc(**{k: str(v) for k, v in arc.items()}),
            **common,
        ),
        problems,
    )


def _relationships(
    items: list[Any], doc: YamlDocument, rel_path: str
) -> tuple[list[Relationship], list[Problem]]:
    result: list[Relationship] = []
    problems: list[Problem] = []
    for i, item in enumerate(items):
        pos = doc.positions.get(f"relationships.{i}", Position(rel_path, 1, 1))
        if not isinstance(item, dict):
            problems.append(
                Problem(
                    pos.path,
                    pos.line,
                    pos.column,
                    "a relationship must be {to: <id>, as: <relation>}",
                    rule="schema",
                )
            )
            continue
        unknown = sorted(set(item) - {"to", "as"})
        if unknown:
            key_pos = doc.key_positions.get(f"relationships.{i}.{unknown[0]}", pos)
            problems.append(
                Problem(
                    key_pos.path,
                    key_pos.line,
                    key_pos.column,
                    f"unknown key '{unknown[0]}' in a relationship",
                    "expected only 'to' and 'as'",
                    rule="schema",
                )
            )
        to, relation = item.get("to"), item.get("as")
        if not isinstance(to, str) or not isinstance(relation, str):
            problems.append(
                Problem(
                    pos.path,
                    pos.line,
                    pos.column,
                    "a relationship needs 'to' (a character id) and 'as' (a relation such as friend-of)",
                    rule="schema",
                )
            )
            continue
        to_pos = doc.positions.get(f"relationships.{i}.to", pos)
        result.append(Relationship(to=to, relation=relation, position=to_pos))
    return result, problems
