"""The missing-beat rule: beats the outline's structure has and the outline lacks, or misorders."""

from __future__ import annotations

from collections.abc import Iterator

from storykit.lint.finding import Finding, Severity
from storykit.lint.registry import LintContext, rule
from storykit.model import Act, Outline, Position, Structure, StructureBeat


@rule("missing-beat", "SK401", Severity.INFO, reads=("outlines",))
def RULE(context: LintContext) -> Iterator[Finding]:  # noqa: N802 - the registry's handle
    """A beat the outline's structure has and the outline lacks, or beats out of order.

    **What it does.** Compares each outline's `##` beat headings with the beats of its
    structure (`structure:` in the front matter, else the project's default). Every structure
    beat with no heading is reported at info level, at the heading of the act where it would
    belong, with the beat's target page; a beat heading that comes before one it should
    follow is reported at warning level. Headings that are no beat of the structure are
    allowed and ignored.

    **Why is this bad?** A structure is a checklist of what an audience expects to feel and
    when. A missing Midpoint is often a sagging middle; a Catalyst after the Debate means the
    hero debates nothing. Seen early, in an outline, it is cheap to fix. It is only info by
    default: many good stories skip a beat on purpose (silence it with `ignore: [missing-beat]`
    or a suppression).

    **Example.**

        ---
        structure: save-the-cat
        ---
        # Act Two
        ## Fun and Games
        ## Bad Guys Close In     # no Midpoint (page 55) between them
    """
    project = context.project
    for outline in project.outlines.values():
        structure = project.structures.get(outline.structure)
        if structure is None:
            continue  # an unknown structure is the schema rule's finding
        yield from _missing(outline, structure)
        yield from _out_of_order(outline, structure)


def _missing(outline: Outline, structure: Structure) -> Iterator[Finding]:
    present = {beat.slot for beat in outline.beats if beat.slot}
    acts_match = len(outline.acts) == max((b.act for b in structure.beats), default=0)
    order = [b.id for b in structure.beats]
    for number, beat in enumerate(structure.beats):
        if beat.id in present:
            continue
        act = _home_act(outline, structure, order, number, acts_match)
        where = Position(outline.path, act.line, 1) if act else outline.where("structure")
        inside = f" in {act.name}" if act else ""
        yield RULE.finding(
            f"no '{beat.name}' beat{inside} ({structure.name}, {_pages(beat)} of {structure.pages})",
            where,
            treatment=outline.treatment,
            suggestion=f"add '## {beat.name}'{inside}, or say why the story skips it",
        )


def _home_act(
    outline: Outline, structure: Structure, order: list[str], number: int, acts_match: bool
) -> Act | None:
    """The act a missing beat belongs in: by the structure's act number when the outline has as
    many acts, else the act of the nearest following (or preceding) beat that is present."""
    if not outline.acts:
        return None
    if acts_match:
        return outline.acts[structure.beats[number].act - 1]
    by_slot = {beat.slot: beat.act_index for beat in outline.beats if beat.slot}
    for neighbour in [*order[number + 1 :], *reversed(order[:number])]:
        if neighbour in by_slot:
            return next(a for a in outline.acts if a.index == by_slot[neighbour])
    return outline.acts[0]


def _out_of_order(outline: Outline, structure: Structure) -> Iterator[Finding]:
    rank = {b.id: i for i, b in enumerate(structure.beats)}
    latest: tuple[int, str] | None = None  # the furthest structure beat seen so far
    for beat in outline.beats:
        if beat.slot is None:
            continue
        if latest is not None and rank[beat.slot] < latest[0]:
            yield RULE.finding(
                f"'{beat.name}' comes after '{latest[1]}', but {structure.name} puts it before",
                Position(outline.path, beat.line, 1),
                treatment=outline.treatment,
                suggestion=f"move '{beat.name}' before '{latest[1]}'",
                severity=Severity.WARNING,
            )
        else:
            latest = (rank[beat.slot], beat.name)


def _pages(beat: StructureBeat) -> str:
    return f"pages {beat.page}–{beat.end}" if beat.end else f"page {beat.page}"
