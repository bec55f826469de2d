"""REFI-QDA projects (``.qdpx``): coded transcripts in, evidence quotes out.

A REFI-QDA project is the file NVivo, ATLAS.ti, MAXQDA and QualCoder
exchange a whole study in: a zip holding ``project.qde`` (the XML of the
codebook, cases with their variables, and sources with their coded
passages) and ``sources/`` (the transcripts as plain text).

:func:`import_qdpx` reads a project against a theory. Each code is matched
to a node or rule of the theory: by a mapping (code name, path
``Parent/Child`` or GUID to an id), else by the GUID cimo's own codebook gave
it, else by the ``cimo id:`` line of its description (which QualCoder, NVivo
and MAXQDA keep). A coded passage becomes :class:`~cimo.model.Evidence` on

* the rules whose codes it carries; or, when it carries only node codes,
* every rule that names all those nodes (a passage coded with a context, a
  mechanism and an outcome lands on the configuration that joins them).

Each piece of evidence holds the exact quote (the text between the
passage's start and end, counted in characters as the standard says),
the source, the locator ``characters START-END``, the participant (the case
the passage or its source belongs to, declared with the case's variables as
attributes) and a stance when the passage also carries a stance code
(*supports*, *refutes*, *refines*). Codes that match nothing, and passages
no rule joins, are reported, never dropped silently. Importing the same
project again changes nothing: evidence is keyed by source and locator.

:func:`to_qdpx` writes the theory as a project: the codebook of
:func:`~cimo.exchange.qdc.to_qdc` (with rule and stance codes), the
participants as cases with their attributes as variables, and each evidence
quote as a coded passage of its source, where the source's text is given
(:func:`source_texts` reads it from a folder of ``<source-id>.txt`` files or
from the project the evidence came from). A theory holds quotes, not whole
transcripts, so quotes whose source text is not given are listed in the
result instead.

>>> import cimo
>>> from cimo.exchange.qdpx import import_qdpx, to_qdpx
>>> def theory(*evidence):
...     return cimo.Theory.model_validate({
...         "id": "t", "title": "T",
...         "nodes": [{"id": "c", "kind": "context", "label": "Off sick"},
...                   {"id": "o", "kind": "outcome", "label": "Back at work"}],
...         "rules": [{"id": "r1", "if": ["c"], "then": ["o"], "evidence": evidence}],
...         "sources": [{"id": "int-1", "citation": "Interview 1"}],
...         "participants": [{"id": "p1", "attributes": {"role": "nurse"}}]})
>>> quote = {"source": "int-1", "quote": "I went back", "participant": "p1"}
>>> made = to_qdpx(theory(quote), texts={"int-1": "Then I went back in May."})
>>> made.placed, made.not_placed
(1, ())
>>> back = import_qdpx(theory(), made.data)
>>> [(e.locator, e.quote, e.participant) for e in back.theory.rules[0].evidence]
[('characters 5-16', 'I went back', 'p1')]
>>> import_qdpx(back.theory, made.data).added  # importing again changes nothing
0
"""

from __future__ import annotations

import os
import posixpath
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from cimo._files import read_file_bytes
from cimo._util import suggest
from cimo._version import __version__
from cimo.core.data import to_data
from cimo.core.index import index_of
from cimo.core.vocabulary import EvidenceStance
from cimo.errors import UsageError
from cimo.exchange._common import check_xml_text, fresh_id, validated
from cimo.exchange._qdpx_read import (
    NAMESPACE,
    Project,
    Source,
    decode,
    project_bytes,
    read_project,
)
from cimo.exchange._qdpx_write import NotPlaced, add_cases, add_sources, guids, place, zip_files
from cimo.exchange.qdc import STANCES, add_codes, add_sets, code_guid
from cimo.model import Evidence, Theory

__all__ = [
    "NAMESPACE",
    "CodeMatch",
    "NotPlaced",
    "QdpxExport",
    "QdpxImport",
    "Unplaced",
    "import_qdpx",
    "read_mapping",
    "source_texts",
    "to_qdpx",
]

_NS = f"{{{NAMESPACE}}}"
_DOCUMENT_SUFFIXES = frozenset((".txt", ".docx", ".doc", ".rtf", ".odt", ".md", ".pdf", ".html"))
_ID_LINE = re.compile(r"(?:^|\n)cimo id: (\S+)\s*$")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --------------------------------------------------------------------------- matching


class CodeMatch(BaseModel):
    """A code of the project and what it became in the theory."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    """The code's path in the codebook (``Parent/Child``)."""
    guid: str
    target: str | None
    """The node or rule id, the stance, or None: the code matches nothing."""
    passages: int
    """How many coded passages carry it."""


