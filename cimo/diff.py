"""What changed between two iterations of a programme theory: a semantic diff.

Theories are refined in iterations (seed 000 reports two theory iterations):
rules are added, dropped, tested (their status moves from *hypothesised* to
*supported*, *refined* or *refuted*), gain evidence, and mechanisms are
merged or split as the taxonomy settles. :func:`diff` reports exactly those
changes, by id, field by field, as a :class:`TheoryDiff` that prints as text,
shows as Markdown in a notebook and dumps to JSON.

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> cimo.diff(theory, theory).equal
True
>>> burnout = theory.rule_index["burnout"]
>>> tested = cimo.Rule.model_validate({**dict(burnout), "status": "supported"})
>>> print(cimo.diff(theory, cimo.replace(theory, tested)))
pwp-resilience -> pwp-resilience: 1 difference
Status changes (1):
  ~ rule burnout: hypothesised -> supported
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import JsonValue, TypeAdapter

from cimo.core.vocabulary import field_policy
from cimo.model import CimoModel, Evidence, Mechanism, Rule, Status, Theory
from cimo.taxonomy import resolve_taxonomy

__all__ = [
    "EvidenceChange",
    "FieldChange",
    "ItemRef",
    "MechanismRegroup",
    "RecordChange",
    "StatusChange",
    "TheoryDiff",
    "diff",
]

#: Theory fields compared as a whole (the collections are compared item by item),
#: from the fields' diff policies.
_THEORY_FIELDS = tuple(
    name for name in Theory.model_fields if field_policy(Theory, name).diff == "field"
)
#: Rule fields that have their own section of the diff.
_OWN_SECTION = frozenset(
    info.alias or name
    for name, info in Rule.model_fields.items()
    if field_policy(Rule, name).diff == "section"
)


class FieldChange(CimoModel):
    """One field whose value differs: ``old`` and ``new`` as plain JSON data."""

    field: str
    old: JsonValue = None
    new: JsonValue = None

    @property
    def is_addition(self) -> bool:
        """True when the field went from empty to a value, or only grew.

        A list grows when it keeps every old item; a record (``check``, a declared
        taxonomy) when each of its fields is kept or only grows.
        """
        return _only_grows(self.old, self.new)

    def __str__(self) -> str:
        return f"{self.field}: {_show(self.old)} -> {_show(self.new)}"


def _only_grows(old: JsonValue, new: JsonValue) -> bool:
    if old in (None, [], {}, ""):
        return True
    if isinstance(old, list) and isinstance(new, list):
        return all(item in new for item in old)
    if isinstance(old, dict) and isinstance(new, dict):
        return all(k in new and (v == new[k] or _only_grows(v, new[k])) for k, v in old.items())
    return False


class ItemRef(CimoModel):
    """A node, rule, link or source, named by kind, id and (for nodes) label."""

    kind: str
    id: str
    label: str | None = None

    def __str__(self) -> str:
        if not self.label:
            return f"{self.kind} {self.id}"
        label = self.label if len(self.label) <= 80 else self.label[:79].rstrip() + "…"
        return f"{self.kind} {self.id}: {label}"


class RecordChange(CimoModel):
    """A record present in both theories whose fields differ."""

    kind: str
    id: str
    changes: tuple[FieldChange, ...]


class StatusChange(CimoModel):
    """A rule whose status moved (hypothesised -> supported, refined or refuted)."""

    rule: str
    old: Status
    new: Status

    def __str__(self) -> str:
        return f"rule {self.rule}: {self.old} -> {self.new}"


class EvidenceChange(CimoModel):
    """A piece of evidence added to, or removed from, a rule present in both theories."""

    rule: str
    evidence: Evidence

    def __str__(self) -> str:
        ev = self.evidence
        where = ", ".join(x for x in (ev.source, ev.locator, ev.kind, ev.participant) if x)
        return f"rule {self.rule}: {ev.stance}" + (f" ({where})" if where else "")


class MechanismRegroup(CimoModel):
    """Mechanisms merged, split or moved, as seen through the mechanism taxonomy.

    * ``merged``: two or more old mechanisms placed at or below one taxon (or
      category) became the only new mechanism there;
    * ``split``: one old mechanism became two or more new ones at or below its
      taxon (or category);
    * ``replaced``: one old mechanism, gone from the new theory, is the only
      one at its taxon (or category), where one new mechanism now stands;
    * ``moved``: a mechanism kept its id but changed its taxon.
    """

    change: Literal["merged", "split", "replaced", "moved"]
    old: tuple[str, ...]
    """The old mechanism ids."""
    new: tuple[str, ...]
    """The new mechanism ids."""
    via: str
    """The taxon (or ``category:<id>``) that relates them; for ``moved``, the new taxon."""

    def __str__(self) -> str:
        via = self.via.replace("category:", "category ", 1)
        if via == self.via:
            via = f"taxon {via}"
        return f"{self.change}: {', '.join(self.old)} -> {', '.join(self.new)} (via {via})"


class TheoryDiff(CimoModel):
    """The semantic difference between an old and a new theory.

    Every section is a tuple in the new theory's order (removals in the old
    theory's order). ``equal`` is true when no section has anything in it.
    """

    old: str
    """The old theory, as ``id`` (and ``iteration N`` when set)."""
    new: str
    """The new theory, likewise."""
    theory_changes: tuple[FieldChange, ...] = ()
    """Top-level fields (title, iteration, taxonomy, ...) that differ."""
    nodes_added: tuple[ItemRef, ...] = ()
    nodes_removed: tuple[ItemRef, ...] = ()
    nodes_changed: tuple[RecordChange, ...] = ()
    rules_added: tuple[ItemRef, ...] = ()
    rules_removed: tuple[ItemRef, ...] = ()
    rules_changed: tuple[RecordChange, ...] = ()
    """Rules whose slots or other fields differ (status and evidence have their own sections)."""
    status_changes: tuple[StatusChange, ...] = ()
    evidence_added: tuple[EvidenceChange, ...] = ()
    evidence_removed: tuple[EvidenceChange, ...] = ()
    mechanisms_regrouped: tuple[MechanismRegroup, ...] = ()
    links_added: tuple[ItemRef, ...] = ()
    links_removed: tuple[ItemRef, ...] = ()
    sources_added: tuple[ItemRef, ...] = ()
    sources_removed: tuple[ItemRef, ...] = ()
    sources_changed: tuple[RecordChange, ...] = ()

    @property
    def count(self) -> int:
        """How many differences: the items of all sections."""
        return sum(len(items) for _, items in self._sections())

    @property
    def equal(self) -> bool:
        """True when the two theories do not differ at all."""
        return not any(items for _, items in self._sections())

    @property
    def only_adds(self) -> bool:
        """True when the new theory only adds to the old one: nothing removed or overwritten.

        Changed fields count as additions when they go from empty to a value, or
        when a list only grows; status changes, removals and regroupings do not.
        """
        if (
            self.nodes_removed
            or self.rules_removed
            or self.links_removed
            or self.sources_removed
            or self.evidence_removed
            or self.status_changes
            or self.mechanisms_regrouped
        ):
            return False
        changes = [*self.theory_changes]
        for rec in (*self.nodes_changed, *self.rules_changed, *self.sources_changed):
            changes.extend(rec.changes)
        return all(c.is_addition for c in changes)

    def _sections(self) -> list[tuple[str, Sequence[Any]]]:
        return [
            ("Theory fields changed", self.theory_changes),
            ("Nodes added", self.nodes_added),
            ("Nodes removed", self.nodes_removed),
            ("Nodes changed", self.nodes_changed),
            ("Rules added", self.rules_added),
            ("Rules removed", self.rules_removed),
            ("Rules changed", self.rules_changed),
            ("Status changes", self.status_changes),
            ("Evidence added", self.evidence_added),
            ("Evidence removed", self.evidence_removed),
            ("Mechanisms regrouped through the taxonomy", self.mechanisms_regrouped),
            ("Links added", self.links_added),
            ("Links removed", self.links_removed),
            ("Sources added", self.sources_added),
            ("Sources removed", self.sources_removed),
            ("Sources changed", self.sources_changed),
        ]

    def _lines(self, bullet: str, indent: str, code: str) -> list[str]:
        lines: list[str] = []
        marks = {"added": "+", "removed": "-"}
        for title, items in self._sections():
            if not items:
                continue
            lines.append(f"{title} ({len(items)}):")
            mark = next((m for word, m in marks.items() if word in title), "~")
            for item in items:
                if isinstance(item, RecordChange):
                    lines.append(f"{bullet}{mark} {item.kind} {code}{item.id}{code}")
                    lines.extend(f"{indent}{bullet}{c}" for c in item.changes)
                else:
                    lines.append(f"{bullet}{mark} {item}")
        return lines

    def __str__(self) -> str:
        head = f"{self.old} -> {self.new}: "
        if self.equal:
            return head + "no differences"
        n = self.count
        return "\n".join([head + f"{n} difference{'s' * (n != 1)}", *self._lines("  ", "    ", "")])

    def _repr_markdown_(self) -> str:
        head = f"**{self.old}** → **{self.new}**: "
        if self.equal:
            return head + "no differences\n"
        out = [head + f"{self.count} differences", ""]
        out.extend(
            line if line.startswith(("-", " ")) else f"\n**{line}**\n"
            for line in self._lines("- ", "  ", "`")
        )
        return "\n".join(out) + "\n"


def _show(value: JsonValue) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:59].rstrip() + "…")
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return "[" + ", ".join(str(v) for v in value) + "]"
    import json

    return json.dumps(value, ensure_ascii=False)


def _plain(value: Any) -> JsonValue:
    """A field value as plain JSON data."""
    adapted: JsonValue = TypeAdapter(Any).dump_python(value, mode="json", by_alias=True)
    return adapted


def _name(theory: Theory) -> str:
    return theory.id + (f" (iteration {theory.iteration})" if theory.iteration is not None else "")


def _field_changes(
    old: CimoModel, new: CimoModel, *, skip: frozenset[str] = frozenset()
) -> tuple[FieldChange, ...]:
    a = old.model_dump(mode="json", by_alias=True)
    b = new.model_dump(mode="json", by_alias=True)
    return tuple(
        FieldChange(field=k, old=a.get(k), new=b.get(k))
        for k in dict.fromkeys([*a, *b])
        if k not in skip and a.get(k) != b.get(k)
    )


def _keyed(
    old: Iterable[Any], new: Iterable[Any], key: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    return {getattr(x, key): x for x in old}, {getattr(x, key): x for x in new}


def _added_removed(
    a: Mapping[Any, Any], b: Mapping[Any, Any], ref: Any
) -> tuple[tuple[ItemRef, ...], tuple[ItemRef, ...]]:
    return (
        tuple(ref(x) for k, x in b.items() if k not in a),
        tuple(ref(x) for k, x in a.items() if k not in b),
    )


def _evidence_delta(
    rule: str, a: Sequence[Evidence], b: Sequence[Evidence]
) -> tuple[list[EvidenceChange], list[EvidenceChange]]:
    left = Counter(a)
    added: list[EvidenceChange] = []
    for ev in b:
        if left[ev]:
            left[ev] -= 1
        else:
            added.append(EvidenceChange(rule=rule, evidence=ev))
    return added, [EvidenceChange(rule=rule, evidence=ev) for ev in left.elements()]


def _mechanism_keys(theory: Theory) -> dict[str, tuple[str, ...]]:
    """For each mechanism: its taxon and the taxon's ancestors, then its category (finest first)."""
    taxonomy = resolve_taxonomy(theory)
    by_id = taxonomy.by_id if taxonomy is not None else {}
    keys: dict[str, tuple[str, ...]] = {}
    for m in theory.mechanisms:
        chain: list[str] = []
        category = m.category
        taxon = by_id.get(m.taxon) if m.taxon else None
        if m.taxon and taxon is None:
            chain.append(m.taxon)
        while taxon is not None:
            chain.append(taxon.id)
            category = category or taxon.category
            taxon = by_id.get(taxon.parent) if taxon.parent else None
        if category:
            chain.append(f"category:{category}")
        keys[m.id] = tuple(chain)
    return keys


