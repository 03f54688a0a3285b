"""The language server's one adapter to storykit's analysis: load a project with the editor's
unsaved texts laid over the files on disk, lint it (incrementally), answer questions about names.
A snapshot is never changed once made: the server answers from the last complete one while the
next is made.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from storykit.analysis import EntryRef, Index, build_index
from storykit.errors import LoadError, Problem, StorykitError
from storykit.lint import lint_project
from storykit.lint.finding import Finding
from storykit.lint.incremental import Memory, lint_incremental
from storykit.lint.registry import LintContext, all_rules
from storykit.lint.script import script_rules
from storykit.load.files import FileProblem
from storykit.load.fountain import parse_fountain
from storykit.load.script_outline import script_outline
from storykit.lsp.loading import Loaded, load, update_outlines
from storykit.model import ALL_TREATMENTS, Entry, Outline, Paragraph, Project, slugify

SCRIPT_SUFFIX = ".fountain"
SCRIPTS_FOLDER = "scripts"
RULES = {r.name: r for r in all_rules()}


@dataclass(frozen=True)
class Span:
    """A stretch of a source file: 1-based lines, 1-based columns in characters, end exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def holds(self, line: int, column: int) -> bool:
        """Whether the cursor at line:column (1-based) touches the span, its end included."""
        return (self.line, self.column) <= (line, column) <= (self.end_line, self.end_column)


@dataclass(frozen=True)
class NameUse:
    """One mention of a bible entry in an outline or a script."""

    ref: EntryRef
    span: Span
    surface: str  # as the analysis read it ("Amelia's"); a script cue is re-cased
    outline: str
    beat: str  # the beat's heading ("" for an act's intro)
    act: str
    ambiguous: bool  # the same words name other entries here too


@dataclass
class Script:
    """A screenplay of the project, linted as the name rules see it."""

    path: str
    text: str
    project: Project | None  # the bible with the script as its only outline
    findings: list[Finding] = field(default_factory=list)
    problem: Problem | None = None  # why it could not be linted

    @cached_property
    def index(self) -> Index | None:
        return build_index(self.project) if self.project else None


@dataclass
class Snapshot:
    """One complete analysis: the project, its findings, and the problems that stopped files."""

    root: Path
    project: Project | None
    findings: list[Finding]
    problems: list[Problem]  # files that could not be read or parsed, each located
    scripts: dict[str, Script]
    texts: dict[str, str]  # every file analysed, relative path -> text
    outline_uses: dict[str, list[NameUse]] = field(default_factory=dict)  # by outline path

    # --- Diagnostics ----------------------------------------------------------------------

    def paths(self) -> set[str]:
        """Every file the snapshot has something to say about, or read."""
        found = {*self.texts, *(p.path for p in self.problems if p.path)}
        found.update(f.path for f in self.findings)
        for script in self.scripts.values():
            found.update(f.path for f in script.findings)
        return found

    @cached_property
    def _findings_by_path(self) -> dict[str, list[Finding]]:
        found: dict[str, list[Finding]] = {}
        for finding in self.findings:
            found.setdefault(finding.path, []).append(finding)
        return found

    def findings_in(self, path: str) -> list[Finding]:
        script = self.scripts.get(path)
        if script is not None and not (self.project and path in self.project.scripts):
            return [f for f in script.findings if f.path == path]
        return self._findings_by_path.get(path, [])

    def fingerprint(self, path: str) -> tuple[object, ...]:
        """What the diagnostics of a file are made from: equal means nothing to publish."""
        return (
            *(
                (
                    f.rule,
                    f.severity,
                    f.message,
                    f.line,
                    f.column,
                    f.end_line,
                    f.end_column,
                    f.suggestion,
                )  # fmt: skip
                for f in self.findings_in(path)
            ),
            *(repr(p) for p in self.problems_in(path)),
        )

    def problems_in(self, path: str) -> list[Problem]:
        found = [p for p in self.problems if p.path == path]
        script = self.scripts.get(path)
        loaded = self.project is not None and path in self.project.scripts
        if script is not None and script.problem is not None and not loaded:
            found.append(script.problem)
        return found

    # --- Names ------------------------------------------------------------------------------

    @property
    def entries(self) -> list[Entry]:
        return self.project.entries if self.project else []

    def entry(self, ref: EntryRef) -> Entry | None:
        if self.project is None:
            return None
        tables: dict[str, Mapping[str, Entry]] = {
            "character": self.project.characters,
            "device": self.project.devices,
            "thread": self.project.threads,
        }
        return tables.get(ref.kind, {}).get(ref.id)

    def ref_of(self, entry: Entry) -> EntryRef:
        return EntryRef(entry.kind_name, entry.id, entry.treatment)

    @cached_property
    def _uses(self) -> dict[str, list[NameUse]]:
        """Every mention in every outline and script, by path, in reading order."""
        found: dict[str, list[NameUse]] = dict(self.outline_uses)
        for path, script in self.scripts.items():
            if script.index is not None and script.project is not None:
                found[path] = _uses_of(script.project, script.index).get(path, [])
        return found

    def uses_in(self, path: str) -> list[NameUse]:
        return self._uses.get(path, [])

    def use_at(self, path: str, line: int, column: int) -> NameUse | None:
        return next((u for u in self.uses_in(path) if u.span.holds(line, column)), None)

    def references(self, ref: EntryRef) -> list[NameUse]:
        """Every mention of the entry, in every outline and script."""
        return [u for uses in self._uses.values() for u in uses if u.ref == ref]

    def entry_of_file(self, path: str) -> Entry | None:
        """The bible entry a YAML file defines, if it is one."""
        return next((e for e in self.entries if e.position.path == path), None)

    def treatment_of(self, path: str) -> str | None:
        """The treatment an outline or script tells, if known."""
        script = self.scripts.get(path)
        project = script.project if script else self.project
        if project is None:
            return None
        outline = next((o for o in project.outlines.values() if o.path == path), None)
        return outline.treatment if outline else None

    def outline_at(self, path: str) -> Outline | None:
        script = self.scripts.get(path)
        project = script.project if script else self.project
        if project is None:
            return None
        return next((o for o in project.outlines.values() if o.path == path), None)

    def visible_entries(self, path: str) -> list[Entry]:
        """The entries a name in this outline or script may mean: its treatment's and `all`."""
        treatment = self.treatment_of(path)
        if treatment is None:
            return self.entries
        return [e for e in self.entries if e.treatment in (treatment, ALL_TREATMENTS)]

    def beat_ids(self) -> list[str]:
        """Every beat id an outline or a structure knows: what `setup:` and `payoff:` take."""
        if self.project is None:
            return []
        ids = {b.slug for o in self.project.outlines.values() for b in o.beats if b.slug}
        ids.update(b.id for s in self.project.structures.values() for b in s.beats)
        return sorted(ids)

    def rule_code(self, name: str) -> str:
        rule = RULES.get(name)
        return rule.code if rule else name


