"""Notebook display: a theory shows a readable summary in Jupyter.

:class:`cimo.Theory` delegates its ``_repr_markdown_`` here, so evaluating a
theory in a notebook cell shows its title, counts, themes and the first
if-then-because statements. Diagrams show themselves as SVG
(:class:`cimo.render.Diagram`).

>>> import cimo
>>> text = theory_markdown(cimo.load_example("work-focused-group-cbt"))
>>> print(text.splitlines()[0])
### Work-focused Relational Group CBT for moderate-severe recurrent depression
>>> "| rules | 8 |" in text
True
"""

from __future__ import annotations

from cimo.model import Theory
from cimo.render.text import statements
from cimo.summary import summary

__all__ = ["theory_markdown"]


def _md(text: str) -> str:
    """Escape the characters Markdown would read as markup."""
    return "".join("\\" + c if c in "\\`*_[]<>|#" else c for c in text).replace("\n", " ")


def theory_markdown(theory: Theory, *, max_statements: int = 5) -> str:
    """A Markdown summary of a theory: title, counts, themes and the first statements.

    Args:
        theory: The theory.
        max_statements: How many if-then-because statements to show.
    """
    s = summary(theory)
    lines = [
        f"### {_md(theory.title)}",
        "",
        f"`{theory.id}`"
        + (f", iteration {theory.iteration}" if theory.iteration is not None else ""),
        "",
    ]
    if theory.description:
        lines += [_md(theory.description), ""]
    counts = s._repr_markdown_()  # the summary's own counts table, after its heading
    lines += counts[counts.index("| | count |") :].rstrip("\n").split("\n")
    lines.append("")
    if s.themes:
        lines += ["**Themes:** " + "; ".join(_md(t) for t in s.themes), ""]
    items = statements(theory).items
    if items:
        lines.append("**If-then-because statements:**")
        lines.append("")
        for i, st in enumerate(items[:max_statements], 1):
            lines.append(f"{i}. {_md(st.text)}")
            lines += [f"   - {_md(note)}" for note in st.notes]  # its annotations
        if len(items) > max_statements:
            lines.append(f"\n... and {len(items) - max_statements} more (`cimo.render.statements`)")
    return "\n".join(lines) + "\n"