def _regroupings(old: Theory, new: Theory) -> list[MechanismRegroup]:
    """Merges, splits and moves of mechanisms; linear (taxonomy depth is a constant)."""
    old_keys, new_keys = _mechanism_keys(old), _mechanism_keys(new)
    old_at: defaultdict[str, list[str]] = defaultdict(list)
    new_at: defaultdict[str, list[str]] = defaultdict(list)
    for keys, at in ((old_keys, old_at), (new_keys, new_at)):
        for mid, chain in keys.items():
            for k in chain:
                at[k].append(mid)
    out: list[MechanismRegroup] = []

    old_index, new_index = old.index, new.index

    def gone(mid: str) -> bool:
        """The old mechanism is not in the new theory, or not where it was."""
        was, now = old_index[mid], new_index.get(mid)
        return not (
            isinstance(was, Mechanism)
            and isinstance(now, Mechanism)
            and (now.taxon, now.category) == (was.taxon, was.category)
        )

    for mid, chain in new_keys.items():
        if (
            chain
            and len(old_at[chain[0]]) >= 2
            and new_at[chain[0]] == [mid]
            and any(gone(o) for o in old_at[chain[0]])
        ):
            out.append(
                MechanismRegroup(
                    change="merged", old=tuple(old_at[chain[0]]), new=(mid,), via=chain[0]
                )
            )
    for mid, chain in old_keys.items():
        if not chain or old_at[chain[0]] != [mid] or not gone(mid):
            continue
        there = new_at[chain[0]]
        if len(there) >= 2:
            out.append(MechanismRegroup(change="split", old=(mid,), new=tuple(there), via=chain[0]))
        elif len(there) == 1 and mid not in new_keys and there[0] not in old_keys:
            out.append(
                MechanismRegroup(change="replaced", old=(mid,), new=tuple(there), via=chain[0])
            )
    for m in new.mechanisms:
        before = old_index.get(m.id)
        if (
            isinstance(before, Mechanism)
            and before.taxon is not None
            and m.taxon is not None
            and before.taxon != m.taxon
        ):
            out.append(MechanismRegroup(change="moved", old=(m.id,), new=(m.id,), via=m.taxon))
    return out


