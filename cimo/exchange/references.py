"""References: a theory's sources from reference managers (BibTeX, RIS, CSL-JSON), and back.

Zotero, EndNote, Mendeley and JabRef export references as BibTeX (``.bib``),
RIS (``.ris``) or CSL-JSON (``.json``). :func:`read_references` reads any of
them into :class:`~cimo.model.Source` records (parsed by ``bibtexparser`` and
``rispy``: ``pip install 'cimo[references]'``); :func:`update_sources` adds
them to a theory, matching the sources it already has by DOI, then by id (the
citation key); :func:`write_references` writes a theory's sources back as
BibTeX or CSL-JSON. A source's appraisal (relevance, richness, rigour) lives
in the theory and is never taken from, nor written to, a reference file.

>>> import cimo
>>> from cimo.exchange.references import dumps_references, loads_references
>>> theory = cimo.load_example("work-focused-group-cbt")
>>> text = dumps_references(theory.sources, format="csl-json")
>>> [s.id for s in loads_references(text, format="csl-json")] == [s.id for s in theory.sources]
True
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeAlias

from pydantic import ValidationError

from cimo._files import atomic_write, read_file_bytes
from cimo._json import parse_json
from cimo._util import plural, slug
from cimo.core._base import ID_PATTERN
from cimo.edit import evolve
from cimo.errors import FileFormatError, MissingDependencyError, UsageError
from cimo.model import CimoModel, Source, Theory

__all__ = [
    "ReferenceFormat",
    "SourceUpdate",
    "dumps_references",
    "loads_references",
    "normalise_doi",
    "read_references",
    "reference_format",
    "update_sources",
    "write_references",
]

#: The reference formats: ``bibtex`` (``.bib``), ``ris`` (``.ris``, read only) and
#: ``csl-json`` (``.json``).
ReferenceFormat: TypeAlias = Literal["bibtex", "ris", "csl-json"]
_SUFFIXES: dict[str, ReferenceFormat] = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".ris": "ris",
    ".json": "csl-json",
}
#: The bibliographic fields of a source (what a reference file carries).
_BIBLIOGRAPHIC = (
    "type", "authors", "title", "container", "year", "volume", "issue", "pages", "publisher",
    "doi", "url",
)  # fmt: skip


def reference_format(path: str | Path) -> ReferenceFormat:
    """The reference format of a file, from its suffix.

    >>> reference_format("refs.bib"), reference_format("Export.RIS")
    ('bibtex', 'ris')

    Raises:
        UsageError: for a suffix that is not ``.bib``, ``.ris`` or ``.json``.
    """
    found = _SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise UsageError(
            f"{path}: not a reference file by its name; use .bib (BibTeX), .ris (RIS) "
            "or .json (CSL-JSON)"
        )
    return found


def normalise_doi(doi: str) -> str:
    """A DOI as compared: lower case, without ``https://doi.org/`` or ``doi:``.

    >>> normalise_doi("https://doi.org/10.1108/MHRJ-12-2020-0094")
    '10.1108/mhrj-12-2020-0094'
    """
    return _DOI_PREFIX.sub("", doi.strip()).casefold()


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
_ID = re.compile(ID_PATTERN)


# --------------------------------------------------------------------------- reading


def read_references(
    path: str | Path, *, format: ReferenceFormat | None = None
) -> tuple[Source, ...]:
    """The references of a BibTeX, RIS or CSL-JSON file, as sources (format from the suffix).

    Each source's id is the reference's citation key when that is a valid id
    (BibTeX keys, CSL-JSON ids), otherwise ``family-year`` of its first author
    (``walker-2021``; ``walker-2021b`` for a second one); its citation is made
    from the bibliographic fields.

    Raises:
        FileFormatError: for a file that cannot be read, or a syntax error, with
            the file and line.
        MissingDependencyError: for BibTeX or RIS when ``bibtexparser`` or
            ``rispy`` is not installed.
    """
    fmt = format or reference_format(path)
    raw = read_file_bytes(path, what="reference file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileFormatError(
            f"not UTF-8 text (byte {err.start}); export the references as UTF-8", file=str(path)
        ) from None
    return loads_references(text, format=fmt, file=str(path))


def loads_references(
    text: str, *, format: ReferenceFormat, file: str | None = None
) -> tuple[Source, ...]:
    """The references in ``text`` (BibTeX, RIS or CSL-JSON), as sources.

    >>> bib = "@article{smith2020, author = {Smith, Ann}, title = {T}, year = 2020}"
    >>> loads_references(bib, format="bibtex")[0].citation
    'Smith, A. (2020). T.'

    Raises:
        FileFormatError: for a syntax error, with ``file`` and the line.
    """
    parse = {"bibtex": _from_bibtex, "ris": _from_ris, "csl-json": _from_csl}[format]
    records = parse(text, file)
    taken: set[str] = set()
    out = []
    for line, key, fields in records:
        fields = {k: v for k, v in fields.items() if v not in (None, "", ())}
        usable = key if key and _ID.fullmatch(key) and not key.isdigit() else None
        ident = _fresh(usable, fields, taken)
        try:
            out.append(Source(id=ident, citation=_citation(fields, ident), **fields))
        except ValidationError as err:
            problem = err.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            raise FileFormatError(
                f"reference {key or ident!r}: {where}: {problem['msg']}", file=file, line=line
            ) from None
    return tuple(out)


def _fresh(key: str | None, fields: Mapping[str, Any], taken: set[str]) -> str:
    """The reference's key, or ``family-year``; a letter is added to one already taken."""
    if key is None:  # the first author's family name, else the title's first long word
        authors = fields.get("authors", ())
        words = str(fields.get("title", "")).split()
        name = (
            authors[0].split(",")[0]
            if authors
            else next((w for w in words if len(w) > 3), words[0] if words else "source")
        )
        base = slug(name, fallback="source").lower()
        base = f"{base}-{fields['year']}" if fields.get("year") else base
    else:
        base = key
    ident = base
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if ident not in taken:
            break
        ident = base + letter
    else:
        ident = f"{base}-{len(taken)}"
    taken.add(ident)
    return ident


