"""YAML with positions: compose with libyaml, then build plain values while recording where each sits.

PyYAML's loaders forget positions and silently keep the last of two equal keys; storykit needs the
line and column of every value for its findings, and a duplicate key must be an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from storykit.errors import Problem
from storykit.model import Limits, Position
from storykit.text import line_column

try:  # libyaml's composer is several times faster; fall back only where it is not built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_constructor = yaml.constructor.SafeConstructor()
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class YamlDocument:
    """A parsed YAML file: its value, and the position of every value and key by dotted path."""

    value: Any
    positions: dict[str, Position] = field(default_factory=dict)
    key_positions: dict[str, Position] = field(default_factory=dict)


class YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _join(path: str, part: str | int) -> str:
    return f"{path}.{part}" if path else str(part)


class _Builder:
    def __init__(self, rel_path: str, limits: Limits, line_offset: int = 0) -> None:
        self.rel_path = rel_path
        self.line_offset = line_offset
        self.limits = limits
        self.nodes_seen = 0
        self.doc = YamlDocument(None)

    def position(self, node: yaml.Node) -> Position:
        mark = node.start_mark
        return Position(self.rel_path, mark.line + 1 + self.line_offset, mark.column + 1)

    def fail(self, node: yaml.Node, message: str, hint: str | None = None) -> YamlProblem:
        pos = self.position(node)
        return YamlProblem(Problem(pos.path, pos.line, pos.column, message, hint))

    def build(self, node: yaml.Node, path: str, depth: int) -> Any:
        # Aliases make the node graph a DAG: counting visits (not nodes) is what stops a
        # "billion laughs" document before it expands.
        self.nodes_seen += 1
        if self.nodes_seen > self.limits.max_yaml_nodes:
            raise self.fail(
                node,
                f"too many YAML nodes (over {self.limits.max_yaml_nodes}, aliases expanded)",
                "is this an alias bomb? raise limits.max_yaml_nodes in storykit.yaml if it is not",
            )
        if depth > self.limits.max_depth:
            raise self.fail(node, *_too_deep(self.limits))
        self.doc.positions[path] = self.position(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, _join(path, i), depth + 1) for i, item in enumerate(node.value)
            ]
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, path: str, depth: int) -> dict[str, Any]:
        """A mapping's keys (plain, unique, no merge keys) and built values, positions kept."""
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "expected a plain key, found a nested structure")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys (<<) are not supported in bible files")
            key = str(key_node.value)
            if key in result:
                first = self.doc.key_positions[_join(path, key)]
                raise self.fail(
                    key_node,
                    f"duplicate key '{key}' in one mapping",
                    f"first defined at line {first.line}; YAML would silently keep only the last",
                )
            self.doc.key_positions[_join(path, key)] = self.position(key_node)
            result[key] = self.build(value_node, _join(path, key), depth + 1)
        return result

    def scalar(self, node: yaml.Node) -> Any:
        """A scalar's value, as PyYAML's safe constructor reads it; dates as ISO text."""
        if node.tag == _STR_TAG:  # most values: the constructor would return node.value
            return node.value
        try:
            value = _constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            raise self.fail(node, f"cannot read this value: {error.problem}") from None
        except (ValueError, OverflowError) as error:
            raise self.fail(node, f"cannot read this value: {error}") from None
        except (KeyError, IndexError, AttributeError, TypeError):
            # PyYAML's constructors trust an explicit tag: `!!bool maybe`, `!!int` with no
            # digits, `!!timestamp x` fail inside them with an error that says nothing.
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(node, f"cannot read {node.value!r} as {tag}") from None
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return value


# libyaml's composer recurses in C: nesting some tens of thousands deep crashes the interpreter
# outright (and building values recurses in Python), so no setting of limits.max_depth may go
# past this.
HARD_MAX_DEPTH = 200


def _too_deep(limits: Limits) -> tuple[str, str]:
    """The message and hint for nesting past the depth limit."""
    return (
        f"nested deeper than {min(limits.max_depth, HARD_MAX_DEPTH)} levels",
        "bible entries are shallow; raise limits.max_depth if you really need this",
    )


