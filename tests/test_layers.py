"""The package reads in layers, each importing only from itself and the layers below:

    text, errors, runtime, dialects, worldnames  →  model, script  →  load  →  analysis  →  lint
    →  compile, export, importer, script_report  →  lsp  →  cli

A new top-level module or package must be given its layer here.

Every import counts, also one inside a function or under TYPE_CHECKING: a lazy import from a
layer above is still a dependency on it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "storykit"
LAYERS: list[set[str]] = [
    {"storykit", "storykit.text", "storykit.errors", "storykit.runtime"}
    | {"storykit.dialects", "storykit.worldnames"},
    {"storykit.model", "storykit.script"},
    {"storykit.load"},
    {"storykit.analysis"},
    {"storykit.lint"},
    {
        "storykit.compile",
        "storykit.export",
        "storykit.importer",
        "storykit.script_report",
        "storykit.jsonschema",
        "storykit.scaffold",
    },
    {"storykit.lsp"},
    {"storykit.cli", "storykit.__main__"},
]


def layer_of(module: str) -> int:
    """The layer of a module: that of its longest listed prefix (the package itself only as
    itself: a new top-level module must be placed)."""
    if module == "storykit":
        return 0
    parts = module.split(".")
    for length in range(len(parts), 1, -1):
        prefix = ".".join(parts[:length])
        for number, layer in enumerate(LAYERS):
            if prefix in layer:
                return number
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.split(".")[0] == "storykit"]


def test_no_module_imports_from_a_layer_above() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        own = layer_of(module)
        for line, imported in imports_of(path):
            if imported != "storykit" and layer_of(imported) > own:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: imports {imported}")
    assert not wrong, "imports from a layer above:\n" + "\n".join(wrong)


def test_the_layer_check_sees_a_lazy_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from storykit.lint.engine import lint_project\n", "utf-8")
    assert imports_of(module) == [(2, "storykit.lint.engine")]
    assert layer_of("storykit.lint.engine") > layer_of("storykit.load.fountain")
