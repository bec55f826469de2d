"""The node checks (N): orphans, unproduced outcomes, inert interventions, labels, components."""

from __future__ import annotations

from collections.abc import Iterator

from cimo._util import did_you_mean, normalise_label
from cimo.validate._checks._shared import lacking
from cimo.validate._index import Index
from cimo.validate._registry import Raw, check

__all__: list[str] = []


@check(
    "N001",
    "orphan-node",
    "warning",
    "A node is named by no rule (in any slot: 'within', 'moderated_by' and 'despite' count), "
    "no link, no relation, no 'opposite' and no 'variant_of'.",
    "use it in a rule, or remove it",
)
def _orphans(ix: Index) -> Iterator[Raw]:
    named = (ix.used, ix.in_links, ix.opposites, ix.variants)
    for j, node in enumerate(ix.theory.nodes):
        if not any(node.id in ids for ids in named):
            yield Raw(f"{node.kind} {node.id!r} is not used by any rule", node.id, ("nodes", j))


@check(
    "N002",
    "unproduced-outcome",
    "warning",
    "An outcome is used (in an 'if', 'unless', link or as an opposite) but no rule predicts it "
    "('then', 'reduces' or 'otherwise') and no 'feeds' relation leads to it.",
    "add the rule that produces it, or make it a context",
)
def _unproduced(ix: Index) -> Iterator[Raw]:
    fed = {to for targets in ix.feeds.values() for to in targets}
    predicting = (ix.slot("then"), ix.slot("reduces"), ix.slot("otherwise"), fed)
    for node in ix.theory.outcomes:
        used = node.id in ix.used or node.id in ix.in_links or node.id in ix.opposites
        predicted = any(node.id in ids for ids in predicting)
        if used and not predicted:
            yield Raw(
                f"outcome {node.id!r} is used but no rule predicts it",
                node.id,
                ("nodes", ix.node_pos[node.id]),
            )


@check(
    "N003",
    "inert-intervention",
    "warning",
    "An intervention is delivered only in rules that name no mechanism, so it activates nothing.",
    "add the mechanism the intervention triggers to a rule delivering it",
)
def _inert(ix: Index) -> Iterator[Raw]:
    return lacking(
        ix,
        ix.theory.interventions,
        "with",
        lambda rule, _: bool(rule.mechanisms) or "mechanism" in rule.missing_parts,
        "activates no mechanism: no rule delivering it",
        "a mechanism",
    )


@check(
    "N004",
    "probable-duplicate-label",
    "warning",
    "Two nodes of one kind have labels that differ only by case, spacing or punctuation.",
    "merge the two nodes, or word their labels so that they say what tells them apart",
)
def _duplicate_labels(ix: Index) -> Iterator[Raw]:
    first: dict[tuple[str, str], str] = {}
    for j, node in enumerate(ix.theory.nodes):
        seen = first.setdefault((node.kind, normalise_label(node.label)), node.id)
        if seen != node.id:
            other = ix.theory.index[seen].label
            yield Raw(
                f"{node.kind} {node.id!r} ({node.label!r}) and {seen!r} ({other!r}) have "
                "labels that differ only by case, spacing or punctuation",
                node.id,
                ("nodes", j, "label"),
                (node.id, seen),
            )


@check(
    "N005",
    "unknown-component",
    "warning",
    "An intervention component's category or aspect is not in the theory's component vocabulary.",
    "use a category and aspect of the vocabulary (S3 checklist by default), or declare your own",
)
def _unknown_components(ix: Index) -> Iterator[Raw]:
    vocabulary = None
    for node in ix.theory.interventions:
        if not node.components:
            continue
        vocabulary = vocabulary or ix.theory.component_vocabulary
        for k, comp in enumerate(node.components):
            if vocabulary.allows(comp.category, comp.aspect):
                continue
            aspects = vocabulary.aspects.get(comp.category)
            what = (
                f"aspect {comp.aspect!r} is not in category {comp.category!r}"
                + did_you_mean(comp.aspect, aspects)
                if aspects is not None
                else f"category {comp.category!r} is not in the vocabulary"
                + did_you_mean(comp.category, vocabulary.aspects)
            )
            yield Raw(
                f"intervention {node.id!r}: {what} of vocabulary {vocabulary.id!r}",
                node.id,
                ("nodes", ix.node_pos[node.id], "components", k),
            )
