"""The analysis trail (RAMESES II item 13): what changed from each version to the next.

Read from :func:`cimo.diff`: configurations added, removed, refined (their
slots changed), tested (their status moved) and given new evidence, with the
evidence and the relations (refines, supersedes, rival-of) the newer version
records for each; elements added and removed; mechanisms regrouped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise

from cimo._util import plural
from cimo.diff import TheoryDiff
from cimo.model import Evidence, Theory
from cimo.render.report._document import Block, Cell, Gap, Paragraph, RowGroup, Section, Table
from cimo.render.report._versions import Version
from cimo.render.text import statement

__all__ = ["evidence_line", "trail_section"]

_WHY_RELATIONS = ("refines", "supersedes", "rival-of", "counterpart-of")


def trail_section(versions: Sequence[Version], diffs: Sequence[TheoryDiff]) -> Section:
    """Item 13: one subsection per step from a version to the next."""
    title = "Analysis trail"
    if not diffs:
        gap = Gap(
            text="One version only, so there is no trail of refinement: give the earlier "
            "versions (`cimo report THEORY --previous OLD`) or declare `iterations` in the "
            "theory and mark each element with the iterations it belongs to."
        )
        return Section(title=title, items=(13,), blocks=(gap,))
    steps = tuple(
        _step(old, new, d) for (old, new), d in zip(pairwise(versions), diffs, strict=True)
    )
    intro = Paragraph(
        text="Each step below is read from the semantic difference of two versions "
        "(cimo diff): configurations added, removed or refined, status changes and new "
        "evidence, with the evidence and relations the newer version records for them."
    )
    return Section(title=title, items=(13,), blocks=(intro,), subsections=steps)


def _step(old: Version, new: Version, d: TheoryDiff) -> Section:
    title = f"From {old.name} to {new.name}"
    if d.equal:
        return Section(title=title, items=(13,), blocks=(Paragraph(text="No differences."),))
    counts = [
        (len(d.rules_added), "configuration", "added"),
        (len(d.rules_removed), "configuration", "removed"),
        (len(d.rules_changed), "configuration", "refined (slots changed)"),
        (len(d.status_changes), "status change", ""),
        (len(d.evidence_added), "piece", "of evidence added"),
        (len(d.evidence_removed), "piece", "of evidence removed"),
        (len(d.nodes_added), "element", "added"),
        (len(d.nodes_removed), "element", "removed"),
        (len(d.mechanisms_regrouped), "mechanism regrouping", ""),
    ]
    said = "; ".join(f"{plural(n, word)} {tail}".strip() for n, word, tail in counts if n)
    blocks: list[Block] = [Paragraph(text=f"{plural(d.count, 'difference')}: {said}.")]
    rules = _rule_rows(old.theory, new.theory, d)
    if rules:
        blocks.append(
            Table(
                name="trail-rules",
                caption=f"Configurations changed from {old.name} to {new.name}",
                columns=("Configuration", "Change", "What changed", "Evidence and reasons"),
                groups=(RowGroup(rows=tuple(rules)),),
            )
        )
    elements = _element_rows(d)
    if elements:
        blocks.append(
            Table(
                name="trail-elements",
                caption=f"Elements added, removed or changed from {old.name} to {new.name}",
                columns=("Kind", "Element", "Change"),
                groups=(RowGroup(rows=tuple(elements)),),
            )
        )
    blocks += _regroupings(new.theory, d)
    return Section(title=title, items=(13,), blocks=tuple(blocks))


def evidence_line(e: Evidence) -> str:
    """One piece of evidence as a line: stance, who and where, the quote or note."""
    where = ", ".join(x for x in (e.participant, e.source, e.locator, e.kind) if x)
    line = (e.stance or "no stance given") + (f" ({where})" if where else "")
    if e.quote:
        line += ": “" + " ".join(e.quote.split()) + "”"
    if e.note:
        line += " [note: " + " ".join(e.note.split()) + "]"
    return line


def _rule_rows(old: Theory, new: Theory, d: TheoryDiff) -> list[tuple[Cell, ...]]:
    change: defaultdict[str, list[str]] = defaultdict(list)
    what: defaultdict[str, list[str]] = defaultdict(list)
    why: defaultdict[str, list[str]] = defaultdict(list)
    for ref in d.rules_added:
        change[ref.id].append("added")
        why[ref.id] += [evidence_line(e) for e in new.rule_index[ref.id].evidence if e.stance]
    for ref in d.rules_removed:
        change[ref.id].append("removed")
        what[ref.id].append("was: " + statement(old, ref.id))
    for rec in d.rules_changed:
        change[rec.id].append("refined")
        what[rec.id] += [str(c) for c in rec.changes]
    for s in d.status_changes:
        change[s.rule].append(f"{s.new} (was {s.old})")
    for ev in d.evidence_added:
        if "evidence added" not in change[ev.rule]:
            change[ev.rule].append("evidence added")
        why[ev.rule].append(evidence_line(ev.evidence))
    for ev in d.evidence_removed:
        why[ev.rule].append("removed: " + evidence_line(ev.evidence))
    relations = _relations(new)
    rows: list[tuple[Cell, ...]] = []
    for rid, kinds in change.items():
        reasons = [*why[rid], *relations.get(rid, ())]
        shown = f"{rid}: {statement(new, rid)}" if rid in new.rule_index else rid
        rows.append(
            (
                (shown,),
                tuple(kinds),
                tuple(what[rid]),
                tuple(reasons)
                or ("the theory records no evidence, note or relation for this change",),
            )
        )
    return rows


def _relations(theory: Theory) -> dict[str, list[str]]:
    """Relations of the lineage kinds, by the rule or element at either end."""
    out: defaultdict[str, list[str]] = defaultdict(list)
    for rel in theory.relations:
        if rel.type not in _WHY_RELATIONS:
            continue
        line = f"{rel.from_} {rel.type} {rel.to}" + ("" if rel.stated else " (inferred)")
        if rel.note:
            line += ": " + " ".join(rel.note.split())
        out[rel.from_].append(line)
        if rel.to != rel.from_:
            out[rel.to].append(line)
    return out


def _element_rows(d: TheoryDiff) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = [
        ((n.kind,), (f"{n.id}: {n.label}" if n.label else n.id,), ("added",)) for n in d.nodes_added
    ]
    rows += [
        ((n.kind,), (f"{n.id}: {n.label}" if n.label else n.id,), ("removed",))
        for n in d.nodes_removed
    ]
    rows += [
        ((rec.kind,), (rec.id,), tuple(str(c) for c in rec.changes)) for rec in d.nodes_changed
    ]
    rows += [(("link",), (ref.id,), ("added",)) for ref in d.links_added]
    rows += [(("link",), (ref.id,), ("removed",)) for ref in d.links_removed]
    rows += [(("source",), (str(ref),), ("added",)) for ref in d.sources_added]
    rows += [(("source",), (str(ref),), ("removed",)) for ref in d.sources_removed]
    return rows


def _regroupings(new: Theory, d: TheoryDiff) -> list[Block]:
    if not d.mechanisms_regrouped:
        return []
    inferred = {m.id for m in new.mechanisms if "category" in m.inferred}
    rows = []
    for g in d.mechanisms_regrouped:
        via = g.via.replace("category:", "category ", 1)
        note: Cell = ()
        if g.via.startswith("category:") and inferred & set(g.new):
            note = ("the category of " + ", ".join(sorted(inferred & set(g.new))) + " is inferred",)
        rows.append(((g.change,), (", ".join(g.old),), (", ".join(g.new),), (via, *note)))
    return [
        Table(
            name="trail-mechanisms",
            caption="Mechanisms merged, split, replaced or moved (through the taxonomy)",
            columns=("Change", "Old mechanisms", "New mechanisms", "Related through"),
            groups=(RowGroup(rows=tuple(rows)),),
        )
    ]