def _uses_of(project: Project, index: Index) -> dict[str, list[NameUse]]:
    by_place: dict[tuple[str, int, int], set[EntryRef]] = {}
    for mention in index.mentions:
        by_place.setdefault((mention.outline, mention.line, mention.column), set()).add(
            mention.entry
        )
    outlines = project.outlines
    beats = {name: outline.beats for name, outline in outlines.items()}  # a list made per call
    found: dict[str, list[NameUse]] = {}
    for mention in index.mentions:
        outline = outlines[mention.outline]
        end_line, end_column = _locate_end(mention.paragraph, mention.end)
        span = Span(outline.path, mention.line, mention.column, end_line, end_column)
        beat = beats[mention.outline][mention.beat].name if mention.beat >= 0 else ""
        acts = outline.acts
        act = acts[mention.act].name if 0 <= mention.act < len(acts) else ""
        ambiguous = len(by_place[(mention.outline, mention.line, mention.column)]) > 1
        found.setdefault(outline.path, []).append(
            NameUse(mention.entry, span, mention.surface, outline.name, beat, act, ambiguous)
        )
    return found


def _locate_end(paragraph: Paragraph, end: int) -> tuple[int, int]:
    """(line, column) just after the character before offset `end`."""
    line, column = paragraph.locate(max(end - 1, 0))
    return line, column + 1


# --- Making a snapshot ------------------------------------------------------------------------


