"""`storykit lsp`: a language server over stdio for a project's outlines, bible and scripts.

The server (`server.py`) speaks the protocol through pygls; everything it knows about the story
comes from one adapter, `analysis.py`, which loads the project with the editor's unsaved texts,
lints it and answers questions about names. The features are pure functions of that snapshot:
`diagnostics.py`, `navigation.py` (hover, definition, references, completion, symbols) and
`edits.py` (rename, code actions). pygls is imported by the server only; `storykit lint` never
imports this package.
"""
