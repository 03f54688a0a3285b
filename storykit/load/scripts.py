"""The screenplays kept in a project: every `.fountain` and `.fdx` file under `scripts/`, read
with the project's limits (a link out of the project is refused, as for every file), each tied
to a treatment by, in order: its title page's `Treatment:` key (Fountain), the folder it is in
(`scripts/<treatment id>/...`), the treatment whose title is the script's title, or the
project's only treatment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storykit.errors import Problem, did_you_mean
from storykit.load.fdx import FdxProblem, parse_fdx
from storykit.load.files import relative
from storykit.load.fountain import parse_fountain
from storykit.model import Project
from storykit.script import Script

SCRIPTS_FOLDER = "scripts"
SUFFIXES = (".fountain", ".fdx")


def script_files(root: Path) -> list[Path]:
    folder = root / SCRIPTS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and not p.is_dir())


def load_scripts(
    project: Project, read: Callable[[Path], str | None], problems: list[Problem]
) -> None:
    """Read every script of the project into `project.scripts`; what cannot be read or tied to
    a treatment goes to `problems` (unreadable or malformed: no rule, so the load stops)."""
    root = project.root
    for path in script_files(root):
        text = read(path)  # the loader's reader: inside the project, size, UTF-8
        if text is None:
            continue
        rel = relative(path, root)
        if path.suffix.lower() == ".fdx":
            try:
                script = parse_fdx(text, rel)
            except FdxProblem as problem:
                problems.append(problem.problem)
                continue
        else:
            script = parse_fountain(text, rel)
        treatment = _treatment(project, script, path, problems)
        if treatment is None:
            continue
        script.treatment = treatment
        project.scripts[rel] = script


def _treatment(project: Project, script: Script, path: Path, problems: list[Problem]) -> str | None:
    key = script.title_page.get("treatment", "").strip()
    if key:
        if key in project.treatments:
            return key
        line = _title_line(project, script)
        guess = did_you_mean(key, project.treatments)
        problems.append(
            Problem(
                script.path,
                line,
                1,
                f"unknown treatment '{key}' in the title page's Treatment key",
                f"did you mean '{guess}'?"
                if guess
                else f"treatments: {', '.join(project.treatments) or 'none'}",
                rule="schema",
            )
        )
        return None
    folder = path.relative_to(project.root / SCRIPTS_FOLDER).parts[:-1]
    if folder and folder[0] in project.treatments:
        return folder[0]
    by_title = {t.title.casefold(): t.id for t in project.treatments.values()}
    if script.title.casefold() in by_title:
        return by_title[script.title.casefold()]
    if len(project.treatments) == 1:
        return next(iter(project.treatments))
    problems.append(
        Problem(
            script.path,
            1,
            1,
            "which treatment is this script a draft of?",
            "add 'Treatment: <id>' to its title page, or keep it in scripts/<treatment id>/ "
            f"(treatments: {', '.join(project.treatments) or 'none'})",
            rule="schema",
        )
    )
    return None


def _title_line(project: Project, script: Script) -> int:
    text = project.sources.get(script.path, "")
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lower().startswith("treatment:"):
            return number
    return 1