def _citation(fields: Mapping[str, Any], ident: str) -> str:
    """A reference in one line, as ``Walker, N. and Hall, S. (2022). Title. Journal, 27(4).``."""
    names = [_initials(a) for a in fields.get("authors", ())]
    who = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
    year = f"({fields['year']})." if "year" in fields else ""
    parts = [f"{who} {year}".strip() if year else _end(who)]
    if fields.get("title"):
        parts.append(_end(fields["title"]))
    where = fields.get("container", "")
    if fields.get("volume"):
        where += f", {fields['volume']}" + (f"({fields['issue']})" if fields.get("issue") else "")
    if fields.get("pages"):
        where += f", {fields['pages']}"
    if where.strip(", "):
        parts.append(where.strip(", ") + ".")
    elif fields.get("publisher"):
        parts.append(fields["publisher"] + ".")
    return " ".join(p for p in parts if p) or ident


def _end(text: str) -> str:
    """``text`` ending with one full stop (or empty)."""
    return text if not text or text.endswith(".") else text + "."


def _initials(name: str) -> str:
    """``Walker, Nicola Jane`` as ``Walker, N. J.``; an organisation as it is."""
    family, _, given = name.partition(", ")
    if not given:
        return family
    letters = [w[0] + "." for w in re.split(r"[\s.]+", given) if w]
    return f"{family}, {' '.join(letters)}"


_Record: TypeAlias = tuple[int | None, str | None, dict[str, Any]]


def _need(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"reading references needs {module}: pip install 'cimo[references]'"
        ) from None


# --------------------------------------------------------------------------- BibTeX

