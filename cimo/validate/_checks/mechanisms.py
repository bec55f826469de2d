"""The mechanism checks (M): contexts that both enable and disable, grounding, reasoning, taxa."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cimo._util import did_you_mean
from cimo.model import Rule, Taxon
from cimo.taxonomy import resolve_taxonomy
from cimo.validate._checks._shared import lacking
from cimo.validate._index import Index
from cimo.validate._registry import Raw, check

__all__: list[str] = []


@check(
    "M001",
    "context-enables-and-disables",
    "warning",
    "A context enables a mechanism in one rule ('if') and disables it in another ('unless').",
    "say what else differs between the two rules, or keep the context in one role",
)
def _enables_and_disables(ix: Index) -> Iterator[Raw]:
    enables: dict[tuple[str, str], int] = {}
    disables: dict[tuple[str, str], int] = {}
    for i, r in enumerate(ix.theory.rules):
        requires = {link.mechanism: link.requires for link in r.mechanism_links}
        for m in r.mechanisms:
            for c in (*r.contexts, *r.modifiers, *requires.get(m, ())):
                enables.setdefault((c, m), i)
            for c in r.unless:
                disables.setdefault((c, m), i)
    for (c, m), j in disables.items():
        k = enables.get((c, m))
        if k is not None:
            a, b = ix.rule(k), ix.rule(j)
            yield Raw(
                f"{c!r} enables mechanism {m!r} in rule {a.id} but disables it in rule {b.id}",
                b.id,
                ("rules", j, "unless", b.unless.index(c)),
                (c, m, a.id, b.id),
            )


@check(
    "M002",
    "mechanism-without-context",
    "warning",
    "A mechanism fires only in rules with no context (realist mechanisms are context-dependent); "
    "'if: any', 'if_any', 'within', the mechanism's own 'requires' and a context the source "
    "leaves out ('missing: [context]') all count as a context.",
    "add the context that triggers the mechanism to the 'if' of a rule naming it (or, if the "
    "source does not state one, declare it: 'missing: [context]')",
)
def _mechanism_without_context(ix: Index) -> Iterator[Raw]:
    return lacking(
        ix,
        ix.theory.mechanisms,
        "because",
        _has_context,
        "has no context: no rule naming it",
        "a context",
    )


def _has_context(rule: Rule, mechanism: str) -> bool:
    """Whether the rule gives the mechanism a context (or says the source leaves it out)."""
    if rule.contexts or rule.modifiers or rule.context_groups or rule.any_context:
        return True
    if "context" in rule.missing_parts:
        return True
    return any(link.requires for link in rule.mechanism_links if link.mechanism == mechanism)


@check(
    "M003",
    "mechanism-without-reasoning",
    "info",
    "A mechanism names no reasoning: worth knowing only when the source splits its mechanisms "
    "into resource and reasoning.",
    "only if the source splits the mechanism into resource and reasoning: add its 'reasoning' "
    "(how people respond to the resource); nothing to fix when the source words the "
    "mechanism as one phrase",
)
def _no_reasoning(ix: Index) -> Iterator[Raw]:
    for node in ix.theory.mechanisms:
        if node.reasoning is None:
            what = (
                "a resource but no reasoning" if node.resource else "no resource and no reasoning"
            )
            yield Raw(f"mechanism {node.id!r} has {what}", node.id, ("nodes", ix.node_pos[node.id]))


@check(
    "M004",
    "unknown-taxon",
    "warning",
    "A mechanism's 'taxon' is not in the theory's taxonomy (or no taxonomy is declared).",
    "correct the taxon, declare it in the taxonomy, or declare the taxonomy",
)
def _unknown_taxon(ix: Index) -> Iterator[Raw]:
    taxonomy = resolve_taxonomy(ix.theory)
    known: Mapping[str, Taxon] = taxonomy.by_id if taxonomy is not None else {}
    for node in ix.theory.mechanisms:
        if node.taxon is None or node.taxon in known:
            continue
        where = (
            f"taxonomy {taxonomy.id!r}" if taxonomy is not None else "no taxonomy (none declared)"
        )
        yield Raw(
            f"mechanism {node.id!r}: taxon {node.taxon!r} is not in {where}"
            + did_you_mean(node.taxon, known),
            node.id,
            ("nodes", ix.node_pos[node.id], "taxon"),
        )


@check(
    "M005",
    "unplaced-mechanism",
    "info",
    "A theory declares a taxonomy but a mechanism has no 'taxon' in it.",
    "give the mechanism a 'taxon' from the taxonomy",
)
def _unplaced(ix: Index) -> Iterator[Raw]:
    taxonomy = resolve_taxonomy(ix.theory)
    if taxonomy is None:
        return
    for node in ix.theory.mechanisms:
        if node.taxon is None:
            yield Raw(
                f"mechanism {node.id!r} has no place in taxonomy {taxonomy.id!r}",
                node.id,
                ("nodes", ix.node_pos[node.id]),
            )
