"""Between storykit's places and the protocol's: 1-based character columns <-> 0-based
positions in the client's code units (UTF-16 unless the client chose otherwise), paths <->
URIs, findings -> diagnostics."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import PositionCodec

from storykit.errors import Problem
from storykit.lint.finding import Finding, Severity
from storykit.lsp.analysis import Snapshot, Span

SOURCE = "storykit"
# Where a rule's documentation is read: `storykit rules NAME` prints the same text.
RULE_DOCS = "https://github.com/storykit/storykit/blob/main/README.md#the-rules"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# A project file named in a message ("... (bible/characters/ruth.yaml:7:6)"): a related place.
_PLACE = re.compile(
    r"((?:bible|outlines|scripts)/[\w./-]+\.(?:ya?ml|md|fountain))(?::(\d+)(?::(\d+))?)?"
)


_WORD = re.compile(r"[\w'’.-]+")


class Places:
    """Converts storykit's places in one snapshot to the client's positions and URIs."""

    def __init__(self, root: Path, texts: dict[str, str], codec: PositionCodec) -> None:
        self.root = root
        self.texts = texts
        self.codec = codec
        self._lines: dict[str, list[str]] = {}

    def lines(self, path: str) -> list[str]:
        found = self._lines.get(path)
        if found is None:
            found = self._lines[path] = self.texts.get(path, "").split("\n")
        return found

    def uri(self, path: str) -> str:
        return from_fs_path(str(self.root / path)) or f"file://{self.root / path}"

    def path(self, uri: str) -> str | None:
        """The project-relative path of a URI, or None for a file outside the project."""
        fs = to_fs_path(uri)
        if fs is None:
            return None
        try:
            return Path(fs).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def position(self, path: str, line: int, column: int) -> types.Position:
        """A 1-based line and character column as the client counts."""
        lines = self.lines(path)
        row = min(max(line - 1, 0), max(len(lines) - 1, 0))
        text = lines[row] if lines else ""
        character = min(max(column - 1, 0), len(text))
        return types.Position(row, self.codec.client_num_units(text[:character]))

    def range(self, span: Span) -> types.Range:
        return types.Range(
            self.position(span.path, span.line, span.column),
            self.position(span.path, span.end_line, span.end_column),
        )

    def cursor(self, path: str, position: types.Position) -> tuple[int, int]:
        """A client position as storykit's 1-based line and character column."""
        lines = self.lines(path)
        server = self.codec.position_from_client_units(lines, position)
        return server.line + 1, server.character + 1

    def location(self, span: Span) -> types.Location:
        return types.Location(self.uri(span.path), self.range(span))


def finding_span(finding: Finding) -> Span:
    """The words a finding is about; without an end, the rest of its word."""
    end_line = finding.end_line or finding.line
    end_column = finding.end_column or finding.column
    if finding.end_column is None:
        end_column = finding.column + 1
    return Span(finding.path, finding.line, finding.column, end_line, end_column)


def diagnostics(snapshot: Snapshot, places: Places, path: str) -> list[types.Diagnostic]:
    """Every finding and load problem of one file, as the client shows them."""
    found = [_problem(places, p) for p in snapshot.problems_in(path)]
    found += [_finding(snapshot, places, f) for f in snapshot.findings_in(path)]
    return found


def _problem(places: Places, problem: Problem) -> types.Diagnostic:
    line, column = max(problem.line, 1), max(problem.column, 1)
    span = Span(problem.path, line, column, line, column + 1)
    message = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
    return types.Diagnostic(
        range=_word_range(places, span),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        code=problem.rule or "load",
        source=SOURCE,
    )


def _finding(snapshot: Snapshot, places: Places, finding: Finding) -> types.Diagnostic:
    span = finding_span(finding)
    message = finding.message
    if finding.suggestion:
        message += f" ({finding.suggestion})"
    code = snapshot.rule_code(finding.rule)
    return types.Diagnostic(
        range=places.range(span) if finding.end_column else _word_range(places, span),
        message=f"{finding.rule}: {message}",
        severity=SEVERITIES[finding.severity],
        code=code,
        code_description=types.CodeDescription(href=RULE_DOCS),
        source=SOURCE,
        related_information=_related(snapshot, places, finding) or None,
        data={"rule": finding.rule, "code": code},
    )


def _word_range(places: Places, span: Span) -> types.Range:
    """From the span's start to the end of the word (or quoted value) there."""
    lines = places.lines(span.path)
    text = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    match = _WORD.match(text, span.column - 1)
    if match and match.end() > span.column - 1:
        end = match.end() + 1
    else:  # not at a word (a heading's #): the rest of the line
        end = max(len(text.rstrip()) + 1, span.column + 1)
    return places.range(Span(span.path, span.line, span.column, span.line, end))


def _related(
    snapshot: Snapshot, places: Places, finding: Finding
) -> list[types.DiagnosticRelatedInformation]:
    """The other places a finding names: the bible line a contradiction is against, the other
    entry of a name collision."""
    found: list[types.DiagnosticRelatedInformation] = []
    for match in _PLACE.finditer(finding.message):
        path = match.group(1)
        if path not in snapshot.texts:
            continue
        if match.group(2):
            line, column = int(match.group(2)), int(match.group(3) or 1)
        else:
            entry = snapshot.entry_of_file(path)
            where = entry.where("name") if entry else None
            line, column = (where.line, where.column) if where else (1, 1)
        span = Span(path, line, column, line, column)
        found.append(
            types.DiagnosticRelatedInformation(
                location=types.Location(places.uri(path), _word_range(places, span)),
                message=f"{finding.rule}: see here",
            )
        )
    return found


def edit(places: Places, span: Span, new_text: str) -> types.TextEdit:
    return types.TextEdit(range=places.range(span), new_text=new_text)


def whole(places: Places, path: str) -> types.Range:
    lines: Sequence[str] = places.lines(path)
    last = lines[-1] if lines else ""
    return types.Range(
        types.Position(0, 0),
        types.Position(max(len(lines) - 1, 0), places.codec.client_num_units(last)),
    )
