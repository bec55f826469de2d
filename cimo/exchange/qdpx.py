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

import io
import os
import posixpath
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from cimo._files import max_file_bytes, read_file_bytes
from cimo._util import suggest
from cimo._version import __version__
from cimo.core.data import to_data
from cimo.core.index import index_of
from cimo.core.records import AttributeValue
from cimo.core.vocabulary import EvidenceStance
from cimo.errors import FileFormatError, UsageError
from cimo.exchange._common import check_xml_text, fresh_id, safe_xml, validated
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

#: The XML namespace of REFI-QDA projects.
NAMESPACE = "urn:QDA-XML:project:1.0"
_NS = f"{{{NAMESPACE}}}"
#: Most members a project may hold (sources, pictures, ...).
_MAX_MEMBERS = 10_000
_LOCATOR = re.compile(r"characters (\d+)-(\d+)")
_ID_LINE = re.compile(r"(?:^|\n)cimo id: (\S+)\s*$")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue")


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Code:
    guid: str
    name: str
    path: str
    description: str


@dataclass(frozen=True)
class _Passage:
    guid: str
    start: int
    end: int
    codes: tuple[str, ...]


@dataclass(frozen=True)
class _Source:
    guid: str
    name: str
    description: str
    text: str
    passages: tuple[_Passage, ...]


@dataclass(frozen=True)
class _Case:
    guid: str
    name: str
    attributes: tuple[tuple[str, AttributeValue], ...]
    sources: frozenset[str]
    selections: frozenset[str]


@dataclass
class _Project:
    file: str
    codes: dict[str, _Code] = field(default_factory=dict)
    sources: list[_Source] = field(default_factory=list)
    cases: list[_Case] = field(default_factory=list)


