"""The incremental build's memory: for each output, the key of the inputs it was made from and
the hash of what was written, kept in build/.storykit-manifest.json.

An output is rebuilt when its key changed, or when the file on disk is missing or is not what
storykit wrote. The manifest holds no times and no machine paths, so two builds of the same
input leave byte-identical folders.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = ".storykit-manifest.json"
FORMAT = 1

# The only names a build writes (and so the only ones it may ever delete): a manifest from a
# foreign or tampered folder cannot make storykit remove anything else.
OUTPUT_NAME = re.compile(
    r"^(?:index\.html|bible\.html|series-bible\.pdf|comparison\.(?:html|pdf|json)"
    r"|(?:outlines|beats|treatments|scripts)/[a-z0-9][a-z0-9-]{0,99}\.(?:html|md|csv|pdf))$"
)


def digest(*parts: str | bytes) -> str:
    """A sha256 over parts, each length-prefixed so that ('ab', 'c') != ('a', 'bc')."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class Record:
    key: str
    sha256: str


@dataclass
class Manifest:
    version: str
    outputs: dict[str, Record] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path, version: str) -> Manifest:
        """The manifest in `folder`; an empty one if it is missing, unreadable, foreign, a folder
        or nested too deep to parse (the build then rebuilds everything)."""
        try:
            data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("storykit") != version:
                return cls(version)
            outputs = {
                name: Record(str(entry["key"]), str(entry["sha256"]))
                for name, entry in data["outputs"].items()
                if OUTPUT_NAME.match(name)
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return cls(version)  # RecursionError: JSON nested deeper than the parser recurses
        return cls(version, outputs)

    def is_fresh(self, name: str, key: str, folder: Path) -> bool:
        record = self.outputs.get(name)
        return (
            record is not None and record.key == key and file_digest(folder / name) == record.sha256
        )

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "storykit": self.version,
            "outputs": {
                name: {"key": record.key, "sha256": record.sha256}
                for name, record in sorted(self.outputs.items())
            },
        }
        return json.dumps(data, indent=1, sort_keys=True) + "\n"
