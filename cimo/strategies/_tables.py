"""Theories a CMO table carries whole: the strategy behind the table round-trip property.

A spreadsheet holds labels, not node ids, so the theories drawn here have the
ids the table reader makes from labels (rule ids first, then each node's slug
in order of first appearance, row by row and column by column), every node
used by a rule, and sources cited by their ids. Within that, every field a
table carries is drawn: rule ids, printed numbers, themes (with printed
labels), status, actor, the six node slots, chains (an outcome used as a
context), mechanisms with resource and response, alternatives, evidence
entries with participant, source, locator, quote, stance and note,
annotations (kind, text, countered rules, source, locator), and relations
from rule to rule.
"""

from __future__ import annotations

from typing import Any, get_args

from hypothesis import strategies as st

from cimo._util import ReadableIds as _Ids
from cimo._util import readable_slug as _slug
from cimo.core.migrate import theme_id
from cimo.core.vocabulary import AnnotationKind, EvidenceStance, RelationType, Status
from cimo.model import Theory
from cimo.strategies._parts import _IDS

__all__ = ["table_theories"]

_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzéÉß0123456789"
_WORD = st.text(alphabet=_FIRST + ";|,.:()!?&%/'\"*#", min_size=1, max_size=8)
_PLAIN_WORD = st.text(alphabet=_FIRST + ",.!?&%/'*#-", min_size=1, max_size=8)
_RESERVED = frozenset({"or", "-", "–", "—", "n/a", "na", "none"})


def _phrase(words: st.SearchStrategy[str], max_words: int = 4) -> st.SearchStrategy[str]:
    return (
        st.lists(words, min_size=1, max_size=max_words)
        .map(" ".join)
        .filter(lambda s: s.casefold() not in _RESERVED and not s.startswith(("=", "+", "-", "@")))
    )


_LABELS = _phrase(_WORD)
_QUOTES = _phrase(_PLAIN_WORD, 6)
_THEMES = ("Making space to talk", "Learning from each other", "Staying on", "Access")
_SLOT_ORDER = ("contexts", "unless", "interventions", "mechanisms", "outcomes", "reduces")


def _subset(draw: st.DrawFn, pool: list[int], max_size: int = 2) -> list[int]:
    if not pool:
        return []
    return draw(st.lists(st.sampled_from(pool), unique=True, max_size=max_size))


@st.composite
def _evidence(draw: st.DrawFn, sources: list[str]) -> dict[str, Any]:
    stance = draw(st.none() | st.sampled_from(get_args(EvidenceStance)))
    note = draw(st.none() | _QUOTES)
    if draw(st.booleans()):  # a note, with or without a stance
        return {"note": draw(_QUOTES), "stance": stance}
    quote = draw(st.none() | _QUOTES)
    if quote is None and stance is None:
        stance = "source"
    return {
        "participant": draw(st.none() | st.sampled_from(["N03", "N07", "Nurse 11", "P5"])),
        "source": draw(st.none() | st.sampled_from(sources)),
        "locator": draw(st.none() | st.sampled_from(["p. 4", "14:05", "Table 2, row 3"])),
        "quote": quote,
        "stance": stance,
        "note": note,
    }


@st.composite
def _annotation(draw: st.DrawFn, sources: list[str], rules: list[str]) -> dict[str, Any]:
    return {
        "kind": draw(st.sampled_from(get_args(AnnotationKind))),
        "text": draw(_QUOTES),
        "counters": draw(st.lists(st.sampled_from(rules), unique=True, max_size=2)),
        "source": draw(st.none() | st.sampled_from(sources)),
        "locator": draw(st.none() | st.sampled_from(["p. 4", "Table 1, CMO 6, Tension"])),
    }