def _open_zip(data: bytes, file: str) -> zipfile.ZipFile:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        hint = (
            "; it looks like XML: a codebook (.qdc) is read with `cimo import --from qdc`"
            if data.lstrip()[:1] == b"<"
            else ""
        )
        raise FileFormatError(
            "is not a REFI-QDA project: not a zip archive (a .qdpx file is a zip holding "
            f"project.qde and a sources/ folder; export it again from your QDA tool){hint}",
            file=file,
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise FileFormatError(f"is not a readable zip archive ({err})", file=file) from None
    infos = archive.infolist()
    if len(infos) > _MAX_MEMBERS:
        raise FileFormatError(
            f"holds {len(infos):,} files; cimo reads projects of at most {_MAX_MEMBERS:,}",
            file=file,
        )
    return archive


def _member(archive: zipfile.ZipFile, name: str, file: str, budget: list[int]) -> bytes:
    """One member's bytes, within what is left of the size budget (a zip bomb stops early)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise FileFormatError(f"the project has no file {name!r}", file=file) from None
    if info.file_size > budget[0]:
        raise FileFormatError(
            f"{name} unpacks to {info.file_size:,} bytes, more than cimo's limit of "
            f"{max_file_bytes():,} bytes for a whole project; set CIMO_MAX_FILE_BYTES to read "
            "larger projects",
            file=file,
        )
    try:
        with archive.open(info) as handle:
            data = handle.read(budget[0] + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as err:
        raise FileFormatError(f"cannot unpack {name} ({err})", file=file) from None
    if len(data) > budget[0]:
        raise FileFormatError(f"{name} unpacks to more than cimo's size limit", file=file)
    budget[0] -= len(data)
    return data


def _qde_name(archive: zipfile.ZipFile, file: str) -> str:
    names = [n for n in archive.namelist() if n.endswith(".qde") and "/" not in n]
    if len(names) != 1:
        found = f"found {names}" if names else "found none"
        raise FileFormatError(
            "a REFI-QDA project holds exactly one project file (*.qde) at the top of the zip; "
            f"{found}",
            file=file,
        )
    return names[0]


def _source_member(path: str, where: str, file: str) -> str:
    """The zip member ``internal://name`` names; anything outside ``sources/`` is refused."""
    if not path.startswith("internal://"):
        raise FileFormatError(
            f"{where} points at {path!r}, outside the project; cimo reads only sources stored "
            "inside the .qdpx (internal://...): export the project with its sources embedded",
            file=file,
        )
    name = path.removeprefix("internal://")
    member = posixpath.normpath(posixpath.join("sources", name))
    if "\\" in name or name.startswith("/") or not member.startswith("sources/"):
        raise FileFormatError(
            f"{where} names the file {path!r}, which escapes the sources/ folder; refused",
            file=file,
        )
    return member


def _decode(data: bytes, where: str, file: str) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise FileFormatError(
            f"{where} is not UTF-8 text (byte {err.start}); REFI-QDA plain-text sources are "
            "UTF-8: save the transcript as UTF-8 and export again",
            file=file,
        ) from None


def _read_project(data: bytes, file: str) -> _Project:
    archive = _open_zip(data, file)
    budget = [max_file_bytes()]
    qde = _qde_name(archive, file)
    try:
        root = safe_xml(_member(archive, qde, file, budget), what=f"{qde}")
    except FileFormatError as err:
        raise FileFormatError(err.message, file=f"{file}:{qde}", line=err.line) from None
    if root.tag != f"{_NS}Project":
        raise FileFormatError(
            f"{qde}: the root element is {root.tag!r}; expected Project in the namespace "
            f"{NAMESPACE!r}",
            file=file,
        )
    project = _Project(file=file)
    book = root.find(f"{_NS}CodeBook/{_NS}Codes")
    if book is not None:
        _read_codes(book, "", project.codes)
    variables = {
        v.get("guid", ""): v.get("name", "") for v in root.iterfind(f"{_NS}Variables/{_NS}Variable")
    }
    for case in root.iterfind(f"{_NS}Cases/{_NS}Case"):
        project.cases.append(
            _Case(
                guid=case.get("guid", ""),
                name=case.get("name") or case.get("guid", ""),
                attributes=tuple(_values(case, variables)),
                sources=frozenset(
                    r.get("targetGUID", "") for r in case.iterfind(f"{_NS}SourceRef")
                ),
                selections=frozenset(
                    r.get("targetGUID", "") for r in case.iterfind(f"{_NS}SelectionRef")
                ),
            )
        )
    for source in root.iterfind(f"{_NS}Sources/{_NS}TextSource"):
        project.sources.append(_read_source(source, archive, file, budget, project.codes))
    return project


def _read_codes(parent: ET.Element, path: str, out: dict[str, _Code]) -> None:
    for code in parent.iterfind(f"{_NS}Code"):
        name = code.get("name", "")
        full = f"{path}/{name}" if path else name
        guid = code.get("guid", "")
        out[guid] = _Code(guid, name, full, code.findtext(f"{_NS}Description") or "")
        _read_codes(code, full, out)


def _values(case: ET.Element, variables: Mapping[str, str]) -> Iterable[tuple[str, Any]]:
    for value in case.iterfind(f"{_NS}VariableValue"):
        ref = value.find(f"{_NS}VariableRef")
        name = variables.get(ref.get("targetGUID", "") if ref is not None else "")
        if not name:
            continue
        for tag in (*_VALUE_TAGS, "DateTimeValue"):
            text = value.findtext(f"{_NS}{tag}")
            if text is not None and text.strip():
                yield name, _typed(tag, text.strip())
                break


def _typed(tag: str, text: str) -> AttributeValue:
    try:
        if tag == "BooleanValue":
            return text in ("true", "1")
        if tag == "IntegerValue":
            return int(text)
        if tag == "FloatValue":
            return float(text)
    except ValueError:
        pass
    return text


def _read_source(
    source: ET.Element,
    archive: zipfile.ZipFile,
    file: str,
    budget: list[int],
    codes: Mapping[str, _Code],
) -> _Source:
    name = source.get("name") or source.get("guid") or "(unnamed)"
    where = f"source {name!r}"
    inline = source.findtext(f"{_NS}PlainTextContent")
    path = source.get("plainTextPath")
    if inline is not None:
        text = inline
    elif path:
        member = _source_member(path, where, file)
        if member not in archive.NameToInfo:
            raise FileFormatError(
                f"{where} names its text {path!r}, but the project has no file {member!r}; "
                "export the project again with its sources (or add the transcript there)",
                file=file,
            )
        text = _decode(_member(archive, member, file, budget), f"{where} ({member})", file)
    else:
        raise FileFormatError(
            f"{where} has neither a plainTextPath nor PlainTextContent; the standard asks for one",
            file=file,
        )
    passages = []
    for sel in source.iterfind(f"{_NS}PlainTextSelection"):
        guid = sel.get("guid", "")
        codes_here = tuple(
            ref.get("targetGUID", "") for ref in sel.iterfind(f"{_NS}Coding/{_NS}CodeRef")
        )
        named = ", ".join(repr(codes[c].path) for c in codes_here if c in codes) or "no code"
        try:
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
        except ValueError:
            raise FileFormatError(
                f"{where}: coded passage {guid} ({named}) has no whole-number startPosition "
                "and endPosition",
                file=file,
            ) from None
        if not 0 <= start <= end <= len(text):
            beyond = end > len(text)
            raise FileFormatError(
                f"{where}: coded passage {guid} ({named}) runs from character {start} to {end}"
                + (
                    f", beyond the end of its source ({len(text):,} characters); was the "
                    "transcript changed after coding? Export the project again from your QDA tool"
                    if beyond
                    else ", which is not a span of the text (start after end, or negative)"
                ),
                file=file,
            )
        for c in codes_here:
            if c not in codes:
                raise FileFormatError(
                    f"{where}: coded passage {guid} is coded with {c}, which is not a code of "
                    "the project's codebook",
                    file=file,
                )
        passages.append(_Passage(guid, start, end, codes_here))
    return _Source(
        guid=source.get("guid", ""),
        name=name,
        description=(source.findtext(f"{_NS}Description") or "").strip(),
        text=text,
        passages=tuple(passages),
    )


def _project_bytes(project: str | os.PathLike[str] | bytes) -> tuple[bytes, str]:
    if isinstance(project, bytes):
        return project, "<project>"
    return read_file_bytes(project, what="REFI-QDA project"), str(project)


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
    """A coded passage that became no evidence, and why."""

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
        lines += [
            f"{u.source} {u.locator} ({', '.join(u.codes)}): {u.reason}" for u in self.unplaced
        ]
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


def _targets(
    theory: Theory, project: _Project, mapping: Mapping[str, str]
) -> dict[str, str | None]:
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


def _participants(theory: Theory, project: _Project) -> tuple[list[dict[str, Any]], dict[str, str]]:
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

    project: _Project
    targets: Mapping[str, str | None]
    rules: Mapping[str, Any]
    nodes: Mapping[str, Any]
    rules_with: Mapping[str, set[str]]
    order: Mapping[str, int]
    case_of: Mapping[str, str]
    kind: str | None


def _passages(
    reading: _Reading, source: _Source, sid: str, unplaced: list[Unplaced]
) -> Iterable[tuple[str, Evidence]]:
    """(rule id, evidence) for each coded span of one source; the rest goes to ``unplaced``."""
    owners = [c for c in reading.project.cases if source.guid in c.sources]
    spans: dict[tuple[int, int], list[str]] = {}
    selections: dict[tuple[int, int], set[str]] = {}
    for p in source.passages:
        spans.setdefault((p.start, p.end), []).extend(p.codes)
        selections.setdefault((p.start, p.end), set()).add(p.guid)
    for (start, end), guids in spans.items():
        locator = f"characters {start}-{end}"
        codes = list(dict.fromkeys(guids))
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
    data, file = _project_bytes(project)
    parsed = _read_project(data, file)
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


def _source_id(source: _Source, taken: set[str]) -> str:
    return fresh_id(posixpath.splitext(source.name)[0], taken)


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
            f.stem: _decode(read_file_bytes(f, what="transcript"), "it", str(f))
            for f in sorted(where.glob("*.txt"))
        }
    data, name = _project_bytes(path)
    taken: set[str] = set()
    return {_source_id(s, taken): s.text for s in _read_project(data, name).sources}


