"""The dropped-thread rule: threads without payoff, cast members who vanish, leads who sit out."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.lint.rules._story import (
    Appearance,
    place_name,
    span_end,
)
from storykit.model import LEAD_ROLES, Character, Entry, Outline, Position, Project, Thread


@rule("dropped-thread", "SK202", Severity.WARNING, reads=("bible", "outlines", "scripts"))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A thread or cast member that is set up and then never returns or pays off.

    **What it does.** For every outline, three checks:

    1. A thread with a `setup` whose payoff never comes: a warning when the outline never
       mentions it again after its setup beat; at info level when the story returns to it but
       never pays it off. A thread that declares `payoff:` beats must be named (itself, an
       alias, or a device of the same name) in one of them, in every outline that has them:
       the bible says where the promise is kept, and the outline is checked against it.
    2. A character who is not `minor`, named in the first act and never again.
    3. A lead (role protagonist, antagonist or supporting) absent from the whole second act, or
       from the climax (the structure's beat with `climax: true`, such as Save the Cat's
       Finale) when the outline has it; one finding names both when both apply. Presence is
       being named in the beat, an alias or a possessive included ("Maya's experimental
       version" refers to Maya).

    Findings point at the last mention of the thread or character, with the beats and acts
    in the message.

    **Why is this bad?** An audience remembers what a story promises. A festival announced in
    Act Two and never held, a nurse introduced in the set-up and forgotten, a protagonist who
    sits out the middle of the story or watches the climax from off-stage: each is a promise
    broken, and the first thing a script editor flags.

    **Example.**

        # bible/threads/dream-trade-festival.yaml
        setup: bad-guys-close-in      # "a dream-trade marketplace is being set up for an
                                      #  upcoming festival" ... and no payoff

    Pay it off (`payoff: finale`, and the festival in the Finale), or cut the setup.
    """
    project = context.project
    # Each treatment's set-up threads and non-minor cast, once: the same for all its outlines.
    threads: dict[str, list[Thread]] = {}
    cast: dict[str, list[Character]] = {}
    for outline in project.outlines.values():
        treatment = outline.treatment
        if treatment not in threads:
            threads[treatment] = [
                t for t in project.threads.values() if t.treatment in (treatment, "all") and t.setup
            ]
            cast[treatment] = [
                c
                for c in project.characters.values()
                if c.treatment in (treatment, "all") and c.role != "minor"
            ]
        yield from _threads(context, threads[treatment], outline)
        yield from _cast(context, project, cast[treatment], outline)


def _threads(context: LintContext, threads: list[Thread], outline: Outline) -> Iterator[Finding]:
    for thread in threads:
        payoff_beats = _beats_named(outline, thread.payoff)
        if thread.payoff and not payoff_beats:
            continue  # the outline lacks the payoff beat itself: missing-beat's business
        found = context.appearances_of(thread, outline)
        setup_beats = _beats_named(outline, thread.setup)
        if setup_beats:
            setup_at = (outline.beats[max(setup_beats)].act_index, max(setup_beats))
        elif found:
            setup_at = (found[0].act, found[0].beat)
        else:
            continue  # the outline never tells this thread: unused-entry's business
        kin = context.namesakes_of(thread)
        told = [a for entry in (thread, *kin) for a in context.appearances_of(entry, outline)]
        if any(a.beat in payoff_beats for a in told):
            continue  # paid off where the bible says (possibly the very beat it is set up in)
        later = [a for a in told if (a.act, a.beat) > setup_at]  # an act's intro has beat -1
        setup_name = place_name(outline, setup_at[1], setup_at[0])
        last = found[-1] if found else None
        where = _where(outline, thread, last)
        if thread.payoff:
            declared = _beat_list(outline, payoff_beats, joiner=" or ")
            unpaid = f"its declared payoff ({declared}) never mentions it"
        else:
            unpaid = "never pays off"
        if not later:
            yield RULE.finding(
                f"thread '{thread.name}' is set up in {setup_name} and never mentioned again; "
                "it has no payoff",
                where,
                treatment=outline.treatment,
                suggestion="pay it off in a later beat and declare `payoff:`, or cut the setup",
                end=span_end(last),
            )
        else:
            returns = _beat_list(outline, sorted({a.beat for a in later}))
            yield RULE.finding(
                f"thread '{thread.name}' is set up in {setup_name} and returns in {returns}, "
                f"but {unpaid}",
                where,
                treatment=outline.treatment,
                suggestion=(
                    f"pay it off in {declared}, or move `payoff:` to the beat that does"
                    if thread.payoff
                    else "resolve it on the page and declare `payoff:`, or let it go"
                ),
                severity=Severity.INFO,
                end=span_end(last),
            )


def _cast(
    context: LintContext, project: Project, characters: list[Character], outline: Outline
) -> Iterator[Finding]:
    if len(outline.acts) < 2:
        return
    first_act = outline.acts[0].index
    second_act = outline.acts[1] if len(outline.acts) >= 3 else None
    structure = project.structures.get(outline.structure)
    climax = structure.climax if structure else None
    climax_beats = [
        i for i, beat in enumerate(outline.beats) if climax is not None and beat.slot == climax.id
    ]
    for character in characters:
        found = context.appearances_of(character, outline)
        if not found:
            continue
        last = found[-1]
        where = _where(outline, character, last)
        if all(a.act == first_act for a in found):
            yield RULE.finding(
                f"{character.name} ({character.role}) is set up in "
                f"{place_name(outline, found[0].beat, found[0].act)} and never seen again after "
                f"{outline.acts[0].name}",
                where,
                treatment=outline.treatment,
                suggestion=f"bring {character.name} back, or make the role minor",
                end=span_end(last),
            )
            continue
        if character.role not in LEAD_ROLES:
            continue
        absences, places = [], []
        if (
            second_act is not None
            and found[0].act < second_act.index
            and not any(a.act == second_act.index for a in found)
        ):
            absences.append(f"the whole of {second_act.name}")
            places.append(second_act.name)
        if (
            climax_beats
            and _before(found[0], climax_beats[0], outline)
            and not any(a.beat in climax_beats for a in found)
        ):
            climax_name = outline.beats[climax_beats[0]].name
            absences.append(f"the climax ({climax_name})")
            places.append(f"the {climax_name}")
        if absences:
            yield RULE.finding(
                f"{character.name} ({character.role}) is absent from {' and from '.join(absences)}",
                where,
                treatment=outline.treatment,
                suggestion=f"give {character.name} a part in {' and '.join(places)}",
                end=span_end(last),
            )


def _before(appearance: Appearance, beat_index: int, outline: Outline) -> bool:
    """Whether the appearance comes before the beat (an act's intro comes before its beats)."""
    if appearance.beat >= 0:
        return appearance.beat < beat_index
    return appearance.act <= outline.beats[beat_index].act_index


def _where(outline: Outline, entry: Entry, last: Appearance | None) -> Position:
    if last is not None:
        return Position(outline.path, last.line, last.column)
    return entry.where("name")


def _beats_named(outline: Outline, slugs: list[str]) -> list[int]:
    """Indexes of the outline's beats that a thread's `setup` or `payoff` names, by slug or slot."""
    wanted = set(slugs)
    return [i for i, beat in enumerate(outline.beats) if {beat.slug, beat.slot} & wanted]


def _beat_list(outline: Outline, beats: list[int], joiner: str = " and ") -> str:
    names = [outline.beats[i].name if i >= 0 else "an act's opening" for i in beats]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + joiner + names[-1]
