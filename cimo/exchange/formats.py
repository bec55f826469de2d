"""The exchange formats bound to their readers and writers: one entry point per direction.

The names, suffixes and descriptions of the formats come from the format
table, :data:`cimo.core.formats.FORMATS` (``cimo export --help`` lists
them); ``docs/interop.md`` lists what each format keeps and loses and which
real consumer reads it in the tests.

>>> import cimo
>>> from cimo.exchange import export_text, import_text
>>> theory = cimo.load_example("pwp-resilience")
>>> text = export_text(theory, format="nodelink")
>>> import_text(text, format="nodelink") == theory
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from cimo._files import read_file_bytes
from cimo._util import atomic_write, slug
from cimo.core.formats import (
    ExportFormat,
    ImportFormat,
    format_for_suffix,
    names,
    select,
    verify_format,
)
from cimo.errors import FileFormatError, UsageError
from cimo.exchange.causalmap import from_causal_map, to_causal_map
from cimo.exchange.cytoscape import from_cytoscape, to_cytoscape
from cimo.exchange.dagitty import to_dagitty
from cimo.exchange.drawio import to_drawio
from cimo.exchange.kumu import from_kumu, kumu_view, to_kumu
from cimo.exchange.networks import (
    from_graphml,
    from_node_link,
    to_gexf,
    to_graphml,
    to_graphology,
    to_node_link,
)
from cimo.exchange.qdc import from_qdc, to_qdc
from cimo.model import Theory

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ExportFormat",
    "ImportFormat",
    "export_text",
    "import_text",
    "read",
    "write",
]

#: Export formats and the usual file extension of each.
EXPORT_FORMATS: Mapping[str, str] = MappingProxyType(
    {f.name: f.suffix for f in select(kind="exchange", writable=True)}
)
#: Import formats and the usual file extension of each.
IMPORT_FORMATS: Mapping[str, str] = MappingProxyType(
    {f.name: f.suffix for f in select(kind="exchange", readable=True)}
)
_WRITERS: Mapping[str, Callable[[Theory], str]] = {
    "graphml": to_graphml,
    "gexf": to_gexf,
    "nodelink": to_node_link,
    "graphology": to_graphology,
    "cytoscape": to_cytoscape,
    "kumu": to_kumu,
    "kumu-view": kumu_view,
    "qdc": to_qdc,
    "causalmap": to_causal_map,
    "drawio": to_drawio,
}
_READERS: Mapping[str, Callable[[str | bytes], Theory]] = {
    "graphml": from_graphml,
    "nodelink": from_node_link,
    "graphology": from_node_link,
    "cytoscape": from_cytoscape,
}
_UNNAMED_READERS: Mapping[str, Callable[..., Theory]] = {
    "kumu": from_kumu,
    "qdc": from_qdc,
    "causalmap": from_causal_map,
}
#: Formats that carry no theory id or title: the reader takes them as arguments.
_UNNAMED = frozenset(_UNNAMED_READERS)


def export_text(
    theory: Theory,
    *,
    format: ExportFormat | str,
    drop_feedback: bool = False,
    exposure: str | Sequence[str] | None = None,
    outcome: str | Sequence[str] | None = None,
    layout: bool = True,
) -> str:
    """The theory in an exchange format, as text.

    Args:
        theory: The theory.
        format: One of :data:`EXPORT_FORMATS`.
        drop_feedback: For ``dagitty``: drop the edges that close cycles instead of refusing.
        exposure: For ``dagitty``: the exposure (ids); default every connected intervention.
        outcome: For ``dagitty``: the outcome (ids); default every connected outcome.
        layout: For ``dagitty``: place the variables as Graphviz lays them out.

    Raises:
        UsageError: for an unknown format, an option given for a format that takes
            none, or a DAGitty export that cannot be made (a cycle, an unknown exposure).

    >>> import cimo
    >>> print(export_text(cimo.Theory(id="t", title="T"), format="dagitty"), end="")
    dag {
    }
    """
    verify_format(format, kind="exchange", writable=True, action="export to")
    if format == "dagitty":
        return to_dagitty(
            theory,
            exposure=exposure,
            outcome=outcome,
            drop_feedback=drop_feedback,
            layout=layout,
        )
    if drop_feedback or exposure is not None or outcome is not None:
        raise UsageError(
            f"drop_feedback, exposure and outcome are options of the dagitty export, not {format}"
        )
    return _WRITERS[format](theory)


def import_text(
    text: str | bytes,
    *,
    format: ImportFormat | str,
    id: str | None = None,
    title: str | None = None,
) -> Theory:
    """Read a theory from text in an exchange format.

    Args:
        text: The text.
        format: One of :data:`IMPORT_FORMATS`.
        id: For ``kumu``, ``qdc`` and ``causalmap``, which carry none: the theory's id.
        title: For ``kumu``, ``qdc`` and ``causalmap``: its title.

    Raises:
        UsageError: for an unknown format.
        FileFormatError: if the text is not in that format (the message says why).
        InvalidTheoryError: if the theory does not hold together.

    >>> import_text('{"elements": []}', format="kumu", id="empty").id
    'empty'
    """
    verify_format(format, kind="exchange", readable=True, action="import from")
    if format in _READERS:
        return _READERS[format](text)
    given = {k: v for k, v in (("id", id), ("title", title)) if v is not None}
    return _UNNAMED_READERS[format](text, **given)


def _pick(path: Path, format: str | None, *, readable: bool) -> str:
    """The format given, or the one the suffix of ``path`` implies."""
    if format is not None:
        return format
    pool = select(
        kind="exchange", readable=True if readable else None, writable=None if readable else True
    )
    found = format_for_suffix(path, kind="exchange", among=pool)
    if found is None:
        raise UsageError(
            f"{path}: cannot tell the exchange format from the suffix "
            f"{path.suffix or '(none)'!r}; pass format= (one of {', '.join(names(pool))})"
        )
    return found.name


def write(
    theory: Theory,
    path: str | os.PathLike[str],
    *,
    format: ExportFormat | str | None = None,
    drop_feedback: bool = False,
    exposure: str | Sequence[str] | None = None,
    outcome: str | Sequence[str] | None = None,
    layout: bool = True,
) -> Path:
    """Write the theory to a file in an exchange format, atomically (never half-written).

    Args:
        theory: The theory.
        path: The file.
        format: One of :data:`EXPORT_FORMATS`; by default, the one the suffix implies
            (``.json`` is both ``nodelink`` and ``kumu``: name it).
        drop_feedback: For ``dagitty``: drop the edges that close cycles instead of refusing.
        exposure: For ``dagitty``: the exposure (see :func:`export_text`).
        outcome: For ``dagitty``: the outcome.
        layout: For ``dagitty``: place the variables as Graphviz lays them out.

    Raises:
        UsageError: for an unknown format, or a DAGitty export that cannot be made.
        OutputError: if the file cannot be written.

    >>> import cimo, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write(cimo.load_example("pwp-resilience"), folder / "pwp.graphml").name
    'pwp.graphml'
    """
    fmt = _pick(Path(path), format, readable=False)
    text = export_text(
        theory,
        format=fmt,
        drop_feedback=drop_feedback,
        exposure=exposure,
        outcome=outcome,
        layout=layout,
    )
    return atomic_write(path, text)


def read(
    path: str | os.PathLike[str],
    *,
    format: ImportFormat | str | None = None,
    id: str | None = None,
    title: str | None = None,
) -> Theory:
    """Read a theory from a file in an exchange format.

    For ``kumu``, ``qdc`` and ``causalmap``, the theory's id defaults to one made from the
    file name, and its title to the file name.

    Args:
        path: The file.
        format: One of :data:`IMPORT_FORMATS`; by default, the one the suffix implies.
        id: For ``kumu`` and ``qdc``: the theory's id.
        title: For ``kumu`` and ``qdc``: its title.

    Raises:
        UsageError: for an unknown format.
        FileFormatError: if the file cannot be read or is not in that format.
        InvalidTheoryError: if the theory does not hold together.

    >>> import cimo, tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "my map.qdc"
    >>> _ = write(cimo.load_example("pwp-resilience"), file)
    >>> theory = read(file)
    >>> theory.id, theory.title
    ('my-map', 'my map')
    """
    file = Path(path)
    fmt = _pick(file, format, readable=True)
    verify_format(fmt, kind="exchange", readable=True, action="import from")
    data = read_file_bytes(file)
    if fmt in _UNNAMED:
        id = id or slug(file.stem, fallback="imported")
        title = title or file.stem
    try:
        return import_text(data, format=fmt, id=id, title=title)
    except FileFormatError as err:
        raise FileFormatError(
            err.message, file=str(file), line=err.line, column=err.column
        ) from None