#: BibTeX (and biblatex) entry types as CSL item types, and back.
_CSL_OF_BIBTEX = {
    "article": "article-journal", "book": "book", "inbook": "chapter",
    "incollection": "chapter", "inproceedings": "paper-conference",
    "conference": "paper-conference", "techreport": "report", "report": "report",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "online": "webpage", "electronic": "webpage", "www": "webpage", "dataset": "dataset",
    "software": "software", "unpublished": "manuscript", "manual": "report", "misc": "document",
}  # fmt: skip
_BIBTEX_OF_CSL = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "article": "article", "book": "book", "chapter": "incollection",
    "paper-conference": "inproceedings", "report": "techreport", "thesis": "phdthesis",
    "webpage": "online", "dataset": "dataset", "software": "software",
    "manuscript": "unpublished",
}  # fmt: skip
#: Where a BibTeX entry of each type names its container and its publisher.
_CONTAINER_FIELDS = ("journal", "journaltitle", "booktitle")
_PUBLISHER_FIELDS = ("publisher", "institution", "school", "organization")


def _from_bibtex(text: str, file: str | None) -> list[_Record]:
    bibtexparser = _need("bibtexparser")
    middlewares = _need("bibtexparser.middlewares")
    logger = logging.getLogger("bibtexparser.splitter")
    was, logger.disabled = logger.disabled, True  # it logs what is raised below
    try:
        library = bibtexparser.parse_string(
            text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
        )
    finally:
        logger.disabled = was
    for block in library.failed_blocks:
        raise _bibtex_error(block, text, file)
    return [(e.start_line + 1, e.key, _bibtex_fields(e)) for e in library.entries]


def _bibtex_error(block: Any, text: str, file: str | None) -> FileFormatError:
    line = block.start_line + 1
    error = block.error
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    reason = reason.split(". Note:")[0].strip().rstrip(".").replace("`", "'")
    end = getattr(error, "end_index", None)
    if isinstance(end, int) and text.count("\n", 0, end) + 1 != line:
        reason += f" (reading stopped on line {text.count(chr(10), 0, end) + 1})"
    head = block.raw.strip().splitlines()[0][:60] if block.raw.strip() else ""
    fix = {
        "DuplicateBlockKeyBlock": "give each entry its own citation key",
        "DuplicateFieldKeyBlock": "keep one of the two fields",
    }.get(
        type(block).__name__,
        "check that its braces and quotes are balanced and its fields are separated by commas",
    )
    return FileFormatError(
        f"BibTeX error in the entry starting {head!r}: {reason}; {fix}", file=file, line=line
    )


def _bibtex_fields(entry: Any) -> dict[str, Any]:
    def get(*keys: str) -> str | None:
        for key in keys:
            field = entry.get(key)
            if field is not None and isinstance(field.value, str) and field.value.strip():
                return _latex(field.value)
        return None

    authors = entry.get("author") or entry.get("editor")
    year = get("year", "date")
    return {
        "type": _CSL_OF_BIBTEX.get(entry.entry_type.lower(), "document"),
        "authors": tuple(_bibtex_name(n) for n in (authors.value if authors else ())),
        "title": get("title"),
        "container": get(*_CONTAINER_FIELDS),
        "year": _year(year),
        "volume": get("volume"),
        "issue": get("number", "issue"),
        "pages": _pages(get("pages")),
        "publisher": get(*_PUBLISHER_FIELDS),
        "doi": _doi(entry.get("doi").value if entry.get("doi") else None),
        "url": _url(entry.get("url").value if entry.get("url") else None),
    }


def _bibtex_name(parts: Any) -> str:
    family = _latex(" ".join([*parts.von, *parts.last]))
    given = _latex(" ".join([*parts.first, *parts.jr]))
    return f"{family}, {given}" if given else family


def _latex(value: str) -> str:
    r"""LaTeX text (``{\"u}``, ``\&``, ``--``) as plain text, spaces folded."""
    return " ".join(_latex_decoder().latex_to_text(value).split())


@functools.cache
def _latex_decoder() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    macros = get_default_latex_context_db()
    macros.add_context_category(  # the two marks the encoder writes that decode differently
        "cimo", prepend=True, macros=[MacroTextSpec(m, t) for m, t in _ASCII_MACROS.items()]
    )
    return LatexNodes2Text(latex_context=macros)


def _tex(value: str) -> str:
    r"""Text as a BibTeX value: the characters TeX treats specially escaped, Unicode kept.

    >>> print(_tex("R&D -- 100% {x} ^"))
    R\&D -{}- 100\% \{x\} {\textasciicircum}
    """
    return _LIGATURE.sub(lambda m: m.group()[0] + "{}", value.translate(_TEX_ESCAPES))


