"""Mechanism taxonomies, and the built-in six mechanisms of Work-focused Relational Group CBT.

Seed 000 (Table 3, second iteration of the programme theory) merged 24
subthemes into 12 themes and collapsed those into six mechanisms: **realise,
reflect, regulate, resolve, relate and retain/resume**. The definitions of
the six come from the Results section of that paper; the themes and
subthemes carry the paper's own labels. Table 3's key colours mechanisms as
work-focused (red), psychological (green) or relationship-focused (blue); the
colours themselves did not survive in the text we have, so the category of
each mechanism here is our reading of the paper (see each taxon's ``note``).

>>> from cimo.taxonomy import get_taxonomy, lineage
>>> six = get_taxonomy("work-focused-group-cbt")
>>> [t.id for t in six.taxa if t.rank == "mechanism"]
['realise', 'reflect', 'regulate', 'resolve', 'relate', 'retain-resume']
>>> from collections import Counter
>>> Counter(t.rank for t in six.taxa)
Counter({'subtheme': 24, 'theme': 12, 'mechanism': 6})
>>> [t.id for t in lineage(six, "co-regulating")]
['co-regulating', 'managing-my-mood', 'regulate']
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from cimo._util import lookup, suggest
from cimo.core import builtins
from cimo.core.model import builtin_taxonomy
from cimo.errors import UnknownIdError
from cimo.model import Taxon, Taxonomy, Theory

__all__ = [
    "BUILTIN_TAXONOMIES",
    "WORK_FOCUSED_GROUP_CBT",
    "ancestor_at",
    "check_rank",
    "get_taxonomy",
    "lineage",
    "resolve_taxonomy",
]

#: The built-in taxonomy of seed 000: six mechanisms, 12 themes, 24 subthemes.
WORK_FOCUSED_GROUP_CBT: Taxonomy = builtin_taxonomy("work-focused-group-cbt")

#: Built-in taxonomies by name (the value a theory file gives for ``taxonomy``).
BUILTIN_TAXONOMIES: Mapping[str, Taxonomy] = MappingProxyType(
    {name: builtin_taxonomy(name) for name in builtins.TAXONOMY_NAMES}
)


def get_taxonomy(name: str) -> Taxonomy:
    """Return a built-in taxonomy by name.

    Raises:
        UnknownIdError: if there is no built-in taxonomy of that name.

    >>> get_taxonomy("work-focused-group-cbt").ranks
    ('mechanism', 'theme', 'subtheme')
    """
    return lookup(BUILTIN_TAXONOMIES, name, kind="built-in taxonomy")


def resolve_taxonomy(theory: Theory) -> Taxonomy | None:
    """The taxonomy a theory uses: its own, a built-in one it names, or none."""
    if theory.taxonomy is None or isinstance(theory.taxonomy, Taxonomy):
        return theory.taxonomy
    return get_taxonomy(theory.taxonomy)


def lineage(taxonomy: Taxonomy, taxon: str) -> tuple[Taxon, ...]:
    """A taxon and its ancestors, finest first.

    Raises:
        UnknownIdError: if ``taxon`` is not in the taxonomy.
    """
    by_id = taxonomy.by_id
    if taxon not in by_id:
        raise UnknownIdError(
            taxon,
            kind="taxon",
            suggestions=suggest(taxon, by_id),
            where=f"taxonomy {taxonomy.id!r}",
        )
    chain = [by_id[taxon]]
    while chain[-1].parent is not None:
        chain.append(by_id[chain[-1].parent])
    return tuple(chain)


def check_rank(taxonomy: Taxonomy, rank: str) -> None:
    """Make sure ``rank`` is one of the taxonomy's ranks.

    >>> check_rank(WORK_FOCUSED_GROUP_CBT, "theme")
    >>> check_rank(WORK_FOCUSED_GROUP_CBT, "themes")
    Traceback (most recent call last):
    ...
    cimo.errors.UnknownIdError: 'themes' is not a rank of taxonomy 'work-focused-group-cbt'
        (did you mean 'theme'?)

    Raises:
        UnknownIdError: if it is not, with the closest rank as "did you mean".
    """
    if rank not in taxonomy.ranks:
        raise UnknownIdError(
            rank,
            kind="rank",
            suggestions=suggest(rank, taxonomy.ranks),
            where=f"taxonomy {taxonomy.id!r}",
        )


def ancestor_at(taxonomy: Taxonomy, taxon: str, *, rank: str) -> Taxon | None:
    """The ancestor (or self) of ``taxon`` at ``rank``; None if ``taxon`` is coarser than ``rank``.

    This answers for one taxon what :func:`cimo.edit.roll_up` does for a whole theory.

    >>> ancestor_at(WORK_FOCUSED_GROUP_CBT, "giving-feedback", rank="mechanism").label
    'Relate'
    >>> ancestor_at(WORK_FOCUSED_GROUP_CBT, "relate", rank="theme") is None
    True

    Raises:
        UnknownIdError: if ``taxon`` is not in the taxonomy or ``rank`` is not one of its ranks.
    """
    check_rank(taxonomy, rank)
    for entry in lineage(taxonomy, taxon):
        if entry.rank == rank:
            return entry
    return None


def _roll_up(taxonomy: Taxonomy, taxon: str, rank: str) -> Taxon | None:
    """The old :func:`ancestor_at`, with ``rank`` by position."""
    return ancestor_at(taxonomy, taxon, rank=rank)


def __getattr__(name: str) -> Any:
    """``roll_up`` is now :func:`ancestor_at` (one ``roll_up``, in :mod:`cimo.edit`).

    The old name warns for one release.
    """
    if name == "roll_up":
        warnings.warn(
            "cimo.taxonomy.roll_up(taxonomy, taxon, rank) is now "
            "cimo.taxonomy.ancestor_at(taxonomy, taxon, rank=...); "
            "the old name goes in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return _roll_up
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
