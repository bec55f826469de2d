"""The repository's YAML files and YAML punctuation, for tests that walk or stitch YAML."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Every YAML file of the repository's data, examples and docs.
YAML_FILES = sorted(
    p
    for pattern in ("*.yaml", "*.yml")
    for folder in ("tests/data", "cimo/examples", "examples", "docs")
    for p in (ROOT / folder).rglob(pattern)
)

#: Pieces of YAML syntax that stitched texts are made of (see the stitched-text properties).
YAML_PIECES = [
    ": ",
    "\n",
    "\n  ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "? ",
    "&a ",
    "*a",
    "!!int ",
    "|\n  ",
    "---\n",
    "# c\n",
]
