"""Lint again after a change, analysing only the outlines that changed.

After one outline changes, almost all of `lint_project`'s work would come out the same, so
`lint_incremental` keeps it in a `Memory` and redoes only what the change can touch:

- A rule is *per outline* (all but `WHOLE_PROJECT`) when what it finds depends only on the
  bible, the settings and one outline at a time. Its findings in an outline are kept with the
  outline (under a digest of its text and load problems); its findings in bible files (a thread
  set up and never paid off is reported at the thread's file) are one multiset, from which an
  edited outline's old contribution is taken out and its new one put in. A contribution is what
  a *shard* (the project with that outline alone) finds outside it; the bible's own part cancels.
- `unused-entry` runs on the whole project, on an analysis lent the outlines' appearances.
- Scripts, severities, suppressions and `unused-suppression` are as in `lint_project`.

A change to anything but an outline's text (a bible file, the settings, the rules chosen,
storykit's version) starts again from a whole analysis. The scripts under scripts/ are linted
afresh every time. The findings are `lint_project`'s, in
its order: a test compares the two after random edits.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from storykit import __version__
from storykit.analysis.appearances import Appearance
from storykit.analysis.names import EntryRef
from storykit.lint.engine import LintResult, _script_findings, plan_rules
from storykit.lint.finding import Finding
from storykit.lint.registry import (
    LintContext,
    Rule,
    all_rules,
    iter_checks,
)
from storykit.lint.suppressions import Suppression, collect_suppressions, suppressed
from storykit.load.outline import parse_outline, read_scene_text
from storykit.model import Outline, Project
from storykit.runtime import garbage_collection_paused

# Rules whose findings depend on more than one outline at a time.
WHOLE_PROJECT = frozenset({"unused-entry"})
# What an analysis derives from the bible and the settings alone: lent to every shard.
BIBLE_ARTEFACTS = ("names", "known_phrases", "speller", "namesakes")
Appearances = dict[tuple[EntryRef, str], list[Appearance]]


def digest(*parts: str) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


@dataclass
class OutlineMemory:
    """One outline as the last lint saw it."""

    key: str
    name: str
    source: str
    findings: list[Finding]  # the per-outline rules', in this outline
    appearances: Appearances
    # What a shard of this outline finds outside it; None until a change needs it.
    elsewhere: list[Finding] | None = None
    problems: tuple[str, ...] = ()  # its load problems, as text


@dataclass
class Memory:
    """What one lint leaves for the next. Holds only values (no parsed project), so it can be
    pickled; `bible_context` is the exception, kept in this process only."""

    version: str = __version__
    bible_key: str = ""
    elsewhere: list[Finding] = field(default_factory=list)  # per-outline rules, not in outlines
    outlines: dict[str, OutlineMemory] = field(default_factory=dict)  # by path
    suppressions: dict[str, tuple[str, list[Suppression]]] = field(default_factory=dict)
    # What a shard with no outline finds: the bible's own part of every shard's findings.
    bible_only: list[Finding] | None = None
    whole: bool = False  # whether the last lint analysed the whole project
    shards: int = 0  # shards the last lint analysed
    bible_context: LintContext | None = field(default=None, repr=False, compare=False)
    # The bible key's inputs, the very strings, to skip the digest when they are the same.
    bible_inputs: tuple[object, list[tuple[str, str]]] | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, object]:
        skipped = ("bible_context", "bible_inputs")
        return {k: v for k, v in self.__dict__.items() if k not in skipped}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.bible_context = None
        self.bible_inputs = None


ShardHook = Callable[[Outline, LintContext], None]


def lint_incremental(
    project: Project,
    memory: Memory,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    on_outline: ShardHook | None = None,
) -> LintResult:
    """`lint_project(project, select, ignore)`, reusing from `memory` what did not change, and
    leaving in it what the next call may reuse. `on_outline` is shown the analysis of every
    outline analysed anew (the whole project's, or a shard's), for callers that want more of
    it than the findings (the language server's mentions)."""
    first, last, only_last, overrides = plan_rules(project, select, ignore)
    per_outline = [r for r in first if r.name not in WHOLE_PROJECT]
    whole = [r for r in first if r.name in WHOLE_PROJECT]
    key = _bible_key(project, first, memory)
    with garbage_collection_paused():
        if memory.version != __version__ or key != memory.bible_key:
            context = _from_scratch(project, memory, per_outline, on_outline)
            memory.version, memory.bible_key = __version__, key
        else:
            context = _update(project, memory, per_outline, on_outline)
        # The memory's findings themselves, unless a severity is to be set on them: copies.
        fresh: Callable[[Finding], Finding] = copy.copy if overrides else (lambda f: f)
        findings = [fresh(f) for f in memory.elsewhere]
        for outline in project.outlines.values():
            findings.extend(map(fresh, memory.outlines[outline.path].findings))
        findings.extend(iter_checks(whole, context))
        # The scripts under scripts/ are linted afresh each time, as lint_project lints them.
        findings.extend(_script_findings(project, [r for r in first if "scripts" in r.reads]))
    suppressions = _suppressions(project, memory)
    kept = [f for f in findings if not suppressed(f, suppressions)]
    if only_last:
        kept = []
    context.suppressions = suppressions
    context.rules_run = {r.name for r in first}
    kept.extend(iter_checks(last, context))
    for finding in kept:
        if finding.rule in overrides:
            finding.severity = overrides[finding.rule]
    kept.sort(key=lambda f: f.sort_key)
    return LintResult(kept, context)


def _same_inputs(seen: tuple[object, list[tuple[str, str]]], inputs: object, others: list) -> bool:
    before, texts = seen
    same = before == inputs and len(texts) == len(others)
    return same and all(p == q and a is b for (p, a), (q, b) in zip(texts, others, strict=True))


def _bible_key(project: Project, rules: list[Rule], memory: Memory) -> str:
    """A digest of everything but the outlines' texts: the settings, the bible, the structures,
    the load problems outside the outlines, the rules chosen, storykit's version."""
    outlines = {o.path for o in project.outlines.values()}
    others = sorted((p, t) for p, t in project.sources.items() if p not in outlines)
    problems = [repr(p) for p in project.load_problems if p.path not in outlines]
    names = ",".join(r.name for r in rules)
    # The very same strings as last time (an editor's partial load keeps them): no digest.
    inputs = (names, repr(project.config), problems)
    if memory.bible_inputs is not None and _same_inputs(memory.bible_inputs, inputs, others):
        return memory.bible_key
    memory.bible_inputs = (inputs, others)
    return digest(
        __version__,
        ",".join(r.name for r in rules),
        repr(project.config),
        repr(sorted(project.structures)),
        *(repr(p) for p in project.load_problems if p.path not in outlines),
        *(part for pair in others for part in pair),
    )


def _problems_by_path(project: Project) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for problem in project.load_problems:
        found.setdefault(problem.path, []).append(repr(problem))
    return {path: tuple(listed) for path, listed in found.items()}


def _unchanged(
    project: Project, outline: Outline, known: OutlineMemory, problems: tuple[str, ...]
) -> bool:
    """Whether an outline is as the memory has it: the same text (the very string, which
    needs no digest) and the same load problems, or else the same key."""
    source = project.sources.get(outline.path, "")
    if source is known.source and outline.name == known.name and problems == known.problems:
        return True
    return known.key == _outline_key(project, outline)


def _outline_key(project: Project, outline: Outline) -> str:
    problems = [repr(p) for p in project.load_problems if p.path == outline.path]
    return digest(outline.name, outline.path, project.sources.get(outline.path, ""), *problems)


def _from_scratch(
    project: Project, memory: Memory, rules: list[Rule], on_outline: ShardHook | None
) -> LintContext:
    """One analysis of the whole project, as `lint_project` makes it, kept outline by outline."""
    context = LintContext(project)
    found = list(iter_checks(rules, context))
    by_path: dict[str, list[Finding]] = {o.path: [] for o in project.outlines.values()}
    elsewhere: list[Finding] = []
    for finding in found:
        by_path.get(finding.path, elsewhere).append(finding)
    appearances: dict[str, Appearances] = {o.name: {} for o in project.outlines.values()}
    for (ref, name), listed in context.appearances.items():
        appearances[name][(ref, name)] = listed
    memory.elsewhere = elsewhere
    problems = _problems_by_path(project)
    memory.outlines = {
        o.path: OutlineMemory(
            _outline_key(project, o),
            o.name,
            project.sources.get(o.path, ""),
            by_path[o.path],
            appearances[o.name],
            problems=problems.get(o.path, ()),
        )
        for o in project.outlines.values()
    }
    memory.bible_only = None
    bible = LintContext(dataclasses.replace(project, outlines={}, sources={}))
    for artefact in BIBLE_ARTEFACTS:  # made already by the rules: lent from now on
        if artefact in context.__dict__:
            bible.__dict__[artefact] = context.__dict__[artefact]
    memory.bible_context = bible
    memory.whole, memory.shards = True, 0
    if on_outline is not None:
        for outline in project.outlines.values():
            on_outline(outline, context)
    return context


def _update(
    project: Project, memory: Memory, rules: list[Rule], on_outline: ShardHook | None
) -> LintContext:
    """Analyse again the outlines whose key changed, each in a shard; keep the rest."""
    memory.whole, memory.shards = False, 0
    current = {o.path: o for o in project.outlines.values()}
    paths = {*current, *memory.outlines}  # findings at these belong to an outline
    elsewhere = Counter(_identity(f) for f in memory.elsewhere)
    by_identity = {_identity(f): f for f in memory.elsewhere}

    def count(findings: list[Finding], step: int) -> None:
        for finding in findings:
            elsewhere[_identity(finding)] += step
            by_identity.setdefault(_identity(finding), finding)

    kept: dict[str, OutlineMemory] = {}
    problems = _problems_by_path(project)
    for path, known in memory.outlines.items():
        outline = current.get(path)
        here = problems.get(path, ())
        if outline is not None and _unchanged(project, outline, known, here):
            kept[path] = known
            continue
        old = known.elsewhere
        if old is None:  # what the old text contributed outside the outline: its shard says
            previous = _parse(project, path, known.name, known.source)
            old = _shard(project, previous, memory, rules, paths)[1] if previous else []
        count(old, -1)
        if outline is None:  # gone: its shard's bible part is no longer there to cancel
            count(_bible_only(project, memory, rules, paths), +1)
    for path, outline in current.items():
        if path in kept:
            continue
        inside, outside, found = _shard(project, outline, memory, rules, paths, on_outline)
        count(outside, +1)
        if path not in memory.outlines:  # new: nothing old cancels its shard's bible part
            count(_bible_only(project, memory, rules, paths), -1)
        source = project.sources.get(path, "")
        key = _outline_key(project, outline)
        kept[path] = OutlineMemory(
            key, outline.name, source, inside, found, outside, problems.get(path, ())
        )
    memory.outlines = {path: kept[path] for path in current}
    memory.elsewhere = [
        by_identity[identity] for identity, n in elsewhere.items() for _ in range(max(n, 0))
    ]
    context = LintContext(project)
    # The whole-project rules read the appearances: the outlines', put together.
    appearances: Appearances = {}
    for path in current:
        appearances.update(memory.outlines[path].appearances)
    context.__dict__["appearances"] = appearances
    _lend(memory, context)
    return context


def _bible_only(
    project: Project, memory: Memory, rules: list[Rule], paths: set[str]
) -> list[Finding]:
    """What a shard finds outside its outline whatever the outline: a shard with none."""
    if memory.bible_only is None:
        empty = dataclasses.replace(project, outlines={}, sources={})
        context = LintContext(empty)
        _lend(memory, context)
        reading = [r for r in rules if r.reads - {"bible"}]
        memory.bible_only = [f for f in iter_checks(reading, context) if f.path not in paths]
    return memory.bible_only


def _parse(project: Project, path: str, name: str, source: str) -> Outline | None:
    """An outline's earlier text, parsed as the loader parses it (beats matched to the
    structure's by slug, as `load.project` does after loading)."""
    outline, _ = parse_outline(source, path, name, project.config.structure, project.config.limits)
    if outline is None:
        return None
    structure = project.structures.get(outline.structure)
    for beat in outline.beats:
        if structure and structure.beat(beat.slug):
            beat.slot = beat.slug
    read_scene_text(dataclasses.replace(project, outlines={outline.name: outline}))
    return outline


def _lend(memory: Memory, context: LintContext) -> None:
    """Give a shard the bible's analysis (names, dictionary ...), made once."""
    if memory.bible_context is None:
        bible = dataclasses.replace(context.project, outlines={}, sources={})
        memory.bible_context = LintContext(bible)
    for artefact in BIBLE_ARTEFACTS:
        context.__dict__[artefact] = getattr(memory.bible_context, artefact)


def _identity(finding: Finding) -> tuple[object, ...]:
    return (
        finding.rule, finding.severity, finding.message, finding.path, finding.line,
        finding.column, finding.end_line, finding.end_column, finding.treatment,
        finding.suggestion, finding.fix,
    )  # fmt: skip


def _shard(
    project: Project,
    outline: Outline,
    memory: Memory,
    rules: list[Rule],
    paths: set[str],
    on_outline: ShardHook | None = None,
) -> tuple[list[Finding], list[Finding], Appearances]:
    """What the per-outline rules find with `outline` alone: in it, outside every outline (the
    bible's own findings included), and where names appear in it."""
    source = project.sources.get(outline.path, "")
    alone = dataclasses.replace(
        project, outlines={outline.name: outline}, sources={outline.path: source}
    )
    context = LintContext(alone)
    _lend(memory, context)
    memory.shards += 1
    inside: list[Finding] = []
    outside: list[Finding] = []
    # The rules that read only the bible find nothing an outline changes.
    for finding in iter_checks([r for r in rules if r.reads - {"bible"}], context):
        if finding.path == outline.path:
            inside.append(finding)
        elif finding.path not in paths:
            outside.append(finding)
    if on_outline is not None:
        on_outline(outline, context)
    return inside, outside, dict(context.appearances)


def _suppressions(project: Project, memory: Memory) -> list[Suppression]:
    """Every suppression comment, read again only from files that changed and hold one; each
    lint gets fresh copies, as `suppressed` marks the ones it uses."""
    codes = {r.code: r.name for r in all_rules()}
    found: list[Suppression] = []
    kept: dict[str, tuple[str, list[Suppression]]] = {}
    for path, text in project.sources.items():
        if "storykit" not in text:  # no comment can be there: skip the digest too
            continue
        key = digest(text)
        known = memory.suppressions.get(path)
        if known is None or known[0] != key:
            alone = dataclasses.replace(project, sources={path: text})
            known = key, collect_suppressions(alone, codes)
        kept[path] = known
        found.extend(dataclasses.replace(s, used=False) for s in known[1])
    memory.suppressions = kept
    return found
