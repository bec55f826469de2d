"""Rendering: diagrams (Graphviz), CMO tables, statements, Mermaid, notebooks, the explorer.

The parts are kept apart, as in the ``graphviz`` package's own design:
:mod:`cimo.render.dot` builds DOT text (pure, no Graphviz needed),
:mod:`cimo.render.style` holds the frozen :class:`Style`, and
:mod:`cimo.render.backend` is the only module that runs Graphviz.

>>> import cimo
>>> from cimo.render import statements
>>> theory = cimo.load_example("work-focused-group-cbt")
>>> print(statements(theory).items[0])
three-levels (Figure 3): IF employees with moderate-severe recurrent depression, WITH ...
"""

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
from cimo.render.mermaid import mermaid
from cimo.render.style import DEFAULT_STYLE, GREYSCALE_STYLE, STYLES, Style
from cimo.render.text import TableFormat, cmo_table, statement, statements

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
    "cmo_table",
    "engine_for",
    "explorer",
    "focus_ids",
    "mermaid",
    "rule_card",
    "rule_cards",
    "statement",
    "statements",
    "taxonomy_tree",
    "theory_map",
]
