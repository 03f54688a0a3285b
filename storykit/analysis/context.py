"""One analysis of a project: what the rules, the build and the language server derive from
the loaded text, each artefact computed once, on first use, and kept for the analysis' life."""

from __future__ import annotations

from functools import cached_property

from storykit.analysis.appearances import Appearance, collect_appearances
from storykit.analysis.candidates import NameCandidate, collect_candidates
from storykit.analysis.dictionary import Speller, project_speller
from storykit.analysis.mentions import Index, collect_index, paragraphs_of
from storykit.analysis.names import EntryRef, KnownPhrases, NameMatches, NameTable
from storykit.analysis.names import known_phrases as find_known_phrases
from storykit.analysis.names import namesakes as find_namesakes
from storykit.model import Entry, Outline, Paragraph, Project
from storykit.text import Words


class Analysis:
    """The shared artefacts of one project, as typed cached properties (markdown-it-py's
    explicit `env` is the model: state is passed, never hidden in module caches).

    Each property is computed when first asked, from the project and the properties it reads,
    and so only what the running rules ask for is worked out:

    - `names`: every bible name and alias, for longest-first matching (`NameTable`)
    - `tokens`: the words of every outline paragraph (`words(paragraph)` looks one up)
    - `name_matches`: every name at every word of every paragraph, nested ones included
      (`name_matches_in(paragraph)`)
    - `index`: the mentions (the longest name at each place) and presence by beat (`Index`)
    - `known_phrases`: phrases that are never unknown names (`KnownPhrases`)
    - `speller`: the English dictionary plus the project's own words (`Speller`)
    - `name_candidates`: unknown capitalised words, each given to one name rule
    - `appearances`: where each entry appears in each outline, nested names included
    - `namesakes`: the entries of one treatment that share a name or alias

    Paragraphs are keys by identity (`Paragraph` is hashed so): an analysis belongs to one
    loaded project. A changed project needs a new analysis.
    """

    def __init__(self, project: Project) -> None:
        self.project = project

    @cached_property
    def names(self) -> NameTable:
        return NameTable.of(self.project.entries)

    @cached_property
    def tokens(self) -> dict[Paragraph, Words]:
        """The words of each outline paragraph; every word of every paragraph also goes into
        one vocabulary, so a `WordClass` decides them all at once."""
        vocabulary: set[str] = set()
        return {
            paragraph: Words(paragraph.text, vocabulary)
            for outline in self.project.outlines.values()
            for _, _, paragraph in paragraphs_of(outline)
        }

    def words(self, paragraph: Paragraph) -> Words:
        """The words of an outline paragraph of this project (of any other text: made anew)."""
        found = self.tokens.get(paragraph)
        return Words(paragraph.text) if found is None else found

    @cached_property
    def name_matches(self) -> dict[Paragraph, list[NameMatches]]:
        """Every name at every word of each outline paragraph, nested ones included."""
        all_matches = self.names.all_matches
        return {paragraph: all_matches(words) for paragraph, words in self.tokens.items()}

    def name_matches_in(self, paragraph: Paragraph) -> list[NameMatches]:
        found = self.name_matches.get(paragraph)
        return self.names.all_matches(self.words(paragraph)) if found is None else found

    @cached_property
    def index(self) -> Index:
        return collect_index(self)

    @cached_property
    def known_phrases(self) -> KnownPhrases:
        return find_known_phrases(self.project)

    @cached_property
    def speller(self) -> Speller:
        return project_speller(self.project)

    @cached_property
    def name_candidates(self) -> list[NameCandidate]:
        return collect_candidates(self)

    @cached_property
    def appearances(self) -> dict[tuple[EntryRef, str], list[Appearance]]:
        """(entry, outline name) -> the entry's own-treatment appearances, in reading order."""
        return collect_appearances(self)

    def appearances_of(self, entry: Entry, outline: Outline) -> list[Appearance]:
        """The entry's appearances in one outline, in reading order."""
        return self.appearances.get((EntryRef.of(entry), outline.name), [])

    def appearances_by_entry(self) -> dict[EntryRef, list[Appearance]]:
        """Every own-treatment appearance of every entry: outline by outline, each in order."""
        found: dict[EntryRef, list[Appearance]] = {}
        for (ref, _), listed in self.appearances.items():
            found.setdefault(ref, []).extend(listed)
        return found

    @cached_property
    def namesakes(self) -> dict[EntryRef, list[Entry]]:
        return find_namesakes(self.project.entries)

    def namesakes_of(self, entry: Entry) -> list[Entry]:
        """The other entries of the entry's treatment sharing a name or alias with it, any case."""
        return self.namesakes.get(EntryRef.of(entry), [])


def build_index(project: Project) -> Index:
    """The index of a project on its own (an analysis made for it alone)."""
    return Analysis(project).index
