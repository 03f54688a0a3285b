"""What each kind of bible file may hold: the one table the loader, the `schema` rule and the JSON
Schemas all read, so that they can never disagree."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from storykit.dialects import LANGUAGES
from storykit.errors import Problem, did_you_mean_hint
from storykit.model import DEVICE_KINDS, ROLES, Position

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class FieldSpec:
    """One key: its type (see `_CHECKS`), whether it is required, allowed values, and what it is."""

    type: str
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    # For type "mapping": the keys it may hold.
    fields: dict[str, FieldSpec] | None = None


_common = {
    "id": FieldSpec("slug", "Lowercase slug, unique per kind; the file is named <id>.yaml.", True),
    "name": FieldSpec("str", "The name as it appears in prose.", True),
    "treatment": FieldSpec("slug", "The treatment id this entry belongs to, or `all`.", True),
    "aliases": FieldSpec("str-list", "Other names or phrases that refer to this entry in prose."),
    "description": FieldSpec("str", "What the entry is, in a sentence or two."),
    "notes": FieldSpec("str", "Free notes: how the entry appears in the source, open questions."),
}

KINDS: dict[str, dict[str, FieldSpec]] = {
    "treatment": {
        "id": _common["id"],
        "title": FieldSpec("str", "The treatment's title.", True),
        "logline": FieldSpec("str", "The story in one sentence."),
        "premise": FieldSpec("str", "The premise, in a paragraph."),
        "year": FieldSpec("int", "The year the story is set in."),
        "setting": FieldSpec("str", "Where and when."),
        "source": FieldSpec("str", "The source document, relative to the project."),
        "themes": FieldSpec("str-list", "Themes, a few words each."),
    },
    "character": {
        **_common,
        "role": FieldSpec("str", "The character's role.", choices=ROLES),
        "occupation": FieldSpec("str", "What the character does for a living."),
        "age": FieldSpec("int-or-str", "A number, or a word such as elderly, teenager, child."),
        "relationships": FieldSpec(
            "relationships", "A list of {to: <character id>, as: <relation>}."
        ),
        "arc": FieldSpec(
            "mapping",
            "The character's arc.",
            fields={
                "want": FieldSpec("str", "What the character wants."),
                "need": FieldSpec("str", "What the character needs."),
                "change": FieldSpec("str", "How the character changes."),
            },
        ),
    },
    "device": {
        **_common,
        "kind": FieldSpec("str", "What sort of device.", choices=DEVICE_KINDS),
    },
    "thread": {
        **_common,
        "characters": FieldSpec("slug-list", "Character ids involved in the thread."),
        "setup": FieldSpec("slug-or-list", "The beat slug(s) where the thread is set up."),
        "payoff": FieldSpec(
            "slug-or-list", "The beat slug(s) where it pays off; omit if it never does."
        ),
    },
    "rules": {
        **{k: v for k, v in _common.items() if k not in ("aliases",)},
        "rules": FieldSpec("str-list", "The world rules, one sentence each.", True),
    },
    "config": {
        "title": FieldSpec("str", "The project's title.", True),
        "author": FieldSpec("str", "Author, printed as 'a treatment by ...'."),
        "contact": FieldSpec("str", "Contact details for title pages."),
        "draft_date": FieldSpec("str", "The draft date (YYYY-MM-DD); also the PDFs' dates."),
        "language": FieldSpec(
            "str",
            "The spelling dialect: en (storykit's own English dictionary), or en-US, en-GB, "
            "en-CA, en-AU (that dialect's Hunspell dictionary as well).",
            choices=LANGUAGES,
        ),
        "structure": FieldSpec("slug", "The default structure of outlines."),
        "pages": FieldSpec("int", "Default script length for beat sheets."),
        "lint": FieldSpec(
            "mapping",
            "Linter settings.",
            fields={
                "select": FieldSpec("str-list", "Rules to run (empty: all)."),
                "ignore": FieldSpec("str-list", "Rules never to run."),
                "severity": FieldSpec("severity-map", "Rule name -> error | warning | info."),
                "words": FieldSpec("str-list", "Project dictionary: coinages, acronyms, terms."),
                "strict_names": FieldSpec(
                    "bool",
                    "Report real-world names (London, Christmas) and capitalised ordinary words "
                    "as unknown names too.",
                ),
            },
        ),
        "limits": FieldSpec(
            "mapping",
            "Guards against hostile input.",
            fields={
                "max_file_bytes": FieldSpec("int", "Largest file storykit reads (bytes)."),
                "max_yaml_nodes": FieldSpec(
                    "int", "Most YAML nodes in one file, aliases expanded."
                ),
                "max_depth": FieldSpec("int", "Deepest nesting in one YAML file."),
            },
        ),
    },
    "outline": {
        "treatment": FieldSpec("slug", "The treatment this outline tells.", True),
        "title": FieldSpec("str", "The outline's title."),
        "variant": FieldSpec("str", "Names an alternative outline of the same treatment."),
        "structure": FieldSpec("slug", "The beat structure (default from storykit.yaml)."),
    },
}

_TYPE_WORDS = {
    "str": "a string",
    "int": "a whole number",
    "int-or-str": "a number or a word",
    "slug": "a lowercase slug (letters, digits, hyphens)",
    "str-list": "a list of strings",
    "slug-list": "a list of ids",
    "slug-or-list": "a beat slug or a list of them",
    "relationships": "a list of {to: <id>, as: <relation>}",
    "mapping": "a mapping",
    "severity-map": "a mapping of rule name to error | warning | info",
}


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_slug(v: Any) -> bool:
    return isinstance(v, str) and bool(SLUG.match(v))


def _is_str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


_CHECKS = {
    "str": _is_str,
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "int-or-str": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or isinstance(v, str),
    "slug": _is_slug,
    "str-list": _is_str_list,
    "slug-list": lambda v: isinstance(v, list) and all(_is_slug(x) for x in v),
    "slug-or-list": lambda v: _is_slug(v) or (isinstance(v, list) and all(_is_slug(x) for x in v)),
    "relationships": lambda v: isinstance(v, list),
    "mapping": lambda v: isinstance(v, dict),
    "severity-map": lambda v: (
        isinstance(v, dict) and all(isinstance(k, str) and x in SEVERITIES for k, x in v.items())
    ),
}


def visible(text: str) -> str:
    """`text` with invisible characters (joiners, bidi marks, controls) as \\u escapes.

    Without this, "unknown key 'role' (did you mean 'role'?)" hides the zero-width joiner that
    a paste left in front of the key.
    """
    return "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c) in _INVISIBLE and c not in "\n\t" else c
        for c in text
    )


_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def check_fields(
    value: dict[str, Any],
    spec: dict[str, FieldSpec],
    positions: dict[str, Position],
    key_positions: dict[str, Position],
    file_position: Position,
    prefix: str = "",
) -> tuple[dict[str, Any], list[Problem]]:
    """The keys of `value` that fit `spec`, and a problem for every one that does not."""
    clean: dict[str, Any] = {}
    problems: list[Problem] = []

    def at(pos: Position, message: str, hint: str | None = None) -> None:
        problems.append(Problem(pos.path, pos.line, pos.column, message, hint, rule="schema"))

    for key, item in value.items():
        path = f"{prefix}{key}"
        if key not in spec:
            at(
                key_positions.get(path, file_position),
                f"unknown key '{visible(key)}'",
                did_you_mean_hint(key, spec, f"expected one of: {', '.join(spec)}"),
            )
            continue
        field_spec = spec[key]
        pos = positions.get(path, file_position)
        if item is None and not field_spec.required:
            continue
        if not _CHECKS[field_spec.type](item):
            at(pos, f"'{key}' must be {_TYPE_WORDS[field_spec.type]}, found {_describe(item)}")
            continue
        if field_spec.choices and item not in field_spec.choices:
            at(
                pos,
                f"'{key}' must be one of {', '.join(field_spec.choices)}, found '{visible(str(item))}'",
                did_you_mean_hint(str(item), field_spec.choices),
            )
            continue
        if field_spec.type == "mapping" and field_spec.fields is not None:
            item, nested = check_fields(
                item, field_spec.fields, positions, key_positions, file_position, f"{path}."
            )
            problems.extend(nested)
        clean[key] = item
    for key, field_spec in spec.items():
        if field_spec.required and clean.get(key) is None and key not in value:
            at(file_position, f"missing required key '{key}' ({field_spec.description})")
        elif field_spec.required and value.get(key) is None and key in value:
            at(positions.get(f"{prefix}{key}", file_position), f"'{key}' must not be empty")
    return clean, problems


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string '{visible(shown)}'"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
