"""REFI-QDA codebooks (``.qdc``): code interview transcripts against a theory, and back.

The REFI-QDA standard lets NVivo, ATLAS.ti, MAXQDA, QualCoder and other
qualitative data analysis tools exchange codebooks. :func:`to_qdc` writes
one top-level code per kind (*Contexts*, *Interventions*, *Mechanisms*,
*Outcomes*; not codable themselves) with a codable code per node beneath
it: the code's name is the node's label, its description what a coder needs
to apply it (the node's description; a mechanism's ``Resource:`` and
``Reasoning:``; a context's facets ``Who:``, ``Where:``, ...; each on one
line) followed by a line ``cimo id: <id>``. A top-level *Rules* code holds
one codable code per rule (described by its if-then-because statement), so
a passage can be coded to a whole configuration, and *Evidence stance*
holds ``supports``, ``refutes`` and ``refines``, to code what a passage does
to it (:mod:`cimo.exchange.qdpx` reads both back as evidence). Each rule
also becomes a code *set* whose members are the codes it names. Code GUIDs
are derived from the theory and node ids, so exporting the same theory
twice gives the same file.

:func:`from_qdc` reads a codebook back: a theory of nodes only (kind from
the top-level code, id from the ``cimo id`` line or else from the name,
label, description, and a mechanism's resource and reasoning or a
context's facets from the lines cimo wrote). Rules, links, sources and all
other fields are not in a codebook and are lost; sets are not read.

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
from cimo.core.vocabulary import EvidenceStance, NodeKind
from cimo.errors import FileFormatError
from cimo.exchange._common import check_xml_text, fresh_id, safe_xml, validated
from cimo.model import Context, Mechanism, Node, Theory
from cimo.render import statement

__all__ = ["NAMESPACE", "RULES_GROUP", "STANCES", "STANCES_GROUP", "from_qdc", "to_qdc"]

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
#: The top-level code holding one codable code per rule.
RULES_GROUP = "Rules"
#: The top-level code holding the evidence stances a coder may add to a passage.
STANCES_GROUP = "Evidence stance"
#: The stance codes, named as :attr:`cimo.model.Evidence.stance` spells them.
STANCES: tuple[EvidenceStance, ...] = ("supports", "refutes", "refines")
_RULE_COLOR = "#7F7F7F"
_STANCE_COLOR = "#BCBD22"
_FACETS = ("who", "whom", "where", "when", "circumstances")
#: The lines of a code's description that set a node's fields, by their label.
_FIELD_OF_LINE = {"Resource": "resource", "Reasoning": "reasoning"} | {
    name.capitalize(): name for name in _FACETS
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
    add_codes(theory, ET.SubElement(root, f"{_NS}Codes"), ns=_NS)
    add_sets(theory, root, ns=_NS)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def code_guid(theory: Theory, what: str, ident: str) -> str:
    """The GUID cimo gives the code of a node (``what="node"``), rule or stance."""
    return _guid(theory, {"rule": "rule-code"}.get(what, what), ident)


def _definition(node: Node) -> str:
    """What coders need to apply the code: the description, then the fields that define it."""
    lines = [
        f"{label}: {' '.join(str(value).split())}"
        for label, value in _defining_fields(node)
        if value and value.strip()
    ]
    parts = [node.description] if node.description else []
    if lines:
        parts.append("\n".join(lines))
    return "\n\n".join((*parts, f"cimo id: {node.id}"))


def _defining_fields(node: Node) -> list[tuple[str, str | None]]:
    if isinstance(node, Mechanism):
        return [("Resource", node.resource), ("Reasoning", node.reasoning)]
    if isinstance(node, Context) and node.facets is not None:
        return [(name.capitalize(), getattr(node.facets, name)) for name in _FACETS]
    return []


def _code(
    parent: ET.Element,
    ns: str,
    guid: str,
    name: str,
    color: str,
    description: str | None,
    *,
    codable: bool = True,
) -> ET.Element:
    code = ET.SubElement(
        parent,
        f"{ns}Code",
        guid=guid,
        name=name,
        isCodable="true" if codable else "false",
        color=color,
    )
    if description is not None:
        ET.SubElement(code, f"{ns}Description").text = description
    return code


def add_codes(theory: Theory, codes: ET.Element, *, ns: str) -> None:
    """Add cimo's code tree under ``codes``: the four kinds, the rules, the stances."""
    for kind, (name, color) in _GROUPS.items():
        group = _code(
            codes,
            ns,
            _guid(theory, "group", kind),
            name,
            color,
            f"The {name.lower()} of the programme theory {theory.title!r} ({theory.id}).",
            codable=False,
        )
        for node in theory.of_kind(kind):
            guid = code_guid(theory, "node", node.id)
            _code(group, ns, guid, node.label, color, _definition(node))
    if theory.rules:
        group = _code(
            codes,
            ns,
            _guid(theory, "group", "rules"),
            RULES_GROUP,
            _RULE_COLOR,
            "The configurations (IF context THEN outcome BECAUSE mechanism) of the programme "
            "theory: code a passage that speaks to a whole configuration here.",
            codable=False,
        )
        for rule in theory.rules:
            guid = code_guid(theory, "rule", rule.id)
            name = f"Rule {rule.source_label or rule.id}"
            text = f"{statement(theory, rule)}\n\ncimo id: {rule.id}"
            _code(group, ns, guid, name, _RULE_COLOR, text)
    group = _code(
        codes,
        ns,
        _guid(theory, "group", "stances"),
        STANCES_GROUP,
        _STANCE_COLOR,
        "Code a passage with one of these as well as with a rule or node code to say what "
        "it does to the configuration: supports, refutes or refines it.",
        codable=False,
    )
    for stance in STANCES:
        text = f"The passage {stance} the configuration it is coded with.\n\ncimo id: {stance}"
        _code(group, ns, code_guid(theory, "stance", stance), stance, _STANCE_COLOR, text)


