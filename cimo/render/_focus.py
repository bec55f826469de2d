"""What the diagrams share: the part of a theory a focus keeps, rule names, theme names."""

from __future__ import annotations

import re

from cimo import edit
from cimo._util import suggest
from cimo.errors import UnknownIdError, UsageError
from cimo.model import Rule, Theory

__all__ = ["focus_ids", "focused", "rule_label", "theme_names"]


def focus_ids(theory: Theory, focus: str, *, depth: int = 1) -> frozenset[str]:
    """The node and rule ids of :func:`cimo.edit.focus` ``(theory, node=focus, steps=depth)``.

    That is the rules within ``depth`` rule-steps of ``focus`` (the rules that
    produce or use a node are one step from it; a rule is zero steps from
    itself), and every node those rules name, with ``focus`` itself. So
    ``cimo render --focus ID --depth N`` draws the same part of the theory as
    ``cimo.edit.focus(theory, node=ID, steps=N)``.

    >>> import cimo
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> near = focus_ids(theory, "relate", depth=1)
    >>> sorted(i for i in near if i in theory.rule_index), len(near)
    (['figure-4'], 14)
    >>> sorted(focus_ids(theory, "relate", depth=0))
    ['relate']

    Raises:
        UnknownIdError: ``focus`` names no node or rule.
        UsageError: ``depth`` is negative.
    """
    part = focused(theory, focus, depth=depth)
    return frozenset(n.id for n in part.nodes) | frozenset(r.id for r in part.rules)


def focused(theory: Theory, focus: str, *, depth: int = 1) -> Theory:
    """The part of the theory a diagram focused on ``focus`` draws: :func:`cimo.edit.focus`.

    Diagrams draw this part, not the whole theory filtered by id, so an edge
    or a legend entry that only a rule outside the focus would give is not drawn.

    >>> import cimo
    >>> theory = cimo.load_example("work-focused-group-cbt")
    >>> [r.id for r in focused(theory, "relate", depth=1).rules]
    ['figure-4']

    Raises:
        UnknownIdError: ``focus`` names no node or rule.
        UsageError: ``depth`` is negative.
    """
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, got {depth}")
    if focus not in theory.index and focus not in theory.rule_index:
        known = [*theory.index, *theory.rule_index]
        raise UnknownIdError(focus, kind="node or rule", suggestions=suggest(focus, known))
    return edit.focus(theory, node=focus, steps=depth)


def rule_label(rule: Rule) -> str:
    """The rule's id and the label its source printed, the id once.

    >>> from cimo.model import Rule
    >>> rule_label(Rule(id="R3", source_label="3.")), rule_label(Rule(id="R3"))
    ('R3: 3.', 'R3')
    >>> rule_label(Rule(id="CMO2", source_label="CMO2: Ensuring privacy."))
    'CMO2: Ensuring privacy.'
    """
    name = rule.source_label or rule.id
    if name == rule.id or re.match(rf"(?i){re.escape(rule.id)}(?!\w)", name):
        return name
    return f"{rule.id}: {name}"


def theme_names(theory: Theory) -> dict[str, str]:
    """Each theme id with the label to show (the theme's record label, else the id)."""
    return {t.id: t.label for t in theory.themes}
