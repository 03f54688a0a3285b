"""Generate a synthetic series project, deterministically, for benchmarking storykit at scale.

`--scale 1` is about the size of the embedded default (5 outlines, ~20 characters, ~4,000 words
of beat text); `--scale 100` is a showrunner's bible (~200 outlines, ~1,000 characters, ~1,000,000
words). Sizes grow as powers of the scale so that both ends hold:

    words      = 4,000 × scale^1.2        outlines   = 5 × scale^0.8
    characters = 20 × scale^0.85          treatments = 5 × scale^0.3 (the seasons)

The prose is a word-level Markov chain (order 2) trained on the default's own outlines, with its
bible names replaced by the generated cast, devices and threads; sentences whose words a general
dictionary does not know are left out of the training text, so the only flaws are the planted
ones. Every rule gets real work: near-miss, foreign and unknown names, name collisions, "the trio"
with four named, contradicting ages and relations, mojibake, misspellings, threads set up and
never paid off, characters who first appear in the finale or sit out the second act, beats left
out, bible entries nothing mentions. Nothing planted makes the project unloadable: schema and
duplicate-id problems stop a strict load, so they are not planted.

    python benchmarks/generate.py --scale 100 --out /tmp/series-100
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a fresh clone without installing
    sys.path.insert(0, str(REPO))

from storykit.analysis.mentions import find_names, paragraphs_of  # noqa: E402
from storykit.analysis.names import NameTable  # noqa: E402
from storykit.load import load_project  # noqa: E402
from storykit.model import Project  # noqa: E402

SEED = 2045

# Placeholders in the training text for the bible's names, by kind.
CHARACTER, DEVICE = "\x01C", "\x01D"
_MARKER = re.compile("\x01[CD]")
_APPOSITIVE = re.compile(r"\x01C(?:['’]s)?,\s+(?:a|an|the|once|now|\d+)\b")

SAVE_THE_CAT = [
    (1, "Opening Image"),
    (1, "Theme Stated"),
    (1, "Set-Up"),
    (1, "Catalyst"),
    (1, "Debate"),
    (2, "Break into Two"),
    (2, "B Story"),
    (2, "Fun and Games"),
    (2, "Midpoint"),
    (2, "Bad Guys Close In"),
    (2, "All Is Lost"),
    (2, "Dark Night of the Soul"),
    (3, "Break into Three"),
    (3, "Finale"),
    (3, "Final Image"),
]
ACT_NAMES = {1: "Act One", 2: "Act Two", 3: "Act Three"}
# Beats an outline may leave out (a planted missing-beat); never those the plan writes into.
OPTIONAL_BEATS = ("Theme Stated", "Debate", "Dark Night of the Soul", "Break into Three")

DEVICE_PREFIXES = [
    "Sleep",
    "Dream",
    "Night",
    "Bed",
    "Neuro",
    "Slumber",
    "Rest",
    "Lucid",
    "Dusk",
    "Somna",
    "Hypno",
    "Moon",
]
DEVICE_SUFFIXES = [
    "Sync",
    "Link",
    "Pod",
    "Net",
    "Grid",
    "Vault",
    "Core",
    "Loom",
    "Wave",
    "Gate",
    "Mesh",
    "Well",
]
DEVICE_NOUNS = {
    "technology": ["System", "Array", "Interface", "Engine"],
    "faction": ["Circle", "Collective", "Guild"],
    "place": ["Tower", "District", "Archive"],
    "organisation": ["Consortium", "Institute", "Foundation"],
    "event": ["Gala", "Festival", "Summit"],
    "item": ["Headset", "Prototype", "Token"],
}
THREAD_ADJECTIVES = [
    "hidden",
    "forbidden",
    "stolen",
    "secret",
    "broken",
    "lost",
    "silent",
    "shared",
    "buried",
    "borrowed",
    "false",
    "final",
    "second",
    "quiet",
    "restless",
    "vivid",
    "digital",
    "wild",
    "ancient",
    "private",
]
THREAD_NOUNS = [
    "archive",
    "experiment",
    "bargain",
    "memory",
    "rebellion",
    "debt",
    "signal",
    "promise",
    "ledger",
    "formula",
    "map",
    "confession",
    "recording",
    "patent",
    "inheritance",
    "contract",
    "diary",
    "wager",
    "pact",
    "key",
    "vaccine",
    "algorithm",
    "blueprint",
    "letter",
]
OCCUPATIONS = [
    "sleep technologist",
    "ethics monitor",
    "sleep researcher",
    "dream coder",
    "neuroscientist",
    "activist",
    "engineer",
    "programmer",
    "journalist",
    "nurse",
    "corporate executive",
    "student",
    "architect",
    "teacher",
]
ROLES = ["protagonist", "supporting", "supporting", "antagonist"]
MOJIBAKE_WORDS = ["other’s", "world’s", "café", "résumé", "naïve", "night’s"]
MISSPELT = ["recieve", "seperate", "definately", "occured", "untill", "beleive", "goverment"]


@dataclass
class Character:
    id: str
    name: str
    treatment: str
    role: str
    occupation: str
    age: int
    relationships: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Device:
    id: str
    name: str
    treatment: str
    kind: str


@dataclass
class Thread:
    id: str
    name: str
    alias: str
    treatment: str
    characters: list[str]
    setup: str
    payoff: str | None


@dataclass
class OutlinePlan:
    name: str
    treatment: str
    title: str
    cast: list[Character]
    devices: list[Device]
    threads: list[Thread] = field(default_factory=list)
    beats: list[tuple[int, str]] = field(default_factory=list)
    late: Character | None = None  # first named in the final act: unseeded
    absent: Character | None = None  # sits out the second act: dropped-thread
    foreign: Character | None = None  # another treatment's character: foreign-name
    words: int = 0


@dataclass
class Sizes:
    scale: float
    words: int
    outlines: int
    characters: int
    treatments: int
    devices: int
    threads: int

    @classmethod
    def of(cls, scale: float) -> Sizes:
        return cls(
            scale=scale,
            words=round(4000 * scale**1.2),
            outlines=max(5, round(5 * scale**0.8)),
            characters=max(20, round(20 * scale**0.85)),
            treatments=max(5, round(5 * scale**0.3)),
            devices=max(30, round(30 * scale**0.75)),
            threads=max(15, round(15 * scale**0.75)),
        )


# --- Training text: the default's prose with its names taken out ---------------------------------


def _known_words() -> set[str]:
    """Words a general dictionary knows, plus storykit's shipped supplement: what prose may use."""
    from spellchecker import SpellChecker

    words = set(SpellChecker().word_frequency.dictionary)
    supplement = REPO / "storykit" / "lint" / "words.txt"
    if supplement.is_file():
        for line in supplement.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                words.add(word.lower())
    return words