# --------------------------------------------------------------------------- writing


class NotPlaced(BaseModel):
    """An evidence quote :func:`to_qdpx` could not code in a source, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    source: str | None
    quote: str | None
    reason: str


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


def _span(evidence: Evidence, text: str) -> tuple[int, int] | None:
    quote = evidence.quote or ""
    m = _LOCATOR.fullmatch(evidence.locator or "")
    if m and text[int(m.group(1)) : int(m.group(2))] == quote:
        return int(m.group(1)), int(m.group(2))
    at = text.find(quote)
    return (at, at + len(quote)) if at >= 0 else None


def _variable_type(values: list[AttributeValue]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "Boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "Integer"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "Float"
    return "Text"


def _value_xml(kind: str, value: AttributeValue) -> tuple[str, str]:
    if kind == "Boolean":
        return "BooleanValue", "true" if value else "false"
    if kind in ("Integer", "Float"):
        return f"{kind}Value", str(value)
    return "TextValue", str(value)


@dataclass
class _Spot:
    """One passage of a source to code: the rules it is evidence for, stances, speakers."""

    codes: dict[str, None] = field(default_factory=dict)
    stances: set[str | None] = field(default_factory=set)
    people: set[str] = field(default_factory=set)


def _place(
    theory: Theory, texts: Mapping[str, str]
) -> tuple[dict[str, dict[tuple[int, int], _Spot]], int, list[NotPlaced]]:
    """Where each evidence quote goes: source id -> span -> what to code there."""
    spots: dict[str, dict[tuple[int, int], _Spot]] = {}
    not_placed: list[NotPlaced] = []
    placed = 0
    for rule in theory.rules:
        for e in rule.evidence:
            if not e.quote:
                continue
            text = texts.get(e.source) if e.source else None
            span = _span(e, text) if text is not None else None
            if span is None or e.source is None:
                reason = (
                    "no source"
                    if e.source is None
                    else f"no text given for source {e.source!r}"
                    if text is None
                    else f"the quote is not in the text of source {e.source!r}"
                )
                not_placed.append(
                    NotPlaced(rule=rule.id, source=e.source, quote=e.quote, reason=reason)
                )
                continue
            spot = spots.setdefault(e.source, {}).setdefault(span, _Spot())
            spot.codes[code_guid(theory, "rule", rule.id)] = None
            spot.stances.add(e.stance)
            if e.participant:
                spot.people.add(e.participant)
            placed += 1
    return spots, placed, not_placed


def _attribute_types(theory: Theory) -> dict[str, str]:
    values: dict[str, list[AttributeValue]] = {}
    for person in theory.participants:
        for name, value in person.attributes:
            values.setdefault(name, []).append(value)
    return {name: _variable_type(v) for name, v in values.items()}


def _add_cases(
    root: ET.Element,
    theory: Theory,
    spots: Mapping[str, Mapping[tuple[int, int], _Spot]],
    guid: Any,
) -> None:
    """Variables for the participants' attributes; a case per participant (declared or named)."""
    types = _attribute_types(theory)
    if types:
        element = ET.SubElement(root, f"{_NS}Variables")
        for name, kind in types.items():
            ET.SubElement(
                element,
                f"{_NS}Variable",
                guid=guid("variable", name),
                name=name,
                typeOfVariable=kind,
            )
    people = {p.id: p for p in theory.participants}
    named = {p for by_span in spots.values() for s in by_span.values() for p in s.people}
    cases = [*people, *sorted(named - set(people))]
    if not cases:
        return
    element = ET.SubElement(root, f"{_NS}Cases")
    for pid in cases:
        case = ET.SubElement(element, f"{_NS}Case", guid=guid("case", pid), name=pid)
        person = people.get(pid)
        if person is not None and person.label:
            ET.SubElement(case, f"{_NS}Description").text = person.label
        for name, value in person.attributes if person is not None else ():
            vv = ET.SubElement(case, f"{_NS}VariableValue")
            ET.SubElement(vv, f"{_NS}VariableRef", targetGUID=guid("variable", name))
            tag, text = _value_xml(types[name], value)
            ET.SubElement(vv, f"{_NS}{tag}").text = text
        for sid, by_span in spots.items():
            if any(pid in s.people for s in by_span.values()):
                ET.SubElement(case, f"{_NS}SourceRef", targetGUID=guid("source", sid))
        for sid, by_span in spots.items():
            for (start, end), s in by_span.items():
                if s.people == {pid}:
                    ET.SubElement(
                        case,
                        f"{_NS}SelectionRef",
                        targetGUID=guid("passage", sid, str(start), str(end)),
                    )


