"""storykit: a story bible as code — load, lint, compile and compare a writers' room's bible."""

__version__ = "0.1.0"
