"""What a build refuses before it starts, because its cost would be out of all proportion to the
input: an outline of more beats or acts than any story has, or more text than a file may hold
by default. Lint reads such an outline in well
under a second; a build would lay out thousands of PDF pages (minutes), so it is stopped at the
first heading past the bound, with a message, instead.
"""

from __future__ import annotations

from storykit.errors import BuildError, Problem
from storykit.model import Project

# A feature has some forty beats and a season's outline a few hundred: these are far past both.
MAX_BEATS = 1_000  # per outline
MAX_ACTS = 100  # per outline
# The default file limit: a project that raised limits.max_file_bytes still builds no more.
MAX_TEXT = 2_000_000  # characters of one outline


def check_bounds(project: Project) -> None:
    """BuildError at the first act or beat heading past the bounds, in any outline."""
    problems = []
    for outline in project.outlines.values():
        size = len(project.sources.get(outline.path, ""))
        if size > MAX_TEXT:
            problems.append(
                Problem(
                    outline.path,
                    1,
                    1,
                    f"{size:,} characters, more than the {MAX_TEXT:,} a build lays out; not built",
                    "split the outline (storykit lint still reads all of it)",
                )
            )
            continue
        if len(outline.acts) > MAX_ACTS:
            act = outline.acts[MAX_ACTS]
            problems.append(
                Problem(
                    outline.path,
                    act.line,
                    1,
                    f"more than {MAX_ACTS} acts in one outline; not built",
                    "split the outline (storykit lint still reads all of it)",
                )
            )
            continue
        beats = [beat for act in outline.acts for beat in act.beats]
        if len(beats) > MAX_BEATS:
            problems.append(
                Problem(
                    outline.path,
                    beats[MAX_BEATS].line,
                    1,
                    f"more than {MAX_BEATS:,} beats in one outline; not built",
                    "split the outline (storykit lint still reads all of it)",
                )
            )
    if problems:
        raise BuildError(problems)
