"""What lint, compile and the language server derive from a loaded project: words, names,
mentions, presence, the dictionary and the name candidates, shared through one `Analysis`.

Modules: `names` (the phrase matcher, the name table, known phrases), `mentions` (the index and
presence), `appearances` (nested names, for the story rules), `dictionary` (the speller),
`candidates` (the decision the three name rules share), `context` (the `Analysis`). The text
layer below them all is `storykit.text`.
"""

from storykit.analysis.context import Analysis, build_index
from storykit.analysis.mentions import Index, Mention, paragraphs_of
from storykit.analysis.names import EntryRef

__all__ = ["Analysis", "EntryRef", "Index", "Mention", "build_index", "paragraphs_of"]