#: ASCII characters TeX reads as commands, written so that they read back as themselves.
_TEX_ESCAPES = str.maketrans(
    {
        **{c: "\\" + c for c in "&%$#_{}"},
        "\\": "{\\textbackslash}",
        "~": "{\\textasciitilde}",
        "^": "{\\textasciicircum}",
        '"': "{\\textquotedbl}",
        "`": "{\\textasciigrave}",
    }
)
#: Pairs TeX joins into one mark (``--`` an en dash, ``''`` a closing quote, ``!``` ...).
_LIGATURE = re.compile(r"-(?=-)|'(?=')|[!?](?=`)|<(?=<)|>(?=>)|,(?=,)")


#: ASCII marks written as macros, read back as themselves (pylatexenc would read
#: ``{\textasciicircum}`` as a modifier letter and ``''`` as a closing quote).
_ASCII_MACROS = {"textasciicircum": "^", "textquotedbl": '"', "textasciigrave": "`"}


# --------------------------------------------------------------------------- RIS

_CSL_OF_RIS = {
    "JOUR": "article-journal", "JFULL": "article-journal", "EJOUR": "article-journal",
    "MGZN": "article-magazine", "NEWS": "article-newspaper", "BOOK": "book", "EBOOK": "book",
    "CHAP": "chapter", "ECHAP": "chapter", "CONF": "paper-conference",
    "CPAPER": "paper-conference", "RPRT": "report", "GOVDOC": "report", "THES": "thesis",
    "ELEC": "webpage", "WEB": "webpage", "DATA": "dataset", "COMP": "software",
    "UNPB": "manuscript",
}  # fmt: skip
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")
_RIS_LIKE = re.compile(r"^[A-Z][A-Z0-9] *-")


def _from_ris(text: str, file: str | None) -> list[_Record]:
    rispy = _need("rispy")
    starts = _check_ris(text, file)
    try:
        records = rispy.loads(text)
    except Exception as err:  # rispy raises plain exceptions for what it cannot read
        raise FileFormatError(f"not a readable RIS file ({err})", file=file) from None
    return [(line, None, _ris_fields(r)) for line, r in zip(starts, records, strict=False)]


def _check_ris(text: str, file: str | None) -> list[int]:
    """The line of each record's ``TY``; a located error for a line that breaks RIS."""
    starts: list[int] = []
    open_at: int | None = None

    def error(line: int, what: str) -> FileFormatError:
        return FileFormatError(f"RIS syntax error: {what}", file=file, line=line)

    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        tag = _RIS_LINE.match(line)
        if tag is None:
            if _RIS_LIKE.match(line):
                raise error(
                    n, f"{line[:40]!r} is not a tag line; write the two-character tag, two "
                    "spaces, a hyphen and a space ('TI  - Title')"
                )  # fmt: skip
            if line and open_at is None:
                raise error(n, f"{line[:40]!r} is outside a record; records start with 'TY  - '")
            continue
        if tag.group(1) == "TY":
            if open_at is not None:
                raise error(n, f"a new record starts before the record of line {open_at} ends "
                               "with 'ER  - '")  # fmt: skip
            open_at = n
            starts.append(n)
        elif open_at is None:
            raise error(n, f"tag {tag.group(1)} is outside a record; records start with 'TY  - '")
        elif tag.group(1) == "ER":
            open_at = None
    if open_at is not None:
        raise error(open_at, "the record starting here never ends; end it with 'ER  - '")
    return starts


def _ris_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    def first(*keys: str) -> str | None:
        for key in keys:
            value = record.get(key)
            value = value[0] if isinstance(value, list) and value else value
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())
        return None

    start, end = first("start_page"), first("end_page")
    authors = record.get("authors") or record.get("first_authors") or ()
    return {
        "type": _CSL_OF_RIS.get(str(record.get("type_of_reference", "")).upper(), "document"),
        "authors": tuple(" ".join(a.split()) for a in authors if a.strip()),
        "title": first("title", "primary_title"),
        "container": first(
            "journal_name", "secondary_title", "alternate_title3", "alternate_title1"
        ),
        "year": _year(first("year", "publication_year", "date")),
        "volume": first("volume"),
        "issue": first("number"),
        "pages": _pages(f"{start}-{end}" if start and end else start),
        "publisher": first("publisher"),
        "doi": _doi(first("doi")),
        "url": _url(first("urls")),
    }


