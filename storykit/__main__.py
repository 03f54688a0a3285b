"""Allow `python -m storykit`."""

from storykit.cli import main

main()
