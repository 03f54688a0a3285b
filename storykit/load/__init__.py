"""Loading: YAML and Markdown files → the typed model, with a located error for every bad input."""

from storykit.load.project import embedded_default, find_outline, find_project, load_project

__all__ = ["embedded_default", "find_outline", "find_project", "load_project"]
