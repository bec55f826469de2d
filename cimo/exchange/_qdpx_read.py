"""Reading REFI-QDA projects (private): safe zip access, the project XML, located errors.

Used by :mod:`cimo.exchange.qdpx`. Nothing is extracted to disk: members are
read by name, within one size budget for the whole project (a zip bomb stops
at the limit), and a source path that is not ``internal://`` or leaves
``sources/`` is refused.
"""

from __future__ import annotations

import io
import os
import posixpath
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cimo._files import max_file_bytes, read_file_bytes
from cimo.core.records import AttributeValue
from cimo.errors import FileFormatError
from cimo.exchange._common import safe_xml

__all__ = [
    "NAMESPACE",
    "Case",
    "Code",
    "Passage",
    "Project",
    "Source",
    "decode",
    "project_bytes",
    "read_project",
]

#: The XML namespace of REFI-QDA projects.
NAMESPACE = "urn:QDA-XML:project:1.0"
_NS = f"{{{NAMESPACE}}}"
#: Most members a project may hold (sources, pictures, ...).
_MAX_MEMBERS = 10_000
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue")


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    path: str
    description: str


@dataclass(frozen=True)
class Passage:
    guid: str
    start: int
    end: int
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    guid: str
    name: str
    description: str
    text: str
    passages: tuple[Passage, ...]
    whole: tuple[str, ...] = ()
    """Codes applied to the whole source rather than to a passage."""


@dataclass(frozen=True)
class Case:
    guid: str
    name: str
    attributes: tuple[tuple[str, AttributeValue], ...]
    sources: frozenset[str]
    selections: frozenset[str]


@dataclass
class Project:
    file: str
    codes: dict[str, Code] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(kind, name) of the sources cimo does not read: pictures, PDFs, audio, video."""


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


def decode(data: bytes, where: str, file: str) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise FileFormatError(
            f"{where} is not UTF-8 text (byte {err.start}); REFI-QDA plain-text sources are "
            "UTF-8: save the transcript as UTF-8 and export again",
            file=file,
        ) from None


def read_project(data: bytes, file: str) -> Project:
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
    project = Project(file=file)
    book = root.find(f"{_NS}CodeBook/{_NS}Codes")
    if book is not None:
        _read_codes(book, "", project.codes)
    variables = {
        v.get("guid", ""): v.get("name", "") for v in root.iterfind(f"{_NS}Variables/{_NS}Variable")
    }
    for case in root.iterfind(f"{_NS}Cases/{_NS}Case"):
        project.cases.append(
            Case(
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
    for other in root.iterfind(f"{_NS}Sources/*"):
        if other.tag != f"{_NS}TextSource":
            kind = other.tag.rsplit("}", 1)[-1]
            project.skipped.append((kind, other.get("name") or other.get("guid") or "?"))
    for source in root.iterfind(f"{_NS}Sources/{_NS}TextSource"):
        project.sources.append(_read_source(source, archive, file, budget, project.codes))
    return project


def _read_codes(parent: ET.Element, path: str, out: dict[str, Code]) -> None:
    for code in parent.iterfind(f"{_NS}Code"):
        name = code.get("name", "")
        full = f"{path}/{name}" if path else name
        guid = code.get("guid", "")
        out[guid] = Code(guid, name, full, code.findtext(f"{_NS}Description") or "")
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
    codes: Mapping[str, Code],
) -> Source:
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
        text = decode(_member(archive, member, file, budget), f"{where} ({member})", file)
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
        passages.append(Passage(guid, start, end, codes_here))
    return Source(
        guid=source.get("guid", ""),
        name=name,
        description=(source.findtext(f"{_NS}Description") or "").strip(),
        text=text,
        passages=tuple(passages),
        whole=tuple(
            ref.get("targetGUID", "") for ref in source.iterfind(f"{_NS}Coding/{_NS}CodeRef")
        ),
    )


def project_bytes(project: str | os.PathLike[str] | bytes) -> tuple[bytes, str]:
    if isinstance(project, bytes):
        return project, "<project>"
    return read_file_bytes(project, what="REFI-QDA project"), str(project)
