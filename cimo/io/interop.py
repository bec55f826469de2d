"""Exports to, and imports from, the tools users already have: one entry point per direction.

=============  ===========================================  ======  ======
format         for                                          export  import
=============  ===========================================  ======  ======
``graphml``    Gephi, yEd, Cytoscape, networkx              yes     yes
``gexf``       Gephi                                        yes     no
``nodelink``   networkx node-link JSON (D3 and others)      yes     yes
``kumu``       Kumu JSON blueprint (systems maps)           yes     yes
``dagitty``    DAGitty, DoWhy, pgmpy (causal diagram)       yes     no
``qdc``        REFI-QDA codebook: NVivo, ATLAS.ti, MAXQDA   yes     yes
=============  ===========================================  ======  ======

``docs/interop.md`` lists what each format keeps and loses.

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> text = cimo.io.export_text(theory, "nodelink")
>>> cimo.io.import_text(text, "nodelink") == theory
True
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal, TypeAlias

from cimo._util import did_you_mean
from cimo.errors import FileFormatError, UsageError
from cimo.io._atomic import atomic_write
from cimo.io.dagitty import to_dagitty
from cimo.io.kumu import from_kumu, to_kumu
from cimo.io.networks import from_graphml, from_node_link, to_gexf, to_graphml, to_node_link
from cimo.io.qdc import from_qdc, to_qdc
from cimo.model import Theory

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ExportFormat",
    "ImportFormat",
    "export_text",
    "export_theory",
    "import_text",
    "import_theory",
]

ExportFormat: TypeAlias = Literal["graphml", "gexf", "nodelink", "kumu", "dagitty", "qdc"]
ImportFormat: TypeAlias = Literal["graphml", "nodelink", "kumu", "qdc"]

#: Export formats and the usual file extension of each.
EXPORT_FORMATS: Mapping[str, str] = {
    "graphml": ".graphml",
    "gexf": ".gexf",
    "nodelink": ".json",
    "kumu": ".json",
    "dagitty": ".dagitty",
    "qdc": ".qdc",
}
#: Import formats and the usual file extension of each.
IMPORT_FORMATS: Mapping[str, str] = {
    k: v for k, v in EXPORT_FORMATS.items() if k in ("graphml", "nodelink", "kumu", "qdc")
}
_EXPORTERS: Mapping[str, Callable[[Theory], str]] = {
    "graphml": to_graphml,
    "gexf": to_gexf,
    "nodelink": to_node_link,
    "kumu": to_kumu,
    "qdc": to_qdc,
}


def _check(format: str, known: Mapping[str, str], verb: str) -> None:
    if format not in known:
        raise UsageError(
            f"cannot {verb} {format!r}{did_you_mean(format, known)}; formats: {', '.join(known)}"
        )


def export_text(theory: Theory, format: ExportFormat | str, *, drop_feedback: bool = False) -> str:
    """The theory in an exchange format, as text.

    Args:
        theory: The theory.
        format: One of :data:`EXPORT_FORMATS`.
        drop_feedback: For ``dagitty``: drop the edges that close cycles instead of refusing.

    Raises:
        UsageError: for an unknown format, or a cyclic theory exported to DAGitty.
    """
    _check(format, EXPORT_FORMATS, "export to")
    if format == "dagitty":
        return to_dagitty(theory, drop_feedback=drop_feedback)
    return _EXPORTERS[format](theory)


def export_theory(
    theory: Theory,
    path: str | os.PathLike[str],
    *,
    format: ExportFormat | str,
    drop_feedback: bool = False,
) -> Path:
    """Write the theory to a file in an exchange format, atomically (never half-written).

    Raises:
        UsageError: for an unknown format, or a cyclic theory exported to DAGitty.
        OutputError: if the file cannot be written.
    """
    return atomic_write(path, export_text(theory, format, drop_feedback=drop_feedback))


def import_text(
    text: str | bytes,
    format: ImportFormat | str,
    *,
    id: str | None = None,
    title: str | None = None,
) -> Theory:
    """Read a theory from text in an exchange format.

    Args:
        text: The text.
        format: One of :data:`IMPORT_FORMATS`.
        id: For ``kumu`` and ``qdc``, which carry none: the theory's id.
        title: For ``kumu`` and ``qdc``: its title.

    Raises:
        UsageError: for an unknown format.
        FileFormatError: if the text is not in that format (the message says why).
        InvalidTheoryError: if the theory does not hold together.
    """
    _check(format, IMPORT_FORMATS, "import from")
    if format == "graphml":
        return from_graphml(text.decode() if isinstance(text, bytes) else text)
    if format == "nodelink":
        return from_node_link(text)
    names = {k: v for k, v in (("id", id), ("title", title)) if v is not None}
    if format == "kumu":
        return from_kumu(text, **names)
    return from_qdc(text, **names)


def import_theory(
    path: str | os.PathLike[str],
    *,
    format: ImportFormat | str,
    id: str | None = None,
    title: str | None = None,
) -> Theory:
    """Read a theory from a file in an exchange format.

    For ``kumu`` and ``qdc``, the theory's id defaults to one made from the
    file name, and its title to the file name.

    Raises:
        UsageError: for an unknown format.
        FileFormatError: if the file cannot be read or is not in that format.
        InvalidTheoryError: if the theory does not hold together.
    """
    _check(format, IMPORT_FORMATS, "import from")
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as err:
        raise FileFormatError(f"cannot read the file: {err.strerror}", file=str(file)) from None
    if format in ("kumu", "qdc"):
        stem = re.sub(r"[^A-Za-z0-9_.\-]+", "-", file.stem).strip("-_.") or "imported"
        id = id or stem[:120]
        title = title or file.stem
    try:
        return import_text(data, format, id=id, title=title)
    except FileFormatError as err:
        raise FileFormatError(
            err.message, file=str(file), line=err.line, column=err.column
        ) from None
