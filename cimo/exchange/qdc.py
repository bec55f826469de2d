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

import hashlib
import re
import uuid
import xml.etree.ElementTree as ET
from itertools import chain
from typing import Any

from cimo._util import paused_gc
from cimo._version import __version__
from cimo.core.vocabulary import SLOTS, EvidenceStance, NodeKind
from cimo.errors import FileFormatError
from cimo.exchange._common import check_xml_text, fresh_id, safe_xml, validated
from cimo.model import Context, Mechanism, Node, Theory
from cimo.render._sentence import structured_statements

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
    return uuid5_text(f"cimo:{':'.join((theory.id, *parts))}")


def uuid5_text(name: str) -> str:
    """``str(uuid.uuid5(uuid.NAMESPACE_URL, name))``, without making a UUID object.

    >>> uuid5_text("cimo:t:node:a") == str(uuid.uuid5(uuid.NAMESPACE_URL, "cimo:t:node:a"))
    True
    """
    sha1 = hashlib.sha1(_URL_NAMESPACE + name.encode(), usedforsecurity=False)
    digest = bytearray(sha1.digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_URL_NAMESPACE = uuid.NAMESPACE_URL.bytes
_SLOT_ATTRS = tuple(slot.attr for slot in SLOTS)


@paused_gc()  # many small objects, no cycles
def to_qdc(theory: Theory) -> str:
    """The theory as a REFI-QDA codebook (XML text, valid against the Codebook 1.0 schema).

    Raises:
        UsageError: if a label or description holds a character XML cannot carry.
    """
    check_xml_text(theory)
    origin = escape_attribute(f"cimo {__version__}")
    sets = sets_xml(theory, level=1)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<CodeBook xmlns="{NAMESPACE}" origin="{origin}">\n'
        f"  <Codes>{codes_xml(theory, level=2)}\n  </Codes>{sets}\n</CodeBook>\n"
    )


def code_guid(theory: Theory, what: str, ident: str) -> str:
    """The GUID cimo gives the code of a node (``what="node"``), rule or stance."""
    return _guid(theory, {"rule": "rule-code"}.get(what, what), ident)


def escape_attribute(text: str) -> str:
    """An attribute value escaped as :mod:`xml.etree.ElementTree` writes it.

    >>> escape_attribute('a "b" <&>' + chr(10))
    'a &quot;b&quot; &lt;&amp;&gt;&#10;'
    """
    return text.translate(_ATTRIBUTE) if _NEEDS_ESCAPE.search(text) else text


def escape_text(text: str) -> str:
    """Element text escaped as :mod:`xml.etree.ElementTree` writes it (``&``, ``<``, ``>``).

    >>> escape_text("a < b & c")
    'a &lt; b &amp; c'
    """
    return text.translate(_TEXT) if _NEEDS_ESCAPE.search(text) else text


_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;"}
    | {"\t": "&#09;"}
)
_NEEDS_ESCAPE = re.compile('[&<>"\r\n\t]')


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


def _code(pad: str, guid: str, name: str, color: str, description: str, *, codable: bool) -> str:
    """A ``<Code>`` with its ``<Description>``, open (codable ones closed) after a newline."""
    head = (
        f'{pad}<Code guid="{guid}" name="{escape_attribute(name)}" '
        f'isCodable="{"true" if codable else "false"}" color="{color}">'
        f"{pad}  <Description>{escape_text(description)}</Description>"
    )
    return f"{head}{pad}</Code>" if codable else head


def _group(pad: str, guid: str, name: str, color: str, description: str, codes: list[str]) -> str:
    """A top-level (not codable) code holding ``codes``."""
    return (
        f"{_code(pad, guid, name, color, description, codable=False)}{''.join(codes)}{pad}</Code>"
    )


def add_codes(theory: Theory, codes: ET.Element, *, ns: str) -> None:
    """Add cimo's code tree under ``codes``: the four kinds, the rules, the stances."""
    codes.extend(_parsed(codes_xml(theory, level=0), ns))