def diff(old: Theory, new: Theory) -> TheoryDiff:
    """The semantic difference between two theories (or two iterations of one).

    Records are matched by id. Nodes, rules, links and sources are reported
    as added, removed or changed (field by field, with file field names);
    rule status changes and evidence added to or removed from a rule have
    their own sections; mechanisms merged, split or moved are found through
    the taxonomy (each mechanism is placed at its taxon, the taxon's
    ancestors and its category). The cost is linear in the two theories.

    Args:
        old: The earlier theory.
        new: The later theory.

    Returns:
        A :class:`TheoryDiff`; ``diff(t, t).equal`` is always true.

    >>> import cimo
    >>> t = cimo.load_example("work-focused-group-cbt")
    >>> d = cimo.diff(cimo.Theory(id=t.id, title=t.title), t)
    >>> len(d.nodes_added), len(d.rules_added), d.only_adds
    (30, 8, True)
    """
    theory_changes = tuple(
        FieldChange(field=f, old=_plain(getattr(old, f)), new=_plain(getattr(new, f)))
        for f in _THEORY_FIELDS
        if getattr(old, f) != getattr(new, f)
    )
    old_nodes, new_nodes = _keyed(old.nodes, new.nodes, "id")
    nodes_added, nodes_removed = _added_removed(
        old_nodes, new_nodes, lambda n: ItemRef(kind=n.kind, id=n.id, label=n.label)
    )
    nodes_changed: list[RecordChange] = []
    for nid, node in new_nodes.items():
        before = old_nodes.get(nid)
        if before is not None and before != node:
            nodes_changed.append(
                RecordChange(kind=node.kind, id=nid, changes=_field_changes(before, node))
            )

    old_rules, new_rules = _keyed(old.rules, new.rules, "id")
    rules_added, rules_removed = _added_removed(
        old_rules, new_rules, lambda r: ItemRef(kind="rule", id=r.id, label=r.statement)
    )
    rules_changed: list[RecordChange] = []
    status_changes: list[StatusChange] = []
    evidence_added: list[EvidenceChange] = []
    evidence_removed: list[EvidenceChange] = []
    for rid, rule in new_rules.items():
        was: Rule | None = old_rules.get(rid)
        if was is None or was == rule:
            continue
        fields = _field_changes(was, rule, skip=_OWN_SECTION)
        if fields:
            rules_changed.append(RecordChange(kind="rule", id=rid, changes=fields))
        if was.status != rule.status:
            status_changes.append(StatusChange(rule=rid, old=was.status, new=rule.status))
        plus, minus = _evidence_delta(rid, was.evidence, rule.evidence)
        evidence_added.extend(plus)
        evidence_removed.extend(minus)

    def link_ref(link: Any) -> ItemRef:
        return ItemRef(kind="link", id=f"{link.outcome} -> {link.context}")

    old_links = {(lk.outcome, lk.context): lk for lk in old.links}
    new_links = {(lk.outcome, lk.context): lk for lk in new.links}
    links_added, links_removed = _added_removed(old_links, new_links, link_ref)

    old_sources, new_sources = _keyed(old.sources, new.sources, "id")
    sources_added, sources_removed = _added_removed(
        old_sources, new_sources, lambda s: ItemRef(kind="source", id=s.id, label=s.citation)
    )
    sources_changed = [
        RecordChange(kind="source", id=sid, changes=_field_changes(old_sources[sid], s))
        for sid, s in new_sources.items()
        if sid in old_sources and old_sources[sid] != s
    ]
    return TheoryDiff(
        old=_name(old),
        new=_name(new),
        theory_changes=theory_changes,
        nodes_added=nodes_added,
        nodes_removed=nodes_removed,
        nodes_changed=tuple(nodes_changed),
        rules_added=rules_added,
        rules_removed=rules_removed,
        rules_changed=tuple(rules_changed),
        status_changes=tuple(status_changes),
        evidence_added=tuple(evidence_added),
        evidence_removed=tuple(evidence_removed),
        mechanisms_regrouped=tuple(_regroupings(old, new)),
        links_added=links_added,
        links_removed=links_removed,
        sources_added=sources_added,
        sources_removed=sources_removed,
        sources_changed=tuple(sources_changed),
    )


from cimo._callable import callable_module  # noqa: E402  (calling the module calls diff)

callable_module(__name__)
