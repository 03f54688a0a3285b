"""The command line's memory between lints: `lint_incremental`'s `Memory`, one file per project
in the user's cache folder, so a second `storykit lint` analyses only the outlines that changed.

The folder is `$STORYKIT_CACHE_DIR` when set, else the platform's user cache folder
(`$XDG_CACHE_HOME/storykit`, by default `~/.cache/storykit`, on Linux): never inside the project
unless it is configured there. Every entry is keyed inside by content digests and storykit's
version, so a stale file is only work done again. The folder is safe to delete at any time; a
file that cannot be read, is corrupt, or holds anything but storykit's own values is ignored
(and replaced); one that cannot be written is skipped, and the lint still reports.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Iterable
from pathlib import Path

from storykit import __version__
from storykit.lint.engine import LintResult
from storykit.lint.incremental import Memory, digest, lint_incremental
from storykit.model import Project
from storykit.runtime import cache_folder, write_cached

__all__ = ["cache_file", "cache_folder", "load_memory", "save_memory"]

# What a cache file may hold: storykit's values and the builtins they are made of. Anything
# else (a file someone else wrote there) is refused before it is built.
_ALLOWED = {
    "builtins": {"set", "frozenset", "range", "tuple", "list", "dict", "str", "int", "bool"},
    "collections": {"OrderedDict"},
    "storykit.lint.incremental": {"Memory", "OutlineMemory"},
    "storykit.lint.finding": {"Finding", "Fix", "Severity"},
    "storykit.lint.suppressions": {"Suppression"},
    "storykit.analysis.appearances": {"Appearance"},
    "storykit.analysis.names": {"EntryRef"},
}


def cache_file(root: Path) -> Path:
    """The file that holds a project's memory: named after the project's resolved path."""
    return cache_folder() / f"lint-{digest(str(root.resolve()))}.pickle"


class _Values(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if name in _ALLOWED.get(module, set()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not a storykit cache value: {module}.{name}")


def load_memory(root: Path) -> Memory:
    """The project's memory, or an empty one when there is none usable."""
    try:
        data = cache_file(root).read_bytes()
        memory = _Values(io.BytesIO(data)).load()
    except Exception:  # missing, unreadable, truncated, corrupt, foreign: start afresh
        return Memory()
    if not isinstance(memory, Memory) or memory.version != __version__:
        return Memory()
    return memory


def save_memory(root: Path, memory: Memory) -> None:
    """Write the memory atomically (a whole file or none); a folder that cannot be written is
    skipped silently, as the cache is only a shortcut."""
    write_cached(cache_file(root), pickle.dumps(memory, protocol=pickle.HIGHEST_PROTOCOL))


def lint_cached(
    project: Project, select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> LintResult:
    """`lint_project`, by way of the project's memory in the cache folder."""
    memory = load_memory(project.root)
    result = lint_incremental(project, memory, select, ignore)
    save_memory(project.root, memory)
    return result
