"""Reading Fountain screenplays (storykit.load.fountain) and linting them against the bible with
the name rules, at the script's own lines."""

from __future__ import annotations

from pathlib import Path

import fountain_parser
import pytest

from storykit.errors import UsageError
from storykit.lint import lint_project
from storykit.lint.registry import LintContext
from storykit.lint.script import open_script, script_rules
from storykit.load.fountain import load_script, parse_fountain
from storykit.model import Project

FIXTURES = Path(__file__).parent / "fixtures" / "fountain"
SCRIPT = FIXTURES / "bedsync-pages.fountain"


def kinds(text: str) -> list[tuple[str, int, str]]:
    return [(e.kind, e.line, e.text) for e in parse_fountain(text).elements]


def test_title_page_and_elements_with_their_lines() -> None:
    script = parse_fountain(SCRIPT.read_text(encoding="utf-8"))
    assert script.title_page == {
        "title": "BedSync",
        "credit": "Written by",
        "author": "The storykit authors",
        "draft date": "2026-11-22",
    }
    found = [(e.kind, e.line) for e in script.elements]
    assert found[:5] == [
        ("section", 11),
        ("synopsis", 13),
        ("scene", 15),
        ("action", 17),
        ("cue", 19),
    ]
    assert ("parenthetical", 44) in found and ("transition", 49) in found


def test_cues_with_extensions_dual_dialogue_and_forced_names() -> None:
    cues = parse_fountain(SCRIPT.read_text(encoding="utf-8")).cues
    assert [(c.text, c.line, c.column, c.extensions, c.dual, c.forced) for c in cues] == [
        ("AMELIA", 19, 1, ["V.O."], False, False),
        ("CORIN", 22, 1, [], False, False),
        ("AMELIA", 25, 1, ["CONT'D"], False, False),
        ("KORIN", 34, 1, [], True, False),
        ("Jax", 37, 2, [], False, True),
        ("AGNES", 40, 1, [], True, False),
        ("JAX", 43, 1, [], False, False),
    ]


def test_cues_agree_with_an_independent_parser() -> None:
    """fountain-parser (PyPI) reads the same cues, extensions and dual marks as ours."""
    text = SCRIPT.read_text(encoding="utf-8")
    theirs = [
        (e.name, e.extensions, e.is_dual)
        for e in fountain_parser.parse(text).elements
        if isinstance(e, fountain_parser.Character)
    ]
    ours = [(c.text, c.extensions, c.dual) for c in parse_fountain(text).cues]
    assert ours == theirs


def test_boneyard_and_notes_are_skipped_and_keep_line_numbers() -> None:
    text = "/* SEBASTIAN\nsays nothing */\n\nAMELIA\nHi. [[a note\nover two lines]] Bye.\n"
    elements = parse_fountain(text).elements
    assert [(e.kind, e.line) for e in elements] == [("cue", 4), ("dialogue", 5)]
    assert elements[1].text.split() == ["Hi.", "Bye."]  # the note blanked, its line kept


def test_capitals_without_dialogue_are_action_not_cues() -> None:
    text = "\nBANG.\n\nThe door FLIES open.\n\nFADE OUT.\n\nCUT TO:\n\n.FLASHBACK\n\n> THE END <\n"
    assert kinds(text) == [
        ("action", 2, "BANG."),
        ("action", 4, "The door FLIES open."),
        ("action", 6, "FADE OUT."),
        ("transition", 8, "CUT TO:"),
        ("scene", 10, "FLASHBACK"),
        ("centered", 12, "THE END"),
    ]


def test_a_lowercase_line_before_text_is_action_and_at_forces_a_cue() -> None:
    assert kinds("\nAmelia\nwalks in.\n") == [("action", 2, "Amelia\nwalks in.")]
    assert kinds("\n@Amelia\nHello.\n")[0] == ("cue", 2, "Amelia")


def test_windows_line_ends_and_a_byte_order_mark() -> None:
    assert kinds("\ufeffTitle: X\r\n\r\nAMELIA\r\nHi.\r\n") == [
        ("cue", 3, "AMELIA"),
        ("dialogue", 4, "Hi."),
    ]


@pytest.fixture(scope="module")
def script_view(default_project: Project) -> Project:
    return load_script(default_project, SCRIPT, "bedsync")


def test_the_script_becomes_the_projects_only_outline(script_view: Project) -> None:
    (outline,) = script_view.outlines.values()
    assert outline.treatment == "bedsync"
    assert [b.name for b in outline.beats] == ["", "INT. SLEEPPODS - NIGHT", "EXT. ROOFTOP - LATER"]
    assert outline.acts[0].name == "Act One"


def test_cues_and_action_names_resolve_to_the_bible_at_script_positions(
    script_view: Project,
) -> None:
    mentions = LintContext(script_view).index.mentions
    amelia = [(m.line, m.column) for m in mentions if m.entry.id == "amelia"]
    # The synopsis, AMELIA (67) in action, the (V.O.) cue, dialogue, the (CONT'D) cue, action.
    assert amelia == [(13, 1), (17, 19), (19, 1), (23, 17), (25, 1), (32, 31)]
    korin = [(m.line, m.column) for m in mentions if m.entry.id == "korin"]
    assert (34, 1) in korin  # the dual-dialogue cue KORIN ^
    jax = [(m.line, m.column) for m in mentions if m.entry.id == "jax"]
    assert jax == [(37, 2), (43, 1)]  # @Jax is forced: the name starts in column 2
    devices = {m.entry.id for m in mentions if m.entry.kind == "device"}
    assert {"sleeppods", "bedsync-system"} <= devices


