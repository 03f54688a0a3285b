"""Find a project and load all of it: config, structures, bible, outlines, then cross-references.

Like mkdocs' config validation, loading collects every problem across all files before it
reports, so one bad file never hides the others.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from storykit.errors import LoadError, Problem, UsageError, did_you_mean_hint
from storykit.load.bible import FOLDERS, build_entry
from storykit.load.files import FileProblem, read_text, relative
from storykit.load.outline import parse_outline, read_scene_text
from storykit.load.schema import KINDS, check_fields
from storykit.load.scripts import load_scripts
from storykit.load.yamlsrc import YamlDocument, YamlProblem, parse_yaml
from storykit.model import (
    ALL_TREATMENTS,
    Entry,
    Limits,
    LintConfig,
    Outline,
    Position,
    Project,
    ProjectConfig,
    Structure,
    StructureBeat,
    Thread,
)
from storykit.runtime import garbage_collection_paused

CONFIG_FILE = "storykit.yaml"


def embedded_default() -> Path:
    """The default project: inside the installed package, or the repository root of a checkout."""
    packaged = Path(str(resources.files("storykit"))) / "default"
    if (packaged / CONFIG_FILE).is_file():
        return packaged
    return Path(__file__).resolve().parents[2]


def find_project(path: Path | None = None) -> Path:
    """The project root for PATH; without one, the nearest enclosing project, else the default."""
    if path is not None:
        candidate = path.parent if path.name == CONFIG_FILE else path
        if (candidate / CONFIG_FILE).is_file():
            return candidate
        if not candidate.exists():
            raise UsageError(f"no such folder: {path}")
        raise UsageError(
            f"{path} is not a storykit project (no {CONFIG_FILE})",
            f"create one with: storykit init {path}",
        )
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return embedded_default()


def find_outline(project: Project, handle: str) -> Outline:
    """The outline a user names on the command line: by name (`bedsync`), by path relative to
    the project (`outlines/bedsync.md`), or by a path from the current folder; else a
    UsageError with a did-you-mean."""
    if handle in project.outlines:
        return project.outlines[handle]
    by_path = {outline.path: outline for outline in project.outlines.values()}
    normalised = handle.replace("\\", "/").removeprefix("./")
    if normalised in by_path:
        return by_path[normalised]
    candidate = Path(handle)
    if candidate.suffix == ".md":
        try:
            inside = candidate.resolve().relative_to(project.root.resolve()).as_posix()
        except ValueError:
            inside = ""
        if inside in by_path:
            return by_path[inside]
    known = sorted(project.outlines)
    hint = did_you_mean_hint(
        candidate.stem if candidate.suffix else handle,
        known,
        f"known outlines: {', '.join(known) or 'none'}",
    )
    raise UsageError(f"unknown outline '{handle}'", hint)


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.limits = Limits()
        self.sources: dict[str, str] = {}
        self.resolved_folders: dict[Path, Path] = {}  # where each folder leads, for read_text
        # Ids of bible files that exist but could not be built, by kind: a reference to one is
        # not "unknown", and saying so would bury the real problem under a cascade.
        self.unbuilt: dict[str, set[str]] = {kind: set() for kind in FOLDERS.values()}

    def read(self, path: Path) -> str | None:
        try:
            text = read_text(path, self.root, self.limits, self.resolved_folders)
        except FileProblem as problem:
            self.problems.append(problem.problem)
            return None
        self.sources[relative(path, self.root)] = text
        return text

    def yaml(self, path: Path) -> YamlDocument | None:
        text = self.read(path)
        if text is None:
            return None
        try:
            return parse_yaml(text, relative(path, self.root), self.limits)
        except YamlProblem as problem:
            self.problems.append(problem.problem)
            return None

    def problem(
        self, pos: Position, message: str, hint: str | None = None, rule: str = "schema"
    ) -> None:
        self.problems.append(Problem(pos.path, pos.line, pos.column, message, hint, rule=rule))


def load_project(root: Path, *, strict: bool = True) -> Project:
    """Load the project at `root`.

    strict: any problem raises LoadError. Otherwise only problems that leave no model (unreadable
    files, YAML syntax) raise; the rest stay in `project.load_problems` for the schema,
    duplicate-id and relationship rules to report.
    """
    with garbage_collection_paused():
        loader = _Loader(root)
        config = _load_config(loader)
        project = Project(root=root, config=config)
        project.structures = _load_structures(loader)
        _load_bible(loader, project)
        _load_outlines(loader, project)
        _check_references(loader, project)
        project.sources = loader.sources
        read_scene_text(project)
        load_scripts(project, loader.read, loader.problems)
    project.sources = loader.sources
    project.load_problems = loader.problems
    fatal = [p for p in loader.problems if p.rule is None]
    if fatal or (strict and loader.problems):
        raise LoadError(sorted(loader.problems, key=lambda p: (p.path, p.line, p.column)))
    return project


def _load_config(loader: _Loader) -> ProjectConfig:
    path = loader.root / CONFIG_FILE
    doc = loader.yaml(path)
    fallback = ProjectConfig(title=loader.root.name)
    if doc is None:
        return fallback
    if not isinstance(doc.value, dict):
        loader.problem(Position(CONFIG_FILE), "storykit.yaml must be a mapping of settings")
        return fallback
    data, problems = check_fields(
        doc.value, KINDS["config"], doc.positions, doc.key_positions, Position(CONFIG_FILE)
    )
    loader.problems.extend(problems)
    limits = _limits(data.get("limits", {}), doc.positions, loader)
    loader.limits = limits
    lint = data.get("lint", {})
    return ProjectConfig(
        title=data.get("title", loader.root.name),
        author=data.get("author", ""),
        contact=data.get("contact", ""),
        draft_date=str(data.get("draft_date", "")),
        language=data.get("language", "en"),
        structure=data.get("structure", "save-the-cat"),
        pages=data.get("pages"),
        lint=LintConfig(
            select=lint.get("select", []),
            ignore=lint.get("ignore", []),
            severity=lint.get("severity", {}),
            words=lint.get("words", []),
            strict_names=lint.get("strict_names", False) is True,
        ),
        limits=limits,
        field_positions=doc.positions,
    )


def _limits(values: dict[str, int], positions: dict[str, Position], loader: _Loader) -> Limits:
    """The configured limits; a value below 1 would refuse every file, so it keeps its default;
    a value over its hard ceiling (HARD_LIMITS) is an error and the ceiling holds."""
    from storykit.load.files import HARD_LIMITS

    usable = {}
    for key, value in values.items():
        where = positions.get(f"limits.{key}", Position(CONFIG_FILE))
        if value < 1:
            loader.problem(where, f"limits.{key} must be at least 1, found {value}")
        elif key in HARD_LIMITS and value > HARD_LIMITS[key]:
            ceiling = HARD_LIMITS[key]
            loader.problem(where, f"limits.{key} may be at most {ceiling:,}, found {value:,}")
            usable[key] = ceiling
        else:
            usable[key] = value
    return Limits(**usable)


def _structure_from(doc: Any, rel: str, loader: _Loader) -> Structure | None:
    value = doc.value if doc else None
    if not isinstance(value, dict) or not isinstance(value.get("beats"), list):
        loader.problem(Position(rel), "a structure needs id, name, pages and a list of beats")
        return None
    try:
        beats = [
            StructureBeat(
                id=str(b["id"]),
                name=str(b["name"]),
                page=int(b["page"]),
                act=int(b.get("act", 1)),
                end=int(b["end"]) if b.get("end") is not None else None,
                climax=bool(b.get("climax", False)),
            )
            for b in value["beats"]
        ]
        pages = int(value["pages"])
        if pages < 1:  # every beat's page is scaled by it
            where = doc.positions.get("pages", Position(rel))
            loader.problem(where, f"a structure's pages must be at least 1, found {pages}")
            return None
        return Structure(
            id=str(value["id"]),
            name=str(value["name"]),
            pages=pages,
            beats=beats,
            path=rel,
        )
    except (KeyError, TypeError, ValueError, OverflowError) as error:  # .inf pages overflow int()
        loader.problem(
            Position(rel), f"malformed structure: {error}", "each beat needs id, name, page and act"
        )
        return None


def _load_structures(loader: _Loader) -> dict[str, Structure]:
    structures: dict[str, Structure] = {}
    packaged = Path(str(resources.files("storykit"))) / "structures"
    for path in sorted(packaged.glob("*.yaml")):
        doc = parse_yaml(path.read_text(encoding="utf-8"), path.name, Limits())
        structure = _structure_from(doc, path.name, loader)
        if structure:
            structures[structure.id] = structure
    for path in sorted((loader.root / "structures").glob("*.yaml")):
        structure = _structure_from(loader.yaml(path), relative(path, loader.root), loader)
        if structure:  # a project's own file overrides the packaged one of the same id
            structures[structure.id] = structure
    return structures


def _load_bible(loader: _Loader, project: Project) -> None:
    tables: dict[str, dict[str, Any]] = {
        "treatment": project.treatments,
        "character": project.characters,
        "device": project.devices,
        "thread": project.threads,
        "rules": project.rules,
    }
    for folder, kind in FOLDERS.items():
        paths = sorted((loader.root / "bible" / folder).glob("*.y*ml"))
        for path in paths:
            doc = loader.yaml(path)
            if doc is None:
                loader.unbuilt[kind].add(path.stem)
                continue
            rel = relative(path, loader.root)
            entry, problems = build_entry(kind, doc, rel)
            loader.problems.extend(problems)
            if entry is None:
                loader.unbuilt[kind].add(path.stem)
                # The id the file claims, when it states one: references to it are not unknown.
                value = doc.value
                if isinstance(value, dict) and isinstance(value.get("id"), str):
                    loader.unbuilt[kind].add(value["id"])
                continue
            if path.stem != entry.id:
                loader.problem(
                    entry.where("id"),
                    f"id '{entry.id}' does not match the file name '{path.name}'",
                    f"rename the file to {entry.id}{path.suffix} or the id to '{path.stem}'",
                )
            table = tables[kind]
            if entry.id in table:
                first = table[entry.id]
                loader.problem(
                    entry.where("id"),
                    f"duplicate {kind} id '{entry.id}'",
                    f"first defined in {first.position.path}",
                    rule="duplicate-id",
                )
                project.duplicates.append((first, entry))
                continue
            table[entry.id] = entry
    # Treatments in the order of their source documents, so reports follow the writer's order.
    project.treatments = dict(
        sorted(project.treatments.items(), key=lambda kv: (kv[1].source or "~", kv[0]))
    )


def _load_outlines(loader: _Loader, project: Project) -> None:
    for path in sorted((loader.root / "outlines").glob("*.md")):
        text = loader.read(path)
        if text is None:
            continue
        outline, problems = parse_outline(
            text, relative(path, loader.root), path.stem, project.config.structure, loader.limits
        )
        loader.problems.extend(problems)
        if outline is not None:
            project.outlines[outline.name] = outline


def _check_references(loader: _Loader, project: Project) -> None:
    treatments = [*project.treatments, ALL_TREATMENTS]
    # A reference to an entry whose own file failed to load is not "unknown": that failure is
    # reported already, and a second problem for every file that refers to it would bury it.
    treatment_ids = {*treatments, *loader.unbuilt["treatment"]}
    character_ids = {*project.characters, *loader.unbuilt["character"]}

    def unknown(
        pos: Position, what: str, value: str, choices: list[str], rule: str = "schema"
    ) -> None:
        hint = did_you_mean_hint(value, choices, f"known: {', '.join(choices) or 'none'}")
        loader.problem(pos, f"unknown {what} '{value}'", hint, rule=rule)

    entries: list[Entry] = [
        *project.characters.values(),
        *project.devices.values(),
        *project.threads.values(),
        *project.rules.values(),
    ]
    for entry in entries:
        if entry.treatment not in treatment_ids:
            unknown(entry.where("treatment"), "treatment", entry.treatment, treatments)
    for outline in project.outlines.values():
        _check_outline(outline, project, treatment_ids - {ALL_TREATMENTS}, unknown)
    for character in project.characters.values():
        for relationship in character.relationships:
            if relationship.to not in character_ids:
                unknown(
                    relationship.position,
                    "character id",
                    relationship.to,
                    list(project.characters),
                    rule="relationship",
                )
    for thread in project.threads.values():
        _check_thread(thread, project, character_ids, unknown)


def _check_outline(
    outline: Outline, project: Project, treatment_ids: set[str], unknown: Any
) -> None:
    """An outline's treatment and structure exist; each beat named after a structure beat fills it."""
    if outline.treatment not in treatment_ids:
        unknown(
            outline.where("treatment"), "treatment", outline.treatment, list(project.treatments)
        )
    if outline.structure not in project.structures:
        unknown(
            outline.where("structure"), "structure", outline.structure, list(project.structures)
        )
    for beat in outline.beats:
        structure = project.structures.get(outline.structure)
        if structure and structure.beat(beat.slug):
            beat.slot = beat.slug


def _check_thread(thread: Thread, project: Project, character_ids: set[str], unknown: Any) -> None:
    for i, character in enumerate(thread.characters):
        if character not in character_ids:
            unknown(
                thread.where(f"characters.{i}"), "character id", character, list(project.characters)
            )
    beats: set[str] = set()
    for outline in project.outlines.values():
        if (
            outline.treatment in (thread.treatment, ALL_TREATMENTS)
            or thread.treatment == ALL_TREATMENTS
        ):
            beats.update(b.slug for b in outline.beats)
            structure = project.structures.get(outline.structure)
            if structure:
                beats.update(b.id for b in structure.beats)
    if not beats:
        structure = project.structures.get(project.config.structure)
        beats.update(b.id for b in structure.beats) if structure else None
    for key in ("setup", "payoff"):
        values = getattr(thread, key)
        for i, beat in enumerate(values):
            if beat not in beats:
                where = thread.where(f"{key}.{i}") if len(values) > 1 else thread.where(key)
                unknown(where, "beat", beat, sorted(beats))
