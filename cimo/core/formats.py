"""Every file and output format cimo reads or writes, in one table (pure data).

Each :class:`FileFormat` row says what a format is (its ``kind``: a theory
file, an exchange format, a spreadsheet table, an image or text), what it
holds (its ``content``: a theory, a diagram, a CMO table or a report), the
file suffixes it goes by (the first is the usual one), a one-line
description, and whether cimo reads and writes it. The modules that read,
write or render a format bind their functions to these names; the command
line takes its choices from here. This module imports nothing from cimo but
the errors, so every layer can use it (as the ``graphviz`` package keeps its
formats in ``parameters/formats.py``).

Names are unique within a kind (``csv`` is both a spreadsheet ``table`` and a
``text`` rendering of the CMO table).

>>> [f.name for f in select(kind="exchange", readable=True)]
['graphml', 'nodelink', 'graphology', 'cytoscape', 'kumu', 'qdc', 'causalmap']
>>> format_for_suffix("theory.yml", kind="theory").name
'yaml'
>>> verify_format("kumu", kind="exchange").description
'Kumu JSON blueprint (systems maps)'
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal, TypeAlias

from cimo._util import did_you_mean
from cimo.errors import UsageError

__all__ = [
    "FORMATS",
    "AnswerFormat",
    "CmoTableFormat",
    "CmoTextFormat",
    "Content",
    "DiagramFormat",
    "ExportFormat",
    "FileFormat",
    "FormatKind",
    "GraphvizFormat",
    "ImageFormat",
    "ImportFormat",
    "RealistReportFormat",
    "ReferenceExportFormat",
    "ReferenceFormat",
    "ReportFormat",
    "ResultFormat",
    "SpreadsheetFormat",
    "TheoryFormat",
    "format_for_suffix",
    "names",
    "select",
    "spell_suffixes",
    "verify_format",
]

#: What a format is: a theory file, an exchange format for other tools, a
#: spreadsheet, an image made by Graphviz, plain text, or a document (a Word table,
#: or a report of text, tables and figures).
FormatKind: TypeAlias = Literal[
    "theory", "exchange", "table", "image", "text", "document", "references"
]
#: What a file in the format holds.
Content: TypeAlias = Literal[
    "theory", "diagram", "cmo-table", "report", "answer", "realist-report", "sources"
]

# The typed faces of the table below, for signatures and command-line choices
# (a test checks that each agrees with the rows it stands for).
#: Theory files (:func:`cimo.io.load`, :func:`cimo.io.dump`).
TheoryFormat: TypeAlias = Literal["yaml", "json"]
#: Exchange formats cimo writes.
ExportFormat: TypeAlias = Literal[
    "graphml",
    "gexf",
    "nodelink",
    "graphology",
    "cytoscape",
    "kumu",
    "kumu-view",
    "dagitty",
    "qdc",
    "causalmap",
    "drawio",
]
#: Exchange formats cimo reads (in the order ``cimo import --help`` lists them).
ImportFormat: TypeAlias = Literal[
    "kumu", "nodelink", "graphology", "cytoscape", "qdc", "graphml", "causalmap"
]
#: Spreadsheets holding a theory, one rule per row.
SpreadsheetFormat: TypeAlias = Literal["csv", "xlsx"]
#: Images Graphviz makes for cimo.
ImageFormat: TypeAlias = Literal["svg", "png", "pdf"]
#: Everything a diagram can be written as.
DiagramFormat: TypeAlias = Literal["svg", "png", "pdf", "dot", "mermaid"]
#: The diagram formats made from DOT text: the images and the DOT source (all but Mermaid).
GraphvizFormat: TypeAlias = Literal["svg", "png", "pdf", "dot"]
#: Text renderings of the CMO table.
CmoTableFormat: TypeAlias = Literal["md", "html", "csv", "latex", "docx"]
#: CMO tables as text (:func:`cimo.render.cmo_table`).
CmoTextFormat: TypeAlias = Literal["md", "html", "csv", "latex"]
#: Reports of ``cimo check``: every report format.
ReportFormat: TypeAlias = Literal["text", "json", "sarif"]
#: The realist report of ``cimo report`` (RAMESES II material).
RealistReportFormat: TypeAlias = Literal["md", "html", "docx"]
#: Reference managers' files: a theory's sources (:mod:`cimo.exchange.references`).
ReferenceFormat: TypeAlias = Literal["bibtex", "ris", "csl-json"]
#: The reference formats cimo writes (``cimo sources export``).
ReferenceExportFormat: TypeAlias = Literal["bibtex", "csl-json"]
#: Results of the other reporting commands (query, summary, statements): text or JSON.
ResultFormat: TypeAlias = Literal["text", "json"]
#: Answers of ``cimo query`` and ``cimo scenario``: text, JSON, or the Markdown a notebook shows.
AnswerFormat: TypeAlias = Literal["text", "json", "markdown"]


@dataclass(frozen=True, slots=True)
class FileFormat:
    """One format.

    Attributes:
        name: The name used in ``format=`` arguments and command-line choices.
        kind: What it is (theory file, exchange, table, image, text, document or
            reference file).
        content: What it holds (theory, diagram, CMO table, report or sources).
        suffixes: The file suffixes it goes by, lower case with the dot; the first is usual.
        description: One line, for help texts.
        readable: cimo reads it.
        writable: cimo writes it.
    """

    name: str
    kind: FormatKind
    content: Content
    suffixes: tuple[str, ...]
    description: str
    readable: bool = False
    writable: bool = True

    @property
    def suffix(self) -> str:
        """The usual suffix of a file in this format (``""`` for none)."""
        return self.suffixes[0] if self.suffixes else ""


_F = FileFormat
#: Every format, grouped by kind, each group in the order help texts list it.
FORMATS: tuple[FileFormat, ...] = (
    _F("yaml", "theory", "theory", (".yaml", ".yml"), "YAML theory file", readable=True),
    _F("json", "theory", "theory", (".json",), "JSON theory file", readable=True),
    _F("graphml", "exchange", "theory", (".graphml",), "Gephi, yEd, Cytoscape, networkx",
       readable=True),
    _F("gexf", "exchange", "theory", (".gexf",), "GEXF 1.3: Gephi, Gephi Lite, graphology"),
    _F("nodelink", "exchange", "theory", (".json",),
       "node-link JSON with 'links': networkx (any version), D3, igraph", readable=True),
    _F("graphology", "exchange", "theory", (".json",),
       "graphology's own JSON: Sigma.js, Gephi Lite", readable=True),
    _F("cytoscape", "exchange", "theory", (".cyjs", ".json"),
       "Cytoscape.js JSON (elements/data): Cytoscape.js, Cytoscape", readable=True),
    _F("kumu", "exchange", "theory", (".json",), "Kumu JSON blueprint (systems maps)",
       readable=True),
    _F("kumu-view", "exchange", "theory", (".txt",),
       "Kumu view for the Advanced Editor: colours and shapes by kind"),
    _F("dagitty", "exchange", "theory", (".dagitty",), "DAGitty, DoWhy, pgmpy (causal diagram)"),
    _F("qdc", "exchange", "theory", (".qdc",), "REFI-QDA codebook: NVivo, ATLAS.ti, MAXQDA",
       readable=True),
    _F("causalmap", "exchange", "theory", (".csv",),
       "Causal Map links table: cause, effect, source, quote", readable=True),
    _F("drawio", "exchange", "theory", (".drawio",),
       "draw.io / diagrams.net diagram, lanes as containers (needs Graphviz)"),
    _F("csv", "table", "theory", (".csv", ".tsv", ".txt"), "CMO table as CSV (UTF-8)",
       readable=True),
    _F("xlsx", "table", "theory", (".xlsx", ".xlsm"), "CMO table as an Excel workbook",
       readable=True),
    _F("svg", "image", "diagram", (".svg",), "SVG image (needs Graphviz)"),
    _F("png", "image", "diagram", (".png",), "PNG image (needs Graphviz)"),
    _F("pdf", "image", "diagram", (".pdf",), "PDF document (needs Graphviz)"),
    _F("dot", "text", "diagram", (".dot", ".gv"), "Graphviz DOT source"),
    _F("mermaid", "text", "diagram", (".mmd", ".mermaid"), "Mermaid flowchart"),
    _F("md", "text", "cmo-table", (".md", ".markdown"), "Markdown table"),
    _F("html", "text", "cmo-table", (".html", ".htm"), "HTML table, default styles"),
    _F("csv", "text", "cmo-table", (".csv",), "CSV table"),
    _F("latex", "text", "cmo-table", (".tex",), "LaTeX longtable (booktabs)"),
    _F("docx", "document", "cmo-table", (".docx",), "Word document (needs python-docx)"),
    _F("text", "text", "report", (".txt",), "plain text report"),
    _F("json", "text", "report", (".json",), "JSON report"),
    _F("sarif", "text", "report", (".sarif",), "SARIF 2.1.0 (code-scanning tools)"),
    _F("markdown", "text", "answer", (".md", ".markdown"), "Markdown, as a notebook shows it"),
    _F("md", "document", "realist-report", (".md",),
       "Markdown, with the figures as SVG files beside it"),
    _F("html", "document", "realist-report", (".html", ".htm"),
       "one self-contained HTML page, figures as inline SVG"),
    _F("docx", "document", "realist-report", (".docx",),
       "Word document, figures as PNG (needs cimo[docx])"),
    _F("bibtex", "references", "sources", (".bib", ".bibtex"), "BibTeX (Zotero, Mendeley, JabRef)",
       readable=True),
    _F("ris", "references", "sources", (".ris",), "RIS (EndNote, Zotero)", readable=True,
       writable=False),
    _F("csl-json", "references", "sources", (".json",), "CSL-JSON (Zotero, citeproc)",
       readable=True),
)  # fmt: skip


def select(
    *,
    kind: FormatKind | None = None,
    content: Content | None = None,
    readable: bool | None = None,
    writable: bool | None = None,
) -> tuple[FileFormat, ...]:
    """The formats that match every filter given, in table order.

    >>> [f.name for f in select(content="diagram")]
    ['svg', 'png', 'pdf', 'dot', 'mermaid']
    """
    return tuple(
        f
        for f in FORMATS
        if (kind is None or f.kind == kind)
        and (content is None or f.content == content)
        and (readable is None or f.readable == readable)
        and (writable is None or f.writable == writable)
    )


def names(formats: Iterable[FileFormat]) -> tuple[str, ...]:
    """The names of ``formats``.

    >>> names(select(kind="theory"))
    ('yaml', 'json')
    """
    return tuple(f.name for f in formats)


def spell_suffixes(formats: Iterable[FileFormat]) -> str:
    """The suffixes of ``formats`` as a phrase for messages and help texts.

    >>> spell_suffixes(select(kind="theory"))
    '.yaml, .yml or .json'
    """
    suffixes = list(dict.fromkeys(s for f in formats for s in f.suffixes))
    if len(suffixes) < 2:
        return "".join(suffixes)
    return f"{', '.join(suffixes[:-1])} or {suffixes[-1]}"


def verify_format(
    name: str,
    *,
    kind: FormatKind,
    readable: bool | None = None,
    writable: bool | None = None,
    action: str = "use",
) -> FileFormat:
    """The format of that name and kind, or a :class:`UsageError` that names the choices.

    Args:
        name: The format's name.
        kind: Its kind.
        readable: Require (True) a format cimo reads.
        writable: Require (True) a format cimo writes.
        action: The verb of the message (``"export to"``: "cannot export to 'x'").

    Raises:
        UsageError: for an unknown name, with the closest one and the list of choices.

    >>> verify_format("graphm", kind="exchange", action="export to")
    Traceback (most recent call last):
    ...
    cimo.errors.UsageError: cannot export to 'graphm' (did you mean 'graphml'?); formats: ...
    """
    known = {f.name: f for f in select(kind=kind, readable=readable, writable=writable)}
    found = known.get(name)
    if found is None:
        raise UsageError(
            f"cannot {action} {name!r}{did_you_mean(name, known)}; formats: {', '.join(known)}"
        )
    return found


def format_for_suffix(
    path: str | os.PathLike[str],
    *,
    kind: FormatKind | None = None,
    content: Content | None = None,
    among: Collection[FileFormat] | None = None,
) -> FileFormat | None:
    """The format a file name's suffix implies, among the formats of that kind and content.

    Case does not matter. Returns None when no format has the suffix.

    Args:
        path: The file name.
        kind: Consider only formats of this kind.
        content: Consider only formats holding this.
        among: Consider only these formats (after the two filters above).

    Raises:
        UsageError: if the suffix belongs to more than one of the formats considered
            (``.json`` is both node-link JSON and a Kumu blueprint): name the format.

    >>> format_for_suffix("map.GV", content="diagram").name
    'dot'
    >>> format_for_suffix("notes.docx", kind="theory") is None
    True
    """
    suffix = PurePath(os.fspath(path)).suffix.lower()
    pool = select(kind=kind, content=content)
    if among is not None:
        pool = tuple(f for f in pool if f in among)
    hits = [f for f in pool if suffix and suffix in f.suffixes]
    if len(hits) > 1:
        raise UsageError(
            f"{os.fspath(path)}: the suffix {suffix!r} may mean {' or '.join(names(hits))}; "
            "name the format"
        )
    return hits[0] if hits else None