class Unplaced(BaseModel):
    """A coded passage (or a whole source) that became no evidence, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    locator: str
    codes: tuple[str, ...]
    reason: str


class QdpxImport(BaseModel):
    """What :func:`import_qdpx` made: the theory, and a report of how the codes matched."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    theory: Theory
    passages: int
    """Coded passages read (distinct spans of text; a span coded thrice counts once)."""
    added: int
    """Evidence entries added (0 on a second import of the same project)."""
    codes: tuple[CodeMatch, ...]
    unplaced: tuple[Unplaced, ...]

    @property
    def unmatched(self) -> tuple[CodeMatch, ...]:
        """The codes that carry passages but match no node, rule or stance."""
        return tuple(c for c in self.codes if c.target is None and c.passages)

    def __str__(self) -> str:
        lines = [
            f"{self.passages} coded passages read; {self.added} evidence entries added "
            f"({sum(len(r.evidence) for r in self.theory.rules)} in the theory)"
        ]
        lines += [
            f"code {c.code!r} matches no node, rule or stance ({c.passages} passages); "
            "map it with --map (CODE: ID)"
            for c in self.unmatched
        ]
        for u in self.unplaced:
            codes = f" ({', '.join(u.codes)})" if u.codes else ""
            lines.append(f"{u.source} {u.locator}{codes}: {u.reason}")
        return "\n".join(lines)


def read_mapping(data: Mapping[str, Any]) -> dict[str, str]:
    """A mapping file's content (``codes: {CODE: ID}``) as code -> id; a bad shape says why.

    >>> read_mapping({"codes": {"Peer support": "relate", "Disconfirming": "refutes"}})
    {'Peer support': 'relate', 'Disconfirming': 'refutes'}
    """
    codes = data.get("codes") if isinstance(data, Mapping) else None
    extra = set(data) - {"codes"} if isinstance(data, Mapping) else set()
    if not isinstance(codes, Mapping) or extra:
        raise UsageError(
            "a code mapping is a YAML mapping with one key, codes, mapping each code (its "
            "name, Parent/Child path or GUID) to a node or rule id or a stance, e.g.\n"
            "codes:\n  Peer support: relate\n  Disconfirming: refutes"
        )
    out = {}
    for key, value in codes.items():
        if not isinstance(value, str) or not str(key).strip():
            raise UsageError(f"code mapping: {key!r} maps to {value!r}; map each code to an id")
        out[str(key)] = value
    return out


def _targets(theory: Theory, project: Project, mapping: Mapping[str, str]) -> dict[str, str | None]:
    """Each code GUID to the node or rule id or stance it stands for (None: nothing)."""
    index = index_of(theory)
    ids = {*index.nodes, *index.rules, *STANCES}
    wrong = sorted(v for v in mapping.values() if v not in ids)
    if wrong:
        hints = {w: suggest(w, ids, n=1) for w in wrong}
        raise UsageError(
            "code mapping: "
            + "; ".join(
                f"{w!r} is no node, rule or stance of {theory.id!r}"
                + (f" (did you mean {hints[w][0]!r}?)" if hints[w] else "")
                for w in wrong
            )
        )
    by_guid = {code_guid(theory, "node", n): n for n in index.nodes}
    by_guid |= {code_guid(theory, "rule", r): r for r in index.rules}
    by_guid |= {code_guid(theory, "stance", s): s for s in STANCES}
    out: dict[str, str | None] = {}
    for guid, code in project.codes.items():
        mapped = mapping.get(guid) or mapping.get(code.path) or mapping.get(code.name)
        line = _ID_LINE.search(code.description)
        written = line.group(1) if line and line.group(1) in ids else None
        out[guid] = mapped or by_guid.get(guid) or written
    return out


