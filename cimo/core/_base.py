"""The base of every cimo record: the model config, the id and label types, the field policies.

Private to :mod:`cimo.core`: the records import it; everyone else imports
the names from :mod:`cimo.model`.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from cimo.core.vocabulary import Policy

# Field policies (see cimo.core.vocabulary.Policy): every field of every record has one.
PLAIN = Policy()
WORDING = Policy(merge="wording")
FIRST = Policy(merge="first")
LIST = Policy(merge="union", network="json")
JSON = Policy(network="json")
JSON_OR_ID = Policy(network="json-or-id")
EDGES = Policy(network="edges")
GRAPH = Policy(merge="items", diff="items", network="graph")
NESTED = Policy(network="nested")
ITEMS = Policy(merge="items", diff="items", network="json")
#: Format 2.0 theory-level records: folded by id in merge, compared as a whole by diff.
RECORDS = Policy(merge="items", network="json")
NESTED_WORDING = Policy(merge="wording", network="nested")
#: A default that is a claim, not a gap (``stated: true``): merge reports a disagreement.
VALUED = Policy(merge="valued-default")

#: The version of the theory file format this cimo writes (it reads 1.0 too, migrating it).
FORMAT_VERSION: Literal["2.0"] = "2.0"
#: Every version of the theory file format this cimo reads, oldest first.
FORMAT_VERSIONS: tuple[str, ...] = ("1.0", "2.0")

# --------------------------------------------------------------------------- atoms


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    return value


#: A readable slug that names a node, rule, source or taxon: letters, digits,
#: ``-``, ``_`` and ``.``, starting and ending with a letter or digit.
ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9_.\-]{0,126}[A-Za-z0-9])?$"
Id: TypeAlias = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
#: The JSON Schema of an id (for fields whose schema is written by hand).
ID_SCHEMA: dict[str, str] = {"type": "string", "pattern": ID_PATTERN}
#: A human-readable label: any text that is not blank.
Label: TypeAlias = Annotated[str, AfterValidator(_not_blank)]
#: A free tag (a slug, like an id).
Tag: TypeAlias = Id

POSITIVE: frozenset[str] = frozenset({"desired", "positive"})
NEGATIVE: frozenset[str] = frozenset({"undesired", "negative"})


class CimoModel(BaseModel):
    """Base of every cimo record: frozen, no unknown keys, tuples for collections."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        # Build a class's validator on first use, not on import: validating a theory
        # builds one validator that holds every record's, so the record classes' own
        # are built only when a record is validated by itself (a quicker cold start).
        defer_build=True,
    )
