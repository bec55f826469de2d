"""The catalogue records a theory refers to: mechanism taxonomies and component vocabularies.

Defined below :mod:`cimo.core.model` (a theory holds one of each, or names a
built-in one), with the built-in ones validated once from the plain data of
:mod:`cimo.core.builtins`. Import the names from :mod:`cimo.model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Annotated

from pydantic import ValidationError, model_validator

from cimo._util import SideTable, lookup
from cimo.core import builtins
from cimo.core._base import NESTED, NESTED_WORDING, CimoModel, Id, Label
from cimo.core.structure import taxonomy_errors

__all__ = [
    "ComponentAspect",
    "ComponentCategory",
    "ComponentVocabulary",
    "Taxon",
    "Taxonomy",
    "TaxonomyCategory",
    "builtin_taxonomy",
    "builtin_vocabulary",
]

# Derived lookups live beside the frozen records, keyed by identity (as the theory
# index does, cimo.core.index): a cached_property would be copied by model_copy and
# answer for the original record.
_TAXA_BY_ID: SideTable[Mapping[str, Taxon]] = SideTable()
_ASPECTS: SideTable[Mapping[str, frozenset[str]]] = SideTable()

# --------------------------------------------------------------------------- taxonomy


class TaxonomyCategory(CimoModel):
    """A category of mechanisms (seed 000: work-focused, psychological, relationship-focused)."""

    id: Annotated[Id, NESTED]
    label: Annotated[Label, NESTED_WORDING]
    description: Annotated[str | None, NESTED_WORDING] = None


class Taxon(CimoModel):
    """One entry of a mechanism taxonomy: a mechanism, theme or subtheme."""

    id: Annotated[Id, NESTED]
    label: Annotated[Label, NESTED_WORDING]
    rank: Annotated[Id, NESTED]
    """The entry's rank, one of the taxonomy's ``ranks``."""
    parent: Annotated[Id | None, NESTED] = None
    """The entry one rank up (none for the top rank)."""
    definition: Annotated[str | None, NESTED] = None
    category: Annotated[Id | None, NESTED] = None
    source_label: Annotated[str | None, NESTED_WORDING] = None
    note: Annotated[str | None, NESTED_WORDING] = None


class Taxonomy(CimoModel):
    """A hierarchy of mechanisms: e.g. subthemes -> themes -> mechanisms (seed 000, Table 3).

    ``ranks`` runs from the coarsest to the finest rank.
    """

    id: Annotated[Id, NESTED]
    label: Annotated[Label, NESTED_WORDING]
    description: Annotated[str | None, NESTED_WORDING] = None
    ranks: Annotated[tuple[Id, ...], NESTED] = ("mechanism", "theme", "subtheme")
    categories: Annotated[tuple[TaxonomyCategory, ...], NESTED] = ()
    taxa: Annotated[tuple[Taxon, ...], NESTED] = ()
    citation: Annotated[str | None, NESTED] = None

    @model_validator(mode="after")
    def _check_tree(self) -> Taxonomy:
        errors = taxonomy_errors(self)
        if errors:
            raise ValidationError.from_exception_data("Taxonomy", errors)
        return self

    @property
    def by_id(self) -> Mapping[str, Taxon]:
        """Entries by id (read-only; built once per taxonomy).

        >>> six = builtin_taxonomy("work-focused-group-cbt")
        >>> six.by_id["relate"].label, six.by_id is six.by_id
        ('Relate', True)
        """
        found = _TAXA_BY_ID.get(self)
        if found is None:
            found = MappingProxyType({t.id: t for t in self.taxa})
            _TAXA_BY_ID.set(self, found)
        return found


# --------------------------------------------------------------------------- vocabulary


class ComponentAspect(CimoModel):
    """One aspect of a component category, with the checklist items it offers."""

    id: Annotated[Id, NESTED]
    label: Annotated[Label, NESTED_WORDING]
    items: Annotated[tuple[str, ...], NESTED] = ()
    """Checklist items (suggested values; a component may word its own)."""
    note: Annotated[str | None, NESTED_WORDING] = None


class ComponentCategory(CimoModel):
    """A category of intervention components (strategic, operational, content, ...)."""

    id: Annotated[Id, NESTED]
    label: Annotated[Label, NESTED_WORDING]
    aspects: Annotated[tuple[ComponentAspect, ...], NESTED] = ()


class ComponentVocabulary(CimoModel):
    """A vocabulary of intervention components (seed 000, Supplementary S3 by default)."""

    id: Annotated[Id, NESTED]
    label: Annotated[Label, NESTED_WORDING]
    description: Annotated[str | None, NESTED_WORDING] = None
    citation: Annotated[str | None, NESTED] = None
    categories: Annotated[tuple[ComponentCategory, ...], NESTED] = ()

    @property
    def aspects(self) -> Mapping[str, frozenset[str]]:
        """Aspect ids by category id (read-only; built once per vocabulary)."""
        found = _ASPECTS.get(self)
        if found is None:
            found = MappingProxyType(
                {c.id: frozenset(a.id for a in c.aspects) for c in self.categories}
            )
            _ASPECTS.set(self, found)
        return found

    def allows(self, category: str, aspect: str) -> bool:
        """Whether ``category``/``aspect`` is in the vocabulary."""
        return aspect in self.aspects.get(category, frozenset())


# --------------------------------------------------------------------------- built-ins


@cache
def _builtin_taxonomy(name: str) -> Taxonomy:
    return Taxonomy.model_validate(builtins.taxonomy_data(name))


@cache
def _builtin_vocabulary(name: str) -> ComponentVocabulary:
    return ComponentVocabulary.model_validate(builtins.vocabulary_data(name))


def builtin_taxonomy(name: str) -> Taxonomy:
    """A built-in taxonomy, as a record (built once, from :mod:`cimo.core.builtins`).

    >>> builtin_taxonomy("work-focused-group-cbt").ranks
    ('mechanism', 'theme', 'subtheme')

    Raises:
        UnknownIdError: if there is no built-in taxonomy of that name.
    """
    known = {n: n for n in builtins.TAXONOMY_NAMES}
    return _builtin_taxonomy(lookup(known, name, kind="built-in taxonomy"))


def builtin_vocabulary(name: str) -> ComponentVocabulary:
    """A built-in component vocabulary, as a record (built once, from :mod:`cimo.core.builtins`).

    >>> builtin_vocabulary("s3-checklist").allows("operational", "format")
    True

    Raises:
        UnknownIdError: if there is no built-in vocabulary of that name.
    """
    known = {n: n for n in builtins.VOCABULARY_NAMES}
    return _builtin_vocabulary(lookup(known, name, kind="built-in vocabulary"))
