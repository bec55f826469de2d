"""REFI-QDA codebooks (``.qdc``): code interview transcripts against a theory, and back.

The REFI-QDA standard lets NVivo, ATLAS.ti, MAXQDA, QualCoder and other
qualitative data analysis tools exchange codebooks. :func:`to_qdc` writes
one top-level code per kind (*Contexts*, *Interventions*, *Mechanisms*,
*Outcomes*; not codable themselves) with a codable code per node beneath
it: the code's name is the node's label, its description the node's
description followed by a line ``cimo id: <id>``. Each rule becomes a code
*set* whose members are the codes it names, so coders can see the
configurations. Code GUIDs are derived from the theory and node ids, so
exporting the same theory twice gives the same file.

:func:`from_qdc` reads a codebook back: a theory of nodes only (kind from
the top-level code, id from the ``cimo id`` line or else from the name,
label and description). Rules, links, sources and all other fields are not
in a codebook and are lost; sets are not read.

>>> import cimo
>>> from cimo.exchange.qdc import from_qdc, to_qdc
>>> theory = cimo.load_example("work-focused-group-cbt")
>>> back = from_qdc(to_qdc(theory), id=theory.id, title=theory.title)
>>> [n.id for n in back.nodes] == [n.id for n in theory.nodes], back.rules
(True, ())
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from typing import Any

from cimo._version import __version__
from cimo.core.vocabulary import NodeKind
from cimo.errors import FileFormatError
from cimo.exchange._common import check_xml_text, fresh_id, safe_xml, validated
from cimo.model import Theory

__all__ = ["NAMESPACE", "from_qdc", "to_qdc"]

#: The XML namespace of REFI-QDA codebooks.
NAMESPACE = "urn:QDA-XML:codebook:1.0"
_NS = f"{{{NAMESPACE}}}"
#: Top-level code name and colour, by kind.
_GROUPS: dict[NodeKind, tuple[str, str]] = {
    "context": ("Contexts", "#1F77B4"),
    "intervention": ("Interventions", "#2CA02C"),
    "mechanism": ("Mechanisms", "#D62728"),
    "outcome": ("Outcomes", "#9467BD"),
}
_KIND_OF_GROUP = {
    name: kind for kind, (plural, _) in _GROUPS.items() for name in (plural.casefold(), kind)
}
_ID_LINE = re.compile(r"(?:^|\n)cimo id: (\S+)\s*$")


def _guid(theory: Theory, *parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "cimo:" + ":".join((theory.id, *parts))))


def to_qdc(theory: Theory) -> str:
    """The theory as a REFI-QDA codebook (XML text, valid against the Codebook 1.0 schema).

    Raises:
        UsageError: if a label or description holds a character XML cannot carry.
    """
    check_xml_text(theory)
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{_NS}CodeBook", origin=f"cimo {__version__}")
    codes = ET.SubElement(root, f"{_NS}Codes")
    guids: dict[str, str] = {}
    for kind, (name, color) in _GROUPS.items():
        group = ET.SubElement(
            codes,
            f"{_NS}Code",
            guid=_guid(theory, "group", kind),
            name=name,
            isCodable="false",
            color=color,
        )
        ET.SubElement(
            group, f"{_NS}Description"
        ).text = f"The {name.lower()} of the programme theory {theory.title!r} ({theory.id})."
        for node in theory.of_kind(kind):
            guids[node.id] = _guid(theory, "node", node.id)
            code = ET.SubElement(
                group,
                f"{_NS}Code",
                guid=guids[node.id],
                name=node.label,
                isCodable="true",
                color=color,
            )
            text = f"{node.description}\n\n" if node.description else ""
            ET.SubElement(code, f"{_NS}Description").text = f"{text}cimo id: {node.id}"
    named = [r for r in theory.rules if any(True for _ in r.references())]
    if named:
        sets = ET.SubElement(root, f"{_NS}Sets")
        for rule in named:
            s = ET.SubElement(
                sets, f"{_NS}Set", guid=_guid(theory, "rule", rule.id), name=f"Rule {rule.id}"
            )
            if rule.statement:
                ET.SubElement(s, f"{_NS}Description").text = rule.statement
            for ref in dict.fromkeys(ref for _, _, ref in rule.references()):
                ET.SubElement(s, f"{_NS}MemberCode", guid=guids[ref])
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def from_qdc(
    text: str | bytes, *, id: str = "codebook", title: str = "Imported from a REFI-QDA codebook"
) -> Theory:
    """Read the nodes of a theory from a REFI-QDA codebook.

    Top-level codes must be named after the four kinds (``Contexts`` or
    ``Context``, ..., any case); every code beneath one, at any depth,
    becomes a node of that kind.

    Args:
        text: The codebook XML.
        id: The id of the theory made.
        title: Its title.

    Raises:
        FileFormatError: if the text is not a codebook cimo can read (the message says why).
        InvalidTheoryError: if the theory does not hold together.
    """
    root = safe_xml(text, what="REFI-QDA codebook")
    if _local(root.tag) != "CodeBook" or root.tag not in (f"{_NS}CodeBook", "CodeBook"):
        raise FileFormatError(
            f"REFI-QDA codebook: the root element is {root.tag!r}; expected CodeBook in the "
            f"namespace {NAMESPACE!r}"
        )
    ns = _NS if root.tag.startswith("{") else ""
    codes = root.find(f"{ns}Codes")
    if codes is None:
        raise FileFormatError("REFI-QDA codebook: there is no <Codes> element")
    nodes: list[dict[str, Any]] = []
    taken: set[str] = set()
    for group in codes.findall(f"{ns}Code"):
        name = group.get("name", "")
        kind = _KIND_OF_GROUP.get(name.strip().casefold())
        if kind is None:
            raise FileFormatError(
                f"REFI-QDA codebook: top-level code {name!r} is not one of "
                f"{[g for g, _ in _GROUPS.values()]}; cimo reads the codes beneath top-level "
                "codes named after the four kinds"
            )
        for code in group.iter(f"{ns}Code"):
            if code is group:
                continue
            label = code.get("name")
            if not label or not label.strip():
                raise FileFormatError(
                    f"REFI-QDA codebook: a code under {name!r} has no name "
                    f"(guid {code.get('guid')!r})"
                )
            desc = code.findtext(f"{ns}Description") or ""
            m = _ID_LINE.search(desc)
            if m and m.group(1) not in taken:
                ident = m.group(1)
                taken.add(ident)
                # cimo wrote "<description>\n\ncimo id: <id>": drop the separator exactly.
                description = desc[: m.start()][:-1] or None
            else:
                ident = fresh_id(label, taken)
                description = desc.strip() or None
            node: dict[str, Any] = {"id": ident, "kind": kind, "label": label}
            if description is not None:
                node["description"] = description
            nodes.append(node)
    return validated({"format_version": "1.0", "id": id, "title": title, "nodes": nodes})
