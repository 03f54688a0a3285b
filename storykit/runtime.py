"""How storykit runs in its process: the cycle collector paused while loading and linting, and
the user cache folder where it keeps what it can make again."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

CACHE_ENVIRONMENT = "STORYKIT_CACHE_DIR"
T = TypeVar("T")


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while loading or linting.

    Both make hundreds of thousands of small objects that stay alive (tokens, positions, YAML
    nodes) and form no cycles; the collector would walk all of them again and again as they
    pile up, which was half the time of tokenising a series. It runs again afterwards.

    What was made meanwhile is then handed to the oldest generation unexamined (`gc.freeze`
    sets every tracked object aside and zeroes the young count, `gc.unfreeze` puts them in the
    oldest generation): left in the youngest, the first allocation after would walk all of it,
    and again when it moved on, a third of a second for a series' index. Garbage among it is
    still collected, by a later full collection. Skipped if someone else froze objects.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def cache_folder() -> Path:
    """`$STORYKIT_CACHE_DIR` when set, else the platform's user cache folder (on Linux
    `$XDG_CACHE_HOME/storykit`, by default `~/.cache/storykit`): never inside a project unless
    configured there, and safe to delete at any time."""
    configured = os.environ.get(CACHE_ENVIRONMENT)
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("storykit", appauthor=False))


def write_cached(target: Path, data: bytes) -> None:
    """Write a cache file atomically (a whole file or none); a folder that cannot be written is
    skipped silently, as a cache is only a shortcut."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".tmp") as out:
            out.write(data)
        os.replace(out.name, target)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(out.name)


def cached_json(
    name: str,
    sources: Iterable[Path],
    packages: Iterable[str],
    make: Callable[[], Any],
    read: Callable[[Any], T],
) -> T:
    """`read(make())`, with `make()`'s value kept as JSON in the cache folder, keyed by the
    bytes of `sources` and the installed versions of `packages`: made again when the file is
    missing, unreadable, corrupt or of another shape."""
    from importlib.metadata import version

    made_of = [path.read_bytes() for path in sources] + [version(p).encode() for p in packages]
    key = hashlib.sha256(b"\0".join(made_of)).hexdigest()[:16]
    target = cache_folder() / f"{name}-{key}.json"
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        return read(json.loads(target.read_bytes()))
    value = make()
    write_cached(target, json.dumps(value).encode())
    return read(value)
