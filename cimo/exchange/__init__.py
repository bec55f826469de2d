"""Exchange formats: a theory to and from the tools users already have.

One module per family of formats, each with ``to_x``/``from_x`` text
functions, and one entry point per direction over all of them
(:func:`read`/:func:`write` for files, :func:`export_text`/:func:`import_text`
for text), bound to the names of the format table
(:data:`cimo.core.formats.FORMATS`):

* :mod:`cimo.exchange.networks`: GraphML, GEXF, node-link JSON, graphology JSON;
* :mod:`cimo.exchange.cytoscape`: Cytoscape.js JSON;
* :mod:`cimo.exchange.kumu`: Kumu JSON blueprints (and Kumu's own exports), a Kumu view;
* :mod:`cimo.exchange.dagitty`: the causal projection in DAGitty syntax, and pgmpy's DAG;
* :mod:`cimo.exchange.qdc`: REFI-QDA codebooks;
* :mod:`cimo.exchange.qdpx`: REFI-QDA projects (coded transcripts in as evidence, quotes out);
* :mod:`cimo.exchange.causalmap`: Causal Map's links table;
* :mod:`cimo.exchange.drawio`: draw.io / diagrams.net diagrams;
* :mod:`cimo.exchange.table`: CMO tables in spreadsheets (CSV, XLSX);
* :mod:`cimo.exchange.references`: sources from and to reference managers (BibTeX, RIS,
  CSL-JSON).

``docs/interop.md`` lists what each format keeps and loses.

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> text = cimo.exchange.export_text(theory, format="graphml")
>>> cimo.exchange.import_text(text, format="graphml") == theory
True
"""

from typing import TYPE_CHECKING

from cimo._lazy import attach

# Imported on first use (PEP 562), so importing the package stays cheap.
if TYPE_CHECKING:
    from cimo.exchange import (
        causalmap,
        cytoscape,
        dagitty,
        drawio,
        kumu,
        networks,
        qdc,
        qdpx,
        references,
        table,
    )
    from cimo.exchange.formats import (
        EXPORT_FORMATS,
        IMPORT_FORMATS,
        ExportFormat,
        ImportFormat,
        export_text,
        import_text,
        read,
        write,
    )

if not TYPE_CHECKING:
    __getattr__, __dir__ = attach(
        __name__,
        submodules=(
            "causalmap",
            "cytoscape",
            "dagitty",
            "drawio",
            "kumu",
            "networks",
            "qdc",
            "qdpx",
            "references",
            "table",
        ),
        names={
            "cimo.exchange.formats": [
                "EXPORT_FORMATS",
                "IMPORT_FORMATS",
                "ExportFormat",
                "ImportFormat",
                "export_text",
                "import_text",
                "read",
                "write",
            ]
        },
    )

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ExportFormat",
    "ImportFormat",
    "causalmap",
    "cytoscape",
    "dagitty",
    "drawio",
    "export_text",
    "import_text",
    "kumu",
    "networks",
    "qdc",
    "qdpx",
    "read",
    "references",
    "table",
    "write",
]
