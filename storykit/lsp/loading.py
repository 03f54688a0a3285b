"""Loading a project for the language server: the editor's unsaved texts laid over the files
on disk, and after an edit to outlines only, those outlines parsed again into the last project
instead of loading every file anew."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from storykit.errors import LoadError, Problem
from storykit.load.files import relative
from storykit.load.outline import parse_outline, read_scene_text
from storykit.load.project import (
    _check_references,
    _load_bible,
    _load_config,
    _load_outlines,
    _load_structures,
    _Loader,
)
from storykit.load.scripts import load_scripts
from storykit.model import Outline, Project
from storykit.runtime import garbage_collection_paused


class _OverlayLoader(_Loader):
    """The project loader, reading an open document's text from the editor instead of disk."""

    def __init__(self, root: Path, overlay: Mapping[str, str], skip: set[str]) -> None:
        super().__init__(root)
        self.overlay = overlay
        self.skip = skip

    def read(self, path: Path) -> str | None:
        rel = relative(path, self.root)
        if rel in self.skip:
            return None
        text = self.overlay.get(rel)
        if text is None:
            return super().read(path)
        problem = _too_large(rel, text, self.limits.max_file_bytes)
        if problem is not None:
            self.problems.append(problem)
            return None
        self.sources[rel] = text
        return text


def _too_large(rel: str, text: str, limit: int) -> Problem | None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return None
    message = f"file is {size:,} bytes, over the limit of {limit:,}"
    return Problem(rel, 1, 1, message, "split it, or raise limits.max_file_bytes")


@dataclass
class Loaded:
    """A loaded project, and what the loader knew that a later partial load needs."""

    project: Project
    unbuilt: dict[str, set[str]]  # bible files that exist but did not build, by kind
    parsed: list[Problem]  # the problems of reading and parsing files, before cross-references
    references: list[Problem]  # the problems of references across files


def load(root: Path, overlay: Mapping[str, str], skip: set[str]) -> Loaded:
    """`load_project(root, strict=False)`, with `overlay` for the files the editor holds and
    the files of `skip` left out."""
    with garbage_collection_paused():
        loader = _OverlayLoader(root, overlay, skip)
        config = _load_config(loader)
        project = Project(root=root, config=config)
        project.structures = _load_structures(loader)
        _load_bible(loader, project)
        _load_outlines(loader, project)
        parsed = list(loader.problems)
        _check_references(loader, project)
        project.sources = loader.sources
        read_scene_text(project)
        load_scripts(project, loader.read, loader.problems)
    project.sources = loader.sources
    project.load_problems = loader.problems
    fatal = [p for p in loader.problems if p.rule is None]
    if fatal:
        raise LoadError(sorted(fatal, key=lambda p: (p.path, p.line, p.column)))
    return Loaded(project, loader.unbuilt, parsed, loader.problems[len(parsed) :])


def _shape(outline: Outline) -> tuple[object, ...]:
    """What the cross-file checks read of an outline: its treatment and structure (and where
    its front matter says them), and its beats' slugs."""
    return (
        outline.name,
        outline.treatment,
        outline.structure,
        sorted((k, str(v)) for k, v in outline.field_positions.items()),
        [b.slug for b in outline.beats],
    )


def update_outlines(loaded: Loaded, changed: Mapping[str, str]) -> Loaded | None:
    """The project with the outlines of `changed` (path -> new text) parsed again; None when
    that is not enough (a path that is not an outline of the project, a file that no longer
    parses), and the whole project must be loaded."""
    before = loaded.project
    by_path = {o.path: o for o in before.outlines.values()}
    if not set(changed) <= set(by_path):
        return None
    limits = before.config.limits
    parsed = [p for p in loaded.parsed if p.path not in changed]
    outlines = {}
    same_shape = True
    with garbage_collection_paused():
        for path in sorted(by_path):
            if path not in changed:
                outlines[by_path[path].name] = by_path[path]
                continue
            if _too_large(path, changed[path], limits.max_file_bytes) is not None:
                return None
            stem = Path(path).stem
            outline, problems = parse_outline(
                changed[path], path, stem, before.config.structure, limits
            )
            if any(p.rule is None for p in problems):
                return None
            parsed.extend(problems)
            if outline is None:
                same_shape = False
                continue
            outlines[outline.name] = outline
            same_shape = same_shape and _shape(outline) == _shape(by_path[path])
            structure = before.structures.get(outline.structure)
            for beat in outline.beats:  # as the cross-file checks match them
                if structure and structure.beat(beat.slug):
                    beat.slot = beat.slug
        project = dataclasses.replace(
            before, outlines=outlines, sources={**before.sources, **changed}, load_problems=[]
        )
        fresh = {o.name: o for o in outlines.values() if o.path in changed}
        read_scene_text(dataclasses.replace(project, outlines=fresh))  # as the loader does
        if same_shape:  # nothing the cross-file checks read has changed: their problems stand
            references = loaded.references
        else:
            loader = _Loader(before.root)
            loader.limits = limits
            loader.unbuilt = loaded.unbuilt
            _check_references(loader, project)  # what refers across files, outlines included
            references = loader.problems
    project.load_problems = [*parsed, *references]
    return Loaded(project, loaded.unbuilt, parsed, references)