def _check_shape(text: str, rel_path: str, limits: Limits, line_offset: int) -> None:
    """Refuse deep nesting and alias bombs from the event stream, before anything is composed.

    libyaml's parser is iterative, so walking its events is safe at any depth; and counting each
    alias as the size of what it stands for finds a "billion laughs" in one linear pass. Aliases
    may not repeat more text than a file may hold (limits.max_file_bytes), either.
    """
    max_depth = min(limits.max_depth, HARD_MAX_DEPTH)
    depth = 0
    expanded = 0  # nodes so far, every alias counted as the whole node it repeats
    chars = 0  # characters of text so far, every alias counted as the text it repeats
    # (anchor, `expanded` and `chars` at its start)
    open_collections: list[tuple[str | None, int, int]] = []
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> expanded size and text of its node

    def refuse(event: yaml.Event, message: str, hint: str) -> YamlProblem:
        mark = event.start_mark  # the C parser always sets it
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return YamlProblem(Problem(rel_path, line + line_offset, column, message, hint))

    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                raise refuse(event, *_too_deep(limits))
            open_collections.append((event.anchor, expanded, chars))
            expanded += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, start, start_chars = open_collections.pop()
            if anchor is not None:
                sizes[anchor] = (expanded - start, chars - start_chars)
        elif isinstance(event, yaml.ScalarEvent):
            expanded += 1
            chars += len(event.value)
            if event.anchor is not None:
                sizes[event.anchor] = (1, len(event.value))
        elif isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for anchor, _, _ in open_collections):
                raise refuse(
                    event,
                    f"alias *{event.anchor} refers to a structure that contains it",
                    "bible files cannot be recursive",
                )
            # An undefined alias counts as one node: compose reports it, with its position.
            nodes, text_size = sizes.get(event.anchor or "", (1, 0))
            expanded += nodes
            chars += text_size
            if chars > limits.max_file_bytes:
                # Few nodes, but each a long text: every rule would read it all, every time.
                raise refuse(
                    event,
                    f"aliases repeat text past {limits.max_file_bytes:,} characters",
                    "is this an alias bomb? write the text once instead of aliasing it",
                )
        if expanded > limits.max_yaml_nodes:
            raise refuse(
                event,
                f"too many YAML nodes (over {limits.max_yaml_nodes:,}, aliases expanded)",
                "is this an alias bomb? raise limits.max_yaml_nodes in storykit.yaml if it is not",
            )


def _shape_is_bounded(text: str, limits: Limits) -> bool:
    """Whether `text` is too plain to need `_check_shape`'s walk: no anchor or alias, so no
    bomb; and too few indicators to nest past the depth limit or make too many nodes.

    Every collection has an indicator of its own (`-`, `:`, `?`, `[` or `{`), so their count
    bounds the depth; and without aliases a document has at most a node per character plus
    one per indicator (an empty value). Over-counting (a colon inside a sentence) only sends a
    file to the walk.
    """
    if "&" in text or "*" in text:
        return False
    indicators = sum(text.count(mark) for mark in "-:?[{")
    return (
        indicators <= min(limits.max_depth, HARD_MAX_DEPTH)
        and len(text) + indicators < limits.max_yaml_nodes
    )


def _code_point(character: int | str) -> str:
    # libyaml reports the character as an int, the pure-Python reader as a str
    code = character if isinstance(character, int) else ord(character[:1] or "\0")
    return f"U+{code:04X}"


def parse_yaml(text: str, rel_path: str, limits: Limits, *, line_offset: int = 0) -> YamlDocument:
    """Parse one YAML document; raise YamlProblem with file:line:col for anything malformed."""
    try:
        if not _shape_is_bounded(text, limits):
            _check_shape(text, rel_path, limits, line_offset)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1) if mark else 1
        column = (mark.column + 1) if mark else 1
        what = error.problem or error.context or "malformed YAML"
        if "nesting depth" in what:
            # Newer PyYAML scanners refuse deep nesting themselves, before `_check_shape` sees
            # an event: say what storykit says, whichever of the two refused first.
            raise YamlProblem(
                Problem(rel_path, line + line_offset, column, *_too_deep(limits))
            ) from None
        raise YamlProblem(
            Problem(rel_path, line + line_offset, column, f"YAML syntax error: {what}")
        ) from None
    except yaml.reader.ReaderError as error:  # a control character: it has an offset, not a mark
        offset = max(0, min(error.position, len(text)))
        line, column = line_column(text, offset)
        raise YamlProblem(
            Problem(
                rel_path,
                line + line_offset,
                column,
                f"character {_code_point(error.character)} is not allowed in YAML",
                "delete it, or write it as an escape inside double quotes",
            )
        ) from None
    except yaml.YAMLError as error:  # e.g. a second document in one file
        raise YamlProblem(Problem(rel_path, 1 + line_offset, 1, f"YAML error: {error}")) from None
    builder = _Builder(rel_path, limits, line_offset)
    if node is None:
        return builder.doc
    builder.doc.value = builder.build(node, "", 0)
    return builder.doc
