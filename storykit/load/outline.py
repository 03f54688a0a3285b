"""Outline Markdown → Outline: front matter, `#` acts, `##` beats, `###` scenes, paragraphs with
their lines."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from storykit.errors import Problem
from storykit.load.schema import KINDS, check_fields
from storykit.load.yamlsrc import YamlProblem, parse_yaml
from storykit.model import Act, Beat, Limits, Outline, Paragraph, Position, Scene, slugify


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
    act: Act | None = None
    beat: Beat | None = None
    scene: Scene | None = None
    i = 1
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open" and token.tag in ("h1", "h2", "h3") and token.map:
            heading = tokens[i + 1].content.strip()
            line = token.map[0] + 1
            if token.tag == "h1":
                act = Act(name=heading, line=line, index=len(outline.acts))
                outline.acts.append(act)
                beat = scene = None
            else:
                if act is None:  # beats before any act heading still belong somewhere
                    act = Act(name="", line=line, index=0)
                    outline.acts.append(act)
                if token.tag == "h2" or beat is None:
                    # A scene before any beat of its act opens an unnamed beat: no slot filled.
                    name = heading if token.tag == "h2" else ""
                    beat = Beat(name=name, slug=slugify(name), line=line, act_index=act.index)
                    act.beats.append(beat)
                    scene = None
                if token.tag == "h3":
                    scene = Scene(heading=heading, line=line)
                    beat.scenes.append(scene)
            i += 3
            continue
        if token.type == "paragraph_open" and token.map:
            start, end = token.map
            paragraph = Paragraph("\n".join(lines[start:end]), start + 1)
            if beat is not None:
                beat.paragraphs.append(paragraph)
                if scene is not None:
                    scene.paragraphs.append(paragraph)
            elif act is not None:
                act.intro.append(paragraph)
        i += 1
    return outline, problems