class Analyser:
    """Analyses one project again and again as the editor changes it. An edit to outlines only
    parses those outlines again and lints incrementally (`lint.incremental`); anything else, or
    `reload`, loads the project anew (the lint still re-analyses only what changed)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.memory = Memory()
        self.loaded: Loaded | None = None
        self.uses: dict[str, list[NameUse]] = {}  # by outline path, as last analysed

    def analyse(self, overlay: Mapping[str, str], reload: bool = False) -> Snapshot:
        overlay = dict(overlay)
        problems: list[Problem] = []
        skip: set[str] = set()
        loaded = None
        if self.loaded is not None and not reload:
            before = self.loaded.project.sources
            changed = {k: v for k, v in overlay.items() if before.get(k) != v}
            changed = {k: v for k, v in changed.items() if not k.endswith(SCRIPT_SUFFIX)}
            loaded = update_outlines(self.loaded, changed) if changed else self.loaded
        if loaded is None:
            loaded, skip, problems = self._load(overlay)
        self.loaded = loaded
        project = loaded.project if loaded else None
        findings: list[Finding] = []
        if project is not None:
            findings = self._lint(project, problems)
            self.uses = {o.path: self.uses.get(o.path, []) for o in project.outlines.values()}
        texts = dict(project.sources) if project else {}
        for rel in skip:
            if rel in overlay:
                texts[rel] = overlay[rel]
            elif (self.root / rel).is_file():
                texts[rel] = _read(self.root / rel)
        scripts = {
            rel: _script(project, rel, text)
            for rel, text in _script_texts(self.root, overlay).items()
        }
        texts.update({rel: s.text for rel, s in scripts.items()})
        return Snapshot(
            self.root, project, findings, _unique(problems), scripts, texts, dict(self.uses)
        )

    def _load(self, overlay: dict[str, str]) -> tuple[Loaded | None, set[str], list[Problem]]:
        """The whole project; a file that does not load is left out and reported, located."""
        skip: set[str] = set()
        problems: list[Problem] = []
        for _ in range(8):  # each round leaves out the files that stopped the one before
            try:
                return load(self.root, overlay, skip), skip, problems
            except LoadError as error:
                bad = {p.path for p in error.problems if p.path} - skip
                problems.extend(p for p in error.problems if p.path not in skip)
                if not bad:
                    break
                skip |= bad
        return None, skip, problems

    def _lint(self, project: Project, problems: list[Problem]) -> list[Finding]:
        by_context: dict[int, dict[str, list[NameUse]]] = {}

        def noted(outline: Outline, context: LintContext) -> None:
            found = by_context.get(id(context))
            if found is None:  # one pass over a context's mentions, for all its outlines
                found = by_context[id(context)] = _uses_of(context.project, context.index)
            self.uses[outline.path] = found.get(outline.path, [])

        try:
            return lint_incremental(project, self.memory, on_outline=noted).findings
        except StorykitError as error:  # storykit.yaml names an unknown rule: say where
            problems.extend(error.problems)
            bare = _without_lint_settings(project)
            self.uses = _uses_of(bare, build_index(bare))
            return lint_project(bare).findings


def analyse(root: Path, overlay: Mapping[str, str] | None = None) -> Snapshot:
    """One analysis of the project at `root`, the editor's texts (relative path -> text) laid
    over the files on disk."""
    return Analyser(root).analyse(overlay or {})


def _without_lint_settings(project: Project) -> Project:
    config = dataclasses.replace(project.config, lint=dataclasses.replace(project.config.lint))
    config.lint.select, config.lint.ignore, config.lint.severity = [], [], {}
    return dataclasses.replace(project, config=config)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: dict[tuple[str, int, int, str], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.path, problem.line, problem.column, problem.message), problem)
    return sorted(seen.values(), key=lambda p: (p.path, p.line, p.column))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _script_texts(root: Path, overlay: Mapping[str, str]) -> dict[str, str]:
    """The project's screenplays: the .fountain files under scripts/, and any open one."""
    found: dict[str, str] = {}
    for path in sorted((root / SCRIPTS_FOLDER).rglob(f"*{SCRIPT_SUFFIX}")):
        if path.is_file():
            found[path.relative_to(root).as_posix()] = _read(path)
    found.update({k: v for k, v in overlay.items() if k.endswith(SCRIPT_SUFFIX)})
    return found


_TITLE_TREATMENT = re.compile(r"^treatment$", re.IGNORECASE)


def _script(project: Project | None, rel: str, text: str) -> Script:
    if project is None:
        return Script(rel, text, None, problem=Problem(rel, 1, 1, "the bible did not load"))
    try:
        script = parse_fountain(text, rel)
    except (FileProblem, StorykitError, ValueError) as error:
        return Script(rel, text, None, problem=Problem(rel, 1, 1, f"cannot read script: {error}"))
    treatment = _script_treatment(project, script.title_page, Path(rel).stem)
    if treatment is None:
        hint = "add 'Treatment: <id>' to its title page, one of: " + ", ".join(project.treatments)
        problem = Problem(rel, 1, 1, f"which treatment is {Path(rel).name} a draft of?", hint)
        return Script(rel, text, None, problem=problem)
    outline = script_outline(project, script, treatment, Path(rel).stem)
    alone = dataclasses.replace(
        project,
        outlines={outline.name: outline},
        sources={k: v for k, v in project.sources.items() if not k.startswith("outlines/")},
        load_problems=[],
    )
    findings = lint_project(alone, select=script_rules()).findings
    return Script(rel, text, alone, findings)


def _script_treatment(project: Project, title_page: Mapping[str, str], stem: str) -> str | None:
    """The treatment a script is a draft of: its title page's `Treatment:`, the treatment its
    title or file name is named after, or the project's only treatment."""
    for key, value in title_page.items():
        if _TITLE_TREATMENT.match(key) and value.strip() in project.treatments:
            return value.strip()
    title = slugify(title_page.get("title", "").split("\n")[0])
    for treatment in project.treatments.values():
        if treatment.id in (stem, title) or slugify(treatment.title) in (stem, title):
            return treatment.id
    if len(project.treatments) == 1:
        return next(iter(project.treatments))
    return None
