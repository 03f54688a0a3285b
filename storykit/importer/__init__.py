"""`storykit import SCRIPT`: a Fountain or FDX script drafted into the bible and an outline.

read.py reads the script (either format, refusing bad input with file:line); cast.py drafts
characters from cues and places from scene headings; outline.py writes the outline whose
scenes follow the script, beats estimated from page position; plan.py compares all of it with
the project, writes only files that do not exist yet, and says what changed on a second run.
"""

from storykit.importer.plan import ImportPlan, apply_plan, plan_import
from storykit.importer.read import read_script

__all__ = ["ImportPlan", "apply_plan", "plan_import", "read_script"]
