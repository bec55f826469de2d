"""What each bundled example states and what its encoder inferred, as Markdown for the docs.

``docs/examples.md`` holds one generated block per example, between
``<!-- stated-inferred:NAME -->`` and ``<!-- /stated-inferred -->``; a test
keeps the blocks in sync with the examples. Regenerate them with::

    python -m cimo.examples._docs docs/examples.md

>>> import cimo
>>> text = stated_and_inferred(cimo.load_example("pwp-resilience"))
>>> "| `reaffirmed-purpose-guides-appraisal` |" in text
True
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from cimo._util import atomic_write
from cimo.model import Rule, Theory

__all__ = ["stated_and_inferred", "sync_docs"]

_SLOTS = (
    ("if", "contexts"),
    ("with", "interventions"),
    ("because", "mechanisms"),
    ("then", "outcomes"),
    ("reduces", "reduces"),
    ("unless", "unless"),
)
_BLOCK = re.compile(
    r"(<!-- stated-inferred:(?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)(<!-- /stated-inferred -->)",
    re.DOTALL,
)


def _parts(rule: Rule) -> tuple[list[str], list[str], list[str]]:
    stated: list[str] = []
    inferred: list[str] = []
    for key, attr in _SLOTS:
        if getattr(rule, attr):
            (inferred if key in rule.inferred else stated).append(key)
    missing = [str(p) for p in rule.missing_parts]
    return stated, inferred, missing


def _cell(words: list[str]) -> str:
    return ", ".join(f"`{w}`" for w in words) or "—"


def stated_and_inferred(theory: Theory) -> str:
    """A Markdown account of one theory: per rule, the parts stated, inferred and missing.

    Then the elements and themes with inferred fields, and the relations the
    encoder added (``stated: false``).
    """
    lines = [
        "| rule | printed as | status | stated | inferred | missing in the source |",
        "|---|---|---|---|---|---|",
    ]
    for rule in theory.rules:
        stated, inferred, missing = _parts(rule)
        label = rule.source_label or "(unnumbered)"
        lines.append(
            f"| `{rule.id}` | {label} | {rule.status} | {_cell(stated)} | "
            f"{_cell(inferred)} | {_cell(missing)} |"
        )
    marked: list[tuple[str, str, tuple[str, ...]]] = [
        (n.kind, n.id, n.inferred) for n in theory.nodes if n.inferred
    ]
    marked += [("theme", t.id, t.inferred) for t in theory.themes if t.inferred]
    if marked:
        lines += ["", "Inferred fields of elements and themes:", ""]
        lines += [f"* {kind} `{ident}`: {_cell(list(fields))}" for kind, ident, fields in marked]
    unstated = [r for r in theory.relations if not r.stated]
    if unstated:
        lines += ["", "Relations the encoder adds (drawn dashed grey):", ""]
        lines += [f"* `{r.from_}` {r.type} `{r.to}`" for r in unstated]
    return "\n".join(lines) + "\n"


def sync_docs(path: Path, *, check: bool = False) -> bool:
    """Rewrite (or, with ``check``, only compare) the generated blocks of ``path``.

    Returns:
        True when the file already held the current blocks.
    """
    from cimo.examples import load_example

    text = path.read_text(encoding="utf-8")

    def block(match: re.Match[str]) -> str:
        body = stated_and_inferred(load_example(match["name"]))
        return f"{match[1]}\n{body}\n{match[4]}"

    new = _BLOCK.sub(block, text)
    if new != text and not check:
        atomic_write(path, new)
    return new == text


if __name__ == "__main__":  # pragma: no cover - the docs maintainers' command
    sync_docs(Path(sys.argv[1]))