def add_sets(theory: Theory, root: ET.Element, *, ns: str, ref: str = "guid") -> None:
    """Add one code set per rule (its member codes are the nodes it names).

    ``ref`` is the attribute naming a member (``guid`` in codebooks, ``targetGUID`` in projects).
    """
    named = [r for r in theory.rules if any(True for _ in r.references())]
    if named:
        sets = ET.SubElement(root, f"{ns}Sets")
        for rule in named:
            s = ET.SubElement(
                sets, f"{ns}Set", guid=_guid(theory, "rule", rule.id), name=f"Rule {rule.id}"
            )
            if rule.statement:
                ET.SubElement(s, f"{ns}Description").text = rule.statement
            for member in dict.fromkeys(m for _, _, m in rule.references()):
                ET.SubElement(s, f"{ns}MemberCode", {ref: code_guid(theory, "node", member)})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _node(kind: NodeKind, label: str, desc: str, taken: set[str]) -> dict[str, Any]:
    m = _ID_LINE.search(desc)
    fields: dict[str, str] = {}
    if m and m.group(1) not in taken:
        ident = m.group(1)
        taken.add(ident)
        # cimo wrote "<description>\n\n<Field: value lines>\n\ncimo id: <id>".
        body = desc[: m.start()][:-1]
        head, sep, block = body.rpartition("\n\n")
        lines = [line.partition(": ") for line in block.split("\n")]
        if block and all(_allowed(kind, key) and value for key, _, value in lines):
            fields = {_FIELD_OF_LINE[key]: value for key, _, value in lines}
            body = head if sep else ""
        description: str | None = body or None
    else:
        ident = fresh_id(label, taken)
        description = desc.strip() or None
    node: dict[str, Any] = {"id": ident, "kind": kind, "label": label}
    if description is not None:
        node["description"] = description
    facets = {k: v for k, v in fields.items() if k in _FACETS}
    node.update({k: v for k, v in fields.items() if k not in _FACETS})
    if facets:
        node["facets"] = facets
    return node


def _allowed(kind: NodeKind, label: str) -> bool:
    field = _FIELD_OF_LINE.get(label)
    if field in ("resource", "reasoning"):
        return kind == "mechanism"
    return field is not None and kind == "context"


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
        if name in (RULES_GROUP, STANCES_GROUP):
            continue  # cimo's own codes for coding passages: not nodes
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
            nodes.append(_node(kind, label, code.findtext(f"{ns}Description") or "", taken))
    return validated({"format_version": "1.0", "id": id, "title": title, "nodes": nodes})
