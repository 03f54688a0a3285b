"""What an import would write, compared with what the project already holds.

Nothing is ever overwritten: a character or place the bible already knows (by name or alias,
any case) is reported as known; a cue one or two letters from a known name is reported as a
likely typo and not drafted; every other draft is a new file, created only where no file is.
An outline already drafted from this script is compared scene by scene with the script instead
of being written again: the report says which scene headings and speakers were added or
removed, and a second import of an unchanged script reports no changes.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from storykit.errors import UsageError, did_you_mean
from storykit.export.script import paragraph_elements
from storykit.importer.cast import DraftCharacter, DraftPlace, draft_cast, draft_places
from storykit.importer.outline import outline_markdown
from storykit.model import Entry, Project, Scene, find_place, slugify
from storykit.script import Script


@dataclass
class Change:
    action: str  # "write" | "known" | "typo" | "exists" | "added" | "removed"
    what: str  # character | place | treatment | outline | scene | speaker
    name: str
    path: str = ""
    detail: str = ""


@dataclass
class ImportPlan:
    script: Script
    treatment: str
    files: dict[str, str] = field(default_factory=dict)  # project-relative path -> text
    changes: list[Change] = field(default_factory=list)

    @property
    def written(self) -> list[Change]:
        return [c for c in self.changes if c.action == "write"]


def _yaml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def character_yaml(draft: DraftCharacter, treatment: str, role: str, source: str) -> str:
    lines = [
        f"# Drafted by storykit import from {source}: {draft.speeches} speeches in "
        f"{draft.scenes} scenes; role estimated from the number of speeches.",
        f"id: {draft.id}",
        f"name: {_yaml(draft.name)}",
        f"treatment: {treatment}",
        f"role: {role}",
    ]
    if draft.aliases:
        lines.append("aliases: [" + ", ".join(_yaml(a) for a in draft.aliases) + "]")
    lines.append(
        f"description: {_yaml(f'Speaks {draft.speeches} times in {draft.scenes} scenes (cue: {draft.cues[0]}).')}"
    )
    return "\n".join(lines) + "\n"


def place_yaml(draft: DraftPlace, treatment: str, source: str) -> str:
    settings = "/".join(draft.settings) or "no INT/EXT"
    return (
        f"# Drafted by storykit import from {source}: {draft.scenes} scenes ({settings}).\n"
        f"id: {draft.id}\nname: {_yaml(draft.name)}\ntreatment: {treatment}\nkind: place\n"
        f"description: {_yaml(f'Where {draft.scenes} scenes are set ({draft.location}).')}\n"
    )


def _known(entries: list[Entry], name: str) -> Entry | None:
    wanted = name.casefold()
    return next((e for e in entries if wanted in (n.casefold() for n in e.names)), None)


def _near(entries: list[Entry], name: str) -> Entry | None:
    if len(name) < 4:
        return None
    for entry in entries:
        for known in entry.names:
            if (
                0
                < Levenshtein.distance(known.casefold(), name.casefold())
                <= (1 if len(name) < 6 else 2)
            ):
                return entry
    return None


def _role(draft: DraftCharacter, top: int) -> str:
    if draft.speeches == top:
        return "protagonist"
    return "supporting" if draft.speeches >= 3 else "minor"


def choose_treatment(project: Project, script: Script, given: str | None) -> tuple[str, bool]:
    """(treatment id, whether it is new): --treatment, the title page's Treatment key, the one
    treatment of the project, else a new one named after the script's title."""
    wanted = given or script.title_page.get("treatment", "").strip()
    if wanted:
        if wanted in project.treatments:
            return wanted, False
        if given:
            guess = did_you_mean(wanted, project.treatments)
            raise UsageError(
                f"no treatment '{wanted}' in {project.config.title}",
                f"did you mean '{guess}'?" if guess else "leave --treatment out to draft one",
            )
    by_title = {t.title.casefold(): t.id for t in project.treatments.values()}
    if script.title and script.title.casefold() in by_title:
        return by_title[script.title.casefold()], False
    new = slugify(script.title or Path(script.path).stem) or "imported"
    return new, new not in project.treatments