def _add_sources(
    root: ET.Element,
    theory: Theory,
    spots: Mapping[str, Mapping[tuple[int, int], _Spot]],
    texts: Mapping[str, str],
    guid: Any,
) -> dict[str, str]:
    """A text source per source with coded quotes; the files to store, by zip path."""
    files: dict[str, str] = {}
    if not spots:
        return files
    element = ET.SubElement(root, f"{_NS}Sources")
    cited = index_of(theory).sources
    for sid, by_span in spots.items():
        name = f"{guid('source', sid)}.txt"
        files[f"sources/{name}"] = texts[sid]
        src = ET.SubElement(
            element,
            f"{_NS}TextSource",
            guid=guid("source", sid),
            name=sid,
            plainTextPath=f"internal://{name}",
        )
        if sid in cited:
            ET.SubElement(src, f"{_NS}Description").text = cited[sid].citation
        for (start, end), spot in sorted(by_span.items()):
            at = (sid, str(start), str(end))
            sel = ET.SubElement(
                src,
                f"{_NS}PlainTextSelection",
                guid=guid("passage", *at),
                name=texts[sid][start:end][:60],
                startPosition=str(start),
                endPosition=str(end),
            )
            codes = list(spot.codes)
            stances = spot.stances - {None, "source"}
            if len(spot.stances) == 1 and len(stances) == 1:
                codes.append(code_guid(theory, "stance", str(next(iter(stances)))))
            for code in codes:
                coding = ET.SubElement(sel, f"{_NS}Coding", guid=guid("coding", *at, code))
                ET.SubElement(coding, f"{_NS}CodeRef", targetGUID=code)
    return files


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
    guid = _guids(theory)
    ET.register_namespace("", NAMESPACE)
    user = guid("user", "cimo")
    root = ET.Element(
        f"{_NS}Project", name=theory.title, origin=f"cimo {__version__}", creatingUserGUID=user
    )
    ET.SubElement(ET.SubElement(root, f"{_NS}Users"), f"{_NS}User", guid=user, name="cimo")
    add_codes(theory, ET.SubElement(ET.SubElement(root, f"{_NS}CodeBook"), f"{_NS}Codes"), ns=_NS)
    spots, placed, not_placed = _place(theory, texts)
    _add_cases(root, theory, spots, guid)
    files = _add_sources(root, theory, spots, texts, guid)
    add_sets(theory, root, ns=_NS, ref="targetGUID")
    ET.indent(root)
    xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
    return QdpxExport(
        data=_zip({"project.qde": xml, **files}), placed=placed, not_placed=tuple(not_placed)
    )


def _guids(theory: Theory) -> Any:
    def guid(*parts: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "cimo-qdpx:" + ":".join((theory.id, *parts))))

    return guid


def _zip(files: Mapping[str, str]) -> bytes:
    """A zip of the files, with fixed dates so the same theory gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()