def test_name_rules_on_the_script(script_view: Project) -> None:
    findings = lint_project(script_view, select=script_rules()).findings
    path = findings[0].path
    assert path.endswith("bedsync-pages.fountain")
    got = [(f.rule, f.path, f.line, f.column) for f in findings]
    assert got == [
        ("near-miss-name", path, 22, 1),  # the misspelt cue CORIN
        ("foreign-name", path, 32, 1),  # Sebastian belongs to sleepsync
        ("count-mismatch", path, 45, 1),  # "Both of them" with four in play
    ]
    assert "did you mean 'Korin'" in findings[0].message
    assert "sleepsync" in findings[1].message
    assert all(f.treatment == "bedsync" for f in findings)


def test_a_clean_script_has_no_findings(default_project: Project, tmp_path: Path) -> None:
    clean = tmp_path / "clean.fountain"
    clean.write_text(
        "INT. SLEEPPODS - NIGHT\n\nAMELIA (O.S.)\nKorin?\n\nKORIN\n(whispering)\nHere.\n\n"
        "The BedSync System HUMS. Amelia CREEPS to the door.\n",
        encoding="utf-8",
    )
    view = load_script(default_project, clean, "bedsync")
    assert lint_project(view, select=script_rules()).findings == []


def test_script_rules_and_treatment_choice(default_project: Project, tmp_path: Path) -> None:
    # What the rules declare they read (@rule(reads=...)): the name rules, the speakers, the
    # story rules that read acts and scenes, spelling of dialogue and action.
    assert script_rules() == [
        "unknown-name",
        "near-miss-name",
        "foreign-name",
        "unknown-speaker",
        "unseeded",
        "dropped-thread",
        "count-mismatch",
        "spelling",
    ]
    assert script_rules(["foreign-name", "missing-beat"]) == ["foreign-name"]
    with pytest.raises(UsageError, match="name rules|checked by"):
        script_rules(["missing-beat"])
    with pytest.raises(UsageError, match="which treatment"):
        load_script(default_project, SCRIPT, None)
    with pytest.raises(UsageError) as error:
        load_script(default_project, SCRIPT, "bedsinc")
    assert "did you mean 'bedsync'" in str(error.value)
    with pytest.raises(UsageError, match="no such Fountain file"):
        open_script(tmp_path / "missing.fountain", "bedsync")


def test_a_script_inside_a_project_finds_its_bible(new_project: Path) -> None:
    script = new_project / "drafts" / "pages.fountain"
    script.parent.mkdir()
    script.write_text("INT. LIGHTHOUSE - NIGHT\n\nRUTH\nTomm? TOM!\n", encoding="utf-8")
    view = open_script(script, None)  # one treatment: no --treatment needed
    findings = lint_project(view, select=script_rules()).findings
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [
        ("near-miss-name", "drafts/pages.fountain", 4, 1)
    ]


def test_hostile_markup_is_read_in_one_pass() -> None:
    """Tens of thousands of unclosed [[ and /* (a pasted log, a corrupted file) stay text, and are
    read in one pass: rescanning the file for each one would never finish."""
    text = "INT. HALL - DAY\n\n" + "[[ /* " * 40_000 + "\n\nAMELIA\nStill here.\n"
    script = parse_fountain(text)
    assert [(e.kind, e.line) for e in script.elements] == [
        ("scene", 1),
        ("action", 3),
        ("cue", 5),
        ("dialogue", 6),
    ]


def test_lint_command_on_a_script(storykit_cli, tmp_path: Path) -> None:
    script = tmp_path / "pages.fountain"
    script.write_text(SCRIPT.read_text(encoding="utf-8"), encoding="utf-8")
    result = storykit_cli("lint", "--treatment", "bedsync", str(script), cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # foreign-name is an error
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{script}:22:1: warning near-miss-name 'Corin'")
    assert lines[1].startswith(f"{script}:32:1: error foreign-name 'Sebastian'")
    only = storykit_cli(
        "lint", "-t", "bedsync", str(script), "--select", "near-miss-name", "--format", "json"
    )
    assert only.returncode == 0 and '"line": 22' in only.stdout and "foreign" not in only.stdout


def test_lint_command_script_misuse(storykit_cli, new_project: Path, tmp_path: Path) -> None:
    script = tmp_path / "pages.fountain"
    script.write_text("INT. LIGHTHOUSE - NIGHT\n\nRUTH\nTom?\n", encoding="utf-8")
    clean = storykit_cli("lint", str(script), "--project", str(new_project))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    typo = storykit_cli("lint", str(script), "-p", str(new_project), "-t", "frist-draft")
    assert typo.returncode == 2 and "did you mean 'first-draft'" in typo.stderr
    fix = storykit_cli("lint", str(script), "-p", str(new_project), "--fix")
    assert fix.returncode == 2 and "never rewrite a script" in fix.stderr
    stray = storykit_cli("lint", str(new_project), "--treatment", "first-draft")
    assert stray.returncode == 2 and "go with a .fountain script" in stray.stderr
    missing = storykit_cli("lint", str(tmp_path / "gone.fountain"), "-p", str(new_project))
    assert missing.returncode == 2 and "no such Fountain file" in missing.stderr


def test_the_dictionary_is_read_once_however_many_capitals_a_script_has(
    default_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading KORIN and BANG asks the English dictionary, read at most once per process."""
    import pkgutil

    reads: list[str] = []
    real = pkgutil.get_data

    def counted(package: str, resource: str) -> bytes | None:
        if package == "spellchecker":
            reads.append(resource)
        return real(package, resource)

    monkeypatch.setattr(pkgutil, "get_data", counted)
    load_script(default_project, SCRIPT, "bedsync")
    load_script(default_project, SCRIPT, "bedsync")
    assert len(reads) <= 1
