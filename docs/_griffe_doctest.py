"""Griffe extension for the API pages: show doctest blocks in docstrings as code.

cimo's docstrings carry runnable ``>>>`` examples (pytest runs them). Left
bare, Markdown would read their output (``['a', 'b']``) as link references;
this wraps each block in a ``pycon`` fence when the docs are built.
"""

from __future__ import annotations

from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    """Wrap every ``>>>`` block (up to the next blank line) in a pycon code fence."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        after_break = not out or not out[-1].strip() or out[-1].strip().endswith(":")
        if stripped.startswith(">>>") and after_break:
            indent = line[: len(line) - len(stripped)]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            if out and out[-1].strip():
                out.append("")
            out.extend([f"{indent}```pycon", *block, f"{indent}```"])
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence doctest blocks in every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
