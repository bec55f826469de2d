"""The building blocks of :mod:`cimo.strategies`: primitive strategies and the theory parts.

Private; the public strategies are in :mod:`cimo.strategies`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from cimo.errors import MissingDependencyError

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as _err:  # pragma: no cover - exercised only without hypothesis
    raise MissingDependencyError(
        "cimo.strategies needs Hypothesis: pip install 'cimo[testing]'"
    ) from _err

from cimo import _drawn as make
from cimo.core.vocabulary import (
    APPRAISAL_CRITERIA,
    AnnotationKind,
    Appraisal,
    RelationType,
    Severity,
    values,
)
from cimo.model import (
    CheckSettings,
    ComponentAspect,
    ComponentCategory,
    ComponentVocabulary,
    Context,
    Intervention,
    Iteration,
    Mechanism,
    Outcome,
    Participant,
    ProgrammeTheory,
    Taxonomy,
    TaxonomyCategory,
)
from cimo.taxonomy import BUILTIN_TAXONOMIES
from cimo.vocabulary import BUILTIN_VOCABULARIES

__all__: list[str] = []

_T = TypeVar("_T")
AnyNode = Context | Intervention | Mechanism | Outcome

_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Ids of 1 to 16 characters: an alphanumeric head, then any id characters, the
#: trailing ``-_.`` stripped. (``st.from_regex`` draws the same set at five times the cost.)
_IDS: st.SearchStrategy[str] = st.builds(
    lambda head, rest: (head + rest).rstrip("-_."),
    st.sampled_from(_ALNUM),
    st.text(alphabet=_ALNUM + "-_.", max_size=15),
)
#: Indices into what was drawn before: taken modulo the length of the pool.
_INDEX = st.integers(0, 255)
_DOMAINS = ("clinical", "work", "interpersonal")
_DOIS = ("10.1000/xyz", "10.1186/s12913-021-06006-1")
_SOURCE_TYPES = ("article-journal", "book", "chapter", "report")
_EVIDENCE_KINDS = ("realist-evaluation", "realist-synthesis", "interview")
#: Checks a generated theory's own ``check:`` block may ignore: style checks that no
#: property of the suite counts on (ignoring any check is legal, but a theory that
#: ignores the check a test selects would test nothing).
_IGNORABLE = ("M003", "M005", "R004", "N004")
_SELECTABLE = ("R", "N", "M", "G", "R002", "N001")
#: Ids a check is ignored for (``check: {ignore: {R004: [C1]}}``), in the theory or not.
_SUPPRESSED_IDS = ("C1", "R1", "c")
_INDICATORS = ("survey", "records", "interviews")
_ACTORS = ("GP", "service user")


def ids() -> st.SearchStrategy[str]:
    """Valid ids: letters, digits, ``-``, ``_`` and ``.``, starting and ending alphanumeric."""
    return _IDS


def _not_blank(text: str) -> str:
    return text if text.strip() else f"x{text}"


@cache
def _labels(alphabet: st.SearchStrategy[str] | None, max_size: int) -> st.SearchStrategy[str]:
    text = (
        st.text(alphabet=alphabet, min_size=1, max_size=max_size)
        if alphabet
        else st.text(min_size=1, max_size=max_size)
    )
    return text.map(_not_blank)


def labels(
    *, alphabet: st.SearchStrategy[str] | None = None, max_size: int = 40
) -> st.SearchStrategy[str]:
    """Labels: any non-blank text, quotes, colons, braces, newlines and all scripts included."""
    if max_size < 1:
        raise InvalidArgument(f"max_size={max_size} must be at least 1")
    return _labels(alphabet, max_size)


def _optional(strategy: st.SearchStrategy[_T]) -> st.SearchStrategy[_T | None]:
    return st.none() | strategy


def _tuples(
    strategy: st.SearchStrategy[_T], max_size: int = 2
) -> st.SearchStrategy[tuple[_T, ...]]:
    return st.lists(strategy, max_size=max_size).map(tuple)


def _choices(literal: object) -> st.SearchStrategy[str]:
    return st.sampled_from(values(literal))


#: Free tags are ids; a few words stand for them (ids themselves are drawn for every record).
_TAGS = st.lists(
    st.sampled_from(("core", "draft", "phase-1", "s3.format")), unique=True, max_size=2
)
#: Who contributed a record (``contributed_by``, as ``cimo merge`` writes it).
_CONTRIBUTORS = st.lists(
    st.sampled_from(("ours.yaml", "theirs.yaml", "Ana")), unique=True, max_size=2
).map(tuple)
_INDICES = st.lists(_INDEX, max_size=2)


def _gated(
    always: Mapping[str, st.SearchStrategy[Any]], extra: Mapping[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """The ``always`` fields, and either none of the ``extra`` ones or each drawn.

    One choice leaves every descriptive field of a record at its default, so
    plain records are cheap to draw and a failing example sheds them at once.
    """
    return st.builds(
        make.merge, st.fixed_dictionaries(always), st.none() | st.fixed_dictionaries(extra)
    )


@cache
def _ANNOTATIONS(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:  # noqa: N802
    """An annotation's fields; ``counters`` and ``source`` are indices (see ``make.annotation``)."""
    return st.fixed_dictionaries(
        {
            "kind": _choices(AnnotationKind),
            "text": text,
            "counters": _INDICES,
            "source": _optional(_INDEX),
            "locator": _optional(st.just("p. 4")),
        }
    )


# --------------------------------------------------------------------------- theory parts


