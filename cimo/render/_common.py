"""Small helpers shared by the rendering modules."""

from __future__ import annotations

from typing import Literal, TypeAlias

from cimo._util import suggest
from cimo.errors import UnknownIdError
from cimo.model import Rule, Theory

__all__ = ["State", "get_rule"]

#: How a highlight shows an element or rule: as usual, picked out, greyed, or blocked.
State: TypeAlias = Literal["plain", "on", "off", "blocked"]


def get_rule(theory: Theory, rule: str) -> Rule:
    """The rule with this id.

    Raises:
        UnknownIdError: no such rule (with the closest rule ids as suggestions).
    """
    try:
        return theory.rule_index[rule]
    except KeyError:
        raise UnknownIdError(
            rule, kind="rule", suggestions=suggest(rule, list(theory.rule_index))
        ) from None
