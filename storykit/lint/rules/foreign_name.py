"""The foreign-name rule: a name in one treatment's outline that belongs to other treatments only."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.analysis import Mention
from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.model import Paragraph, Position


@rule("foreign-name", "SK103", Severity.ERROR, reads=("bible", "outlines", "scripts"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A name in one treatment's outline that belongs only to other treatments.

    **What it does.** Every bible name and alias found in an outline resolves to the entry of
    the outline's own treatment, or to an entry shared by `all` treatments. When the name is
    known only in other treatments, the mention is foreign: the finding names the treatment(s)
    and entries it belongs to. Only proper names count (a name or alias with a capital letter,
    matched case-sensitively): a lowercase alias such as "glitch" or "the movement" identifies
    its entry inside its own treatment, and is an ordinary phrase everywhere else.

    **Why is this bad?** Alternative treatments of one story share a room, and names leak
    between them: a character pasted from one draft into another, or a draft revised after a
    rename elsewhere. In the outline's own treatment that name means nobody, so nothing checks
    it; a reader of the treatment meets a stranger.

    **Example.**

        # outlines/bedsync.md (treatment bedsync)
        Amelia meets Sebastian at the gala.
        # 'Sebastian' belongs to treatment sleepsync, not bedsync

    Add the character to this treatment (or move the entry to `treatment: all`), or use the
    name this treatment knows.
    """
    index = context.index
    by_place: dict[tuple[str, Paragraph, int], list[Mention]] = {}
    for mention in index.mentions:
        # Only proper names travel: a lowercase alias ("glitch", "the movement") names its entry
        # inside its own treatment, and is an ordinary phrase in every other one.
        if mention.foreign and any(c.isupper() for c in mention.surface):
            key = (mention.outline, mention.paragraph, mention.start)
            by_place.setdefault(key, []).append(mention)
    for mentions in by_place.values():
        first = mentions[0]
        outline = context.project.outlines[first.outline]
        owners = sorted({m.entry.treatment for m in mentions})
        entries = ", ".join(
            sorted({f"{m.entry.id} ({m.entry.kind}, {m.entry.treatment})" for m in mentions})
        )
        where = "treatment " if len(owners) == 1 else "treatments "
        yield RULE.finding(
            f"'{first.surface}' belongs to {where}{', '.join(owners)}, not to "
            f"{outline.treatment}: {entries}",
            Position(outline.path, first.line, first.column),
            treatment=outline.treatment,
            suggestion=f"add it to the bible of {outline.treatment} (or to `all`), or use this "
            "treatment's own name",
            end=None if "\n" in first.surface else (first.line, first.column + len(first.surface)),
        )