# --------------------------------------------------------------------------- CSL-JSON


def _from_csl(text: str, file: str | None) -> list[_Record]:
    data = parse_json(text, file=file, what="CSL-JSON")
    items = (
        data if isinstance(data, list) else data.get("items") if isinstance(data, dict) else None
    )
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise FileFormatError(
            "CSL-JSON is a list of items (objects with 'id', 'type', 'title', ...); export "
            "the references as CSL JSON",
            file=file,
        )
    lines = _item_lines(text, len(items))
    out: list[_Record] = []
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else None
        if not isinstance(item.get("type", ""), str) or not item.get("id"):
            raise FileFormatError(
                f"CSL-JSON item {i + 1} has no 'id' (every item needs one)", file=file, line=line
            )
        try:
            fields = _csl_fields(item)
        except (TypeError, AttributeError, IndexError, KeyError) as err:
            raise FileFormatError(
                f"CSL-JSON item {i + 1} ({item['id']!r}): a field has an unexpected shape "
                f"({err}); names are lists of objects, 'issued' is {{\"date-parts\": [[year]]}}",
                file=file,
                line=line,
            ) from None
        out.append((line, str(item["id"]), fields))
    return out


def _item_lines(text: str, count: int) -> list[int]:
    """The line on which each top-level item of a CSL-JSON list starts (a linear scan)."""
    lines, depth, in_string, escaped, line = [], 0, False, False, 1
    for char in text:
        if char == "\n":
            line += 1
        elif in_string:
            escaped, in_string = (False, in_string) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            if depth == 1 and char == "{":
                lines.append(line)
            depth += 1
        elif char in "]}":
            depth -= 1
    return lines[:count]


def _csl_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    def text(key: str) -> str | None:
        value = item.get(key)
        return " ".join(str(value).split()) if value not in (None, "") else None

    issued = item.get("issued") or {}
    if not isinstance(issued, dict):  # a year or date written directly: read the year in it
        issued = {"raw": issued}
    parts = issued.get("date-parts")
    year = parts[0][0] if parts and parts[0] else (issued.get("raw") or issued.get("literal"))
    return {
        "type": slug(str(item.get("type") or "document")) or "document",
        "authors": tuple(name for a in _names(item) if (name := _csl_name(a)).strip()),
        "title": text("title"),
        "container": text("container-title"),
        "year": _year(str(year) if year is not None else None),
        "volume": text("volume"),
        "issue": text("issue"),
        "pages": _pages(text("page")),
        "publisher": text("publisher"),
        "doi": _doi(text("DOI")),
        "url": _url(text("URL")),
    }


def _names(item: Mapping[str, Any]) -> list[Any]:
    names = item.get("author") or item.get("editor") or []
    if not isinstance(names, list):
        raise TypeError("'author' is not a list")
    return names


def _csl_name(name: Any) -> str:
    if not isinstance(name, dict):
        return " ".join(str(name).split())
    if name.get("literal"):
        return str(name["literal"])
    family = " ".join(str(name[k]) for k in ("non-dropping-particle", "family") if name.get(k))
    given = " ".join(str(name[k]) for k in ("given", "dropping-particle") if name.get(k))
    return f"{family}, {given}" if given and family else family or given


# --------------------------------------------------------------------------- field values


def _year(value: str | None) -> int | None:
    found = _YEAR.search(value) if value else None
    return int(found.group()) if found else None


def _pages(value: str | None) -> str | None:
    return re.sub(r"\s*[-\u2010-\u2015]+\s*", "-", value) if value else None


def _doi(value: str | None) -> str | None:
    return _DOI_PREFIX.sub("", value.strip()) if value and value.strip() else None


