"""The Fountain reader against the spec's own examples (fountain.io/syntax) and two independent
parsers, and the FDX reader against the Fountain sample's twin and hostile XML."""

from __future__ import annotations

from pathlib import Path

import fountain_parser
import pytest
from conftest import run_storykit
from jouvence.document import (
    TYPE_ACTION,
    TYPE_CENTEREDACTION,
    TYPE_CHARACTER,
    TYPE_DIALOG,
    TYPE_LYRICS,
    TYPE_PAGEBREAK,
    TYPE_PARENTHETICAL,
    TYPE_SECTION,
    TYPE_SYNOPSIS,
    TYPE_TRANSITION,
)
from jouvence.parser import JouvenceParser

from storykit.errors import LoadError
from storykit.importer import read_script
from storykit.load.fdx import FdxProblem, parse_fdx
from storykit.load.fountain import parse_fountain

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"
SAMPLE = SCRIPTS / "gull-rock.fountain"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(e.kind, e.text) for e in parse_fountain(text).elements]


# The spec's examples, each with what the spec says it is.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\nEXT. BRICK'S PATIO - DAY\n\n", [("scene", "EXT. BRICK'S PATIO - DAY")]),
        ("\nINT. HOUSE - DAY #1#\n\n", [("scene", "INT. HOUSE - DAY #1#")]),
        ("\nI/E TRAIN - NIGHT\n\n", [("scene", "I/E TRAIN - NIGHT")]),
        ("\n.SNIPER SCOPE POV\n\n", [("scene", "SNIPER SCOPE POV")]),
        ("\n...and then\n\n", [("action", "...and then")]),  # an ellipsis is no forced heading
        (
            "\nSTEEL\nThe man's a myth!\n",
            [("cue", "STEEL"), ("dialogue", "The man's a myth!")],
        ),
        (
            "\nMOM (O. S.)\nLuke! Come down for supper!\n",
            [("cue", "MOM"), ("dialogue", "Luke! Come down for supper!")],
        ),
        (
            "\nHANS (on the radio)\nWhat was it you said?\n",
            [("cue", "HANS"), ("dialogue", "What was it you said?")],
        ),
        ("\n@McCLANE\nYippie ki-yay!\n", [("cue", "McCLANE"), ("dialogue", "Yippie ki-yay!")]),
        (
            "\nSTEEL\n(starting the engine)\nSo much for retirement!\n",
            [
                ("cue", "STEEL"),
                ("parenthetical", "(starting the engine)"),
                ("dialogue", "So much for retirement!"),
            ],
        ),
        ("\nCUT TO:\n\n", [("transition", "CUT TO:")]),
        ("\n> Burn to White.\n\n", [("transition", "Burn to White.")]),
        ("\n> THE END <\n", [("centered", "THE END")]),
        ("\n!SCANNING THE AISLES...\n\n", [("action", " SCANNING THE AISLES...")]),
        ("\n~Willy Wonka! Willy Wonka!\n", [("lyric", "Willy Wonka! Willy Wonka!")]),
        ("\n===\n", [("page-break", "")]),
        ("\n# ACT I\n\n", [("section", "ACT I")]),
        (
            "\n= Set up the characters and the story.\n",
            [("synopsis", "Set up the characters and the story.")],
        ),
        ("\nR2D2\nBeep.\n", [("cue", "R2D2"), ("dialogue", "Beep.")]),
        ("\n23\nBeep.\n", [("action", "23\nBeep.")]),  # a cue needs a letter
    ],
)
def test_the_specs_examples(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_extensions_and_dual_dialogue_as_the_spec_writes_them() -> None:
    script = parse_fountain(
        "\nBRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n\nMOM (V.O.) (CONT'D)\nAnd supper.\n"
    )
    assert [(c.text, c.extensions, c.dual) for c in script.cues] == [
        ("BRICK", [], False),
        ("STEEL", [], True),
        ("MOM", ["V.O.", "CONT'D"], False),
    ]


def test_two_spaces_keep_a_speech_going_and_a_blank_line_ends_it() -> None:
    text = "\nDEALER\nTen.\nFour.\n  \nDealer gets a seven.\n\nHe hits.\n"
    assert kinds(text) == [
        ("cue", "DEALER"),
        ("dialogue", "Ten.\nFour.\n\nDealer gets a seven."),
        ("action", "He hits."),
    ]


def test_notes_are_kept_aside_and_boneyard_dropped_lines_intact() -> None:
    text = "\nHe enters. [[Is this\nthe right door?]]\n\n/* A cut scene\n\nOWEN\nHi. */\n\nRUTH\nHello.\n"
    script = parse_fountain(text)
    assert [(n.text, n.line, n.column) for n in script.notes] == [
        ("Is this the right door?", 2, 12)
    ]
    assert [(e.kind, e.line) for e in script.elements] == [
        ("action", 2),
        ("cue", 10),
        ("dialogue", 11),
    ]


def _jouvence(text: str) -> list[tuple[str, str]]:
    names = {
        TYPE_ACTION: "action",
        TYPE_CENTEREDACTION: "centered",
        TYPE_CHARACTER: "cue",
        TYPE_DIALOG: "dialogue",
        TYPE_PARENTHETICAL: "parenthetical",
        TYPE_TRANSITION: "transition",
        TYPE_LYRICS: "lyric",
        TYPE_PAGEBREAK: "page-break",
        TYPE_SECTION: "section",
        TYPE_SYNOPSIS: "synopsis",
    }
    found: list[tuple[str, str]] = []
    for scene in JouvenceParser().parseString(text).scenes:
        if scene.header:
            found.append(("scene", scene.header))
        for p in scene.paragraphs:
            kind, body = names[p.type], p.text or ""
            if kind == "dialogue" and body.startswith("~"):  # jouvence keeps sung lines as speech
                found += [("lyric", line[1:]) for line in body.split("\n")]
                continue
            if kind == "cue":  # jouvence keeps the extensions and ^ in the name
                body = body.split("(")[0].replace("^", "")
            found.append((kind, body))
    return found


def _ours(text: str) -> list[tuple[str, str]]:
    return [(e.kind, e.text) for e in parse_fountain(text).elements]


def _normal(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for kind, body in items:
        body = " ".join(body.replace("[[Is the boat named anywhere else?]]", "").split())
        if kind == "action" and out and out[-1][0] == "action":  # jouvence joins action blocks
            out[-1] = ("action", f"{out[-1][1]} {body}")
        else:
            out.append((kind, body))
    return out


def test_the_sample_reads_as_jouvence_reads_it() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    assert _normal(_ours(text)) == _normal(_jouvence(text))
    assert parse_fountain(text).title_page == JouvenceParser().parseString(text).title_values


def test_the_samples_cues_read_as_fountain_parser_reads_them() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    theirs = [
        (e.name, e.extensions, e.is_dual)
        for e in fountain_parser.parse(text).elements
        if isinstance(e, fountain_parser.Character)
    ]
    assert [(c.text, c.extensions, c.dual) for c in parse_fountain(text).cues] == theirs


def test_the_fdx_twin_reads_as_the_fountain_sample() -> None:
    fountain = read_script(SAMPLE)
    fdx = read_script(SCRIPTS / "gull-rock.fdx")
    assert fdx.format == "fdx" and fountain.format == "fountain"

    def story(script):  # FDX prints sung lines as dialogue and has no sections
        return [
            (e.kind.replace("lyric", "dialogue"), " ".join(e.text.split()), e.extensions, e.dual)
            for e in script.elements
            if e.kind not in ("section", "synopsis")
        ]

    assert story(fdx) == story(fountain)
    assert [a.casefold() for a in fdx.acts] == [a.casefold() for a in fountain.acts]
    assert fdx.title.casefold() == fountain.title.casefold()
    assert fdx.title_page["author"] == fountain.title_page["author"]
    # Every element is at the line of its <Paragraph> in the XML.
    lines = (SCRIPTS / "gull-rock.fdx").read_text(encoding="utf-8").split("\n")
    for element in fdx.elements:
        assert "<Paragraph" in lines[element.line - 1], element


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<FinalDraft><Content><Paragraph Type="Action"><Text>&lol2;</Text></Paragraph></Content></FinalDraft>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<FinalDraft><Content><Paragraph Type="Action"><Text>&secret;</Text></Paragraph></Content></FinalDraft>
"""


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("INT. HOUSE - DAY\n\nThis is Fountain, not XML.\n", (1, 1), "not well-formed XML"),
        ('<?xml version="1.0"?>\n<html><body/></html>\n', (2, 1), "the root element is <html>"),
        (
            "<FinalDraft>\n<Content>\n<Paragraph Type='Action'><Text>cut</Text>\n</Content>",
            (4, 3),
            "mismatched tag",
        ),
        (BOMB, (3, 3), "entity declaration"),
        (EXTERNAL, (2, 15), "entity declaration"),
    ],
)
def test_bad_fdx_is_refused_at_its_line(text: str, where: tuple[int, int], words: str) -> None:
    with pytest.raises(FdxProblem) as refused:
        parse_fdx(text, "scripts/bad.fdx")
    problem = refused.value.problem
    assert (problem.path, problem.line, problem.column) == ("scripts/bad.fdx", *where)
    assert words in problem.message


def test_a_script_in_a_wrong_encoding_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.fountain"
    path.write_bytes("Title: Caf\u00e9\n\nINT. CAF\u00c9 - DAY\n".encode("latin-1"))
    with pytest.raises(LoadError) as refused:
        read_script(path)
    problem = refused.value.problems[0]
    assert (problem.path, problem.line, problem.column) == ("latin.fountain", 1, 11)
    assert "not valid UTF-8" in problem.message


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("bomb.fdx", BOMB.encode(), "bomb.fdx:3:3: error refusing to read an entity declaration"),
        ("notxml.fdx", b"hello\n", "notxml.fdx:1:1: error not well-formed XML"),
        (
            "latin.fountain",
            "Caf\u00e9\n".encode("latin-1"),
            "latin.fountain:1:4: error not valid UTF-8",
        ),
    ],
)
def test_import_of_bad_input_says_where_and_writes_nothing(
    new_project: Path, name: str, data: bytes, words: str
) -> None:
    script = new_project / "scripts" / name
    script.parent.mkdir()
    script.write_bytes(data)
    before = sorted(p for p in new_project.rglob("*"))
    result = run_storykit("import", str(script))
    assert result.returncode == 2
    assert words in result.stderr.replace("scripts/", "")
    assert "Traceback" not in result.stderr
    assert sorted(p for p in new_project.rglob("*")) == before