def add_sets(theory: Theory, root: ET.Element, *, ns: str, ref: str = "guid") -> None:
    """Add one code set per rule (its member codes are the nodes it names).

    ``ref`` is the attribute naming a member (``guid`` in codebooks, ``targetGUID`` in projects).
    """
    root.extend(_parsed(sets_xml(theory, level=0, ref=ref), ns))


def _parsed(xml: str, ns: str) -> list[ET.Element]:
    """The elements of an XML fragment cimo wrote, their tags in the namespace ``ns``."""
    return list(safe_xml(f'<_ xmlns="{ns[1:-1]}">{xml}</_>', what="REFI-QDA codes"))


def codes_xml(theory: Theory, *, level: int) -> str:
    """The code tree of :func:`add_codes` as XML text: the four kinds, the rules, the stances.

    Each code is on a line of its own, indented by two spaces per ``level``.
    """
    pad = "\n" + "  " * level
    inner = pad + "  "
    out = []
    for kind, (name, color) in _GROUPS.items():
        codes = [
            _code(
                inner,
                code_guid(theory, "node", node.id),
                node.label,
                color,
                _definition(node),
                codable=True,
            )
            for node in theory.of_kind(kind)
        ]
        about = f"The {name.lower()} of the programme theory {theory.title!r} ({theory.id})."
        out.append(_group(pad, _guid(theory, "group", kind), name, color, about, codes))
    if theory.rules:
        codes = [
            _code(
                inner,
                code_guid(theory, "rule", rule.id),
                f"Rule {rule.source_label or rule.id}",
                _RULE_COLOR,
                f"{text}\n\ncimo id: {rule.id}",
                codable=True,
            )
            for rule, text in zip(theory.rules, structured_statements(theory), strict=True)
        ]
        about = (
            "The configurations (IF context THEN outcome BECAUSE mechanism) of the programme "
            "theory: code a passage that speaks to a whole configuration here."
        )
        out.append(
            _group(pad, _guid(theory, "group", "rules"), RULES_GROUP, _RULE_COLOR, about, codes)
        )
    codes = [
        _code(
            inner,
            code_guid(theory, "stance", stance),
            stance,
            _STANCE_COLOR,
            f"The passage {stance} the configuration it is coded with.\n\ncimo id: {stance}",
            codable=True,
        )
        for stance in STANCES
    ]
    about = (
        "Code a passage with one of these as well as with a rule or node code to say what "
        "it does to the configuration: supports, refutes or refines it."
    )
    out.append(
        _group(pad, _guid(theory, "group", "stances"), STANCES_GROUP, _STANCE_COLOR, about, codes)
    )
    return "".join(out)


def sets_xml(theory: Theory, *, level: int, ref: str = "guid") -> str:
    """The ``<Sets>`` element of :func:`add_sets` as XML text ("" when no rule names a node)."""
    pad = "\n" + "  " * level
    inner = pad + "    "
    member: dict[str, str] = {}  # the member element of each node's code, made once
    out = []
    for rule in theory.rules:
        # The ids of rule.references(), read straight from the slots (this runs per rule).
        members = dict.fromkeys(chain.from_iterable(getattr(rule, a) for a in _SLOT_ATTRS))
        if not members:
            continue
        guid = _guid(theory, "rule", rule.id)
        out.append(f'{pad}  <Set guid="{guid}" name="{escape_attribute(f"Rule {rule.id}")}">')
        if rule.statement:
            out.append(f"{inner}<Description>{escape_text(rule.statement)}</Description>")
        for m in members:
            element = member.get(m)
            if element is None:
                element = member[m] = (
                    f'{inner}<MemberCode {ref}="{code_guid(theory, "node", m)}" />'
                )
            out.append(element)
        out.append(f"{pad}  </Set>")
    return f"{pad}<Sets>{''.join(out)}{pad}</Sets>" if out else ""


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
