"""Apply the fixes of lint findings, editing exactly the bytes of each finding's span.

Every fix is safe or unsafe, as in ruff: `--fix` applies the safe ones (mojibake repair; a
near-miss name whose original is no word, no known name and no form of one), `--unsafe-fixes`
the others too, and `--diff` shows both, each under its label.

A fix changes the characters of its span and nothing else: line endings (LF, CRLF, lone CR),
the BOM, escapes and quoting, trailing spaces, the final newline and every other byte stay as
they were. Every edit is checked against the text it replaces and skipped (and counted, with a
reason) when that text is not there, inside a URL or a code span, or would cut into a damaged
word; a YAML file is read back after its edits and kept only if it means exactly the fixed
document. A symbolic link stays a link (its target, inside the project, is written), a hard
link stays linked (written in place), any other file through a temporary file renamed over it.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storykit.errors import BuildError, UsageError
from storykit.lint.finding import Finding, Fix
from storykit.lint.fix_yaml import fix_yaml, line_starts, normalise
from storykit.lint.fix_yaml import offset as offset_of
from storykit.model import Project

__all__ = ["FixReport", "apply_fixes", "fix_text", "fix_yaml", "refuse_read_only"]

# Where a Markdown fix never lands: URLs, e-mail addresses, link targets, code spans.
_UNTOUCHABLE = re.compile(
    r"(`+)(?:(?!\1).)+?\1"  # a code span (on one line)
    r"|[a-z][a-z0-9+.-]*://\S+|www\.\S+|\S+@\S+\.\w+"  # a URL or an e-mail address
    r"|\]\([^)\n]*\)|<[^>\s]+>",  # a link's target, an autolink
    re.IGNORECASE,
)
# What may follow a name to make a word derived from it ("Bohemia" -> "Bohemian", "Bohemians").
_DERIVING = ("n", "an", "ian", "ese", "ish", "ic", "ite", "ites", "ism", "ist", "s", "es", "i")


@dataclass(frozen=True)
class FileChange:
    path: str
    before: str
    after: str


@dataclass
class FixReport:
    """What --fix did (or --diff would do): the changes per label, and the fixes left out."""

    safe: list[FileChange] = field(default_factory=list)
    unsafe: list[FileChange] = field(default_factory=list)
    skipped: list[tuple[Fix, str]] = field(default_factory=list)  # (fix, why not applied)
    unsafe_left: int = 0  # unsafe fixes not applied: --unsafe-fixes was not given

    @property
    def diff(self) -> str:
        """Both kinds, each labelled; the unsafe diff applies on top of the safe one."""
        parts = []
        if self.safe:
            parts.append("# safe fixes (storykit lint --fix)\n")
            parts.extend(diff(change) for change in self.safe)
        if self.unsafe:
            parts.append("# unsafe fixes (storykit lint --fix --unsafe-fixes)\n")
            parts.extend(diff(change) for change in self.unsafe)
        return "".join(parts)

    @property
    def files(self) -> list[str]:
        return sorted({change.path for change in self.safe + self.unsafe})


def refuse_read_only(project: Project) -> None:
    """UsageError when `project` is the embedded default, which ships inside storykit."""
    from storykit.load.project import embedded_default

    if project.root.resolve() == embedded_default().resolve():
        raise UsageError(
            "--fix never rewrites the embedded default: it is part of storykit itself",
            "start a project of your own with `storykit init DIR`, or copy the default's files",
        )


def apply_fixes(
    project: Project, findings: list[Finding], *, write: bool, unsafe: bool = False
) -> FixReport:
    """Plan (and with `write`, apply) the fixes `findings` carry: the safe ones, and with
    `unsafe` the unsafe ones too. `--diff` plans both and writes nothing."""
    rules = {id(f.fix): f.rule for f in findings if f.fix is not None}
    report = FixReport()
    by_path: dict[str, list[Fix]] = {}
    for finding in findings:
        fix = finding.fix
        if fix is not None and fix not in by_path.get(fix.path, []):
            by_path.setdefault(fix.path, []).append(fix)
    written: list[FileChange] = []
    for path in sorted(by_path):
        fixes = by_path[path]
        safe = [f for f in fixes if f.safe]
        safe_change = plan(project, path, safe, rules, report.skipped) if safe else None
        if safe_change is not None:
            report.safe.append(safe_change)
        if len(safe) == len(fixes):
            written.extend([safe_change] if safe_change else [])
            continue
        # Every edit's position is on the file as linted: the unsafe ones are planned together
        # with the safe ones, and their diff is what they add on top of the safe ones.
        skipped: list[tuple[Fix, str]] = []
        all_change = plan(project, path, fixes, rules, skipped)
        report.skipped.extend(s for s in skipped if not s[0].safe)
        if all_change is not None:
            base = safe_change.after if safe_change else all_change.before
            if all_change.after != base:
                report.unsafe.append(FileChange(path, base, all_change.after))
        if unsafe and all_change is not None:
            written.append(all_change)
        else:
            report.unsafe_left += len(fixes) - len(safe)
            written.extend([safe_change] if safe_change else [])
    if write:
        for change in written:
            _write(project, change.path, change.after)
    return report


def plan(
    project: Project,
    path: str,
    fixes: list[Fix],
    rules: dict[int, str],
    skipped: list[tuple[Fix, str]],
) -> FileChange | None:
    """The file's text after its fixes, or None when nothing changes; what is left out goes
    to `skipped`, with the reason."""
    real = _target(project, path)
    if real is None:
        skipped.extend((fix, "the file leads outside the project") for fix in fixes)
        return None
    try:
        before = real.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        skipped.extend((fix, "the file cannot be read") for fix in fixes)
        return None
    if normalise(before) != project.sources.get(path):
        skipped.extend((fix, "the file changed since it was linted") for fix in fixes)
        return None
    if path.endswith((".yaml", ".yml")):
        after = fix_yaml(before, [f for f in fixes if f.key is not None], project, skipped)
    else:
        text_fixes = [f for f in fixes if f.key is None]
        after = fix_text(before, text_fixes, skipped, {id(f): rules.get(id(f), "") for f in fixes})
    return FileChange(path, before, after) if after != before else None


def diff(change: FileChange) -> str:
    lines = difflib.unified_diff(
        change.before.splitlines(keepends=True),
        change.after.splitlines(keepends=True),
        fromfile=f"a/{change.path}",
        tofile=f"b/{change.path}",
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in lines)


# --- Markdown ------------------------------------------------------------------------------------


def fix_text(
    text: str,
    fixes: list[Fix],
    skipped: list[tuple[Fix, str]] | None = None,
    rules: dict[int, str] | None = None,
) -> str:
    """Exact edits at line:column, each applied only if its old text is there, whole, outside
    URLs and code spans and not inside a damaged word; overlapping edits are skipped."""
    skipped = [] if skipped is None else skipped
    starts = line_starts(text)
    edits: list[tuple[int, int, str, Fix]] = []
    for fix in fixes:
        offset = offset_of(starts, text, fix.line, fix.column)
        why = _why_not(text, offset, fix, (rules or {}).get(id(fix), ""))
        if why:
            skipped.append((fix, why))
        else:
            assert offset is not None
            edits.append((offset, offset + len(fix.old), fix.new, fix))
    result = text
    last_start = len(text) + 1
    for start, end, new, fix in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        if end > last_start:
            skipped.append((fix, "it overlaps another fix"))
            continue
        if start == last_start:
            continue  # the same edit twice
        result = result[:start] + new + result[end:]
        last_start = start
    return result


def _why_not(text: str, offset: int | None, fix: Fix, rule: str) -> str | None:
    """Why `fix` must not be applied to `text` at `offset`; None when it may."""
    if offset is None or not fix.old or text[offset : offset + len(fix.old)] != fix.old:
        return "the text at its position is not what was found"
    if any(c in fix.old for c in "\r\n"):
        return "it spans lines"
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    line_end = len(text)
    for mark in "\r\n":
        found = text.find(mark, offset)
        if found >= 0:
            line_end = min(line_end, found)
    line = text[line_start:line_end]
    at, end = offset - line_start, offset - line_start + len(fix.old)
    if any(m.start() < end and at < m.end() for m in _UNTOUCHABLE.finditer(line)):
        return "it is inside a URL or a code span"
    if rule != "mojibake":
        word_start = max(line.rfind(" ", 0, at), line.rfind("\t", 0, at)) + 1
        word_end = min(
            (i for i in (line.find(" ", end), line.find("\t", end)) if i >= 0), default=len(line)
        )
        if _damaged(line[word_start:word_end]):
            return "it would cut into a word damaged by a wrong encoding"
    return None


def _damaged(word: str) -> bool:
    if word.isascii():
        return False
    import ftfy

    return bool(ftfy.fix_encoding(word) != word)


# --- Safety --------------------------------------------------------------------------------------


def rename_is_safe(word: str, name: str, known: Any, names: set[str]) -> bool:
    """Whether replacing `word` by the bible's `name` can never change a correct word: `word`
    is not a dictionary word (`known(word)`), not a word of a known name (`names`, folded),
    and not a form of one ("Bohemian" of "Bohemia", "Korins" of "Korin")."""
    folded = word.casefold()
    if known(word) or folded in names:
        return False
    for other in {name.casefold(), *names}:
        longer, shorter = (folded, other) if len(folded) > len(other) else (other, folded)
        if longer.startswith(shorter) and longer[len(shorter) :] in _DERIVING:
            return False
    return True


# --- Writing -------------------------------------------------------------------------------------


def _target(project: Project, path: str) -> Path | None:
    """The file a fix of `path` writes: a link's target, which must be inside the project."""
    real = (project.root / path).resolve()
    return real if real.is_relative_to(project.root.resolve()) and real.is_file() else None


def _write(project: Project, path: str, text: str) -> None:
    real = _target(project, path)
    if real is None:
        raise BuildError(f"cannot fix {path}: it no longer leads to a file inside the project")
    try:
        write_atomically(real, text)
    except OSError as error:
        raise BuildError(
            f"cannot fix {path}: {error.strerror or error}; the file was left as it was"
        ) from None


def write_atomically(path: Path, text: str) -> None:
    """Write `text` (UTF-8, as is) to `path`: a hard-linked file in place, so it stays linked;
    any other through a temporary file in the same folder, renamed over it."""
    data = text.encode("utf-8")
    info = path.stat()
    if info.st_nlink > 1:
        with path.open("r+b") as stream:
            stream.write(data)
            stream.truncate()
            stream.flush()
            os.fsync(stream.fileno())
        return
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
