"""Small helpers shared by the rendering modules."""

from __future__ import annotations

from typing import Literal, TypeAlias

__all__ = ["Html", "Markdown", "State"]

#: How a highlight shows an element or rule: as usual, picked out, greyed, or blocked.
State: TypeAlias = Literal["plain", "on", "off", "blocked"]


class Html(str):
    """HTML text that a notebook displays as HTML (it is a ``str`` in every other way).

    >>> table = Html("<table><tr><td>C1</td></tr></table>")
    >>> table._repr_html_() == table, isinstance(table, str)
    (True, True)
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


class Markdown(str):
    """Markdown text that a notebook displays rendered (it is a ``str`` in every other way).

    >>> Markdown("**C1**")._repr_markdown_()
    '**C1**'
    """

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return str(self)
