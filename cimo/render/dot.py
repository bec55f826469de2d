r"""A pure DOT-text builder with its own quoting: no Graphviz needed to write DOT.

Two kinds of label text reach Graphviz here, and each has its own quoting:

* **quoted strings** (ids, colours, styles) go through :func:`quote`, which
  escapes backslashes and double quotes, so ``:`` and ``"`` in a name can
  never break the file (a classic bug of other DOT writers);
* **labels** are always HTML-like labels, built by :func:`html_text` and
  :func:`html_lines`: ``&``, ``<``, ``>`` and ``"`` become entities, a
  backslash is doubled (Graphviz would read ``\N`` or ``\G`` in any label as
  the node or graph name), a newline becomes ``<BR/>``, so braces, colons
  and every script come out exactly as written.

SVG (XML) cannot hold most control characters, and Graphviz drops them and
tabs, so :func:`printable` shows control characters as their Unicode
"control pictures" (U+0001 as ``␁``) and a tab as a space; that is the one
change a label goes through.

>>> print(quote('say "hi": C:\\temp'))
"say \"hi\": C:\\temp"
>>> html_text('A & B <x> "y" {z} \\N :')
'A &amp; B &lt;x&gt; &quot;y&quot; {z} \\\\N :'
>>> g = DotGraph("theory")
>>> g.node("c1", label=Html(html_text("Peer support: \"trust\"")), shape="box")
>>> g.edge("c1", "m1", style="dashed")
>>> print(g.source())
digraph "theory" {
  "c1" [label=<Peer support: &quot;trust&quot;>, shape="box"]
  "c1" -> "m1" [style="dashed"]
}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

__all__ = [
    "DotGraph",
    "Html",
    "attr_list",
    "html_lines",
    "html_text",
    "printable",
    "quote",
    "tooltip",
    "wrap",
]

# Characters XML 1.0 cannot hold (all C0 controls but tab and newline, and the
# two non-characters U+FFFE/U+FFFF): shown as visible stand-ins instead.
_UNPRINTABLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (9, 10)}
_UNPRINTABLE[9] = " "  # Graphviz drops tabs from labels: show one as a space
_UNPRINTABLE[0xFFFE] = "\ufffd"
_UNPRINTABLE[0xFFFF] = "\ufffd"
# Backslashes are doubled: Graphviz expands \N, \G, \E, \T, \H and \L even in HTML-like
# labels (after decoding entities, so &#92; would not do), and reads \\ as one backslash.
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\\": "\\\\"})


class Html(str):
    """Text that is already HTML-like label markup: written between ``<`` and ``>``."""

    __slots__ = ()


def printable(text: str) -> str:
    r"""``text`` with the characters SVG cannot hold replaced by visible stand-ins.

    A Windows (``\r\n``) or old Mac (``\r``) line break becomes a newline;
    other control characters (except newline) become their Unicode control
    pictures, a tab becomes a space, and U+FFFE/U+FFFF become U+FFFD;
    everything else is unchanged.

    >>> printable("a\x01b\r\nc\rd")
    'a␁b\nc\nd'
    >>> printable("Ünïcödé 日本語 😀")
    'Ünïcödé 日本語 😀'
    """
    return newlines(text).translate(_UNPRINTABLE)


def newlines(text: str) -> str:
    r"""``text`` with Windows (``\r\n``) and old Mac (``\r``) line breaks as ``\n``.

    >>> newlines("a\r\nb\rc")
    'a\nb\nc'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def tooltip(text: str) -> str:
    r"""Text for a ``tooltip`` attribute (before :func:`quote`), so the SVG shows it as written.

    Graphviz unescapes a tooltip twice and decodes entities in it, so
    backslashes are doubled here (and again by :func:`quote`) and ``&``
    becomes ``&amp;``.

    >>> tooltip("C:\\temp & co")
    'C:\\\\temp &amp; co'
    """
    return printable(text).replace("\\", "\\\\").replace("&", "&amp;")


def quote(text: str) -> str:
    r"""A DOT double-quoted string that reads back as exactly ``text``.

    Graphviz refuses a quoted string over 16,384 characters, so a longer text
    is written as several quoted strings joined with DOT's ``+``.

    >>> quote("lane:C")
    '"lane:C"'
    >>> quote('a"b\\')
    '"a\\"b\\\\"'
    >>> quote("x" * 5000 + "y" * 5000).count('" + "')
    1
    """
    if len(text) <= _CHUNK:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return " + ".join(quote(text[i : i + _CHUNK]) for i in range(0, len(text), _CHUNK))


# Characters per quoted string: escaped, each may double; Graphviz's limit is 16,384.
_CHUNK = 8000


def html_text(text: str) -> str:
    r"""Escape plain text for an HTML-like label; a newline becomes a line break.

    >>> html_text("if <x> & y\nthen z")
    'if &lt;x&gt; &amp; y<BR/>then z'
    """
    return printable(text).translate(_HTML).replace("\n", "<BR/>")


def wrap(text: str, width: int) -> tuple[str, ...]:
    r"""Break ``text`` into lines of at most ``width`` characters, at single spaces.

    Each break consumes exactly one space (or one line break, ``\n``,
    ``\r\n`` or ``\r``, which always breaks), so ``" ".join`` of the lines of
    a text without line breaks gives it back unchanged. A word longer than
    ``width`` keeps a line of its own.

    >>> wrap("Employees with moderate-severe recurrent depression", 20)
    ('Employees with', 'moderate-severe', 'recurrent depression')
    >>> " ".join(wrap("a  b   c", 3)) == "a  b   c"
    True
    >>> wrap("one\ntwo", 40)
    ('one', 'two')
    """
    lines: list[str] = []
    for paragraph in newlines(text).split("\n"):
        current: str | None = None
        for word in paragraph.split(" "):
            if current is None:
                current = word
            elif len(current) + 1 + len(word) <= width or not current.strip(" "):
                current = f"{current} {word}"
            else:
                lines.append(current)
                current = word
        lines.append(current or "")
    return tuple(lines)