def _participants(theory: Theory, project: Project) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The theory's participants with the project's cases added or updated; case GUID -> id."""
    people = {p.id: p.model_dump(mode="json", exclude_defaults=True) for p in theory.participants}
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for case in project.cases:
        ident = ids[case.guid] = fresh_id(case.name, taken)
        person = people.setdefault(ident, {"id": ident})
        if case.name != ident:
            person.setdefault("label", case.name)
        if case.attributes:
            person["attributes"] = {**person.get("attributes", {}), **dict(case.attributes)}
    return list(people.values()), ids


@dataclass(frozen=True)
class _Reading:
    """What one import knows while it turns passages into evidence."""

    project: Project
    targets: Mapping[str, str | None]
    rules: Mapping[str, Any]
    nodes: Mapping[str, Any]
    rules_with: Mapping[str, set[str]]
    order: Mapping[str, int]
    case_of: Mapping[str, str]
    kind: str | None


def _passages(
    reading: _Reading, source: Source, sid: str, unplaced: list[Unplaced]
) -> Iterable[tuple[str, Evidence]]:
    """(rule id, evidence) for each coded span of one source; the rest goes to ``unplaced``."""
    owners = [c for c in reading.project.cases if source.guid in c.sources]
    spans: dict[tuple[int, int], list[str]] = {}
    selections: dict[tuple[int, int], set[str]] = {}
    for p in source.passages:
        spans.setdefault((p.start, p.end), []).extend(p.codes)
        selections.setdefault((p.start, p.end), set()).add(p.guid)
    for (start, end), applied in spans.items():
        locator = f"characters {start}-{end}"
        codes = list(dict.fromkeys(applied))
        found = [reading.targets[g] for g in codes]
        names = tuple(reading.project.codes[g].name for g in codes)
        rules = [t for t in found if t is not None and t in reading.rules]
        nodes = list(dict.fromkeys(t for t in found if t is not None and t in reading.nodes))
        stances: list[EvidenceStance] = sorted({t for t in found if t in STANCES})
        reason = None
        if not rules and nodes:
            joined = set.intersection(*(reading.rules_with.get(n, set()) for n in nodes))
            rules = sorted(joined, key=reading.order.__getitem__)
            if not rules:
                reason = (
                    f"no rule names all of {', '.join(repr(n) for n in nodes)}; "
                    "code the passage to a rule, or add the rule"
                )
        elif not rules and any(t is not None for t in found):
            reason = "coded with a stance only; add a rule or node code"
        if len(stances) > 1:
            reason = f"coded with the stances {stances}, which contradict; keep one"
        if reason:
            unplaced.append(Unplaced(source=sid, locator=locator, codes=names, reason=reason))
            continue
        claimed = [c for c in reading.project.cases if c.selections & selections[(start, end)]]
        who = claimed or owners
        evidence = Evidence(
            source=sid,
            locator=locator,
            quote=source.text[start:end],
            kind=reading.kind,
            stance=stances[0] if stances else None,
            participant=reading.case_of[who[0].guid] if len(who) == 1 else None,
        )
        for rule_id in rules:
            yield rule_id, evidence


def import_qdpx(
    theory: Theory,
    project: str | os.PathLike[str] | bytes,
    *,
    mapping: Mapping[str, str] | None = None,
    kind: str | None = None,
) -> QdpxImport:
    """Read a REFI-QDA project's coded passages into the theory as evidence.

    Args:
        theory: The theory whose nodes and rules the codes stand for.
        project: The ``.qdpx`` file, or its bytes.
        mapping: Code (name, ``Parent/Child`` path or GUID) to node id, rule id or
            stance (``supports``, ``refutes``, ``refines``), for codes that are not
            cimo's own; see :func:`read_mapping`.
        kind: The evidence kind to record (``interview``, ``focus-group``, ...).

    Raises:
        FileFormatError: if the file is not a REFI-QDA project, a source's text is
            missing from it, or a coded passage runs beyond the end of its source.
        UsageError: if the mapping names an id the theory does not have.
    """
    data, file = project_bytes(project)
    parsed = read_project(data, file)
    index = index_of(theory)
    people, case_of = _participants(theory, parsed)
    rules_with: dict[str, set[str]] = {}
    for rule in theory.rules:
        for _, _, ref in rule.references():
            rules_with.setdefault(ref, set()).add(rule.id)
    reading = _Reading(
        project=parsed,
        targets=_targets(theory, parsed, mapping or {}),
        rules=index.rules,
        nodes=index.nodes,
        rules_with=rules_with,
        order=index.rule_pos,
        case_of=case_of,
        kind=kind,
    )
    sources = {s.id: s.model_dump(mode="json", exclude_defaults=True) for s in theory.sources}
    taken: set[str] = set()
    new: dict[str, dict[tuple[str | None, str | None], Evidence]] = {}
    unplaced: list[Unplaced] = []
    for source in parsed.sources:
        sid = _source_id(source, taken)
        sources.setdefault(sid, {"id": sid, "citation": source.description or source.name})
        for rule_id, evidence in _passages(reading, source, sid, unplaced):
            new.setdefault(rule_id, {})[(evidence.source, evidence.locator)] = evidence
        if source.whole:
            names = tuple(parsed.codes[g].name for g in source.whole if g in parsed.codes)
            reason = "coded as a whole source; cimo reads coded passages only"
            unplaced.append(
                Unplaced(source=sid, locator="whole source", codes=names, reason=reason)
            )
    for kind, name in parsed.skipped:
        reason = f"a {kind}: cimo reads plain-text sources only"
        unplaced.append(Unplaced(source=name, locator="whole source", codes=(), reason=reason))
    data_theory, added = _with_evidence(theory, new)
    data_theory["sources"] = list(sources.values())
    if people:
        data_theory["participants"] = people
    counts = Counter(c for s in parsed.sources for p in s.passages for c in set(p.codes))
    return QdpxImport(
        theory=validated(data_theory),
        passages=sum(len({(p.start, p.end) for p in s.passages}) for s in parsed.sources),
        added=added,
        codes=tuple(
            CodeMatch(
                code=c.path, guid=c.guid, target=reading.targets[c.guid], passages=counts[c.guid]
            )
            for c in parsed.codes.values()
        ),
        unplaced=tuple(unplaced),
    )


def _with_evidence(
    theory: Theory, new: Mapping[str, dict[tuple[str | None, str | None], Evidence]]
) -> tuple[dict[str, Any], int]:
    """The theory's data with the new evidence: same source and locator replaces, else appends."""
    added = 0
    data = to_data(theory)
    for rule, data_rule in zip(theory.rules, data.get("rules", ()), strict=True):
        fresh = dict(new.get(rule.id, {}))
        if fresh:
            kept = [fresh.pop((e.source, e.locator), e) for e in rule.evidence]
            added += len(fresh)
            kept.extend(fresh.values())
            data_rule["evidence"] = [e.model_dump(mode="json", exclude_none=True) for e in kept]
    return data, added


