"""`storykit init`: the files of a new, small project that loads and lints cleanly."""

from __future__ import annotations

from pathlib import Path

from storykit.errors import UsageError

_FILES: dict[str, str] = {
    "storykit.yaml": """\
# The project's settings. Every key is optional except title.
title: {title}
author: Your Name                 # printed as "a treatment by Your Name"
contact: you@example.com          # printed on title pages
draft_date: 2026-01-01            # the draft's date; also the date inside generated PDFs
language: en
structure: save-the-cat           # default beat structure: save-the-cat, three-act, heros-journey, story-circle, seven-point
pages: 110                        # script length the beat sheets aim at
lint:
  ignore: [missing-beat]          # rule names to skip; see `storykit rules`
  severity: {{}}                    # e.g. {{spelling: info}}
  words: []                       # your coinages, so the speller knows them
# Editors with YAML support complete and check keys with the schema below (storykit schema --write).
# yaml-language-server: $schema=.storykit/schemas/config.json
""",
    "bible/treatments/first-draft.yaml": """\
# A treatment: one version of the story. Outlines and entries point at it by id.
id: first-draft                   # lowercase slug; the file is named after it
title: {title}
logline: A lighthouse keeper must choose between the light and her brother.
premise: On a storm coast, a keeper who has never left her post learns her brother is adrift.
year: 1952
setting: A lighthouse on a storm coast.
themes: [duty, family]
# yaml-language-server: $schema=../../.storykit/schemas/treatment.json
""",
    "bible/characters/ruth.yaml": """\
# A character. `name` and `aliases` are matched whole-word in outlines, possessives included.
id: ruth
name: Ruth
treatment: first-draft            # a treatment id, or `all`
role: protagonist                 # protagonist | antagonist | supporting | minor
occupation: lighthouse keeper
age: 41
description: The keeper, who has not left the rock in twenty years.
relationships:
  - {{to: tom, as: sister-of}}      # to: another character's id
arc:
  want: To keep the light burning.
  need: To let someone else carry it.
  change: She leaves the light to find Tom.
# yaml-language-server: $schema=../../.storykit/schemas/character.json
""",
    "bible/characters/tom.yaml": """\
id: tom
name: Tom
treatment: first-draft
role: supporting
occupation: fisherman
description: Ruth's younger brother, adrift in the storm.
relationships:
  - {{to: ruth, as: brother-of}}
# yaml-language-server: $schema=../../.storykit/schemas/character.json
""",
    "bible/devices/the-light.yaml": """\
# A device: technology | faction | place | organisation | event | item.
id: the-light
name: the light
treatment: first-draft
kind: item
aliases: [lighthouse]
description: The lamp Ruth tends; if it goes dark, ships founder.
# yaml-language-server: $schema=../../.storykit/schemas/device.json
""",
    "outlines/first-draft.md": """\
---
treatment: first-draft            # which treatment this outline tells
title: {title}
structure: save-the-cat           # beats below are matched to this structure by name
---
# Act One
<!-- `#` headings are acts, `##` headings are beats named after the structure's beats. -->
## Opening Image
Ruth climbs the lighthouse stairs at dusk, as she has every night for twenty years.

## Catalyst
The radio says Tom's boat is missing in the storm.

# Act Two
## Midpoint
Ruth leaves the light in the care of no one and takes the dinghy out after Tom.

# Act Three
## Finale
Ruth finds Tom clinging to the wreck; behind them, the light still burns.
""",
    # What storykit writes is rebuilt from the bible and outlines: keep it out of the repository.
    ".gitignore": """\
# storykit build writes here; every file in it is made again from the bible and outlines.
/build/
""",
}


def create_project(directory: Path, *, title: str = "Untitled") -> list[Path]:
    """Write the starter project into `directory` (absent or empty); return the files written."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UsageError(
            f"{directory} exists and is not an empty folder", "choose a new folder name"
        )
    safe_title = title.replace("\n", " ").replace('"', "'")
    written = []
    for relative, template in _FILES.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(title=f'"{safe_title}"'), encoding="utf-8")
        written.append(path)
    # The schemas the files' last lines point at, so editors validate from the first keystroke.
    from storykit.jsonschema import PROJECT_SCHEMA_DIR, write_schemas

    written += write_schemas(directory / PROJECT_SCHEMA_DIR)
    return written