def plan_import(
    project: Project, script: Script, *, treatment: str | None, structure: str | None, source: str
) -> ImportPlan:
    chosen, new_treatment = choose_treatment(project, script, treatment)
    plan = ImportPlan(script, chosen)
    if new_treatment:
        title = script.title or chosen
        _add(
            plan,
            project,
            "treatment",
            title,
            f"bible/treatments/{chosen}.yaml",
            f"# Drafted by storykit import from {source}.\nid: {chosen}\ntitle: {_yaml(title)}\n",
        )
    entries = project.entries_of(chosen)
    characters = [e for e in entries if e.kind_name == "character"]
    cast = draft_cast(script)
    top = max((d.speeches for d in cast), default=0)
    for draft in cast:
        if known := _known(characters, draft.name) or next(
            (k for c in draft.cues if (k := _known(characters, c))), None
        ):
            plan.changes.append(
                Change("known", "character", draft.name, detail=f"is {known.name} ({known.id})")
            )
        elif near := _near(characters, draft.name):
            plan.changes.append(
                Change(
                    "typo",
                    "character",
                    draft.name,
                    detail=f"looks like {near.name} ({near.id}); not drafted",
                )
            )
        else:
            draft.id = _free_id(project, "characters", draft.id, chosen)
            text = character_yaml(draft, chosen, _role(draft, top), source)
            _add(plan, project, "character", draft.name, f"bible/characters/{draft.id}.yaml", text)
    for place in draft_places(script):
        if known_place := find_place(entries, place.location):
            plan.changes.append(
                Change(
                    "known", "place", place.name, detail=f"is {known_place.name} ({known_place.id})"
                )
            )
        else:
            place.id = _free_id(project, "devices", place.id, chosen)
            _add(
                plan,
                project,
                "place",
                place.name,
                f"bible/devices/{place.id}.yaml",
                place_yaml(place, chosen, source),
            )
    _plan_outline(plan, project, structure, source)
    return plan


def _free_id(project: Project, folder: str, wanted: str, treatment: str) -> str:
    """`wanted`, unless another treatment's entry has that file: then `<id>-<treatment>`."""
    if not (project.root / "bible" / folder / f"{wanted}.yaml").exists():
        return wanted
    return f"{wanted}-{treatment}"


def _add(plan: ImportPlan, project: Project, what: str, name: str, path: str, text: str) -> None:
    if (project.root / path).exists() or path in plan.files:
        plan.changes.append(
            Change("exists", what, name, path, "a file is there already; left as it is")
        )
        return
    plan.files[path] = text
    plan.changes.append(Change("write", what, name, path))


def _plan_outline(plan: ImportPlan, project: Project, structure: str | None, source: str) -> None:
    script = plan.script
    name = slugify(Path(script.path).stem) or "imported"
    path = f"outlines/{name}.md"
    chosen = structure or project.config.structure
    if chosen not in project.structures:
        guess = did_you_mean(chosen, project.structures)
        raise UsageError(
            f"no structure '{chosen}'",
            f"did you mean '{guess}'?"
            if guess
            else f"structures: {', '.join(sorted(project.structures))}",
        )
    existing = project.outlines.get(name)
    if existing is None and not (project.root / path).exists():
        text = outline_markdown(
            script,
            treatment=plan.treatment,
            title=script.title or name,
            structure=project.structures[chosen],
            source=source,
        )
        plan.files[path] = text
        plan.changes.append(Change("write", "outline", name, path))
        return
    if existing is None:
        plan.changes.append(
            Change("exists", "outline", name, path, "a file is there already; left as it is")
        )
        return
    _compare(plan, existing.scenes, path)


def _compare(plan: ImportPlan, scenes: list[Scene], path: str) -> None:
    """Scene headings and speakers of the outline drafted before, against the script now."""
    before = [s.heading for s in scenes]
    now = [s.heading.text for s in plan.script.scenes]
    for heading in now:
        if heading not in before:
            plan.changes.append(
                Change("added", "scene", heading, path, "in the script, not the outline")
            )
    for heading in before:
        if heading not in now:
            plan.changes.append(
                Change("removed", "scene", heading, path, "in the outline, no longer in the script")
            )
    spoken_before = {
        e.text
        for s in scenes
        for p in s.paragraphs
        for e in paragraph_elements(p)
        if e.kind == "cue"
    }
    spoken_now = {c.text for c in plan.script.cues}
    for name in sorted(spoken_now - spoken_before):
        plan.changes.append(
            Change("added", "speaker", name, path, "speaks in the script, not in the outline")
        )
    for name in sorted(spoken_before - spoken_now):
        plan.changes.append(
            Change("removed", "speaker", name, path, "speaks in the outline, not in the script")
        )


def apply_plan(plan: ImportPlan, root: Path) -> list[Path]:
    """Create the planned files, each whole or not at all, never replacing one that exists."""
    written = []
    for rel, text in plan.files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".storykit-import-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.link(temporary, target)  # fails if the file appeared meanwhile: never replaced
        except FileExistsError:
            continue
        finally:
            os.unlink(temporary)
        written.append(target)
    return written