def _source_id(source: Source, taken: set[str]) -> str:
    """The source's id: its name without a document suffix (``interview-01.txt``)."""
    stem, suffix = posixpath.splitext(source.name)
    return fresh_id(stem if suffix.lower() in _DOCUMENT_SUFFIXES else source.name, taken)


def source_texts(path: str | os.PathLike[str]) -> dict[str, str]:
    """The texts of a theory's sources, by source id: from a folder or a ``.qdpx`` project.

    A folder gives one text per ``<source-id>.txt`` file in it (UTF-8); a project
    gives its plain-text sources, with the ids :func:`import_qdpx` gives them.

    Raises:
        FileFormatError: if the path is neither, or a text cannot be read.
    """
    where = Path(path)
    if where.is_dir():
        return {
            f.stem: decode(read_file_bytes(f, what="transcript"), "it", str(f))
            for f in sorted(where.glob("*.txt"))
        }
    data, name = project_bytes(path)
    taken: set[str] = set()
    return {_source_id(s, taken): s.text for s in read_project(data, name).sources}


# --------------------------------------------------------------------------- writing


class QdpxExport(BaseModel):
    """What :func:`to_qdpx` made: the ``.qdpx`` bytes, and the quotes it could not place."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data: bytes
    placed: int
    """Evidence quotes written as coded passages."""
    not_placed: tuple[NotPlaced, ...]

    def __str__(self) -> str:
        lines = [f"{self.placed} evidence quotes coded in their sources"]
        lines += [
            f"rule {n.rule}: quote {(n.quote or '')[:40]!r} not coded: {n.reason}"
            for n in self.not_placed
        ]
        return "\n".join(lines)


def to_qdpx(theory: Theory, *, texts: Mapping[str, str] | None = None) -> QdpxExport:
    """The theory as a REFI-QDA project: codebook, cases, and evidence quotes coded in sources.

    Args:
        theory: The theory.
        texts: The full text of sources, by source id (:func:`source_texts`). A
            quote is coded where its locator (``characters START-END``) says, when
            the text there is the quote, else at its first occurrence in the text.

    Raises:
        UsageError: if a label, description or text holds a character XML cannot carry.
    """
    check_xml_text(theory)
    texts = dict(texts or {})
    for sid, text in texts.items():
        if bad := _NOT_XML.search(text):
            raise UsageError(
                f"the text of source {sid!r} holds the control character "
                f"U+{ord(bad.group()):04X}, which XML cannot carry; remove it"
            )
    guid = guids(theory)
    ET.register_namespace("", NAMESPACE)
    user = guid("user", "cimo")
    root = ET.Element(
        f"{_NS}Project", name=theory.title, origin=f"cimo {__version__}", creatingUserGUID=user
    )
    ET.SubElement(ET.SubElement(root, f"{_NS}Users"), f"{_NS}User", guid=user, name="cimo")
    add_codes(theory, ET.SubElement(ET.SubElement(root, f"{_NS}CodeBook"), f"{_NS}Codes"), ns=_NS)
    spots, placed, not_placed = place(theory, texts)
    add_cases(root, theory, spots, guid)
    files = add_sources(root, theory, spots, texts, guid)
    add_sets(theory, root, ns=_NS, ref="targetGUID")
    ET.indent(root)
    xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
    return QdpxExport(
        data=zip_files({"project.qde": xml, **files}), placed=placed, not_placed=tuple(not_placed)
    )
