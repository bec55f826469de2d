"""The JSON Schema of the theory file format, generated from the model."""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from typing import Any

from pydantic import BaseModel

from cimo.model import FORMAT_VERSION, CimoModel, Theory

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
    '2.0'
    >>> slots = ("if", "unless", "with", "because", "then")
    >>> [k for k in schema["$defs"]["Rule"]["properties"] if k in slots]
    ['if', 'unless', 'with', 'because', 'then']
    """
    schema = Theory.model_json_schema(by_alias=True, mode="validation")
    _describe(schema, _models())
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


# The docstring under each field of a record is its description in the schema. It is read
# here, when a schema is asked for, not by pydantic when each class is made
# (``use_attribute_docstrings`` read the source of every record on ``import cimo.model``,
# about a third of the time ``cimo show`` took).


def _models() -> dict[str, type[BaseModel]]:
    """Every record class by name (the title pydantic gives its schema)."""
    found: dict[str, type[BaseModel]] = {}
    todo: list[type[BaseModel]] = [CimoModel]
    while todo:
        cls = todo.pop()
        found.setdefault(cls.__name__, cls)
        todo += cls.__subclasses__()
    return found


def attribute_docs(cls: type[BaseModel]) -> dict[str, str]:
    """The docstrings written under the fields of a record class and its bases, by field name.

    >>> attribute_docs(Theory)["format_version"].split(" (")[0]
    'The version of the file format'
    """
    docs: dict[str, str] = {}
    for klass in reversed([k for k in cls.__mro__ if issubclass(k, BaseModel)]):
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError):  # defined where no source can be read
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for field, doc in itertools.pairwise(body):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                docs[field.target.id] = inspect.cleandoc(doc.value.value)
    return docs


def _describe(schema: Any, models: dict[str, type[BaseModel]]) -> None:
    """Give each property of each record in ``schema`` its field's docstring.

    As pydantic's ``use_attribute_docstrings`` would: the docstring is the
    description unless the field sets one itself (``Field(description=...)``).
    """
    todo = [schema]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo += node
            continue
        if not isinstance(node, dict):
            continue
        cls = models.get(node.get("title", "")) if "properties" in node else None
        if cls is not None:
            docs = attribute_docs(cls)
            for name, info in cls.model_fields.items():
                prop = node["properties"].get(info.alias or name)
                if isinstance(prop, dict) and info.description is None and name in docs:
                    prop["description"] = docs[name]
        todo += node.values()