def training_sentences(default: Project) -> list[list[str]]:
    """The default's outline sentences as word lists, names replaced by placeholders."""
    known = _known_words() | {w.lower() for w in default.config.lint.words}
    names = NameTable.of(default.entries)
    sentences: list[list[str]] = []
    for outline in default.outlines.values():
        for _, _, paragraph in paragraphs_of(outline):
            text = paragraph.text
            pieces: list[str] = []
            last = 0
            for first, final, refs in find_names(paragraph, names):
                surface = text[first.start : final.end]
                if not surface[0].isupper() or refs[0].kind == "thread":
                    continue  # "his sister", "black market": plain English, kept as written
                # A possessive stays one (the generated name may not end in s): "BedSync’s",
                # "Coders'" -> "\x01D’s".
                apostrophe = next((a for a in "'’" if surface.endswith((a, a + "s"))), "")
                marker = CHARACTER if refs[0].kind == "character" else DEVICE
                pieces.append(text[last : first.start])
                pieces.append(marker + (apostrophe + "s" if apostrophe else ""))
                last = final.end
            pieces.append(text[last:])
            flat = "".join(pieces).replace("\n", " ")
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“\x01])", flat):
                split = sentence.split()
                # "Amelia, a sleep technologist," would contradict the generated occupation on
                # every use: the planted contradictions are the only ones wanted.
                if _APPOSITIVE.search(sentence):
                    continue
                if 6 <= len(split) <= 60 and _clean(split, known):
                    sentences.append(split)
    return sentences


