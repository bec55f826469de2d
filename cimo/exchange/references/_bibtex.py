"""BibTeX references in and out, with bibtexparser (LaTeX text decoded by pylatexenc)."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from typing import Any

from cimo.errors import FileFormatError
from cimo.exchange.references._fields import Record, doi_in, need, pages_in, url_in, year_in
from cimo.model import Source

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


def read_bibtex(text: str, file: str | None) -> list[Record]:
    bibtexparser = need("bibtexparser")
    middlewares = need("bibtexparser.middlewares")
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
        "year": year_in(year),
        "volume": get("volume"),
        "issue": get("number", "issue"),
        "pages": pages_in(get("pages")),
        "publisher": get(*_PUBLISHER_FIELDS),
        "doi": doi_in(entry.get("doi").value if entry.get("doi") else None),
        "url": url_in(entry.get("url").value if entry.get("url") else None),
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


def write_bibtex(sources: Sequence[Source]) -> str:
    bibtexparser = need("bibtexparser")
    model = need("bibtexparser.model")
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
