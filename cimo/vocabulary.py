"""Intervention component vocabularies, and the built-in S3 component checklist.

The component checklist of seed 000 (Supplementary Table S3) came out of an
Intervention Component Analysis of 29 psychotherapeutic interventions. It
sorts components into strategic, operational, content, process and
job-retention categories; each category has aspects (``format``, ``dose``,
``psychoeducation``, ...) with checklist items. cimo adds one operational
aspect, ``deliverer``, from the "Whom?" question of Supplementary S2.

>>> from cimo.vocabulary import S3_CHECKLIST
>>> [c.id for c in S3_CHECKLIST.categories]
['strategic', 'operational', 'content', 'process', 'job-retention']
>>> S3_CHECKLIST.allows("operational", "format")
True
>>> [a.items for c in S3_CHECKLIST.categories for a in c.aspects if a.id == "format"]
[('1:1 format', 'Group format', 'Blended')]
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from cimo._util import lookup
from cimo.core import builtins
from cimo.core.model import builtin_vocabulary
from cimo.model import ComponentVocabulary

__all__ = ["BUILTIN_VOCABULARIES", "S3_CHECKLIST", "get_vocabulary"]

#: The component checklist of seed 000, Supplementary Table S3.
S3_CHECKLIST: ComponentVocabulary = builtin_vocabulary("s3-checklist")

#: Built-in component vocabularies by name.
BUILTIN_VOCABULARIES: Mapping[str, ComponentVocabulary] = MappingProxyType(
    {name: builtin_vocabulary(name) for name in builtins.VOCABULARY_NAMES}
)


def get_vocabulary(name: str) -> ComponentVocabulary:
    """Return a built-in component vocabulary by name.

    Raises:
        UnknownIdError: if there is no built-in vocabulary of that name.
    """
    return lookup(BUILTIN_VOCABULARIES, name, kind="built-in vocabulary")
