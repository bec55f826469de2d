"""The JSON Schema of the theory file format, generated from the model."""

from __future__ import annotations

from typing import Any

from cimo.model import FORMAT_VERSION, Theory

__all__ = ["DOCS_URL", "SCHEMA_ID", "json_schema"]

#: Where the documentation is published (``site_url`` in ``mkdocs.yml``).
DOCS_URL = "https://cimo.readthedocs.io/en/latest/"
#: The ``$id`` of the schema of the current format version: the docs build publishes
#: ``docs/schema/theory-<version>.json`` at this URL.
SCHEMA_ID = f"{DOCS_URL}schema/theory-{FORMAT_VERSION}.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every theory file of this format version follows.

    Editors such as VS Code validate and complete a YAML theory file against it
    (``# yaml-language-server: $schema=...`` with :data:`SCHEMA_ID`, or with the
    path of a copy made by ``cimo schema -o``). Structural rules that span the
    document (unique ids, references that resolve) are checked by cimo itself.

    >>> schema = json_schema()
    >>> schema["properties"]["format_version"]["const"]
    '1.0'
    >>> slots = ("if", "unless", "with", "because", "then")
    >>> [k for k in schema["$defs"]["Rule"]["properties"] if k in slots]
    ['if', 'unless', 'with', 'because', 'then']
    """
    schema = Theory.model_json_schema(by_alias=True, mode="validation")
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
    }
    out.update(schema)
    out["title"] = f"cimo theory file, format {FORMAT_VERSION}"
    out["description"] = (
        "A realist programme theory: contexts, interventions, mechanisms and outcomes joined by "
        "if-then-because rules. Written by and for the cimo Python library."
    )
    out["required"] = sorted({*out.get("required", []), "format_version"})
    return out
