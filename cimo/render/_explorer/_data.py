"""The data an explorer page carries: the theory as plain JSON, for display and for reasoning.

Two parts, both generated from the model and never the other way round:

* the **reasoning data** (:func:`reasoning_data`): each rule's slots as the
  query engine reads them, the kind of every id, the links and ``feeds``
  relations, the outcome variants. The page's JavaScript engine
  (``web/engine.js``, a port of :mod:`cimo.query`'s engine) reasons on it;
  a property test checks both give the same answers;
* the **display data** (:func:`explorer_data`): labels as printed,
  descriptions, mechanism resource/reasoning, status, theme, programme
  theory, iterations, every evidence entry with its participant, source and
  locator, and each rule's if-then-because statement.

>>> import cimo
>>> data = reasoning_data(cimo.load_example("pwp-resilience"))
>>> sorted(data)
['feeds', 'kinds', 'rules', 'variantOf']
>>> data["rules"][0]["id"], data["rules"][0]["status"]
('individual-challenges', 'supported')
"""

from __future__ import annotations

from typing import Any

from cimo.model import (
    Annotation,
    Context,
    Evidence,
    Intervention,
    Mechanism,
    Node,
    Outcome,
    Rule,
    Theory,
)
from cimo.render._words import annotation_parts
from cimo.render.text import statement

__all__ = ["explorer_data", "reasoning_data"]


def _mechs(rule: Rule) -> list[dict[str, Any]]:
    links = {link.mechanism: link for link in rule.mechanism_links}
    out = []
    for m in rule.mechanisms:
        link = links.get(m)
        out.append(
            {
                "id": m,
                "requires": list(link.requires) if link else [],
                "then": list(link.then) if link else [],
            }
        )
    return out


def _reasoning_rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "status": rule.status,
        "contexts": list(rule.contexts),
        "anyContext": rule.any_context,
        "groups": [list(g) for g in rule.context_groups],
        "modifiers": list(rule.modifiers),
        "unless": list(rule.unless),
        "interventions": list(rule.interventions),
        "mechs": _mechs(rule),
        "mode": rule.mechanism_mode,
        "then": list(rule.outcomes),
        "reduces": list(rule.reduces),
        "otherwise": list(rule.otherwise),
        "moderators": list(rule.moderators),
        "despite": list(rule.despite),
        "missing": list(rule.missing_parts),
    }


def reasoning_data(theory: Theory) -> dict[str, Any]:
    """What the page's reasoning engine reads: rules, kinds, links and feeds, variants.

    ``feeds`` lists ``[from, to, stated]``: the theory's links first (always
    stated), then its ``feeds`` relations within the file, in file order (the
    order :mod:`cimo.query` follows them in).
    """
    feeds: list[list[Any]] = [[link.outcome, link.context, True] for link in theory.links]
    feeds += [
        [r.from_, r.to, r.stated] for r in theory.relations if r.type == "feeds" and not r.external
    ]
    return {
        "rules": [_reasoning_rule(r) for r in theory.rules],
        "kinds": [[n.id, n.kind] for n in theory.nodes],
        "feeds": feeds,
        "variantOf": [[o.id, o.variant_of] for o in theory.outcomes if o.variant_of is not None],
    }


def _text(value: str | None) -> str | None:
    return value if value else None


def _node(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": node.id,
        "kind": node.kind,
        "label": node.label,
        "printed": node.source_label,
        "truncated": node.truncated,
        "description": _text(node.description),
        "tags": list(node.tags),
        "iterations": list(node.iterations),
        "inferred": list(node.inferred),
    }
    if isinstance(node, Context):
        out |= {
            "level": node.level,
            "dimension": node.dimension,
            "indicators": list(node.indicators),
        }
        if node.facets is not None:
            out["facets"] = node.facets.model_dump(exclude_none=True)
    elif isinstance(node, Intervention):
        out["components"] = [f"{c.category} / {c.aspect}: {c.value}" for c in node.components]
    elif isinstance(node, Mechanism):
        out |= {
            "resource": node.resource,
            "reasoning": node.reasoning,
            "behaviour": node.behaviour,
            "category": node.category,
            "polarity": node.polarity,
            "absent": node.absent,
            "indicators": list(node.indicators),
        }
    elif isinstance(node, Outcome):
        out |= {
            "polarity": node.polarity,
            "domain": node.domain,
            "measures": list(node.measures),
            "variantOf": node.variant_of,
        }
    return out


def _evidence(theory: Theory, ev: Evidence) -> dict[str, Any]:
    sources = {s.id: s for s in theory.sources}
    participants = {p.id: p for p in theory.participants}
    source = sources.get(ev.source) if ev.source else None
    person = participants.get(ev.participant) if ev.participant else None
    who = ev.participant
    if person is not None:
        facts = ", ".join(f"{k}: {v}" for k, v in person.attributes)
        who = f"{person.label or person.id}" + (f" ({facts})" if facts else "")
    return {
        "quote": ev.quote,
        "participant": who,
        "source": source.citation if source else ev.source,
        "locator": ev.locator,
        "stance": ev.stance,
        "kind": ev.kind,
        "incidence": ev.incidence,
        "intensity": ev.intensity,
        "note": ev.note,
    }


def _rule(theory: Theory, rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "printed": rule.source_label,
        "statement": rule.statement,
        "sentence": statement(theory, rule),
        "description": _text(rule.description),
        "status": rule.status,
        "theme": rule.theme,
        "programmeTheory": rule.programme_theory,
        "iterations": list(rule.iterations),
        "actor": rule.actor,
        "tags": list(rule.tags),
        "inferred": list(rule.inferred),
        "evidence": [_evidence(theory, ev) for ev in rule.evidence],
        "annotations": [_annotation(theory, a) for a in rule.annotations],
    }


def _annotation(theory: Theory, note: Annotation) -> dict[str, str]:
    """An annotation as the panel prints it: head (kind, rules countered), text, source."""
    head, text, where = annotation_parts(theory, note)
    return {"kind": note.kind, "head": head, "text": text, "where": where}


def explorer_data(theory: Theory) -> dict[str, Any]:
    """Everything the explorer page shows and reasons with, as plain JSON-ready data.

    >>> import cimo
    >>> data = explorer_data(cimo.load_example("work-focused-group-cbt"))
    >>> data["theory"]["id"], len(data["nodes"]) == len(data["display"])
    ('work-focused-group-cbt', True)
    """
    themes = {t.id: t for t in theory.themes}
    return {
        "theory": {
            "id": theory.id,
            "title": theory.title,
            "description": _text(theory.description),
            "authors": list(theory.authors),
        },
        "reasoning": reasoning_data(theory),
        "nodes": [n.id for n in theory.nodes],
        "display": [_node(n) for n in theory.nodes],
        "rules": [_rule(theory, r) for r in theory.rules],
        "themes": [
            {
                "id": t.id,
                "label": t.label,
                "recommendation": t.recommendation,
                "annotations": [_annotation(theory, a) for a in t.annotations],
            }
            for t in themes.values()
        ],
        "programmeTheories": [{"id": p.id, "label": p.label} for p in theory.programme_theories],
        "iterations": [{"number": i.number, "label": i.label} for i in theory.iterations],
        "relations": [
            {"type": r.type, "from": r.from_, "to": r.to, "stated": r.stated, "note": r.note}
            for r in theory.relations
        ],
    }
