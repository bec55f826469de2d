"""Shared plumbing of the query functions: result base class, id checks, the rule index."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any, Self, TypeVar

from pydantic import BaseModel, PrivateAttr

from cimo._util import suggest
from cimo.errors import UnknownIdError
from cimo.model import CimoModel, Theory
from cimo.query._index import RuleIndex, rule_index
from cimo.query._index import clear_cache as clear_cache  # for the benchmarks

# ``clear_cache`` is left out on purpose: it is there for the benchmarks, not for users.
__all__ = [
    "STEPS_PER_RESULT",
    "Result",
    "RuleIndex",
    "built",
    "check_ids",
    "labelled",
    "name",
    "names",
    "rule_index",
    "set_aside_lines",
    "walk",
]

_R = TypeVar("_R", bound="Result")
_M = TypeVar("_M", bound=BaseModel)

#: How many search steps an enumeration (``for_whom``, ``pathways``) may take per
#: result it may return (``limit``); past that it stops and says it was cut short.
STEPS_PER_RESULT = 1000

_KIND_NAMES = {
    ("context", "outcome"): "context or outcome",
    ("intervention",): "intervention",
    ("outcome",): "outcome",
    ("mechanism",): "mechanism",
}


#: The labels the result being printed shows instead of node ids (none: ids).
_LABELS: ContextVar[Mapping[str, str]] = ContextVar(
    "cimo_query_labels", default=MappingProxyType({})
)


def name(ident: str) -> str:
    """The id, or the node's label in quotes while a result made with ``labels=True`` prints.

    The quotes keep labels apart where the result joins them with "and" or
    "or" (labels often hold those words). Rule ids (and anything that is not
    a node id) stay as they are.
    """
    label = _LABELS.get().get(ident)
    return ident if label is None else f"“{label}”"


def names(ids: Iterable[str], sep: str = ", ") -> str:
    """:func:`name` of each id, joined by ``sep``."""
    return sep.join(map(name, ids))


@contextmanager
def _labelled(labels: Mapping[str, str]) -> Iterator[None]:
    token = _LABELS.set(labels)
    try:
        yield
    finally:
        _LABELS.reset(token)


# Characters that would turn a label into Markdown markup (emphasis, links, HTML, code, tables).
_MARKDOWN = re.compile(r"([\\`*_\[\]<|])")


def _md(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


class Result(CimoModel):
    """Base of every query result: plain words for ``print``, Markdown for notebooks.

    Subclasses give :meth:`_lines`, a heading and the lines under it, a line
    indented two spaces a level under the line it belongs to; ``str``
    indents the lines under the heading and ``_repr_markdown_`` makes them
    (nested) bullets under a bold heading. ``model_dump(mode="json")`` gives
    the JSON form, always with ids. A result made with ``labels=True`` (or
    :meth:`with_labels`) prints each node's label instead of its id.
    """

    _labels: dict[str, str] = PrivateAttr(default_factory=dict)

    def with_labels(self, theory: Theory) -> Self:
        """The same result, printing the labels of ``theory``'s nodes instead of their ids.

        >>> import cimo
        >>> from cimo.query import explain
        >>> pwp = cimo.load_example("pwp-resilience")
        >>> e = explain(pwp, "purpose-reaffirmed")
        >>> str(e).splitlines()[0]
        'How purpose-reaffirmed comes about'
        >>> str(e.with_labels(pwp)).splitlines()[0]
        'How “Sense of purpose and identity reaffirmed” comes about'
        """
        copy = self.model_copy()
        copy._labels = {n.id: n.label for n in theory.nodes if n.label}
        return copy

    def _lines(self) -> tuple[str, list[str]]:  # pragma: no cover - every subclass overrides
        return type(self).__name__, []

    def __str__(self) -> str:
        with _labelled(self._labels):
            head, lines = self._lines()
        return "\n".join([head, *(f"  {line}" for line in lines)])

    def _repr_markdown_(self) -> str:
        with _labelled(self._labels):
            head, lines = self._lines()
        bullets = []
        for line in lines:
            text = line.lstrip(" ")
            level = (len(line) - len(text)) // 2
            bullets.append(f"{'    ' * level}- {_md(text)}")  # 4: CommonMark and Python-Markdown
        body = "\n".join(bullets)
        head = _md(head)
        return f"**{head}**\n\n{body}\n" if body else f"**{head}**\n"


_set = object.__setattr__


def built(cls: type[_M], values: dict[str, Any]) -> _M:
    """A part of a result made of values that already have their types: every field given.

    What ``cls.model_construct(**values)`` makes (no validation; the fields
    set are the keys given), without its per-field search for aliases and
    defaults, which is most of the cost of a large result made of many small
    parts. ``values`` must give every field of ``cls`` in declaration order
    (a test checks the queries that use it), and ``cls`` must have no private
    attributes or post-init hook.

    >>> from cimo.query._explain import MechanismStep
    >>> step = built(MechanismStep, {"mechanism": "m", "requires": ("c",), "then": ()})
    >>> step == MechanismStep(mechanism="m", requires=("c",)), sorted(step.model_fields_set)
    (True, ['mechanism', 'requires', 'then'])
    """
    m = cls.__new__(cls)
    _set(m, "__dict__", values)
    _set(m, "__pydantic_fields_set__", set(values))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


def labelled(result: _R, theory: Theory, labels: bool) -> _R:
    """``result.with_labels(theory)`` when ``labels``, else ``result`` (for ``labels=``)."""
    return result.with_labels(theory) if labels else result


#: Where an id of each kind goes in the queries that take sets of ids (Python, CLI).
_USE = {
    "context": "contexts= (-c/--context on the command line)",
    "outcome": "contexts= (-c/--context on the command line)",
    "intervention": "interventions= (-i/--intervention on the command line)",
}


def check_ids(
    theory: Theory,
    ids: Iterable[str],
    kinds: Sequence[str],
    *,
    what: str | None = None,
    redirect: bool = False,
) -> tuple[str, ...]:
    """The ids, sorted and without repeats, after checking each names a node of ``kinds``.

    Args:
        theory: The theory.
        ids: The ids given.
        kinds: The node kinds they may have.
        what: How to name those kinds in the message (default: from ``kinds``).
        redirect: An id of another kind is named with its kind and where it
            goes instead ("it is an intervention; use interventions=").

    Raises:
        UnknownIdError: naming the first id that is not a node of one of ``kinds``,
            with the closest ids of those kinds as suggestions.
    """
    wanted = set(kinds)
    index = theory.index
    out = sorted(set(ids))
    for ident in out:
        node = index.get(ident)
        if node is None or node.kind not in wanted:
            pool = [n.id for n in theory.nodes if n.kind in wanted]
            actual = node.kind if node is not None else None
            raise UnknownIdError(
                ident,
                kind=what or _KIND_NAMES.get(tuple(kinds), " or ".join(kinds)),
                suggestions=suggest(ident, pool),
                actual=actual,
                use=_USE.get(actual or "") if redirect else None,
            )
    return tuple(out)


def set_aside_lines(ids: Sequence[str]) -> list[str]:
    """The line every result prints about the refuted rules it left out (none: no line)."""
    if not ids:
        return []
    return [f"set aside (refuted; include_refuted=True to reason with them): {', '.join(ids)}"]


def walk(
    starts: Iterable[int],
    items_of: Callable[[int], Iterable[str]],
    rules_of: Callable[[str], Iterable[int]],
) -> tuple[set[int], set[str]]:
    """Every rule and item reached from ``starts``, each rule and item taken once.

    The one worklist walk of the queries: a rule yields items (``items_of``),
    an item yields further rules (``rules_of``). Forward (outcomes to the rules
    they feed) or backward (IF items to the rules producing them) depending on
    the two functions.

    Returns:
        The positions of the rules reached and the items reached.

    >>> walk([0], lambda pos: ["x"] if pos == 0 else [], lambda item: [1])
    ({0, 1}, {'x'})
    """
    rules: set[int] = set()
    items: set[str] = set()
    stack = list(starts)
    while stack:
        pos = stack.pop()
        if pos in rules:
            continue
        rules.add(pos)
        for item in items_of(pos):
            if item not in items:
                items.add(item)
                stack.extend(rules_of(item))
    return rules, items
