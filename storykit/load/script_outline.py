"""A screenplay as an outline of the project, so that the rules that read outlines read a
script unchanged: its `#` sections as acts, its scenes as beats, its cues (kind "cue"),
scene headings' places (kind "heading"), action and dialogue as paragraphs at the script's
own lines and columns, its capitals read as the bible writes its names."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from storykit.errors import UsageError, did_you_mean_hint
from storykit.load.dictionary import english
from storykit.load.files import FileProblem, read_text
from storykit.load.fountain import _SCENE, _SCENE_NUMBER, _is_caps, parse_fountain
from storykit.model import Act, Beat, Entry, Outline, Paragraph, Project, slugify
from storykit.script import Script
from storykit.text import WORD


@dataclass
class _Cases:
    """How the bible writes each word of its names, to read a script's capitals: the name rules
    match case-sensitively, and a script writes KORIN where an outline writes Korin."""

    words: dict[str, str]
    project_words: set[str]

    def word(self, word: str, cue: bool = False) -> str:
        if len(word) < 2:
            return word
        known = self.words.get(word.casefold())
        if not _is_caps(word):  # McGREGOR, forced with @: as the bible writes McGregor
            shouted = sum(c.isupper() for c in word) > 2
            return known if shouted and known is not None and len(known) == len(word) else word
        if known is not None and len(known) == len(word):
            return known
        if word in self.project_words:
            return word  # an acronym (VR), reported as the outline rules report acronyms
        titled = word[:1] + word[1:].lower()
        if cue:  # a cue is a character's name, whatever its words mean (ROSE, HUNTER)
            return titled if len(titled) == len(word) else word
        lower = word.lower()
        if len(word) <= 3:
            # IN, OF, A BIT: small words in capitals are emphasis; other short capitals are
            # acronyms, reported as the outline rules report acronyms
            return lower if len(lower) == len(word) and _english_word(lower) else word
        if len(lower) == len(word) and _english_word(lower):
            return lower  # BANG, THE DOOR SLAMS: emphasis, not names
        return titled if len(titled) == len(word) else word

    def text(self, text: str, cue: bool = False) -> str:
        """`text` with capitals read as above, every offset kept (findings point at the script)."""
        return WORD.sub(lambda m: self.word(m.group(), cue), text)


def _english_word(word: str) -> bool:
    known, _ = english()  # read once, when a script is read: storykit's English dictionary
    if word in known or word.rstrip("s") in known:
        return True
    # British spellings of the American list's words (HARBOUR, COLOUR, REALISE) are words too.
    american = word.replace("our", "or").replace("ise", "ize").replace("yse", "yze")
    return american != word and (american in known or american.rstrip("s") in known)


# Words of a bible name that are no reason to capitalise a word of a script ("The Wreck of the
# Marigold" must not turn THE DOOR SLAMS into "The door").
_FUNCTION_WORDS = frozenset(
    ("a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with")
)


def case_reader(project: Project) -> _Cases:
    """How to read a script's capitals against this project's bible (see _Cases)."""
    return _cases(project)


def _cases(project: Project) -> _Cases:
    words: dict[str, str] = {}
    for text in (n for e in project.entries for n in e.names):
        for match in WORD.finditer(text):
            if match.group().casefold() not in _FUNCTION_WORDS:
                words.setdefault(match.group().casefold(), match.group())
    for title in (t.title for t in project.treatments.values()):
        for match in WORD.finditer(title):  # a title's coinages (BedSync), not its words
            if not _english_word(match.group().lower()):
                words.setdefault(match.group().casefold(), match.group())
    project_words = {w for phrase in project.config.lint.words for w in str(phrase).split()}
    return _Cases(words, project_words)


def script_outline(project: Project, script: Script, treatment: str, name: str) -> Outline:
    """The script as an outline: `#` sections as acts, scenes as beats, and each scene's action,
    cues and dialogue as paragraphs at their own lines and columns."""
    cases = _cases(project)
    outline = Outline(
        name=name,
        path=script.path,
        treatment=treatment,
        title=script.title_page.get("title", name).split("\n")[0],
        structure=project.config.structure,
    )
    act = Act(name="", line=1, index=0)
    outline.acts.append(act)
    beat: Beat | None = None

    def paragraph(text: str, line: int, column: int = 1, kind: str = "") -> None:
        nonlocal beat
        # Leading spaces stand for the columns before the text: Paragraph counts from column 1.
        item = Paragraph(" " * (column - 1) + cases.text(text, kind == "cue"), line, kind)
        if beat is None:
            beat = Beat("", "", line, act.index)
            act.beats.append(beat)
        beat.paragraphs.append(item)

    for element in script.elements:
        if element.kind == "section" and element.level == 1:
            if act.beats or act.intro:
                act = Act(name=element.text, line=element.line, index=len(outline.acts))
                outline.acts.append(act)
            else:
                act.name, act.line = element.text, element.line
            beat = None
        elif element.kind == "scene":
            beat = Beat(element.text, slugify(element.text), element.line, act.index)
            act.beats.append(beat)
            heading = heading_reading(project.entries_of(treatment), element.text)
            paragraph(heading, element.line, element.column, "heading")
        elif element.kind == "cue":
            paragraph(element.text, element.line, element.column, "cue")
        elif element.kind in ("action", "dialogue", "lyric", "synopsis"):
            paragraph(element.text, element.line)
    return outline


def heading_reading(entries: list[Entry], heading: str) -> str:
    """A scene heading as the name rules read it: INT./EXT. and the scene number blanked, the
    place written as the bible writes the entry it names; "at" stands where INT. stood, so the
    place is not taken for a word opening a sentence (columns kept)."""
    place = _as_named(entries, _place(heading))
    return "at" + place[2:] if place.startswith("   ") else place


def _as_named(entries: list[Entry], place: str) -> str:
    """The place of a heading written as the bible writes the entry it names, when one has
    that name in another case (THE WRECK OF THE MARIGOLD -> The Wreck of the Marigold)."""
    names = {n.casefold(): n for e in entries for n in e.names}
    for part in re.split(r"\s+[-–—]+\s+", place.strip()):
        known = names.get(part.casefold())
        if known is not None and len(known) == len(part):
            start = place.index(part)
            place = place[:start] + known + place[start + len(part) :]
    return place


def _place(heading: str) -> str:
    """A scene heading without INT./EXT., its #scene number# and its time of day (what follows
    the last " - ": DAY, NIGHT, CONTINUOUS): spaces keep the columns."""
    heading = _SCENE_NUMBER.sub(lambda m: " " * len(m.group()), heading)
    match = _SCENE.match(heading)
    place = " " * match.end() + heading[match.end() :] if match else heading
    dash = place.rfind(" - ")
    return place[:dash] + " " * (len(place) - dash) if dash > 0 else place


def load_script(project: Project, path: Path, treatment: str | None) -> Project:
    """The project as the name rules should see a script: the bible, with the script as its only
    outline. `treatment` may be omitted when the project has a single treatment."""
    chosen = _treatment(project, treatment, path)
    try:
        text = read_text(path.resolve(), path.resolve().parent, project.config.limits)
    except FileProblem as problem:
        raise UsageError(str(problem.problem)) from problem
    try:
        shown = path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    if path.suffix.lower() == ".fdx":
        from storykit.load.fdx import FdxProblem, parse_fdx

        try:
            script = parse_fdx(text, shown)
        except FdxProblem as problem:
            raise UsageError(str(problem.problem)) from problem
    else:
        script = parse_fountain(text, shown)
    outline = script_outline(project, script, chosen, path.stem)
    return dataclasses.replace(
        project,
        outlines={outline.name: outline},
        scripts={},  # this script alone, not the project's scripts/ as well
        # Suppressions and fixes work on project.sources; a script is read, never rewritten.
        sources={
            **{k: v for k, v in project.sources.items() if not k.startswith("outlines/")},
            shown: text,  # the rules that quote a cue read it as written
        },
        load_problems=[],
    )


def _treatment(project: Project, treatment: str | None, path: Path) -> str:
    if treatment is None:
        if len(project.treatments) == 1:
            return next(iter(project.treatments))
        raise UsageError(
            f"which treatment is {path.name} a draft of?",
            f"pass --treatment, one of: {', '.join(project.treatments)}",
        )
    if treatment not in project.treatments:
        raise UsageError(
            f"no treatment '{treatment}' in {project.config.title}",
            did_you_mean_hint(
                treatment,
                project.treatments,
                f"treatments: {', '.join(project.treatments) or 'none'}",
            ),
        )
    return treatment
