"""Exports to the writer's other tools: Fountain (Highland, Beat, afterwriting, Fade In) and Final
Draft's FDX. Each is a pure function from the loaded project and one outline to text:
`storykit.export.fountain.to_fountain` and `storykit.export.fdx.to_fdx`."""
