"""What every document prints: text repaired where a wrong encoding damaged it, and one
typographic style for quotes, dashes and ellipses.

- Damage: ftfy's encoding repair (`ftfy.fix_encoding`), the very repair the `mojibake` rule
  suggests, so a document prints what `storykit lint --fix` would write and nothing else; text
  ftfy finds undamaged comes back unchanged.
- Style: the `smartypants` library (John Gruber's SmartyPants): "straight" quotes become curly,
  -- an em dash, ... an ellipsis, apostrophes curly. Text that already has the curly forms keeps
  them, so the two kinds written side by side in one bible print as one.

Applied to every value a template prints (the environment's `finalize`, see `render.py`), to
the pieces of a linked paragraph as one text (`typeset_pieces`), and to the DOCX treatment.
Command-line options quoted in storykit's own sentences ("--structure") keep their two hyphens.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

# Two hyphens that start an option name ("--structure"), kept from becoming a dash.
_OPTION = re.compile(r"(?<![\w-])--(?=[a-z])")
_OPTION_MARK = "\ue001"
# A backslash, kept from SmartyPants' backslash escapes (it would drop the one in \").
_BACKSLASH_MARK = "\ue002"
# Joins the pieces of one paragraph so SmartyPants reads their quotes in context.
_JOIN = "\ue000"


@lru_cache(maxsize=65536)
def typeset(text: str) -> str:
    """`text` repaired (ftfy) and typeset (SmartyPants), as Unicode characters, never entities."""
    if not text:
        return text
    if not text.isascii():
        import ftfy

        text = ftfy.fix_encoding(text)
    if not any(mark in text for mark in ("'", '"', "--", "...", "`")):
        return text
    import smartypants

    protected = _OPTION.sub(_OPTION_MARK, text).replace("\\", _BACKSLASH_MARK)
    # SmartyPants reads HTML: escape the plain text first (so a "<" is never taken for a tag),
    # then turn its entities back into characters.
    styled = smartypants.smartypants(html.escape(protected, quote=False), smartypants.Attr.set1)
    return html.unescape(styled).replace(_OPTION_MARK, "--").replace(_BACKSLASH_MARK, "\\")


def typeset_pieces(pieces: list[str]) -> list[str]:
    """Typeset consecutive pieces of one text (a paragraph cut around its links) as a whole."""
    if len(pieces) <= 1 or any(_JOIN in piece for piece in pieces):
        return [typeset(piece) for piece in pieces]
    joined = typeset(_JOIN.join(pieces)).split(_JOIN)
    return joined if len(joined) == len(pieces) else [typeset(piece) for piece in pieces]


class Verbatim(str):
    """Text printed exactly as it is: a lint message quotes the damaged word it is about."""

    __slots__ = ()


def finalize(value: object) -> object:
    """Jinja2's `finalize`: every plain string a template prints is typeset; markup (a rendered
    macro, an SVG), verbatim text and other values pass through as they are."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, (Markup, Verbatim)):
        return typeset(value)
    return value
