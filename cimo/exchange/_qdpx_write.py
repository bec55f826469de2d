"""Writing REFI-QDA projects (private): placing quotes, cases and variables, sources, the zip.

Used by :func:`cimo.exchange.qdpx.to_qdpx`.
"""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from cimo.core.index import index_of
from cimo.core.records import AttributeValue
from cimo.exchange._qdpx_read import NAMESPACE
from cimo.exchange.qdc import code_guid
from cimo.model import Evidence, Theory

__all__ = ["NotPlaced", "add_cases", "add_sources", "guids", "place", "zip_files"]

_NS = f"{{{NAMESPACE}}}"
_LOCATOR = re.compile(r"characters (\d+)-(\d+)")


class NotPlaced(BaseModel):
    """An evidence quote :func:`to_qdpx` could not code in a source, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    source: str | None
    quote: str | None
    reason: str


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


def place(
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


def add_cases(
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


def add_sources(
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
            name=f"{sid}.txt",
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


def guids(theory: Theory) -> Any:
    def guid(*parts: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "cimo-qdpx:" + ":".join((theory.id, *parts))))

    return guid


def zip_files(files: Mapping[str, str]) -> bytes:
    """A zip of the files, with fixed dates so the same theory gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()
