"""How storykit runs in its process: the cycle collector paused while loading and linting."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