@st.composite
def table_theories(draw: st.DrawFn, *, max_rules: int = 5) -> Theory:
    """Theories that a CMO table written by :func:`cimo.exchange.table.write_table` carries whole.

    Reading back what ``write_table`` writes gives the same theory (given the
    same theory ``id`` and ``title``).
    """
    n = draw(st.integers(1, max_rules))
    labels = draw(st.lists(_LABELS, min_size=4 * n + 4, max_size=4 * n + 4, unique=True))
    pools = {
        "context": labels[0 : n + 1],
        "intervention": labels[n + 1 : 2 * n + 2],
        "mechanism": labels[2 * n + 2 : 3 * n + 3],
        "outcome": labels[3 * n + 3 :],
    }
    rule_ids = draw(st.lists(_IDS, min_size=n, max_size=n, unique_by=str.casefold))
    drawn = draw(st.lists(st.none() | _LABELS, min_size=n, max_size=n))
    printed = [p if p is None or p not in drawn[:k] else None for k, p in enumerate(drawn)]
    source_ids = draw(st.lists(_IDS, min_size=1, max_size=3, unique=True))
    outs = range(len(pools["outcome"]))
    slots: list[dict[str, list[tuple[str, int]]]] = []
    for _ in range(n):
        then = _subset(draw, list(outs))
        reduces = _subset(draw, [o for o in outs if o not in then], 1)
        slots.append(
            {
                "outcomes": [("outcome", o) for o in then],
                "reduces": [("outcome", o) for o in reduces],
            }
        )
    produced = sorted({o for s in slots for _, o in s["outcomes"] + s["reduces"]})
    for s in slots:
        own = {o for _, o in s["outcomes"] + s["reduces"]}
        pool = [("context", c) for c in range(len(pools["context"]))]
        pool += [("outcome", o) for o in produced if o not in own]
        picks = draw(st.lists(st.sampled_from(pool), unique=True, max_size=3))
        cut = draw(st.integers(0, len(picks)))
        s["contexts"], s["unless"] = picks[:cut], picks[cut:]
        s["interventions"] = [("intervention", i) for i in _subset(draw, list(range(n + 1)))]
        s["mechanisms"] = [("mechanism", m) for m in _subset(draw, list(range(n + 1)), 3)]
    parts = {m: (draw(st.none() | _QUOTES), draw(st.none() | _QUOTES)) for m in range(n + 1)}
    ids = _Ids()
    for ident in rule_ids:
        ids.take(ident)
    node_ids: dict[tuple[str, int], str] = {}
    nodes: list[dict[str, Any]] = []
    for s in slots:
        for slot in _SLOT_ORDER:
            for key in s[slot]:
                if key in node_ids:
                    continue
                kind, k = key
                label = pools[kind][k]
                node_ids[key] = ids.take(_slug(label, kind))
                node: dict[str, Any] = {"id": node_ids[key], "kind": kind, "label": label}
                if kind == "mechanism":
                    resource, reasoning = parts[k]
                    node.update(resource=resource, reasoning=reasoning)
                nodes.append(node)
    themes: dict[str, str] = {}
    theme_printed: dict[str, str | None] = {}
    sources: list[str] = []
    rules: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for k, s in enumerate(slots):
        theme = draw(st.none() | st.sampled_from(_THEMES))
        if theme is not None and theme not in theme_printed:
            theme_printed[theme] = draw(st.none() | st.sampled_from(["Theme 1", "Theme 2"]))
        evidence = draw(st.lists(_evidence(source_ids), max_size=3))
        annotations = draw(st.lists(_annotation(source_ids, rule_ids), max_size=2))
        for e in (*evidence, *annotations):
            if e.get("source") and e["source"] not in sources:
                sources.append(e["source"])
        alternatives = len(s["mechanisms"]) > 1 and draw(st.booleans())
        rules.append(
            {
                "id": rule_ids[k],
                "source_label": printed[k],
                "theme": None if theme is None else theme_id(theme, themes),
                "status": draw(st.sampled_from(get_args(Status))),
                "actor": draw(st.none() | st.sampled_from(["GP", "service user"])),
                "mechanism_mode": "alternatives" if alternatives else "together",
                "evidence": evidence,
                "annotations": annotations,
                **{slot: [node_ids[key] for key in s[slot]] for slot in _SLOT_ORDER},
            }
        )
        others = [r for r in rule_ids if r != rule_ids[k]]
        if others:
            pairs = draw(
                st.lists(
                    st.tuples(st.sampled_from(get_args(RelationType)), st.sampled_from(others)),
                    unique=True,
                    max_size=2,
                )
            )
            relations += [{"type": t, "from": rule_ids[k], "to": to} for t, to in pairs]
    return Theory.model_validate(
        {
            "id": "generated",
            "title": "Generated",
            "themes": [
                {"id": ident, "label": label, "source_label": theme_printed.get(label)}
                for label, ident in themes.items()
            ],
            "sources": [{"id": ident, "citation": ident} for ident in sources],
            "nodes": nodes,
            "rules": [_python_names(r) for r in rules],
            "relations": relations,
        }
    )


def _python_names(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule's data with the slot names of the model, not of the file."""
    names = {"contexts": "if", "interventions": "with", "mechanisms": "because", "outcomes": "then"}
    return {names.get(k, k): v for k, v in rule.items()}
