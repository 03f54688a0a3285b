"""The name-collision rule: one name or alias used for different entries in different treatments."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.model import Entry


@rule("name-collision", "SK104", Severity.WARNING, reads=("bible",))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """One name or alias used for different entries in different treatments.

    **What it does.** Groups every character, device and thread by each of its proper names and
    aliases (those with a capital letter, compared case-sensitively, as prose matches them).
    When one name belongs to entries of more than one treatment, the entries of the first
    treatment (in the order the treatments load) keep it, and every entry of another treatment
    that uses it is reported once, at its first shared `name` or alias, with the names it
    shares and the entries it collides with. Entries of one treatment that share a name (a
    device and the thread about it) are one story element, not a collision; lowercase aliases
    ("the movement", "glitch") are descriptions, not names, and never collide.

    **Why is this bad?** Each outline resolves a name to its own treatment's entry, so the
    linter is not confused, but people are: in a writers' room, a series bible or a comparison
    of treatments, "Lila" means two different people, and "SleepSync" two different devices.
    Renaming one, or at least knowing, is a decision worth making on purpose. Silence it with
    `# storykit: ignore name-collision` on the name's line once decided.

    **Example.**

        # bible/characters/lila-dream-coders.yaml
        name: Lila            # Aiden's younger sister (dream-coders)
        # bible/characters/lila-bedtime-nexus.yaml
        name: Lila            # 'Lila' also names lila-dream-coders (character, dream-coders)
    """
    project = context.project
    order = {t: i for i, t in enumerate(project.treatments)}

    def rank(entry: Entry) -> tuple[int, str]:
        return order.get(entry.treatment, len(order)), entry.position.path

    by_name: dict[str, list[Entry]] = {}
    for entry in project.entries:
        for name in dict.fromkeys(entry.names):
            if any(c.isupper() for c in name):
                by_name.setdefault(name, []).append(entry)
    # entry id -> (shared names in the entry's own order, entries it collides with)
    collisions: dict[tuple[str, str], tuple[Entry, list[str], list[Entry]]] = {}
    for name, users in by_name.items():
        if len({e.treatment for e in users}) < 2:
            continue
        users.sort(key=rank)
        first_treatment = users[0].treatment
        for entry in users:
            if entry.treatment == first_treatment:
                continue
            key = (entry.kind_name, entry.id)
            _, names, others = collisions.setdefault(key, (entry, [], []))
            names.append(name)
            for other in users:
                if other.treatment != entry.treatment and other not in others:
                    others.append(other)
    for entry, names, others in sorted(collisions.values(), key=lambda c: rank(c[0])):
        field = "name" if entry.name in names else f"aliases.{entry.aliases.index(names[0])}"
        shared = ", ".join(f"'{n}'" for n in names)
        listed = "; ".join(
            f"{o.id} ({o.kind_name}, {o.treatment}, {o.position.path})"
            for o in sorted(others, key=rank)
        )
        yield RULE.finding(
            f"{shared} ({entry.id}, {entry.kind_name}, {entry.treatment}) also "
            f"{'names' if len(names) == 1 else 'name'} {listed}",
            entry.where(field),
            treatment=entry.treatment,
            suggestion="rename one of them, or silence this with "
            "'# storykit: ignore name-collision' if the shared name is deliberate",
        )
