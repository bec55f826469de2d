"""Quality checks of a theory: does it hang together?

Structural impossibilities (an unknown id, a wrong kind in a slot) already
fail when a theory is built. This module asks the quality questions a realist
team asks before publishing or testing a theory: is anything missing, is a
rule repeated, do two rules predict opposite things in the same
circumstances, is every outcome produced, is every mechanism grounded in a
context? Each question is a **check** with a stable code (``R002``), a name
(``contradictory-rules``) and a severity (error, warning or info);
:func:`validate` runs them and returns a frozen :class:`Report` with **all**
the findings, each naming the ids involved, where they are (down to
``file:line:column`` when the theory was loaded from a file) and how to fix it.

>>> import cimo
>>> from cimo.validate import validate
>>> report = validate(cimo.load_example("work-focused-group-cbt"), select=["R001", "R002"])
>>> report.findings
()
>>> report.failed
False

Every check is linear in the size of the theory: the checks group rules by
key (an outcome, a mechanism, a configuration) and never compare all pairs of
rules; feedback loops come from strongly connected components. See
``docs/checks.md`` for every code with a failing and a passing example.
"""

from __future__ import annotations

import os
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeAlias

import networkx as nx

from cimo._util import did_you_mean, normalise_label
from cimo._version import __version__
from cimo.errors import UsageError
from cimo.graph import _fill_digraph
from cimo.io import locate, paused_gc, source_of
from cimo.model import (
    CheckSettings,
    CimoModel,
    Intervention,
    Mechanism,
    Outcome,
    Rule,
    Severity,
    Theory,
)

__all__ = [
    "DEFAULT_FAIL_ON",
    "SEVERITIES",
    "Check",
    "Finding",
    "Location",
    "Report",
    "checks",
    "find_project_settings",
    "format_text",
    "resolve_settings",
    "sarif",
    "validate",
]

#: The severities, from the least to the most severe.
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
#: The failing severity when nothing else sets one.
DEFAULT_FAIL_ON: Severity = "error"
_RANK: Mapping[str, int] = {s: i for i, s in enumerate(SEVERITIES)}

Loc: TypeAlias = tuple[str | int, ...]


# --------------------------------------------------------------------------- records


class Check(CimoModel):
    """One check of the registry: a stable code, a name, a severity and what it looks for."""

    code: str
    """Stable code: a letter for the family (R rules, M mechanisms, N nodes, G graph), 3 digits."""
    name: str
    """A readable name, usable wherever a code is (``--select contradictory-rules``)."""
    severity: Severity
    """error, warning or info."""
    summary: str
    """What the check looks for, in one sentence."""
    hint: str
    """How to fix what it finds."""

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.severity}): {self.summary}"


class Location(CimoModel):
    """Where a finding is: the rule or node id, the path in the document, and the file position."""

    id: str | None = None
    """The rule or node the finding is about."""
    path: tuple[str | int, ...] = ()
    """The path inside the theory document, e.g. ``("rules", 3, "because", 0)``."""
    file: str | None = None
    """The file the theory was loaded from (None for a theory built in Python)."""
    line: int | None = None
    """1-based line in ``file``."""
    column: int | None = None
    """1-based column in ``file``."""

    @property
    def pointer(self) -> str:
        """The path as a JSON Pointer (RFC 6901), e.g. ``/rules/3/because/0``."""
        return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in self.path)

    def __str__(self) -> str:
        if self.file is None:
            return self.pointer or "/"
        parts = [self.file] + [str(x) for x in (self.line, self.column) if x is not None]
        return ":".join(parts)


class Finding(CimoModel):
    """One problem found by a check.

    >>> f = Finding(code="R003", name="incomplete-rule", severity="warning",
    ...             message="rule R2 has no outcome", ids=("R2",),
    ...             location=Location(id="R2", path=("rules", 1), file="t.yaml", line=9, column=5))
    >>> print(f)
    t.yaml:9:5: R003 rule R2 has no outcome
    """

    code: str
    name: str
    severity: Severity
    message: str
    """What is wrong, naming the ids involved."""
    hint: str | None = None
    """How to fix it."""
    ids: tuple[str, ...] = ()
    """Every rule and node id involved."""
    location: Location = Location()

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"


