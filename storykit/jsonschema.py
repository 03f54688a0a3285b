"""JSON Schemas (draft 2020-12) for every bible kind and storykit.yaml, generated from the loader's
field table (storykit.load.schema.KINDS), so that editors validate what the loader validates.

The schemas use only keywords that older drafts share (type, properties, required, enum,
pattern, items, anyOf, additionalProperties), so editors whose YAML support stops at draft 7
(yaml-language-server) still complete and check keys.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from storykit.compile.render import write_atomic
from storykit.errors import UsageError, did_you_mean_hint
from storykit.load.schema import KINDS, SEVERITIES, SLUG, FieldSpec

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Where `storykit schema --write` puts the schemas inside a project; bible files point here.
PROJECT_SCHEMA_DIR = Path(".storykit") / "schemas"

# Relations the format documents; offered as completions, not enforced (the loader accepts any
# relation slug and the relationship rule judges them).
RELATIONS = (
    "friend-of",
    "best-friend-of",
    "sibling-of",
    "sister-of",
    "brother-of",
    "parent-of",
    "father-of",
    "mother-of",
    "child-of",
    "daughter-of",
    "son-of",
    "neighbour-of",
    "colleague-of",
    "mentor-of",
    "student-of",
    "rival-of",
    "partner-of",
    "ally-of",
    "enemy-of",
    "employer-of",
    "employee-of",
    "drawn-to",
)

_TITLES = {
    "treatment": "storykit treatment (bible/treatments/<id>.yaml)",
    "character": "storykit character (bible/characters/<id>.yaml)",
    "device": "storykit device (bible/devices/<id>.yaml)",
    "thread": "storykit plot thread (bible/threads/<id>.yaml)",
    "rules": "storykit world rules (bible/rules/<id>.yaml)",
    "config": "storykit project settings (storykit.yaml)",
    "outline": "storykit outline front matter (outlines/<name>.md)",
}


def kinds() -> list[str]:
    """Every kind a schema exists for, in the field table's order."""
    return list(KINDS)


def _slug() -> dict[str, Any]:
    return {"type": "string", "pattern": SLUG.pattern}


def _rule_names() -> list[str]:
    # Imported here: the registry pulls in every rule module, which only this schema needs.
    from storykit.lint.registry import all_rules

    rules = all_rules()
    return [*(r.name for r in rules), *(r.code for r in rules)]


def _type_schema(spec: FieldSpec) -> dict[str, Any]:
    """The schema of one value of `spec`'s type (see storykit.load.schema._CHECKS)."""
    kind = spec.type
    if kind == "str":
        schema: dict[str, Any] = {"type": "string"}
        if spec.choices:
            schema["enum"] = list(spec.choices)
        return schema
    if kind == "int":
        return {"type": "integer"}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "int-or-str":
        return {"type": ["integer", "string"]}
    if kind == "slug":
        return _slug()
    if kind == "str-list":
        return {"type": "array", "items": {"type": "string"}}
    if kind == "slug-list":
        return {"type": "array", "items": _slug()}
    if kind == "slug-or-list":
        return {"anyOf": [_slug(), {"type": "array", "items": _slug()}]}
    if kind == "relationships":
        return {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "to": {**_slug(), "description": "The other character's id."},
                    "as": {
                        **_slug(),
                        "description": "The relation, e.g. friend-of, sister-of.",
                        "examples": list(RELATIONS),
                    },
                },
                "required": ["to", "as"],
                "additionalProperties": False,
            },
        }
    if kind == "severity-map":
        return {
            "type": "object",
            "propertyNames": {"enum": _rule_names()},
            "additionalProperties": {"enum": list(SEVERITIES)},
        }
    if kind == "mapping":
        return _object(spec.fields or {})
    raise ValueError(f"no JSON Schema for field type {kind!r}")  # a new type in the table


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, or null: the loader reads an empty optional value (`description:`) as absent."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    nullable = {**schema, "type": [*types, "null"]}
    if "enum" in schema:
        nullable["enum"] = [*schema["enum"], None]
    return nullable


def _object(fields: dict[str, FieldSpec]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key, spec in fields.items():
        value = _type_schema(spec)
        if not spec.required:
            # The loader reads an empty optional value (`description:`) as absent.
            value = _nullable(value)
        properties[key] = {"description": spec.description, **value}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if fields.get("lint") is not None:  # rule names in select/ignore: known names or codes
        for key in ("select", "ignore"):
            properties["lint"]["properties"][key]["items"] = {"enum": _rule_names()}
    required = [key for key, spec in fields.items() if spec.required]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind: treatment, character, device, thread, rules, config, outline."""
    if kind not in KINDS:
        raise UsageError(
            f"no schema for '{kind}'",
            did_you_mean_hint(kind, KINDS, f"kinds: {', '.join(KINDS)}"),
        )
    return {
        "$schema": DRAFT,
        "title": _TITLES.get(kind, f"storykit {kind}"),
        **_object(KINDS[kind]),
    }


def render(kind: str) -> str:
    """The schema as the text shipped in the package and written into projects."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def packaged_schema_dir() -> Path:
    return Path(str(resources.files("storykit"))) / "schemas"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder` (created if needed), each file atomically; return them."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / f"{kind}.json"
        write_atomic(path, render(kind))
        written.append(path)
    return written


def modeline(kind: str, file_in_project: str) -> str:
    """The `# yaml-language-server: $schema=...` line for a file, pointing at the project's copy
    of the schema by a path relative to that file (editors resolve it from the file's folder)."""
    depth = len(Path(file_in_project).parent.parts)
    relative = Path(*([".."] * depth), PROJECT_SCHEMA_DIR, f"{kind}.json").as_posix()
    return f"# yaml-language-server: $schema={relative}"


if __name__ == "__main__":  # regenerate the shipped schemas: python -m storykit.jsonschema
    for written_path in write_schemas(packaged_schema_dir()):
        print(written_path.name)
