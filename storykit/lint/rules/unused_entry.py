"""The unused-entry rule: a bible entry that no outline of its treatment mentions."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.model import ALL_TREATMENTS


@rule("unused-entry", "SK402", Severity.INFO, reads=("bible", "outlines"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A bible entry (character, device, thread) that no outline ever mentions.

    **What it does.** Looks for each character, device and thread in the outlines of its
    treatment (in every outline for an entry of `all`), by name or alias, possessives and
    plurals included, and reports the entries found in none, at their `name`. Treatments with
    no outline yet are skipped: there is nothing to look in.

    **Why is this bad?** An entry no outline uses is either dead weight (a character cut in a
    rewrite whose file lives on, still shaping the series bible) or a sign that the outline
    calls it something else: `name: The Dream Market` while the outline says "black market".
    Either way the bible and the story have drifted apart.

    **Example.**

        # bible/devices/festival.yaml
        name: the festival      # no outline of neoterra says "the festival" or "festival"

    Add the words the outline uses to `aliases`, or delete the entry.
    """
    project = context.project
    used = {(ref.kind, ref.id) for ref in context.appearances_by_entry()}
    outlined = {outline.treatment for outline in project.outlines.values()}
    for entry in project.entries:
        if (entry.kind_name, entry.id) in used:
            continue
        if entry.treatment != ALL_TREATMENTS and entry.treatment not in outlined:
            continue
        if entry.treatment == ALL_TREATMENTS and not outlined:
            continue
        scope = (
            "any outline"
            if entry.treatment == ALL_TREATMENTS
            else f"an outline of {entry.treatment}"
        )
        yield RULE.finding(
            f"{entry.kind_name} '{entry.name}' ({entry.id}) is not mentioned in {scope}",
            entry.where("name"),
            treatment=None if entry.treatment == ALL_TREATMENTS else entry.treatment,
            suggestion="add the words the outline uses to `aliases`, or remove the entry",
        )