class Report(CimoModel):
    """All findings of :func:`validate` on one theory, and the settings they were found with."""

    theory: str
    """The id of the theory checked."""
    file: str | None = None
    """The file it was loaded from, if any."""
    findings: tuple[Finding, ...] = ()
    """Every finding, in the order of the registry, then document order."""
    checked: tuple[str, ...] = ()
    """The codes of the checks that ran."""
    fail_on: Severity = DEFAULT_FAIL_ON
    """The lowest severity that makes the report fail."""

    @property
    def failing(self) -> tuple[Finding, ...]:
        """The findings at or above :attr:`fail_on`."""
        floor = _RANK[self.fail_on]
        return tuple(f for f in self.findings if _RANK[f.severity] >= floor)

    @property
    def failed(self) -> bool:
        """True when a finding is at or above :attr:`fail_on`."""
        return bool(self.failing)

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings by severity (``error``, ``warning``, ``info``)."""
        out: dict[str, int] = dict.fromkeys(reversed(SEVERITIES), 0)
        for f in self.findings:
            out[f.severity] += 1
        return out

    def by_code(self, code: str) -> tuple[Finding, ...]:
        """The findings of one check (by code or name)."""
        return tuple(f for f in self.findings if code in (f.code, f.name))

    def __str__(self) -> str:
        lines = [str(f) for f in self.findings]
        counts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in self.counts.items())
        verdict = "fails" if self.failed else "passes"
        lines.append(
            f"{self.file or self.theory}: {counts} ({verdict} at --fail-on {self.fail_on})"
        )
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        head = f"**{self.theory}**: " + ", ".join(f"{n} {s}" for s, n in self.counts.items())
        if not self.findings:
            return head + "\n\nNo findings."
        rows = [
            "| code | severity | where | message |",
            "|---|---|---|---|",
            *(
                f"| `{f.code}` | {f.severity} | `{f.location.id or f.location}` | "
                + f.message.replace("|", "\\|")
                + " |"
                for f in self.findings
            ),
        ]
        return head + "\n\n" + "\n".join(rows)


# --------------------------------------------------------------------------- the registry


class _Raw:
    """A finding before settings and file positions are applied (private)."""

    __slots__ = ("ids", "loc", "message", "subject")

    def __init__(self, message: str, subject: str, loc: Loc, ids: Sequence[str] = ()) -> None:
        self.message = message
        self.subject = subject
        self.loc = loc
        self.ids = tuple(ids) or (subject,)


CheckFn: TypeAlias = Callable[["_Index"], Iterable[_Raw]]
_REGISTRY: dict[str, tuple[Check, CheckFn]] = {}


def _check(
    code: str, name: str, severity: Severity, summary: str, hint: str
) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        _REGISTRY[code] = (
            Check(code=code, name=name, severity=severity, summary=summary, hint=hint),
            fn,
        )
        return fn

    return register


def checks() -> tuple[Check, ...]:
    """Every check of the registry, in code order.

    >>> [c.code for c in checks()][:3]
    ['G001', 'M001', 'M002']
    """
    return tuple(_REGISTRY[code][0] for code in sorted(_REGISTRY))


_SLOT_ATTRS: Mapping[str, str] = MappingProxyType(
    {
        "if": "contexts",
        "unless": "unless",
        "with": "interventions",
        "because": "mechanisms",
        "then": "outcomes",
        "reduces": "reduces",
    }
)


def _canon(ids: tuple[str, ...]) -> tuple[str, ...]:
    return ids if len(ids) < 2 else tuple(sorted(ids))


class _Index:
    """Lookups shared by the checks, each built once, in one pass, when first needed."""

    def __init__(self, theory: Theory) -> None:
        self.theory = theory

    @cached_property
    def rule_pos(self) -> dict[str, int]:
        return {r.id: i for i, r in enumerate(self.theory.rules)}

    @cached_property
    def node_pos(self) -> dict[str, int]:
        return {n.id: i for i, n in enumerate(self.theory.nodes)}

    def slot(self, slot: str) -> dict[str, list[int]]:
        """Id -> positions of the rules naming it in ``slot`` (file slot names)."""
        return self._slot_index[slot]

    @cached_property
    def _slot_index(self) -> dict[str, dict[str, list[int]]]:
        # one pass over the rules for all six slots: the rules are read once
        found: dict[str, dict[str, list[int]]] = {slot: {} for slot in _SLOT_ATTRS}
        ifs, unless, with_ = found["if"], found["unless"], found["with"]
        because, then, reduces = found["because"], found["then"], found["reduces"]
        for i, rule in enumerate(self.theory.rules):
            for index, ids in (
                (ifs, rule.contexts),
                (unless, rule.unless),
                (with_, rule.interventions),
                (because, rule.mechanisms),
                (then, rule.outcomes),
                (reduces, rule.reduces),
            ):
                for ref in ids:
                    index.setdefault(ref, []).append(i)
        return found

    @cached_property
    def used(self) -> set[str]:
        """Every id named in some rule slot."""
        out: set[str] = set()
        for slot in _SLOT_ATTRS:
            out.update(self.slot(slot))
        return out

    @cached_property
    def linked(self) -> dict[str, list[str]]:
        """Outcome -> the contexts it is linked to."""
        out: defaultdict[str, list[str]] = defaultdict(list)
        for link in self.theory.links:
            out[link.outcome].append(link.context)
        return out

    @cached_property
    def in_links(self) -> set[str]:
        return {i for link in self.theory.links for i in (link.outcome, link.context)}

    @cached_property
    def opposites(self) -> dict[str, set[str]]:
        """Outcome -> its declared opposites (both directions)."""
        out: defaultdict[str, set[str]] = defaultdict(set)
        for node in self.theory.nodes:
            if isinstance(node, Outcome) and node.opposite is not None:
                out[node.id].add(node.opposite)
                out[node.opposite].add(node.id)
        return out

    def rule(self, i: int) -> Rule:
        return self.theory.rules[i]

    def rules_using(self, ident: str, *slots: str) -> list[int]:
        """Positions of the rules naming ``ident`` in any of ``slots``."""
        if len(slots) == 1:
            return self.slot(slots[0]).get(ident, [])
        return sorted({i for slot in slots for i in self.slot(slot).get(ident, ())})


def _names(ids: Iterable[str], limit: int = 5) -> str:
    items = list(ids)
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# --------------------------------------------------------------------------- rule checks


@_check(
    "R001",
    "duplicate-rule",
    "error",
    "Two rules state the same configuration (the same ids in every slot, in any order).",
    "merge the two rules (keep one id and combine their evidence), or make them differ",
)
def _duplicate_rules(ix: _Index) -> Iterator[_Raw]:
    first: dict[tuple[Any, ...], str] = {}
    for i, r in enumerate(ix.theory.rules):
        key = (
            _canon(r.contexts),
            _canon(r.unless),
            _canon(r.interventions),
            _canon(r.mechanisms),
            r.mechanism_mode if len(r.mechanisms) > 1 else "together",
            _canon(r.outcomes),
            _canon(r.reduces),
        )
        seen = first.setdefault(key, r.id)
        if seen != r.id:
            yield _Raw(
                f"rule {r.id} repeats rule {seen}: the same configuration twice",
                r.id,
                ("rules", i),
                (r.id, seen),
            )


def _co_fire(a: Rule, b: Rule, opposites: Mapping[str, set[str]]) -> bool:
    """Whether two rules can fire in one scenario.

    They cannot when an IF item of one is an UNLESS item of the other, or when
    they need an outcome and its declared opposite.
    """
    if a.unless and not set(a.unless).isdisjoint(b.contexts):
        return False
    if b.unless and not set(b.unless).isdisjoint(a.contexts):
        return False
    if opposites:
        need = set(b.contexts)
        for c in a.contexts:
            if not opposites.get(c, set()).isdisjoint(need):
                return False
    return True


def _first_clash(
    ix: _Index, ups: list[int], downs: list[int], opposites: Mapping[str, set[str]]
) -> tuple[int, int] | None:
    """The first pair (one from each group) that can fire together.

    The scan stops at the first compatible pair, so it costs one comparison per
    outcome unless rules of the two groups block each other; only then does it
    go further, and never beyond the two groups of one outcome.
    """
    for a in ups:
        for b in downs:
            if a != b and _co_fire(ix.rule(a), ix.rule(b), opposites):
                return a, b
    return None


@_check(
    "R002",
    "contradictory-rules",
    "error",
    "Two rules can fire together yet predict opposite things: one's THEN is the other's "
    "REDUCES, or they predict an outcome and its declared opposite.",
    "say what tells the two apart: add a context to one rule's 'if' and to the other's "
    "'unless', or mark one of them refuted",
)
def _contradictions(ix: _Index) -> Iterator[_Raw]:
    refuted = {i for i, r in enumerate(ix.theory.rules) if r.status == "refuted"}

    def live(slot: str) -> Mapping[str, list[int]]:
        rules = ix.slot(slot)
        if not refuted:
            return rules
        return {
            o: kept for o, ids in rules.items() if (kept := [i for i in ids if i not in refuted])
        }

    then, reduces = live("then"), live("reduces")
    opposites = ix.opposites
    for outcome, downs in reduces.items():
        ups = then.get(outcome)
        if not ups:
            continue
        pair = _first_clash(ix, ups, downs, opposites)
        if pair is not None:
            a, b = ix.rule(pair[0]), ix.rule(pair[1])
            yield _Raw(
                f"rules {a.id} and {b.id} can fire together, but {a.id} predicts "
                f"{outcome!r} and {b.id} reduces it",
                b.id,
                ("rules", pair[1], "reduces", b.reduces.index(outcome)),
                (a.id, b.id, outcome),
            )
    done: set[frozenset[str]] = set()
    for node in ix.theory.nodes:
        if not isinstance(node, Outcome) or node.opposite is None:
            continue
        key = frozenset((node.id, node.opposite))
        if key in done:
            continue
        done.add(key)
        pros, cons = then.get(node.id), then.get(node.opposite)
        if not pros or not cons:
            continue
        pair = _first_clash(ix, pros, cons, opposites)
        if pair is not None:
            a, b = ix.rule(pair[0]), ix.rule(pair[1])
            yield _Raw(
                f"rules {a.id} and {b.id} can fire together, but {a.id} predicts "
                f"{node.id!r} and {b.id} predicts its opposite {node.opposite!r}",
                b.id,
                ("rules", pair[1], "then", b.outcomes.index(node.opposite)),
                (a.id, b.id, node.id, node.opposite),
            )


@_check(
    "R003",
    "incomplete-rule",
    "warning",
    "A rule has no context, no mechanism or no outcome.",
    "add the missing part if the source states it; realist configurations need all three",
)
def _incomplete(ix: _Index) -> Iterator[_Raw]:
    for i, r in enumerate(ix.theory.rules):
        if r.missing:
            yield _Raw(f"rule {r.id} has no {' and no '.join(r.missing)}", r.id, ("rules", i))


@_check(
    "R004",
    "rule-without-evidence",
    "warning",
    "A rule cites no evidence.",
    "add an 'evidence' entry saying where the rule comes from (source, locator, quote)",
)
def _no_evidence(ix: _Index) -> Iterator[_Raw]:
    for i, r in enumerate(ix.theory.rules):
        if not r.evidence:
            yield _Raw(f"rule {r.id} cites no evidence", r.id, ("rules", i))


@_check(
    "R005",
    "refuted-rule-in-chain",
    "warning",
    "A refuted rule's outcome still feeds another rule that is not refuted.",
    "let the later rule start from a context that still holds, or mark it refuted too",
)
def _refuted_in_chain(ix: _Index) -> Iterator[_Raw]:
    for i, r in enumerate(ix.theory.rules):
        if r.status != "refuted":
            continue
        for o in (*r.outcomes, *r.reduces):
            fed = [
                ix.rule(j).id
                for c in (o, *ix.linked.get(o, ()))
                for j in ix.rules_using(c, "if", "unless")
                if ix.rule(j).status != "refuted"
            ]
            if fed:
                yield _Raw(
                    f"rule {r.id} is refuted, but its outcome {o!r} still feeds rule {_names(fed)}",
                    r.id,
                    ("rules", i, "status"),
                    (r.id, o, *fed),
                )


# --------------------------------------------------------------------------- mechanism checks


@_check(
    "M001",
    "context-enables-and-disables",
    "warning",
    "A context enables a mechanism in one rule ('if') and disables it in another ('unless').",
    "say what else differs between the two rules, or keep the context in one role",
)
def _enables_and_disables(ix: _Index) -> Iterator[_Raw]:
    enables: dict[tuple[str, str], int] = {}
    disables: dict[tuple[str, str], int] = {}
    for i, r in enumerate(ix.theory.rules):
        for m in r.mechanisms:
            for c in r.contexts:
                enables.setdefault((c, m), i)
            for c in r.unless:
                disables.setdefault((c, m), i)
    for (c, m), j in disables.items():
        k = enables.get((c, m))
        if k is not None:
            a, b = ix.rule(k), ix.rule(j)
            yield _Raw(
                f"{c!r} enables mechanism {m!r} in rule {a.id} but disables it in rule {b.id}",
                b.id,
                ("rules", j, "unless", b.unless.index(c)),
                (c, m, a.id, b.id),
            )


@_check(
    "M002",
    "mechanism-without-context",
    "warning",
    "A mechanism fires only in rules with no context (realist mechanisms are context-dependent).",
    "add the context that triggers the mechanism to the 'if' of a rule naming it",
)
def _mechanism_without_context(ix: _Index) -> Iterator[_Raw]:
    return _lacking(
        ix,
        ix.theory.mechanisms,
        "because",
        "contexts",
        "has no context: no rule naming it",
        "an 'if'",
    )


def _lacking(
    ix: _Index,
    nodes: Iterable[Intervention | Mechanism],
    slot: str,
    needed: str,
    says: str,
    what: str,
) -> Iterator[_Raw]:
    """Nodes named in ``slot`` only by rules whose ``needed`` slot is empty."""
    for node in nodes:
        rules = ix.rules_using(node.id, slot)
        if rules and not any(getattr(ix.rule(i), needed) for i in rules):
            yield _Raw(
                f"{node.kind} {node.id!r} {says} ({_names(ix.rule(i).id for i in rules)}) "
                f"names {what}",
                node.id,
                ("nodes", ix.node_pos[node.id]),
            )


@_check(
    "M003",
    "mechanism-without-reasoning",
    "info",
    "A mechanism names no reasoning (a resource alone does not explain why it works).",
    "add the 'reasoning' (how people respond to the resource)",
)
def _no_reasoning(ix: _Index) -> Iterator[_Raw]:
    for node in ix.theory.mechanisms:
        if node.reasoning is None:
            what = (
                "a resource but no reasoning" if node.resource else "no resource and no reasoning"
            )
            yield _Raw(
                f"mechanism {node.id!r} has {what}", node.id, ("nodes", ix.node_pos[node.id])
            )


def _taxonomy_of(ix: _Index) -> Any:
    from cimo.taxonomy import resolve_taxonomy

    return resolve_taxonomy(ix.theory)


@_check(
    "M004",
    "unknown-taxon",
    "warning",
    "A mechanism's 'taxon' is not in the theory's taxonomy (or no taxonomy is declared).",
    "correct the taxon, declare it in the taxonomy, or declare the taxonomy",
)
def _unknown_taxon(ix: _Index) -> Iterator[_Raw]:
    taxonomy = _taxonomy_of(ix)
    known: Mapping[str, Any] = taxonomy.by_id if taxonomy is not None else {}
    for node in ix.theory.mechanisms:
        if node.taxon is None or node.taxon in known:
            continue
        where = (
            f"taxonomy {taxonomy.id!r}" if taxonomy is not None else "no taxonomy (none declared)"
        )
        yield _Raw(
            f"mechanism {node.id!r}: taxon {node.taxon!r} is not in {where}"
            + did_you_mean(node.taxon, known),
            node.id,
            ("nodes", ix.node_pos[node.id], "taxon"),
        )


@_check(
    "M005",
    "unplaced-mechanism",
    "info",
    "A theory declares a taxonomy but a mechanism has no 'taxon' in it.",
    "give the mechanism a 'taxon' from the taxonomy",
)
def _unplaced(ix: _Index) -> Iterator[_Raw]:
    taxonomy = _taxonomy_of(ix)
    if taxonomy is None:
        return
    for node in ix.theory.mechanisms:
        if node.taxon is None:
            yield _Raw(
                f"mechanism {node.id!r} has no place in taxonomy {taxonomy.id!r}",
                node.id,
                ("nodes", ix.node_pos[node.id]),
            )


# --------------------------------------------------------------------------- node checks


@_check(
    "N001",
    "orphan-node",
    "warning",
    "A node is named by no rule, no link and no 'opposite'.",
    "use it in a rule, or remove it",
)
def _orphans(ix: _Index) -> Iterator[_Raw]:
    opposites = ix.opposites
    for j, node in enumerate(ix.theory.nodes):
        if node.id not in ix.used and node.id not in ix.in_links and node.id not in opposites:
            yield _Raw(f"{node.kind} {node.id!r} is not used by any rule", node.id, ("nodes", j))


@_check(
    "N002",
    "unproduced-outcome",
    "warning",
    "An outcome is used (in an 'if', 'unless', link or as an opposite) but no rule predicts it "
    "('then' or 'reduces').",
    "add the rule that produces it, or make it a context",
)
def _unproduced(ix: _Index) -> Iterator[_Raw]:
    for node in ix.theory.outcomes:
        used = node.id in ix.used or node.id in ix.in_links or node.id in ix.opposites
        predicted = node.id in ix.slot("then") or node.id in ix.slot("reduces")
        if used and not predicted:
            yield _Raw(
                f"outcome {node.id!r} is used but no rule predicts it",
                node.id,
                ("nodes", ix.node_pos[node.id]),
            )


@_check(
    "N003",
    "inert-intervention",
    "warning",
    "An intervention is delivered only in rules that name no mechanism, so it activates nothing.",
    "add the mechanism the intervention triggers to a rule delivering it",
)
def _inert(ix: _Index) -> Iterator[_Raw]:
    return _lacking(
        ix,
        ix.theory.interventions,
        "with",
        "mechanisms",
        "activates no mechanism: no rule delivering it",
        "a mechanism",
    )


@_check(
    "N004",
    "probable-duplicate-label",
    "warning",
    "Two nodes of one kind have labels that differ only by case, spacing or punctuation.",
    "merge the two nodes, or word their labels so that they say what tells them apart",
)
def _duplicate_labels(ix: _Index) -> Iterator[_Raw]:
    first: dict[tuple[str, str], str] = {}
    for j, node in enumerate(ix.theory.nodes):
        seen = first.setdefault((node.kind, normalise_label(node.label)), node.id)
        if seen != node.id:
            other = ix.theory.index[seen].label
            yield _Raw(
                f"{node.kind} {node.id!r} ({node.label!r}) and {seen!r} ({other!r}) have "
                "labels that differ only by case, spacing or punctuation",
                node.id,
                ("nodes", j, "label"),
                (node.id, seen),
            )


@_check(
    "N005",
    "unknown-component",
    "warning",
    "An intervention component's category or aspect is not in the theory's component vocabulary.",
    "use a category and aspect of the vocabulary (S3 checklist by default), or declare your own",
)
def _unknown_components(ix: _Index) -> Iterator[_Raw]:
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
            yield _Raw(
                f"intervention {node.id!r}: {what} of vocabulary {vocabulary.id!r}",
                node.id,
                ("nodes", ix.node_pos[node.id], "components", k),
            )


# --------------------------------------------------------------------------- graph checks


def _shortest_cycle(g: nx.DiGraph[str], start: str, within: set[str]) -> list[str]:
    """The shortest cycle through ``start`` inside one strongly connected component (BFS)."""
    parent: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt: list[str] = []
        for v in frontier:
            for w in g.successors(v):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return [*reversed(path), start]
                if w in within and w not in parent:
                    parent[w] = v
                    nxt.append(w)
        frontier = nxt
    return [start]  # unreachable for a true component; kept total


@_check(
    "G001",
    "feedback-cycle",
    "info",
    "Rules feed each other in a loop (an outcome leads, through other rules, back to itself).",
    "nothing to fix if the loop is real (process theories have them); otherwise break the chain",
)
def _cycles(ix: _Index) -> Iterator[_Raw]:
    theory = ix.theory
    consumed = set(ix.slot("if")) | set(ix.slot("unless"))
    produced = set(ix.slot("then")) | set(ix.slot("reduces"))
    for link in theory.links:
        if link.context in consumed:
            consumed.add(link.outcome)
        if link.outcome in produced:
            produced.add(link.context)
    # Only a rule that consumes something produced and produces something consumed
    # can lie on a loop; the others are left out of the graph.
    succ: dict[str, list[str]] = {}
    for r in theory.rules:
        ins = [c for c in (*r.contexts, *r.unless) if c in produced]
        outs = [o for o in (*r.outcomes, *r.reduces) if o in consumed]
        if ins and outs:
            succ[r.id] = outs
            for c in ins:
                succ.setdefault(c, []).append(r.id)
    for link in theory.links:
        if link.outcome in produced and link.context in consumed:
            succ.setdefault(link.outcome, []).append(link.context)
    g = _digraph(succ)
    pos = ix.rule_pos
    for component in nx.strongly_connected_components(g):
        if len(component) < 2:
            continue
        rules = sorted((v for v in component if v in pos), key=pos.__getitem__)
        cycle = _shortest_cycle(g, rules[0], component)
        also = (
            f" (part of a loop of {len(rules)} rules: {_names(rules)})"
            if len(rules) > len(cycle) // 2
            else ""
        )
        yield _Raw(
            "feedback loop: " + " -> ".join(cycle) + also,
            rules[0],
            ("rules", pos[rules[0]]),
            tuple(dict.fromkeys(cycle)),
        )


def _digraph(succ: Mapping[str, list[str]]) -> nx.DiGraph[str]:
    """A DiGraph from successor lists (through cimo.graph's one-pass builder)."""
    vertices = set(succ)
    for targets in succ.values():
        vertices.update(targets)
    return _fill_digraph(
        ((v, {}) for v in vertices),
        ((u, v, _NO_DATA) for u, targets in succ.items() for v in targets),
    )


_NO_DATA: Mapping[str, Any] = MappingProxyType({})


# --------------------------------------------------------------------------- settings


def _matches(selector: str, check: Check) -> bool:
    s = selector.strip()
    return s.lower() == check.name or check.code.startswith(s.upper())


def _pick(selectors: Iterable[str], what: str) -> set[str]:
    registry = checks()
    picked: set[str] = set()
    for s in selectors:
        hits = {c.code for c in registry if _matches(s, c)}
        if not hits:
            names = [c.code for c in registry] + [c.name for c in registry]
            raise UsageError(
                f"{what}: {s!r} is not a check code, code prefix or check name"
                + (did_you_mean(s, names) or f" (codes: {', '.join(c.code for c in registry)})")
            )
        picked |= hits
    return picked


def resolve_settings(
    theory: Theory | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    fail_on: Severity | None = None,
    project: CheckSettings | None = None,
) -> CheckSettings:
    """The settings in force, each taken from the first place that sets it.

    Precedence, highest first: the arguments (the command line), the theory
    file's ``check:`` block, the project's ``[tool.cimo]`` table (``project``),
    then the defaults (every check, nothing ignored, fail on ``error``). Each of
    ``select``, ``ignore`` and ``fail_on`` is resolved on its own; an empty list
    counts as not set.

    >>> from cimo.model import CheckSettings, Theory
    >>> t = Theory(id="t", title="T", check=CheckSettings(ignore=("R004",), fail_on="warning"))
    >>> resolve_settings(t, fail_on="info", project=CheckSettings(select=("R",)))
    CheckSettings(select=('R',), ignore=('R004',), fail_on='info')
    """
    layers = [
        CheckSettings(select=tuple(select or ()), ignore=tuple(ignore or ()), fail_on=fail_on),
        theory.check if theory is not None and theory.check is not None else CheckSettings(),
        project or CheckSettings(),
    ]
    return CheckSettings(
        select=next((s.select for s in layers if s.select), ()),
        ignore=next((s.ignore for s in layers if s.ignore), ()),
        fail_on=next((s.fail_on for s in layers if s.fail_on is not None), DEFAULT_FAIL_ON),
    )


def find_project_settings(
    start: str | os.PathLike[str] | None = None,
) -> tuple[CheckSettings, Path] | None:
    """Read ``[tool.cimo]`` from the nearest ``pyproject.toml`` that has one.

    Looks in ``start`` (default: the current folder) and then each parent. The
    table may hold ``select`` and ``ignore`` (lists of codes, prefixes or names)
    and ``fail-on`` (``error``, ``warning`` or ``info``); other keys are left to
    other cimo commands.

    Returns:
        The settings and the file they came from, or None when no
        ``pyproject.toml`` up the tree has a ``[tool.cimo]`` table.

    Raises:
        UsageError: if the table is there but malformed.
    """
    folder = Path(start if start is not None else Path.cwd()).resolve()
    for here in (folder, *folder.parents):
        path = here / "pyproject.toml"
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise UsageError(f"{path}: cannot read it as TOML ({err})") from None
        table = data.get("tool", {}).get("cimo")
        if table is None:
            continue
        return _settings_from_table(table, path), path
    return None


def _settings_from_table(table: Any, path: Path) -> CheckSettings:
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [tool.cimo] must be a table")
    values: dict[str, Any] = {}
    for key, field in (("select", "select"), ("ignore", "ignore")):
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{path}: [tool.cimo] {key} must be a list of check codes or names")
        values[field] = tuple(value)
    fail_on = table.get("fail-on", table.get("fail_on"))
    if fail_on is not None and fail_on not in SEVERITIES:
        raise UsageError(
            f"{path}: [tool.cimo] fail-on = {fail_on!r}: use one of {', '.join(SEVERITIES)}"
        )
    values["fail_on"] = fail_on
    return CheckSettings(**values)


# --------------------------------------------------------------------------- validate


def validate(
    theory: Theory,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    fail_on: Severity | None = None,
    project: CheckSettings | None = None,
) -> Report:
    """Run the quality checks on a theory and return every finding.

    Args:
        theory: The theory to check (never changed).
        select: Codes, code prefixes (``"R"``, ``"M00"``) or names of the checks to run
            (default: all).
        ignore: Codes, prefixes or names of checks to skip.
        fail_on: The lowest severity that makes :attr:`Report.failed` true
            (default ``error``).
        project: Settings from a project's ``[tool.cimo]`` (see
            :func:`find_project_settings`); the arguments and the theory's own
            ``check:`` block take precedence (see :func:`resolve_settings`).

    Returns:
        A frozen :class:`Report`.

    Raises:
        UsageError: if a selector names no check.

    >>> import cimo
    >>> from cimo.model import Context, Theory
    >>> t = Theory(id="t", title="T", nodes=(Context(id="c", label="Employees in work"),))
    >>> print(validate(t))
    /nodes/0: N001 context 'c' is not used by any rule
    t: 0 errors, 1 warning, 0 infos (passes at --fail-on error)
    """
    settings = resolve_settings(
        theory, select=select, ignore=ignore, fail_on=fail_on, project=project
    )
    chosen = _pick(settings.select, "select") if settings.select else set(_REGISTRY)
    chosen -= _pick(settings.ignore, "ignore")
    ix = _Index(theory)
    findings: list[Finding] = []
    source = source_of(theory)
    with paused_gc():  # many small lists and records, no reference cycles
        for code in sorted(chosen):
            check, fn = _REGISTRY[code]
            for raw in fn(ix):
                file, line, column = locate(theory, raw.loc)
                findings.append(
                    Finding(
                        code=check.code,
                        name=check.name,
                        severity=check.severity,
                        message=raw.message,
                        hint=check.hint,
                        ids=raw.ids,
                        location=Location(
                            id=raw.subject,
                            path=raw.loc,
                            file=file,
                            line=line,
                            column=column,
                        ),
                    )
                )
    return Report(
        theory=theory.id,
        file=source.file if source is not None else None,
        findings=tuple(findings),
        checked=tuple(sorted(chosen)),
        fail_on=settings.fail_on or DEFAULT_FAIL_ON,
    )


def format_text(reports: Iterable[Report]) -> str:
    """Findings one a line (``file:line:column: CODE message``), like ruff or mypy.

    After each report's findings comes its summary line; at the end, one
    ``help:`` line for each code found, saying how to fix it.

    >>> from cimo.model import Context, Theory
    >>> t = Theory(id="t", title="T", nodes=(Context(id="c", label="Employees in work"),))
    >>> print(format_text([validate(t)]))
    /nodes/0: N001 context 'c' is not used by any rule
    t: 0 errors, 1 warning, 0 infos (passes at --fail-on error)
    help: N001 use it in a rule, or remove it
    """
    lines: list[str] = []
    hints: dict[str, str] = {}
    for report in reports:
        lines.append(str(report))
        for f in report.findings:
            if f.hint:
                hints.setdefault(f.code, f.hint)
    lines.extend(f"help: {code} {hint}" for code, hint in sorted(hints.items()))
    return "\n".join(lines)


# --------------------------------------------------------------------------- SARIF

_SARIF_LEVEL: Mapping[str, str] = MappingProxyType(
    {"error": "error", "warning": "warning", "info": "note"}
)
_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif(reports: Iterable[Report]) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the findings of several reports (one run of ``cimo check``).

    Code-scanning tools (GitHub code scanning, IDE viewers) show these findings
    on the lines of the theory files. Each check is a SARIF rule; each finding
    is a result with its file position and the rule or node id as its logical
    location.

    >>> import cimo
    >>> log = sarif([validate(cimo.Theory(id="t", title="T"))])
    >>> log["version"], log["runs"][0]["tool"]["driver"]["name"]
    ('2.1.0', 'cimo')
    """
    registry = checks()
    index = {c.code: i for i, c in enumerate(registry)}
    results: list[dict[str, Any]] = []
    for report in reports:
        for f in report.findings:
            loc = f.location
            result: dict[str, Any] = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message + (f" ({f.hint})" if f.hint else "")},
            }
            location: dict[str, Any] = {}
            if loc.file is not None:
                physical: dict[str, Any] = {"artifactLocation": {"uri": Path(loc.file).as_posix()}}
                if loc.line is not None:
                    region = {"startLine": loc.line}
                    if loc.column is not None:
                        region["startColumn"] = loc.column
                    physical["region"] = region
                location["physicalLocation"] = physical
            if loc.id is not None:
                location["logicalLocations"] = [
                    {"name": loc.id, "fullyQualifiedName": f"{report.theory}{loc.pointer}"}
                ]
            if location:
                result["locations"] = [location]
            results.append(result)
    return {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cimo",
                        "version": __version__,
                        "informationUri": "https://cimo.readthedocs.io/en/latest/checks/",
                        "rules": [
                            {
                                "id": c.code,
                                "name": c.name,
                                "shortDescription": {"text": c.summary},
                                "help": {"text": c.hint},
                                "defaultConfiguration": {"level": _SARIF_LEVEL[c.severity]},
                            }
                            for c in registry
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
