"""A project's own template that fails is a located error, not a crash: the template's file and
line, and what went wrong (a missing include, the sandbox's refusal, an undefined name, a syntax
error, endless recursion, or any other exception the template raised).

Imported only by `render.template_env`, which has already imported Jinja2.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from storykit.errors import BuildError, Problem

_WHAT = {
    "TemplateNotFound": "includes a template that does not exist",
    "TemplatesNotFound": "includes a template that does not exist",
    "SecurityError": "does something the sandbox forbids",
    "UndefinedError": "uses a name the page does not have",
    "TemplateSyntaxError": "has a syntax error",
    "RecursionError": "recurses without end",
}


class LocatingTemplate(jinja2.Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except BuildError:
            raise
        except Exception as error:  # noqa: BLE001 - re-raised unless a project template did it
            located = locate(error, getattr(self.environment, "project_templates", None))
            if located is None:
                raise
            raise located from None


class LocatingEnvironment(SandboxedEnvironment):
    """The sandbox, with templates whose failures are located in the project's templates/."""

    template_class = LocatingTemplate
    project_templates: Path | None = None

    def get_template(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().get_template(*args, **kwargs)
        except jinja2.TemplateSyntaxError as error:
            located = locate(error, self.project_templates)
            if located is None:
                raise
            raise located from None


def locate(error: BaseException, templates: Path | None) -> BuildError | None:
    """The error as a BuildError at the innermost line of a project template where it arose,
    or None when no project template is involved (then it is storykit's own bug)."""
    if templates is None:
        return None
    root = templates.parent
    place: tuple[str, int] | None = None
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        place = (error.filename, error.lineno or 1)
    else:
        for frame in traceback.extract_tb(error.__traceback__):
            if _inside(frame.filename, templates):
                place = (frame.filename, frame.lineno or 1)
    if place is None:
        return None
    name, line = place
    shown = Path(name).resolve().relative_to(root.resolve()).as_posix()
    what = _WHAT.get(type(error).__name__, f"raised {type(error).__name__}")
    detail = str(getattr(error, "message", None) or error).splitlines()[0][:200]
    return BuildError(
        Problem(shown, line, 1, f"the template {what}: {detail}", "fix the project's template")
    )


def _inside(filename: str, templates: Path) -> bool:
    try:
        return Path(filename).resolve().is_relative_to(templates.resolve())
    except (OSError, RuntimeError, ValueError):
        return False
