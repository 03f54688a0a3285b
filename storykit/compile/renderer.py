"""The render step of `storykit build`: each output's bytes, made from the project on demand.

`Renderer` creates what the outputs are made with on first use (the Jinja2 environment, the
name index, the comparison), so a build with nothing stale never pays for Jinja2, WeasyPrint or
the index. Each method renders one output and returns its bytes; `build.plan` decides which.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from storykit.analysis import Analysis, Index
from storykit.compile.render import PACKAGE_DIR, render_pdf, reproducible_date, template_env
from storykit.lint.finding import Finding
from storykit.model import Project

if TYPE_CHECKING:
    import jinja2

    from storykit.compile.beats import BeatSheet
    from storykit.compile.compare import Comparison


class Renderer:
    """What the outputs are made with, created on first use: a no-op build never pays for
    Jinja2, WeasyPrint or the name index."""

    def __init__(
        self,
        project: Project,
        findings: list[Finding],
        stems: dict[str, str],
        analysis: Analysis | None = None,
    ) -> None:
        self.project = project
        self.findings = findings
        self.stems = stems
        self.analysis = analysis  # the lint's, when the build linted: its index is reused
        self._sheets: dict[str, BeatSheet] = {}  # outline -> its beat sheet, for three outputs

    @cached_property
    def env(self) -> jinja2.Environment:
        return template_env(self.project.root, PACKAGE_DIR)

    @cached_property
    def index(self) -> Index:
        return (self.analysis or Analysis(self.project)).index

    def _sheet(self, name: str) -> BeatSheet:
        from storykit.compile.beats import beat_sheet

        if name not in self._sheets:
            self._sheets[name] = beat_sheet(self.project, self.project.outlines[name], self.index)
        return self._sheets[name]

    def _outline_context(self, name: str) -> dict[str, Any]:
        from storykit.compile.outline import outline_context

        outline = self.project.outlines[name]
        return outline_context(
            self.project, outline, self.index, self.findings, stem=self.stems[name]
        )

    def _sheet_context(self, name: str) -> dict[str, Any]:
        from storykit.compile.beats import beats_context

        return beats_context(self._sheet(name), self.project, stem=self.stems[name])

    def outline_html(self, name: str) -> bytes:
        from storykit.compile.outline import outline_html
        from storykit.compile.presence import presence_chart, render_chart

        context = self._outline_context(name)
        chart = presence_chart(self.project, self.project.outlines[name], self.index)
        context.update(presence=render_chart(self.env, chart), presence_chart=chart)
        return outline_html(self.env, context).encode("utf-8")

    def outline_markdown(self, name: str) -> bytes:
        from storykit.compile.outline import outline_markdown

        return outline_markdown(self.env, self._outline_context(name)).encode("utf-8")

    def presence_svg(self, name: str) -> bytes:
        from storykit.compile.presence import presence_chart, render_chart

        chart = presence_chart(self.project, self.project.outlines[name], self.index)
        return str(render_chart(self.env, chart, standalone=True)).encode("utf-8")

    def beats_html(self, name: str) -> bytes:
        template = self.env.get_template("beats.html")
        return template.render(self._sheet_context(name)).encode("utf-8")

    def beats_pdf(self, name: str) -> bytes:
        """The beat sheet on landscape Letter, for the room's wall."""
        from storykit.compile.render import PdfMetadata

        outline = self.project.outlines[name]
        html = self.env.get_template("beats.html").render(
            {**self._sheet_context(name), "pdf": True}
        )
        return render_pdf(
            html,
            metadata=PdfMetadata(
                title=f"{outline.label}: beat sheet",
                author=self.project.config.author,
                language=self.project.config.language or "en",
                date=reproducible_date(self.project.config),
                subject=self.project.config.title,
            ),
        )

    def beats_markdown(self, name: str) -> bytes:
        from storykit.compile.outline import tidy_markdown

        template = self.env.get_template("beats.md")
        return tidy_markdown(template.render(self._sheet_context(name))).encode("utf-8")

    def beats_csv(self, name: str) -> bytes:
        from storykit.compile.beats import render_csv

        return render_csv(self._sheet(name)).encode("utf-8")

    def treatment_pdf(self, name: str) -> bytes:
        from storykit.compile.treatment import treatment_html, treatment_metadata

        outline = self.project.outlines[name]
        return render_pdf(
            treatment_html(self.env, self.project, outline, self.index),
            metadata=treatment_metadata(self.project, outline),
        )

    def treatment_docx(self, name: str) -> bytes:
        from storykit.compile.treatment import treatment_context
        from storykit.compile.treatment_docx import treatment_docx

        outline = self.project.outlines[name]
        context = treatment_context(self.project, outline, self.index)
        return treatment_docx(context, date=reproducible_date(self.project.config))

    def bible_html(self) -> bytes:
        from storykit.compile.series_bible import bible_html

        return bible_html(self.env, self.project, self.index).encode("utf-8")

    def series_bible_pdf(self) -> bytes:
        from storykit.compile.series_bible import series_bible_html, series_bible_metadata

        return render_pdf(
            series_bible_html(self.env, self.project, self.index),
            metadata=series_bible_metadata(self.project),
        )

    @cached_property
    def comparison(self) -> Comparison:
        from storykit.compile.compare import compare, project_order

        return compare(self.project, project_order(self.project), index=self.index)

    def comparison_file(self, fmt: str) -> bytes:
        from storykit.compile.compare import render_comparison

        return render_comparison(self.project, self.comparison, fmt, home="index.html")

    def index_html(self) -> bytes:
        from storykit.compile.site import index_context, index_html

        context = index_context(self.project, self.findings, self.stems)
        return index_html(self.env, context).encode("utf-8")
