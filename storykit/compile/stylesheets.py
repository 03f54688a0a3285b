"""A project's own stylesheets reach nothing outside the page: `@import` rules are dropped and
every `url(…)`, `image(…)` and `image-set(…)` that names anything but a `data:` URL or a fragment
becomes `none`, so a page the README calls self-contained (comparison.html, the site) never makes
a browser fetch what a cloned project's CSS names.

Read with tinycss2 (WeasyPrint's own CSS tokenizer), so escapes (`u\\72l(…)`), comments and
strings cannot hide a reference from a pattern.
"""

from __future__ import annotations

from typing import Any

_FETCHING = {"url", "image", "image-set", "-webkit-image-set", "cross-fade", "src"}


def strip_external_references(css: str) -> str:
    """`css` with every reference that would make a browser fetch something removed."""
    import tinycss2
    from tinycss2.ast import Comment, IdentToken

    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    kept: list[Any] = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            kept.append(Comment(rule.source_line, rule.source_column, " @import removed "))
            continue
        if rule.type in ("at-rule", "qualified-rule"):
            _clean(rule.prelude, IdentToken)
            if rule.content is not None:
                _clean(rule.content, IdentToken)
        kept.append(rule)
    return str(tinycss2.serialize(kept))


def _local(url: str) -> bool:
    return url.strip().lower().startswith(("data:", "#"))


def _clean(tokens: list[Any], ident: Any) -> None:
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "url" and not _local(token.value):
            tokens[i] = ident(token.source_line, token.source_column, "none")
        elif kind == "function" and token.lower_name in _FETCHING:
            strings = [a.value for a in token.arguments if a.type in ("string", "url")]
            if token.lower_name != "url" or not all(_local(s) for s in strings):
                tokens[i] = ident(token.source_line, token.source_column, "none")
        elif kind == "function":
            _clean(token.arguments, ident)
        elif kind in ("() block", "[] block", "{} block"):
            _clean(token.content, ident)
        elif kind == "at-keyword" and token.lower_value == "import":
            tokens[i] = ident(token.source_line, token.source_column, "none")
