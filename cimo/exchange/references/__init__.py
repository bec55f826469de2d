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

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from cimo._files import atomic_write, read_file_bytes
from cimo._util import plural, slug
from cimo.core._base import ID_PATTERN
from cimo.core.formats import ReferenceExportFormat, ReferenceFormat, format_for_suffix
from cimo.edit import evolve
from cimo.errors import FileFormatError, UsageError
from cimo.exchange.references._bibtex import read_bibtex, write_bibtex
from cimo.exchange.references._csl import csl_item, read_csl
from cimo.exchange.references._fields import DOI_PREFIX
from cimo.exchange.references._ris import read_ris
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
    found = format_for_suffix(path, kind="references")
    if found is None:
        raise UsageError(
            f"{path}: not a reference file by its name; use .bib (BibTeX), .ris (RIS) "
            "or .json (CSL-JSON)"
        )
    return cast("ReferenceFormat", found.name)


def normalise_doi(doi: str) -> str:
    """A DOI as compared: lower case, without ``https://doi.org/`` or ``doi:``.

    >>> normalise_doi("https://doi.org/10.1108/MHRJ-12-2020-0094")
    '10.1108/mhrj-12-2020-0094'
    """
    return DOI_PREFIX.sub("", doi.strip()).casefold()


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
    parse = {"bibtex": read_bibtex, "ris": read_ris, "csl-json": read_csl}[format]
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


def dumps_references(sources: Sequence[Source], *, format: ReferenceExportFormat) -> str:
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
        return json.dumps([csl_item(s) for s in sources], ensure_ascii=False, indent=2) + "\n"
    return write_bibtex(sources)


def write_references(theory: Theory, path: str | Path) -> Path:
    """Write a theory's sources as BibTeX (``.bib``) or CSL-JSON (``.json``), atomically.

    Raises:
        UsageError: for another suffix (RIS is read, not written).
    """
    fmt = reference_format(path)
    if fmt == "ris":
        raise UsageError(f"{path}: cimo writes references as .bib (BibTeX) or .json (CSL-JSON)")
    return atomic_write(path, dumps_references(theory.sources, format=fmt))
