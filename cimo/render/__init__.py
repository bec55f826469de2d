"""Rendering: diagrams (Graphviz), CMO tables, statements, Mermaid, notebooks, the explorer.

The parts are kept apart, as in the ``graphviz`` package's own design:
:mod:`cimo.render.dot` builds DOT text (pure, no Graphviz needed),
:mod:`cimo.render.style` holds the frozen :class:`Style`, and
:mod:`cimo.render.backend` is the only module that runs Graphviz.

>>> import cimo
>>> from cimo.render import statements
>>> theory = cimo.load_example("work-focused-group-cbt")
>>> print(statements(theory).items[0])  # doctest: +ELLIPSIS
three-levels: [hypothesised] IF (inferred) Employees with moderate-severe ... WITH ...
"""

from typing import TYPE_CHECKING

from cimo._lazy import attach

# Imported on first use (PEP 562), so importing the package stays cheap.
if TYPE_CHECKING:
    from cimo.render._explorer import Explorer, explorer
    from cimo.render.backend import RenderError, engine_for
    from cimo.render.diagram import (
        Diagram,
        focus_ids,
        rule_card,
        rule_cards,
        taxonomy_tree,
        theory_map,
    )
    from cimo.render.dot import DotGraph
    from cimo.render.highlight import Highlight
    from cimo.render.mermaid import mermaid, mermaid_rules
    from cimo.render.style import DEFAULT_STYLE, GREYSCALE_STYLE, STYLES, Style
    from cimo.render.text import TableFormat, cmo_table, statement, statements
    from cimo.render.word import add_cmo_table, cmo_table_docx

if not TYPE_CHECKING:
    __getattr__, __dir__ = attach(
        __name__,
        submodules=(),
        names={
            "cimo.render._explorer": ["Explorer", "explorer"],
            "cimo.render.backend": ["RenderError", "engine_for"],
            "cimo.render.diagram": [
                "Diagram",
                "focus_ids",
                "rule_card",
                "rule_cards",
                "taxonomy_tree",
                "theory_map",
            ],
            "cimo.render.dot": ["DotGraph"],
            "cimo.render.highlight": ["Highlight"],
            "cimo.render.mermaid": ["mermaid", "mermaid_rules"],
            "cimo.render.style": ["DEFAULT_STYLE", "GREYSCALE_STYLE", "STYLES", "Style"],
            "cimo.render.text": ["TableFormat", "cmo_table", "statement", "statements"],
            "cimo.render.word": ["add_cmo_table", "cmo_table_docx"],
        },
    )

__all__ = [
    "DEFAULT_STYLE",
    "GREYSCALE_STYLE",
    "STYLES",
    "Diagram",
    "DotGraph",
    "Explorer",
    "Highlight",
    "RenderError",
    "Style",
    "TableFormat",
    "add_cmo_table",
    "cmo_table",
    "cmo_table_docx",
    "engine_for",
    "explorer",
    "focus_ids",
    "mermaid",
    "mermaid_rules",
    "rule_card",
    "rule_cards",
    "statement",
    "statements",
    "taxonomy_tree",
    "theory_map",
]