def _url(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


# --------------------------------------------------------------------------- adding to a theory


class SourceUpdate(CimoModel):
    """What :func:`update_sources` did: the theory, and the sources added or updated."""

    theory: Theory
    added: tuple[str, ...] = ()
    """Ids of the references that matched no source, added as new sources."""
    updated: tuple[str, ...] = ()
    """Ids of the sources whose bibliographic fields changed."""
    unchanged: tuple[str, ...] = ()
    """Ids of the sources a reference matched with nothing new."""
    matched_by_doi: tuple[str, ...] = ()
    """Ids of the sources matched by DOI (the rest of the matched ones: by id)."""
    not_in_file: tuple[str, ...] = ()
    """Ids of the theory's sources that no reference matched (kept as they are)."""

    def __str__(self) -> str:
        lines = [
            f"{plural(len(ids), 'source')} {verb}: {', '.join(ids)}"
            for verb, ids in (
                ("added", self.added),
                ("updated", self.updated),
                ("unchanged", self.unchanged),
                ("not in the reference file (kept)", self.not_in_file),
            )
            if ids
        ]
        if self.matched_by_doi:
            lines.append(f"matched by DOI: {', '.join(self.matched_by_doi)}")
        return "\n".join(lines) or "no references"


def update_sources(theory: Theory, references: Iterable[Source]) -> SourceUpdate:
    """Add references to a theory's sources, or update the sources they match.

    A reference matches a source with the same DOI (compared by
    :func:`normalise_doi`), else one with the same id, unless both have DOIs
    and they differ. A matched source keeps its id, citation and appraisal and
    takes the reference's bibliographic fields; a reference that matches
    nothing is added (its id made unique).

    >>> import cimo
    >>> theory = cimo.load_example("pwp-resilience")
    >>> ref = cimo.Source(id="vivolo2024", citation="Vivolo et al.", year=2024,
    ...                   doi="https://doi.org/10.1017/s1352465823000334")
    >>> done = update_sources(theory, [ref])
    >>> done.updated, done.matched_by_doi, done.theory.source_index["vivolo"].year
    (('vivolo',), ('vivolo',), 2024)
    """
    sources = {s.id: s for s in theory.sources}
    by_doi = {normalise_doi(s.doi): s.id for s in theory.sources if s.doi}
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    by_doi_ids: list[str] = []
    for ref in references:
        target = by_doi.get(normalise_doi(ref.doi)) if ref.doi else None
        if target is not None:
            by_doi_ids.append(target)
        elif ref.id in sources and not _other_doi(sources[ref.id], ref):
            target = ref.id
        if target is None:
            ident = _fresh(ref.id, {}, set(sources))
            sources[ident] = evolve(ref, id=ident)
            added.append(ident)
            if ref.doi:
                by_doi[normalise_doi(ref.doi)] = ident
            continue
        old = sources[target]
        new = evolve(old, **{k: getattr(ref, k) for k in _given(ref)})
        (updated if new != old else unchanged).append(target)
        sources[target] = new
    matched = set(updated) | set(unchanged)
    return SourceUpdate(
        theory=evolve(theory, sources=tuple(sources.values())),
        added=tuple(added),
        updated=tuple(dict.fromkeys(updated)),
        unchanged=tuple(dict.fromkeys(unchanged)),
        matched_by_doi=tuple(dict.fromkeys(by_doi_ids)),
        not_in_file=tuple(s.id for s in theory.sources if s.id not in matched),
    )


def _other_doi(source: Source, ref: Source) -> bool:
    return bool(source.doi and ref.doi and normalise_doi(source.doi) != normalise_doi(ref.doi))


def _given(ref: Source) -> list[str]:
    return [k for k in _BIBLIOGRAPHIC if getattr(ref, k) not in (None, ())]


# --------------------------------------------------------------------------- writing


def dumps_references(sources: Sequence[Source], *, format: Literal["bibtex", "csl-json"]) -> str:
    r"""Sources as BibTeX or CSL-JSON text.

    A source with no title (only a citation) is written with its citation as
    the title (CSL-JSON) or as a ``note`` (BibTeX), so nothing is lost.

    >>> import cimo
    >>> print(dumps_references([cimo.Source(id="who-2017", citation="WHO (2017)",
    ...     authors=("World Health Organization",), title="A & B", year=2017)],
    ...     format="bibtex"))  # doctest: +NORMALIZE_WHITESPACE
    @misc{who-2017,
        author = {{World Health Organization}},
        title = {A \& B},
        year = {2017}
    }
    <BLANKLINE>
    """
    if format == "csl-json":
        return json.dumps([_csl_item(s) for s in sources], ensure_ascii=False, indent=2) + "\n"
    return _to_bibtex(sources)


def write_references(theory: Theory, path: str | Path) -> Path:
    """Write a theory's sources as BibTeX (``.bib``) or CSL-JSON (``.json``), atomically.

    Raises:
        UsageError: for another suffix (RIS is read, not written).
    """
    fmt = reference_format(path)
    if fmt == "ris":
        raise UsageError(f"{path}: cimo writes references as .bib (BibTeX) or .json (CSL-JSON)")
    return atomic_write(path, dumps_references(theory.sources, format=fmt))


def _csl_item(source: Source) -> dict[str, Any]:
    item: dict[str, Any] = {"id": source.id, "type": source.type or "document"}
    if source.authors:
        item["author"] = [_csl_author(a) for a in source.authors]
    item["title"] = source.title or source.citation
    plain = {
        "container-title": source.container, "volume": source.volume, "issue": source.issue,
        "page": source.pages, "publisher": source.publisher, "DOI": source.doi, "URL": source.url,
    }  # fmt: skip
    item.update({k: v for k, v in plain.items() if v})
    if source.year is not None:
        item["issued"] = {"date-parts": [[source.year]]}
    return item


def _csl_author(name: str) -> dict[str, str]:
    family, _, given = name.partition(", ")
    return {"family": family, "given": given} if given else {"literal": name}


def _to_bibtex(sources: Sequence[Source]) -> str:
    bibtexparser = _need("bibtexparser")
    model = _need("bibtexparser.model")
    library = bibtexparser.Library()
    for s in sources:
        kind = _BIBTEX_OF_CSL.get(s.type or "", "misc")
        fields = [
            ("author", " and ".join(_bibtex_author(a) for a in s.authors)),
            ("title", _tex(s.title) if s.title else None),
            (_container_key(kind), _tex(s.container) if s.container else None),
            ("year", str(s.year) if s.year is not None else None),
            ("volume", _tex(s.volume) if s.volume else None),
            ("number", _tex(s.issue) if s.issue else None),
            ("pages", s.pages.replace("-", "--") if s.pages else None),
            (_publisher_key(kind), _tex(s.publisher) if s.publisher else None),
            ("doi", _braces_safe(s.doi)),
            ("url", _braces_safe(s.url)),
            ("note", _tex(s.citation) if not s.title else None),
        ]
        library.add(model.Entry(kind, s.id, [model.Field(k, v) for k, v in fields if v]))
    return str(bibtexparser.write_string(library))


def _bibtex_author(name: str) -> str:
    """``Family, Given`` as a BibTeX name; a part BibTeX would split further, in braces."""
    family, _, given = name.partition(", ")
    if not given:
        return "{" + _tex(name) + "}"
    return ", ".join(
        "{" + _tex(part) + "}" if _SPLITS_NAME.search(part) else _tex(part)
        for part in (family, given)
    )


#: What BibTeX reads as a break inside a name list or a name: ``and``, a comma, a brace.
_SPLITS_NAME = re.compile(r",|\band\b|[{}]", re.IGNORECASE)


def _container_key(kind: str) -> str:
    return "journal" if kind == "article" else "booktitle"


def _publisher_key(kind: str) -> str:
    return {"techreport": "institution", "phdthesis": "school"}.get(kind, "publisher")


def _braces_safe(value: str | None) -> str | None:
    """A DOI or URL as a BibTeX value: braces percent-encoded (a URL has none of its own)."""
    if not value:
        return None
    return value.replace("{", "%7B").replace("}", "%7D")
