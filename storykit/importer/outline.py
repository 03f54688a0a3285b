"""A script as an outline: `#` acts (its sections or act breaks, else the structure's acts),
`##` beats estimated from each scene's page against the structure's page positions (marked as
estimated in a comment the writer can delete), `###` scenes with the script's own text.

A scene's text is written as Fountain reads a block, so that exporting the outline gives the
script back: action as paragraphs, each speech a paragraph whose first line is the cue.
"""

from __future__ import annotations

from dataclasses import dataclass

from storykit.importer.cast import display_name
from storykit.model import Structure
from storykit.script import LINES_PER_PAGE, Element, Script, ScriptScene, printed_lines

_ACT_NAMES = ("One", "Two", "Three", "Four", "Five", "Six", "Seven")
_SPEECH = ("parenthetical", "dialogue", "lyric")


@dataclass
class ScenePage:
    scene: ScriptScene
    page: float  # where it starts, 1-based, at 55 lines a page
    lines: int  # how long it prints


def scene_pages(script: Script) -> list[ScenePage]:
    """Each scene's start page and length in printed lines."""
    pages = []
    before = printed_lines(_before_first_scene(script))
    for scene in script.scenes:
        length = printed_lines([scene.heading, *scene.elements])
        pages.append(ScenePage(scene, 1 + before / LINES_PER_PAGE, length))
        before += length
    return pages


def _before_first_scene(script: Script) -> list[Element]:
    scenes = script.scenes
    if not scenes:
        return script.elements
    return [e for e in script.elements if e.line < scenes[0].heading.line]


def estimated_beat(
    page: float, total: float, structure: Structure, act: int | None = None
) -> tuple[str, int]:
    """(beat name, act number) of the structure beat a page falls in, scaled to the script;
    kept inside act number `act` when the script says which act the scene is in."""
    where = (page - 1) * structure.pages / max(total, 1) + 1
    beats = [b for b in structure.beats if act is None or b.act == act] or structure.beats
    chosen = beats[0]
    for beat in beats:
        if beat.page <= where:
            chosen = beat
    return chosen.name, chosen.act


def _speech_line(element: Element) -> str:
    if element.kind == "cue":
        text = element.text + "".join(f" ({e})" for e in element.extensions)
        if any(c.islower() for c in element.text) or element.forced:
            text = "@" + text
        return text + (" ^" if element.dual else "")
    if element.kind == "lyric":
        return "\n".join(f"~{line.strip()}" for line in element.text.split("\n"))
    return "\n".join(line.strip() for line in element.text.split("\n") if line.strip())


def scene_blocks(scene: ScriptScene) -> list[str]:
    """The scene's elements as Markdown paragraphs in Fountain's block syntax."""
    blocks: list[str] = []
    for element in scene.elements:
        if element.kind in _SPEECH and blocks and element is not scene.elements[0]:
            blocks[-1] += "\n" + _speech_line(element)
        elif element.kind == "cue":
            blocks.append(_speech_line(element))
        elif element.kind == "action":
            lines = [line.strip() for line in element.text.split("\n") if line.strip()]
            text = "\n".join(lines)
            if lines and not any(c.islower() for c in lines[0]) and len(lines) > 1:
                text = "!" + text  # capitals over two lines would read as a cue
            blocks.append(text)
        elif element.kind == "transition":
            blocks.append(("" if element.text.endswith("TO:") else "> ") + element.text)
        elif element.kind == "centered":
            blocks.append(f">{element.text}<")
        elif element.kind == "synopsis":
            blocks.append(f"= {element.text}")
        elif element.kind == "section":
            blocks.append(f"= {element.text}")  # a heading would end the scene in Markdown
    return [_markdown_safe(b) for b in blocks if b.strip()]


def _markdown_safe(block: str) -> str:
    """Every line unindented: four spaces would make a Markdown code block of it."""
    return "\n".join(line.lstrip() for line in block.split("\n"))


def outline_markdown(
    script: Script,
    *,
    treatment: str,
    title: str,
    structure: Structure,
    source: str,
) -> str:
    """The outline file's whole text."""
    pages = scene_pages(script)
    total = 1 + sum(p.lines for p in pages) / LINES_PER_PAGE if pages else 1
    out = [
        "---",
        f"# Drafted by storykit import from {source}: scenes as the script has them; beats",
        "# estimated from each scene's page (see the comments) - move scenes where they belong.",
        f"treatment: {treatment}",
        f"title: {_yaml_string(title)}",
        f"structure: {structure.id}",
        "---",
    ]
    acts = script.acts
    intros = {
        e.text: script.section_synopses().get(e.line, [])
        for e in script.elements
        if e.kind == "section" and e.level == 1
    }
    act_name, beat_name = None, None
    for item in pages:
        number = acts.index(item.scene.act) + 1 if item.scene.act in acts else None
        beat, act_number = estimated_beat(item.page, total, structure, number)
        act = item.scene.act if acts else f"Act {_ACT_NAMES[min(act_number, 7) - 1]}"
        if act != act_name:
            shown = display_name(act) if act.isupper() else act  # FDX writes NEW ACT in capitals
            out += ["", f"# {shown or 'Act One'}"]
            out += [line for text in intros.get(act, []) for line in ("", text)]
            act_name, beat_name = act, None
        if beat != beat_name:
            out += [
                "",
                f"## {beat}",
                "",
                f"<!-- storykit import: beat estimated from page {item.page:.0f} of {total:.0f} "
                f"against {structure.name} -->",
            ]
            beat_name = beat
        out += ["", f"### {item.scene.heading.text}"]
        for block in scene_blocks(item.scene):
            out += ["", block]
    return "\n".join(out) + "\n"


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
