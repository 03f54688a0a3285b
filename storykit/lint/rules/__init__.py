"""One module per lint rule, named after it; `storykit.lint.registry.all_rules` lists them in order."""
