"""Outline Markdown → Outline: front matter, `#` acts, `##` beats, `###` scenes, paragraphs with
their lines."""

from __future__ import annotations

from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from storykit.errors import Problem
from storykit.load.schema import KINDS, check_fields
from storykit.load.yamlsrc import YamlProblem, parse_yaml
from storykit.model import (
    Act,
    Beat,
    Limits,
    Outline,
    Paragraph,
    Position,
    Project,
    Scene,
    slugify,
)


@cache
def _markdown() -> MarkdownIt:
    # Only block tokens are read (headings' raw text, paragraphs' line ranges): parsing the
    # inline markup inside them was a third of the parse, for children nothing looks at.
    return MarkdownIt("commonmark").use(front_matter_plugin).disable(["inline", "text_join"])


def parse_outline(
    text: str, rel_path: str, name: str, default_structure: str, limits: Limits
) -> tuple[Outline | None, list[Problem]]:
    """Parse one outline; None (with problems) when its front matter is missing or unusable."""
    tokens = _markdown().parse(text)
    lines = text.split("\n")
    if not tokens or tokens[0].type != "front_matter":
        return None, [
            Problem(
                rel_path,
                1,
                1,
                "an outline must start with YAML front matter",
                "begin the file with ---, then 'treatment: <id>', then ---",
                rule="schema",
            )
        ]
    front = tokens[0]
    try:
        doc = parse_yaml(front.content, rel_path, limits, line_offset=1)
    except YamlProblem as problem:
        return None, [problem.problem]
    if not isinstance(doc.value, dict):
        return None, [
            Problem(rel_path, 2, 1, "front matter must be a mapping of keys", rule="schema")
        ]
    data, problems = check_fields(
        doc.value, KINDS["outline"], doc.positions, doc.key_positions, Position(rel_path, 1, 1)
    )
    if "treatment" not in data:
        return None, problems
    outline = Outline(
        name=name,
        path=rel_path,
        treatment=data["treatment"],
        title=data.get("title") or name,
        structure=data.get("structure") or default_structure,
        variant=data.get("variant", ""),
        source=text,
        field_positions=doc.positions,
    )
    body = _Body(outline)
    i = 1
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open" and token.tag in ("h1", "h2", "h3") and token.map:
            body.heading(token.tag, tokens[i + 1].content.strip(), token.map[0] + 1)
            i += 3
            continue
        if token.type == "paragraph_open" and token.map:
            start, end = token.map
            body.paragraph(Paragraph("\n".join(lines[start:end]), start + 1))
        i += 1
    return outline, problems


class _Body:
    """An outline's acts, beats and scenes, built heading by heading."""

    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.act: Act | None = None
        self.beat: Beat | None = None
        self.scene: Scene | None = None

    def heading(self, tag: str, text: str, line: int) -> None:
        outline = self.outline
        if tag == "h1":
            self.act = Act(name=text, line=line, index=len(outline.acts))
            outline.acts.append(self.act)
            self.beat = self.scene = None
            return
        if self.act is None:  # beats before any act heading still belong somewhere
            self.act = Act(name="", line=line, index=0)
            outline.acts.append(self.act)
        if tag == "h2" or self.beat is None:
            # A scene before any beat of its act opens an unnamed beat: no slot filled.
            name = text if tag == "h2" else ""
            self.beat = Beat(name=name, slug=slugify(name), line=line, act_index=self.act.index)
            self.act.beats.append(self.beat)
            self.scene = None
        if tag == "h3":
            self.scene = Scene(heading=text, line=line)
            self.beat.scenes.append(self.scene)

    def paragraph(self, paragraph: Paragraph) -> None:
        if self.beat is not None:
            self.beat.paragraphs.append(paragraph)
            if self.scene is not None:
                self.scene.paragraphs.append(paragraph)
        elif self.act is not None:
            self.act.intro.append(paragraph)


def read_scene_text(project: Project) -> None:
    """Give the rules what an outline's scenes say, once the bible is loaded: each slugline's
    place as a "heading" paragraph of its beat (read for names, so a place the bible has is a
    mention and one it lacks is an unknown name; never spelt), and each speech written as in
    Fountain (a cue line in capitals, then its lines) as a "cue" paragraph read as a script's
    cue is, then one paragraph per line; capitals in a scene are read as in a script. The
    scene's own paragraphs, which the outputs show, stay as written."""
    from storykit.load.fountain import case_reader, heading_reading

    cases = None
    for outline in project.outlines.values():
        lines = outline.source.split("\n")
        for beat in outline.beats:
            if not beat.scenes:
                continue
            cases = cases or case_reader(project)
            entries = project.entries_of(outline.treatment)
            read: list[Paragraph] = [p for p in beat.paragraphs if p.line < beat.scenes[0].line]
            for scene in beat.scenes:
                if scene.slugline.setting:
                    line = lines[scene.line - 1]
                    at = line.find(scene.heading)
                    text = " " * max(at, 0) + cases.text(heading_reading(entries, scene.heading))
                    read.append(Paragraph(text, scene.line, "heading"))
                for paragraph in scene.paragraphs:
                    read.extend(_speech(paragraph, cases) or [_cased(paragraph, cases)])
            beat.paragraphs = read


def _speech(paragraph: Paragraph, cases: Any) -> list[Paragraph]:
    """A speech paragraph as the rules read it; [] when the paragraph is no speech."""
    from storykit.load.fountain import parse_fountain

    rows = paragraph.text.split("\n")
    if len(rows) < 2:
        return []
    found = parse_fountain("\n" + paragraph.text + "\n", "").elements
    if not found or found[0].kind != "cue":
        return []
    cue = found[0]
    read = [Paragraph(" " * (cue.column - 1) + cases.text(cue.text), paragraph.line, "cue")]
    read += [Paragraph(cases.text(row), paragraph.line + i) for i, row in enumerate(rows[1:], 1)]
    return read


def _cased(paragraph: Paragraph, cases: Any) -> Paragraph:
    """Action in a scene as a script's is read: THE DOOR SLAMS is emphasis, KORIN is Korin."""
    text = cases.text(paragraph.text)
    return paragraph if text == paragraph.text else Paragraph(text, paragraph.line)
