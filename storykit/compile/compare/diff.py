"""Word-level diffs between two versions of one beat, as revision tools show them.

The text is cut into words, punctuation and runs of space; difflib aligns the two token lists;
the result is a list of segments, each kept, inserted or deleted. A change that is split by a
single space ("Lavish Jax students" → "Jax's student") reads better as one deletion and one
insertion than as a checkerboard, so a lone space between two changes is folded into both.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Op = Literal["equal", "insert", "delete"]

# A word (with inner apostrophes and hyphens), one punctuation mark, or a run of whitespace.
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|\s+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


def word_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments that turn `old` into `new`; joining the non-inserted ones gives `old` back,
    the non-deleted ones `new`."""
    a, b = word_tokens(old), word_tokens(new)
    # autojunk off: beat texts are short, and frequent words ("the") must still anchor the match.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            raw.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            raw.append(Segment("insert", "".join(b[j1:j2])))
    return _merge(_fold_spaces(raw))


def _fold_spaces(segments: list[Segment]) -> list[Segment]:
    """Fold an unchanged run of whitespace between two changes into the changes around it."""
    result: list[Segment] = []
    for i, segment in enumerate(segments):
        between_changes = (
            segment.op == "equal"
            and not segment.text.strip()
            and 0 < i < len(segments) - 1
            and segments[i - 1].op != "equal"
            and segments[i + 1].op != "equal"
        )
        if between_changes:
            result.append(Segment("delete", segment.text))
            result.append(Segment("insert", segment.text))
        else:
            result.append(segment)
    return result


def _merge(segments: list[Segment]) -> list[Segment]:
    """Join neighbouring segments of one kind; between two equal runs, deletions come first."""
    result: list[Segment] = []
    pending: dict[str, str] = {"delete": "", "insert": ""}

    def flush() -> None:
        for op in ("delete", "insert"):
            if pending[op]:
                result.append(Segment(op, pending[op]))  # type: ignore[arg-type]
                pending[op] = ""

    for segment in segments:
        if segment.op == "equal":
            flush()
            if result and result[-1].op == "equal":
                result[-1] = Segment("equal", result[-1].text + segment.text)
            elif segment.text:
                result.append(segment)
        else:
            pending[segment.op] += segment.text
    flush()
    return result


def changed(segments: list[Segment]) -> bool:
    return any(s.op != "equal" for s in segments)


def side(segments: list[Segment], which: Literal["old", "new"]) -> str:
    """One side of the diff back: the old text (no insertions) or the new (no deletions)."""
    dropped = "insert" if which == "old" else "delete"
    return "".join(s.text for s in segments if s.op != dropped)