def html_lines(
    text: str, width: int, *, align: str = "CENTER", max_lines: int | None = None
) -> str:
    """Wrap ``text`` (:func:`wrap`) and escape each line, joined by line breaks.

    With ``max_lines``, a longer text is cut to that many lines, each at most
    twice ``width`` characters, the cut marked with ``…`` (:func:`elide`).

    >>> html_lines("Relate & retain", 8)
    'Relate &amp;<BR ALIGN="CENTER"/>retain'
    >>> html_lines("one two three four", 5, max_lines=2)
    'one<BR ALIGN="CENTER"/>two…'
    """
    lines = wrap(text, width)
    if max_lines is not None:
        lines = elide(lines, width, max_lines)
    return f'<BR ALIGN="{align}"/>'.join(html_text(line) for line in lines)


def elide(lines: tuple[str, ...], width: int, max_lines: int) -> tuple[str, ...]:
    """At most ``max_lines`` lines of at most ``2 * width`` characters; a cut ends in ``…``.

    >>> elide(("a" * 10, "b"), 3, 1)
    ('aaaaa…',)
    """
    longest = 2 * width
    cut = [line if len(line) <= longest else line[: longest - 1] + "…" for line in lines]
    if len(cut) > max_lines:
        cut = cut[:max_lines]
        cut[-1] = cut[-1].rstrip("…") + "…"
    return tuple(cut)


def is_elided(text: str, width: int, max_lines: int) -> bool:
    """Whether :func:`html_lines` with ``max_lines`` would cut ``text``.

    >>> is_elided("short", 10, 3), is_elided("x" * 100, 10, 3)
    (False, True)
    """
    lines = wrap(text, width)
    return len(lines) > max_lines or any(len(line) > 2 * width for line in lines)


def attr_list(attrs: Mapping[str, str | Html | None]) -> str:
    """``[key=value, ...]`` for DOT; ``None`` values are left out, :class:`Html` kept as markup.

    >>> attr_list({"label": Html("<B>x</B>"), "color": "red", "tooltip": None})
    '[label=<<B>x</B>>, color="red"]'
    """
    parts = [
        f"{key}=<{value}>" if isinstance(value, Html) else f"{key}={quote(value)}"
        for key, value in attrs.items()
        if value is not None
    ]
    return "[" + ", ".join(parts) + "]" if parts else ""


class DotGraph:
    """A directed graph written as DOT text, line by line.

    Only text is built here; :mod:`cimo.render.backend` hands it to Graphviz.

    Args:
        name: The graph's name.
        graph: Graph attributes.
        node: Default node attributes.
        edge: Default edge attributes.
    """

    def __init__(
        self,
        name: str,
        *,
        graph: Mapping[str, str | Html | None] | None = None,
        node: Mapping[str, str | Html | None] | None = None,
        edge: Mapping[str, str | Html | None] | None = None,
    ) -> None:
        self._lines: list[str] = [f"digraph {quote(name)} {{"]
        self._indent = 1
        self.nodes = 0
        self.edges = 0
        for word, attrs in (("graph", graph), ("node", node), ("edge", edge)):
            if attrs:
                self._add(f"{word} {attr_list(attrs)}")

    def _add(self, line: str) -> None:
        self._lines.append("  " * self._indent + line)

    def node(self, id: str, **attrs: str | Html | None) -> None:
        """Add a node with attributes."""
        self.nodes += 1
        self._add(f"{quote(id)} {attr_list(attrs)}".rstrip())

    def aside(self, id: str, **attrs: str | Html | None) -> None:
        """Add a node outside the picture's content (a header, a legend); not counted."""
        self._add(f"{quote(id)} {attr_list(attrs)}".rstrip())

    def edge(self, tail: str, head: str, **attrs: str | Html | None) -> None:
        """Add an edge with attributes."""
        self.edges += 1
        self._add(f"{quote(tail)} -> {quote(head)} {attr_list(attrs)}".rstrip())

    def place(self, id: str) -> None:
        """Name a node already added (e.g. inside a ``rank=same`` subgraph); not counted again."""
        self._add(quote(id))

    def order(self, tail: str, head: str) -> None:
        """An invisible edge that only keeps ``tail`` before ``head`` in the layout; not counted."""
        self._add(f'{quote(tail)} -> {quote(head)} [style="invis"]')

    def attrs(self, **attrs: str | Html | None) -> None:
        """Set attributes of the current graph or subgraph."""
        for key, value in attrs.items():
            if value is not None:
                self._add(f"{key}={f'<{value}>' if isinstance(value, Html) else quote(value)}")

    @contextmanager
    def subgraph(self, name: str, **attrs: str | Html | None) -> Iterator[DotGraph]:
        """A subgraph (a cluster when ``name`` starts with ``cluster``) of what is added inside.

        >>> g = DotGraph("g")
        >>> with g.subgraph("lane_context", rank="same"):
        ...     g.node("a")
        >>> print(g.source())
        digraph "g" {
          subgraph "lane_context" {
            rank="same"
            "a"
          }
        }
        """
        self._add(f"subgraph {quote(name)} {{")
        self._indent += 1
        self.attrs(**attrs)
        try:
            yield self
        finally:
            self._indent -= 1
            self._add("}")

    def source(self) -> str:
        """The DOT text."""
        return "\n".join([*self._lines, "}"]) + "\n"