def _clean(words: list[str], known: set[str]) -> bool:
    """Only dictionary words, no stray capitals mid-sentence: the planted flaws stay the only ones."""
    for position, raw in enumerate(words):
        if "\x01" in raw:
            continue
        for part in re.findall(r"[^\W\d_]+", raw):
            if part.lower() not in known:
                return False
            if position and part[0].isupper() and not raw.startswith(("“", '"', "(")):
                return False
    return True


class Markov:
    """An order-2 word chain: realistic-looking sentences from a small corpus."""

    def __init__(self, sentences: list[list[str]]) -> None:
        self.starts: list[tuple[str, str]] = []
        self.next: dict[tuple[str, str], list[str]] = defaultdict(list)
        for words in sentences:
            padded = ["", "", *words, ""]
            self.starts.append((words[0], words[1]))
            for a, b, c in zip(padded, padded[1:], padded[2:], strict=False):
                self.next[(a, b)].append(c)

    def sentence(self, rng: random.Random) -> list[str]:
        for _ in range(20):
            a, b = rng.choice(self.starts)
            words = [a, b]
            while len(words) < 70:
                c = rng.choice(self.next[(a, b)])
                if not c:
                    break
                words.append(c)
                a, b = b, c
            if 6 <= len(words) < 70 and words[-1][-1] in '.!?"”':
                return words
        return words


# --- The bible --------------------------------------------------------------------------------


def name_pool(default: Project, count: int, rng: random.Random) -> list[str]:
    """`count` distinct invented first names, spliced from the default's own character names."""
    seeds = sorted({c.name for c in default.characters.values() if c.name.isalpha()})
    heads = sorted({s[:n] for s in seeds for n in (2, 3) if len(s) > n})
    tails = sorted({s[-n:].lower() for s in seeds for n in (2, 3) if len(s) > n})
    taken = set(seeds)
    vowels = set("aeiouy")
    pool: list[str] = []
    candidates = [h + t for h in heads for t in tails]
    rng.shuffle(candidates)
    for name in candidates:
        lower = name.lower()
        # Pronounceable: no three consonants or three vowels in a row, no doubled ending.
        if re.search(r"[^aeiouy]{3}|[aeiouy]{3}", lower) or name in taken or len(name) < 4:
            continue
        if lower[-1] == lower[-2] or not (vowels & set(lower)):
            continue
        taken.add(name)
        pool.append(name)
        if len(pool) == count:
            return pool
    i = 0
    while len(pool) < count:  # more than the splices give: number them in words of the world
        name = f"{pool[i % len(pool)]}{'abcdefghijklmnopqrstuvwxyz'[i // len(pool) % 26]}"
        if name not in taken:
            taken.add(name)
            pool.append(name)
        i += 1
    return pool


@dataclass
class Series:
    sizes: Sizes
    treatments: list[tuple[str, str]]  # (id, title)
    characters: list[Character]
    devices: list[Device]
    threads: list[Thread]
    outlines: list[OutlinePlan]
    unused: list[Device]  # never mentioned: unused-entry
    collisions: list[tuple[Character, Character]]