@dataclass(frozen=True)
class _Parts:
    """The strategies for the theory-level parts, for one strategy of text."""

    fields: st.SearchStrategy[dict[str, Any]]
    sources: st.SearchStrategy[list[dict[str, Any]]]
    iterations: st.SearchStrategy[list[Iteration]]
    taxonomy: st.SearchStrategy[str | Taxonomy | None]
    vocabulary: st.SearchStrategy[str | ComponentVocabulary | None]
    links: st.SearchStrategy[list[tuple[int, int, str | None]]]
    themes: st.SearchStrategy[list[dict[str, Any]]]
    programme_theories: st.SearchStrategy[list[ProgrammeTheory]]
    participants: st.SearchStrategy[list[Participant]]
    relations: st.SearchStrategy[list[tuple[str, int, int, bool, bool, str | None, str | None]]]


@cache
def _parts(text: st.SearchStrategy[str]) -> _Parts:
    note = _optional(text)
    category = st.builds(TaxonomyCategory, id=_IDS, label=text, description=note)
    taxon = st.tuples(_IDS, text, _INDEX, _INDEX, _optional(_INDEX), note, note, note)
    aspect = st.builds(ComponentAspect, id=_IDS, label=text, items=_tuples(text), note=note)
    vocabulary = st.builds(
        ComponentVocabulary,
        id=_IDS,
        label=text,
        description=note,
        citation=note,
        categories=_tuples(
            st.builds(
                ComponentCategory,
                id=_IDS,
                label=text,
                aspects=st.lists(aspect, max_size=2, unique_by=lambda a: a.id).map(tuple),
            )
        ),
    )
    taxonomy = st.builds(
        make.taxonomy,
        st.fixed_dictionaries({"id": _IDS, "label": text, "description": note, "citation": note}),
        st.lists(_IDS, min_size=1, max_size=3, unique=True),
        st.lists(category, max_size=2, unique_by=lambda c: c.id),
        st.lists(taxon, max_size=4, unique_by=lambda t: t[0]),
    )
    return _Parts(
        fields=st.fixed_dictionaries(
            {
                "title": text,
                "description": note,
                "authors": _tuples(text),
                "check": _optional(_CHECK),
            }
        ),
        sources=st.lists(
            _gated(
                {
                    "id": _IDS,
                    "citation": text,
                    "year": _optional(st.integers(1900, 2100)),
                    "doi": _optional(st.sampled_from(_DOIS)),
                    "url": _optional(st.just("https://example.org/study")),
                },
                {
                    "type": _optional(st.sampled_from(_SOURCE_TYPES)),
                    "authors": _tuples(text),
                    "title": note,
                    "container": note,
                    "volume": _optional(st.sampled_from(("27", "Suppl 1"))),
                    "issue": _optional(st.just("4")),
                    "pages": _optional(st.sampled_from(("372-397", "e1002"))),
                    "publisher": note,
                    **{c: _optional(_choices(Appraisal)) for c in APPRAISAL_CRITERIA},
                    **{f"{c}_note": note for c in APPRAISAL_CRITERIA},
                },
            ),
            max_size=2,
            unique_by=lambda s: s["id"],
        ),
        iterations=st.lists(
            st.builds(Iteration, number=st.integers(1, 9), label=text, description=note),
            max_size=2,
            unique_by=lambda it: it.number,
        ),
        taxonomy=st.none() | st.sampled_from(sorted(BUILTIN_TAXONOMIES)) | taxonomy,
        vocabulary=st.none() | st.sampled_from(sorted(BUILTIN_VOCABULARIES)) | vocabulary,
        links=st.lists(st.tuples(_INDEX, _INDEX, note), max_size=2),
        themes=st.lists(
            st.fixed_dictionaries(
                {
                    "id": _IDS,
                    "label": text,
                    "source_label": note,
                    "description": note,
                    "recommendation": note,
                    "annotations": st.lists(_ANNOTATIONS(text), max_size=1),
                    "inferred": _INDICES,
                }
            ),
            max_size=2,
            unique_by=lambda t: t["id"],
        ),
        programme_theories=st.lists(
            st.builds(ProgrammeTheory, id=_IDS, label=text, source_label=note, description=note),
            max_size=2,
            unique_by=lambda p: p.id,
        ),
        participants=st.lists(
            st.builds(
                Participant,
                id=_IDS,
                label=note,
                attributes=st.dictionaries(
                    st.sampled_from(("role", "site", "age")),
                    st.sampled_from(("nurse", "GP", "A")) | st.integers(18, 70),
                    max_size=2,
                ).map(lambda d: tuple(d.items())),
            ),
            max_size=2,
            unique_by=lambda p: p.id,
        ),
        relations=st.lists(
            st.tuples(
                _choices(RelationType), _INDEX, _INDEX, st.booleans(), st.booleans(), note, note
            ),
            max_size=2,
        ),
    )


def _check(
    select: tuple[str, ...],
    ignored: list[tuple[str, list[str]]],
    fail_on: Severity | None,
    initial_theory: bool,
) -> CheckSettings:
    """Check settings; a code ignored with ids is ignored for those ids only."""
    return CheckSettings(
        select=select,
        ignore=tuple(code for code, ids in ignored if not ids),
        ignore_ids=tuple((code, tuple(ids)) for code, ids in ignored if ids),
        fail_on=fail_on,
        initial_theory=initial_theory,
    )


_CHECK = st.builds(
    _check,
    select=_tuples(st.sampled_from(_SELECTABLE), max_size=1),
    ignored=st.lists(
        st.tuples(
            st.sampled_from(_IGNORABLE),
            st.lists(st.sampled_from(_SUPPRESSED_IDS), unique=True, max_size=2),
        ),
        max_size=2,
        unique_by=lambda p: p[0],
    ),
    fail_on=_optional(_choices(Severity)),
    initial_theory=st.booleans(),
)