def plan_series(default: Project, sizes: Sizes, rng: random.Random) -> Series:
    treatments = [
        (f"season-{i + 1:02d}", f"Bedtime in 2045, Season {i + 1}") for i in range(sizes.treatments)
    ]
    characters, spare_names = _plan_characters(default, sizes, treatments, rng)
    by_treatment: dict[str, list[Character]] = defaultdict(list)
    for character in characters:
        by_treatment[character.treatment].append(character)
    collisions = _plant_relations(treatments, by_treatment)
    devices = _plan_devices(sizes, treatments, rng)
    unused = devices[:: max(2, len(devices) // max(1, sizes.treatments))][: sizes.treatments]
    outlines = _plan_outlines(sizes, treatments, by_treatment, devices, unused)
    threads = _plan_threads(sizes, outlines, rng)
    _plant_outline_flaws(outlines, characters, sizes)
    series = Series(sizes, treatments, characters, devices, threads, outlines, unused, collisions)
    series.spare_names = spare_names  # type: ignore[attr-defined]
    return series


def _plan_characters(
    default: Project, sizes: Sizes, treatments: list[tuple[str, str]], rng: random.Random
) -> tuple[list[Character], list[str]]:
    """The cast, season by season, and the names planted as unknown."""
    names = name_pool(default, sizes.characters, rng)
    # Never in the bible and far from every name in it: planted unknown names ("Ledgerwick").
    spare_names = [f"{n.title()}{p}" for n in THREAD_NOUNS for p in ("wick", "vale", "mere")]
    characters: list[Character] = []
    for i in range(sizes.characters):
        treatment = treatments[i % len(treatments)][0]
        name = names[i]
        characters.append(
            Character(
                id=f"{name.lower()}-{i}",
                name=name,
                treatment=treatment,
                role=ROLES[(i // len(treatments)) % len(ROLES)]
                if i < 4 * len(treatments)
                else "minor",
                occupation=rng.choice(OCCUPATIONS),
                age=rng.randint(16, 80),
            )
        )
    return characters, spare_names


def _plant_relations(
    treatments: list[tuple[str, str]], by_treatment: dict[str, list[Character]]
) -> list[tuple[Character, Character]]:
    """Friendships, a contradicting relation pair, and name collisions across seasons."""
    # name-collision: in every other season, one minor character shares a name with one of the
    # previous season's (a different person); a relation pair contradicts itself (relationship).
    collisions: list[tuple[Character, Character]] = []
    for t in range(1, len(treatments), 2):
        mine = by_treatment[treatments[t][0]]
        theirs = by_treatment[treatments[t - 1][0]]
        if len(mine) >= 4 and len(theirs) >= 4:
            mine[-1].name = theirs[-1].name
            collisions.append((theirs[-1], mine[-1]))
    for people in by_treatment.values():
        for a, b in zip(people, people[1:4], strict=False):
            a.relationships.append((b.id, "friend-of"))
    for t, (treatment, _) in enumerate(treatments):
        people = by_treatment[treatment]
        if t % 2 == 0 and len(people) >= 4:
            people[2].relationships.append((people[3].id, "sister-of"))
            people[3].relationships.append((people[2].id, "mother-of"))
    return collisions


def _plan_devices(
    sizes: Sizes, treatments: list[tuple[str, str]], rng: random.Random
) -> list[Device]:
    """The devices, spread over the seasons."""
    devices: list[Device] = []
    combos = [
        (p, s, kind, noun)
        for kind, nouns in DEVICE_NOUNS.items()
        for noun in nouns
        for p in DEVICE_PREFIXES
        for s in DEVICE_SUFFIXES
        if p != s
    ]
    rng.shuffle(combos)
    for i, (prefix, suffix, kind, noun) in enumerate(combos[: sizes.devices]):
        devices.append(
            Device(
                id=f"{prefix}{suffix}-{noun}".lower(),
                name=f"{prefix}{suffix} {noun}",
                treatment=treatments[i % len(treatments)][0],
                kind=kind,
            )
        )
    return devices


def _plan_outlines(
    sizes: Sizes,
    treatments: list[tuple[str, str]],
    by_treatment: dict[str, list[Character]],
    devices: list[Device],
    unused: list[Device],
) -> list[OutlinePlan]:
    """The episodes, each with its cast and devices."""
    outlines: list[OutlinePlan] = []
    for i in range(sizes.outlines):
        treatment, title = treatments[i % len(treatments)]
        episode = i // len(treatments) + 1
        outlines.append(
            OutlinePlan(
                name=f"{treatment}-episode-{episode:02d}",
                treatment=treatment,
                title=f"{title}, Episode {episode}",
                cast=[],
                devices=[],
            )
        )
    by_outline_treatment: dict[str, list[OutlinePlan]] = defaultdict(list)
    for plan in outlines:
        by_outline_treatment[plan.treatment].append(plan)
    # Casts: a season's four leads are in every episode; everyone else is a guest in one.
    for treatment, plans in by_outline_treatment.items():
        people = by_treatment[treatment]
        leads, guests = people[:4], people[4:]
        for plan in plans:
            plan.cast = list(leads)
        for g, guest in enumerate(guests):
            plans[g % len(plans)].cast.append(guest)
        own = [d for d in devices if d.treatment == treatment and d not in unused]
        for d, device in enumerate(own):
            plans[d % len(plans)].devices.append(device)
    return outlines


def _plan_threads(sizes: Sizes, outlines: list[OutlinePlan], rng: random.Random) -> list[Thread]:
    """The threads, a quarter of them never paid off."""
    threads: list[Thread] = []
    pairs = [(a, n) for a in THREAD_ADJECTIVES for n in THREAD_NOUNS]
    rng.shuffle(pairs)
    for i in range(sizes.threads):
        plan = outlines[i % len(outlines)]
        adjective, noun = pairs[i % len(pairs)]
        suffix = "" if i < len(pairs) else f" of {plan.cast[0].name}"
        dropped = i % 4 == 3  # a quarter are set up and never paid off
        thread = Thread(
            id=f"{adjective}-{noun}{'-' + plan.cast[0].id if suffix else ''}",
            name=f"The {adjective} {noun}{suffix}",
            alias=f"{adjective} {noun}{suffix}",
            treatment=plan.treatment,
            characters=[c.id for c in plan.cast[:2]],
            setup="catalyst",
            payoff=None if dropped else "finale",
        )
        threads.append(thread)
        plan.threads.append(thread)
    return threads


def _plant_outline_flaws(
    outlines: list[OutlinePlan], characters: list[Character], sizes: Sizes
) -> None:
    """Each episode's beats and planted flaws: a missing beat, a late or absent character, a foreign name."""
    for number, plan in enumerate(outlines):
        beats = list(SAVE_THE_CAT)
        if number % 3 == 1:  # missing-beat
            dropped_beat = OPTIONAL_BEATS[number % len(OPTIONAL_BEATS)]
            beats = [b for b in beats if b[1] != dropped_beat]
        plan.beats = beats
        guests = [c for c in plan.cast[4:] if c.role == "minor"]
        if number % 2 == 0:
            plan.late = guests[-1] if guests else plan.cast[-1]  # unseeded
        if number % 5 == 2 and len(plan.cast) > 2:
            plan.absent = plan.cast[2]  # dropped-thread: a lead absent from Act Two
        own_names = {c.name for c in characters if c.treatment == plan.treatment}
        other = [c for c in characters if c.treatment != plan.treatment and c.name not in own_names]
        if number % 4 == 3 and other:
            plan.foreign = other[number % len(other)]
        plan.words = sizes.words // sizes.outlines


# --- Writing it out ---------------------------------------------------------------------------


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_bible(
    root: Path, series: Series, default: Project, chain: Markov, rng: random.Random
) -> None:
    words = list(default.config.lint.words)
    (root / "storykit.yaml").write_text(
        "# A synthetic series generated by benchmarks/generate.py (do not edit: regenerate).\n"
        f"title: Synthetic series at scale {series.sizes.scale:g}\n"
        "author: benchmarks/generate.py\n"
        "structure: save-the-cat\n"
        "pages: 110\n"
        "lint:\n"
        f"  words: [{', '.join(_yaml_str(w) for w in words)}]\n",
        encoding="utf-8",
    )
    folders = {k: root / "bible" / k for k in ("treatments", "characters", "devices", "threads")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for tid, title in series.treatments:
        people = [c.name for c in series.characters if c.treatment == tid][:4]
        things = [d.name for d in series.devices if d.treatment == tid][:2]
        (folders["treatments"] / f"{tid}.yaml").write_text(
            f"id: {tid}\ntitle: {_yaml_str(title)}\nyear: 2045\n"
            f"logline: {_yaml_str(_sentence(chain, rng, people, things))}\n",
            encoding="utf-8",
        )
    for character in series.characters:
        relations = "".join(f"\n  - {{to: {to}, as: {rel}}}" for to, rel in character.relationships)
        (folders["characters"] / f"{character.id}.yaml").write_text(
            f"id: {character.id}\nname: {character.name}\ntreatment: {character.treatment}\n"
            f"role: {character.role}\noccupation: {character.occupation}\nage: {character.age}\n"
            f"relationships:{relations if relations else ' []'}\n",
            encoding="utf-8",
        )
    for device in series.devices:
        (folders["devices"] / f"{device.id}.yaml").write_text(
            f"id: {device.id}\nname: {device.name}\ntreatment: {device.treatment}\n"
            f"kind: {device.kind}\n",
            encoding="utf-8",
        )
    for thread in series.threads:
        payoff = f"payoff: {thread.payoff}\n" if thread.payoff else ""
        (folders["threads"] / f"{thread.id}.yaml").write_text(
            f"id: {thread.id}\nname: {_yaml_str(thread.name)}\ntreatment: {thread.treatment}\n"
            f"aliases: [{_yaml_str(thread.alias)}]\ncharacters: [{', '.join(thread.characters)}]\n"
            f"setup: {thread.setup}\n{payoff}",
            encoding="utf-8",
        )


def _sentence(chain: Markov, rng: random.Random, people: list[str], things: list[str]) -> str:
    """One chain sentence with its placeholders filled from `people` and `things`, in turn."""
    words = chain.sentence(rng)
    out = []
    for word in words:
        marker = _MARKER.search(word)
        if marker is None:
            out.append(word)
            continue
        pool = people if marker.group() == CHARACTER else things
        pool = pool or things or people
        name = pool.pop(0)
        pool.append(name)
        out.append(word[: marker.start()] + name + word[marker.end() :])
    return " ".join(out)


def write_outline(
    root: Path, plan: OutlinePlan, series: Series, chain: Markov, rng: random.Random
) -> None:
    budget = plan.words // len(plan.beats)
    lines = [
        "---",
        f"treatment: {plan.treatment}",
        f"title: {_yaml_str(plan.title)}",
        "structure: save-the-cat",
        "---",
    ]
    act = 0
    regular = [c for c in plan.cast if c is not plan.late]
    things = [d.name for d in plan.devices] or [series.devices[0].name]
    spare = series.spare_names  # type: ignore[attr-defined]
    serial = sum(map(ord, plan.name))
    beat_names = [name for _, name in plan.beats]
    for beat_number, (beat_act, beat) in enumerate(plan.beats):
        if beat_act != act:
            act = beat_act
            lines += ["", f"# {ACT_NAMES[act]}"]
        lines += ["", f"## {beat}", ""]
        present = [c for c in regular if not (act == 2 and c is plan.absent)]
        people = [c.name for c in present]
        rng.shuffle(people)
        planted = _planted(plan, beat, regular, present, serial, spare, beat_names)
        if beat_number == 0 and act == 1:
            people = [c.name for c in regular]
        sentences: list[str] = list(planted)
        words = sum(len(s.split()) for s in sentences)
        while words < budget - 15:  # a chain sentence is ~30 words: stop near the budget
            sentence = _sentence(chain, rng, people, things)
            sentences.append(sentence)
            words += len(sentence.split())
        rng.shuffle(sentences)
        if beat == "Set-Up":  # introductions first: nobody is named before being introduced
            intros = [s for s in sentences if s in planted]
            sentences = intros + [s for s in sentences if s not in planted]
        lines += _paragraphs(sentences)
    (root / "outlines" / f"{plan.name}.md").write_text(
        "\n".join(lines).rstrip("\n") + "\n", encoding="utf-8"
    )


def _planted(
    plan: OutlinePlan,
    beat: str,
    regular: list[Character],
    present: list[Character],
    serial: int,
    spare: list[str],
    beat_names: list[str],
) -> list[str]:
    """The sentences planted in a beat: setups and payoffs, then one flaw for each rule to find."""
    planted: list[str] = []
    if beat == "Set-Up":
        # Introductions name every regular ("Name, a nurse,"), so nobody first appears late.
        for c in regular:
            planted.append(f"{c.name}, {_article(c.occupation)} {c.occupation}, is part of it.")
    if beat == "Catalyst":
        for thread in plan.threads:
            planted.append(f"That night the {thread.alias} comes to light.")
    if beat == "Finale":  # the climax
        for thread in plan.threads:
            if thread.payoff:
                planted.append(f"At last the {thread.alias} is settled.")
        if plan.late:
            planted.append(f"Only now does {plan.late.name} step in to help.")
    return planted + _planted_flaws(plan, beat, regular, present, serial, spare, beat_names)


def _planted_flaws(
    plan: OutlinePlan,
    beat: str,
    regular: list[Character],
    present: list[Character],
    serial: int,
    spare: list[str],
    beat_names: list[str],
) -> list[str]:
    """The flaws planted in a beat, after its setups and payoffs."""
    planted: list[str] = []
    if beat == "Midpoint" and len(present) >= 4:  # count-mismatch: four named, "the trio"
        a, b, c, d = (p.name for p in present[:4])
        planted.append(f"{a}, {b}, {c} and {d} meet at dawn, and the trio agree to wait.")
    if beat == "Fun and Games" and len(regular) >= 1:
        lead = regular[0]
        age = lead.age + 11 if serial % 2 else lead.age
        planted.append(f"{lead.name}, {age}, remembers how sleep used to feel.")  # contradiction
        near = _near_miss(lead.name)
        planted.append(f"Later {near} returns home alone.")  # near-miss-name
    if beat == "B Story" and plan.foreign:
        planted.append(f"Meanwhile {plan.foreign.name} sends a message.")  # foreign-name
    if beat == "Debate" or (beat == "Catalyst" and "Debate" not in beat_names):
        planted.append(f"Nobody has heard of {spare[serial % len(spare)]} before.")  # unknown-name
    if beat == "Bad Guys Close In":
        word = MOJIBAKE_WORDS[serial % len(MOJIBAKE_WORDS)]
        damaged = word.encode("utf-8").decode("cp1252", errors="replace")
        planted.append(f"The {damaged} warning goes unheard.")  # mojibake
    if beat == "All Is Lost" or (beat == "Midpoint" and "All Is Lost" not in beat_names):
        planted.append(f"They {MISSPELT[serial % len(MISSPELT)]} the worst.")  # spelling
    return planted


def _paragraphs(sentences: list[str]) -> list[str]:
    """The sentences as paragraphs of about 110 words, each followed by a blank line."""
    lines: list[str] = []
    paragraph: list[str] = []
    count = 0
    for sentence in sentences:
        paragraph.append(sentence)
        count += len(sentence.split())
        if count > 110:
            lines += [" ".join(paragraph), ""]
            paragraph, count = [], 0
    if paragraph:
        lines += [" ".join(paragraph), ""]
    return lines


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _near_miss(name: str) -> str:
    """One edit away: the second letter doubled ("Korin" -> "Koorin")."""
    return name[:2] + name[1] + name[2:]


def generate(scale: float, out: Path, seed: int = SEED) -> Sizes:
    """Write the synthetic project for `scale` into `out` (replacing it); the sizes it has."""
    from storykit.load.project import embedded_default

    rng = random.Random(f"{seed}:{scale}")
    default = load_project(embedded_default(), strict=False)
    chain = Markov(training_sentences(default))
    sizes = Sizes.of(scale)
    series = plan_series(default, sizes, rng)
    if out.exists():
        if not (out / "storykit.yaml").is_file() or "benchmarks/generate.py" not in (
            out / "storykit.yaml"
        ).read_text(encoding="utf-8"):
            raise SystemExit(f"refusing to replace {out}: not a project this script generated")
        shutil.rmtree(out)
    (out / "outlines").mkdir(parents=True)
    write_bible(out, series, default, chain, rng)
    for plan in series.outlines:
        write_outline(out, plan, series, chain, rng)
    return sizes


def count_words(root: Path) -> int:
    """Words of outline text (front matter and headings excluded): what the runner divides by."""
    total = 0
    for path in sorted((root / "outlines").glob("*.md")):
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        total += sum(len(line.split()) for line in text.splitlines() if not line.startswith("#"))
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="size factor: 1 ≈ the default, 100 ≈ a series"
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="folder to write (replaced if generated before)"
    )
    parser.add_argument(
        "--seed", type=int, default=SEED, help="random seed (same seed, same project)"
    )
    args = parser.parse_args(argv)
    sizes = generate(args.scale, args.out, args.seed)
    print(
        f"{args.out}: {sizes.outlines} outlines, {sizes.characters} characters, "
        f"{sizes.devices} devices, {sizes.threads} threads, {count_words(args.out):,} words"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
