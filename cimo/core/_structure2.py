"""The structural checks of the parts format 2.0 added: nested rule references and new records.

Private to :mod:`cimo.core.structure`, which runs these concerns after its own
(they take its checker: the problems found and the ids by kind). One small
function per concern; the messages follow the loader's style
(``rule R1: 'x' is not a context or outcome of this theory``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from cimo._util import did_you_mean
from cimo.core.vocabulary import SLOTS

if TYPE_CHECKING:
    from cimo.core.model import Rule
    from cimo.core.structure import _Checker

__all__ = ["RULE_CHECKS_2", "THEORY_CHECKS_2", "declared_records"]

_CONDITION = ("context", "outcome")


_FILE_KEYS: dict[type[Any], frozenset[str]] = {}


def _file_keys(model: type[Any]) -> frozenset[str]:
    """The keys a record of ``model`` may have in a file (aliases where fields have them)."""
    keys = _FILE_KEYS.get(model)
    if keys is None:
        keys = _FILE_KEYS[model] = frozenset(
            info.alias or name for name, info in model.model_fields.items()
        )
    return keys


# --------------------------------------------------------------------------- rules


def _nested_refs(c: _Checker, i: int, rule: Rule, who: str) -> None:
    """Ids inside ``if_any``, ``because`` objects and ``leads_to`` name nodes of the right kinds."""
    outcomes = set(rule.outcomes) | set(rule.reduces)
    for path, ref in rule.nested_references():
        if path[1] == -1:
            continue  # a link of a mechanism not in 'because': reported by _mechanism_links
        loc = ("rules", i, *path)
        part = path[0] if path[0] != "because" else f"because: {path[2]}"
        if path[0] == "if_any" or path[2:3] == ("requires",):
            c.ref(loc, who, ref, _CONDITION, "contexts or outcomes", str(part))
        elif path[0] == "because":
            c.ref(loc, who, ref, ("outcome",), "outcomes", str(part))
            if ref not in outcomes and c.kinds.get(ref) == "outcome":
                c.add(
                    "cimo.unknown_id",
                    loc,
                    f"{who}: mechanism {rule.mechanisms[int(path[1])]!r} leads to {ref!r}, "
                    "which is not in the rule's 'then' or 'reduces'; add it there too",
                    ref,
                )
        else:
            _step_end(c, loc, rule, who, ref)


def _step_end(c: _Checker, loc: tuple[str | int, ...], rule: Rule, who: str, ref: str) -> None:
    """An end of a ``leads_to`` step is one of the rule's own outcomes."""
    own = (*rule.outcomes, *rule.reduces, *rule.otherwise)
    if ref not in own:
        c.add(
            "cimo.unknown_id",
            loc,
            f"{who}: 'leads_to' names {ref!r}, which is not an outcome of this rule "
            "('then', 'reduces' or 'otherwise')" + did_you_mean(ref, own),
            ref,
        )


def _mechanism_links(c: _Checker, i: int, rule: Rule, who: str) -> None:
    """Each ``because`` object names one of the rule's mechanisms, once."""
    seen: set[str] = set()
    mechanisms = set(rule.mechanisms)  # a set: a rule may have many mechanisms
    for j, link in enumerate(rule.mechanism_links):
        if link.mechanism not in mechanisms:
            c.add(
                "cimo.unknown_id",
                ("rules", i, "mechanism_links", j, "mechanism"),
                f"{who}: a mechanism link names {link.mechanism!r}, which is not in 'because'",
                link.mechanism,
            )
        elif link.mechanism in seen:
            c.add(
                "cimo.repeated_id",
                ("rules", i, "because", rule.mechanisms.index(link.mechanism)),
                f"{who}: mechanism {link.mechanism!r} has two 'because' objects; give one",
                link.mechanism,
            )
        seen.add(link.mechanism)


def _any_context(c: _Checker, i: int, rule: Rule, who: str) -> None:
    """``if: any`` has no list of contexts beside it."""
    if rule.any_context and rule.contexts:
        c.add(
            "cimo.self_contradiction",
            ("rules", i, "if"),
            f"{who}: 'if: any' (in any circumstances) cannot also list contexts; keep one",
            list(rule.contexts),
        )


#: Pairs of slots whose overlap the 1.0 checks already report (self-blocking, self-contradiction).
_REPORTED = frozenset({("if", "unless"), ("then", "reduces")})
#: The slot groups an id may stand in only once: what the rule takes in, and what it gives.
_GROUPS = (
    tuple(s for s in SLOTS if s.side in ("condition", "qualifier")),
    tuple(s for s in SLOTS if s.side == "result"),
)


def _across_slots(c: _Checker, i: int, rule: Rule, who: str) -> None:
    """An id stands in one condition or qualifier slot, and in one result slot, at most."""
    for group in _GROUPS:
        first: dict[str, str] = {}
        for slot in group:
            for j, ref in enumerate(getattr(rule, slot.attr)):
                earlier = first.setdefault(ref, slot.keyword)
                if earlier == slot.keyword or (earlier, slot.keyword) in _REPORTED:
                    continue
                c.add(
                    "cimo.repeated_id",
                    ("rules", i, slot.keyword, j),
                    f"{who}: {ref!r} is both in {earlier!r} and {slot.keyword!r}; "
                    "keep it in one of them",
                    ref,
                )


def _declared(c: _Checker, i: int, rule: Rule, who: str) -> None:
    """A rule's theme and programme theory are declared ones."""
    for key, value, declared, where in (
        ("theme", rule.theme, c.declared["themes"], "themes"),
        ("programme_theory", rule.programme_theory, c.declared["programme_theories"],
         "programme_theories"),
    ):  # fmt: skip
        if value is not None and value not in declared:
            c.add(
                "cimo.unknown_id",
                ("rules", i, key),
                f"{who}: {key} {value!r} is not declared"
                + (did_you_mean(value, declared) or f" (add it under {where!r})"),
                value,
            )


def _inferred(c: _Checker, loc: tuple[str | int, ...], who: str, record: Any) -> None:
    """``inferred`` names fields (file keys) of its own record."""
    if not record.inferred:
        return
    keys = _file_keys(type(record)) - {"inferred", "id", "kind"}
    for j, key in enumerate(record.inferred):
        if key not in keys:
            c.add(
                "cimo.unknown_id",
                (*loc, "inferred", j),
                f"{who}: 'inferred' names {key!r}, which is not a field of this record"
                + did_you_mean(key, keys),
                key,
            )


def _annotations(c: _Checker, loc: tuple[str | int, ...], who: str, record: Any) -> None:
    """Annotations counter rules, and cite declared sources."""
    for j, note in enumerate(record.annotations):
        for k, ref in enumerate(note.counters):
            c.ref((*loc, "annotations", j, "counters", k), who, ref, ("rule",), "rules", "counters")
        if note.source is not None and note.source not in c.sources:
            c.add(
                "cimo.unknown_id",
                (*loc, "annotations", j, "source"),
                f"{who}: an annotation cites {note.source!r}, which is not a source of this "
                "theory" + (did_you_mean(note.source, c.sources) or " (add it under 'sources')"),
                note.source,
            )


def _segments(c: _Checker, i: int, rule: Rule, who: str) -> None:
    """Segments point at nodes of the theory."""
    for j, seg in enumerate(rule.segments):
        if seg.ref is not None:
            c.ref(
                ("rules", i, "segments", j, "ref"),
                who,
                seg.ref,
                _NODE_KINDS,
                "nodes",
                "ref",
                "node",
            )


_NODE_KINDS = ("context", "intervention", "mechanism", "outcome")


def _rule_records(c: _Checker, i: int, rule: Rule, who: str) -> None:
    _inferred(c, ("rules", i), who, rule)
    _annotations(c, ("rules", i), who, rule)


#: The format 2.0 checks of one rule, in the order their problems are reported.
RULE_CHECKS_2: tuple[Callable[[_Checker, int, Rule, str], None], ...] = (
    _any_context,
    _nested_refs,
    _mechanism_links,
    _across_slots,
    _declared,
    _segments,
    _rule_records,
)

# --------------------------------------------------------------------------- the theory


def _unique(c: _Checker, part: str, noun: str, idents: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    for j, ident in enumerate(idents):
        if ident in seen:
            c.add(
                "cimo.duplicate_id",
                (part, j, "id"),
                f"{noun} {ident!r} is declared twice",
                ident,
            )
        seen.add(ident)
    return seen


def declared_records(c: _Checker) -> None:
    """Themes, programme theories and participants are declared once each."""
    t = c.theory
    c.declared["themes"] = _unique(c, "themes", "theme", (x.id for x in t.themes))
    c.declared["programme_theories"] = _unique(
        c, "programme_theories", "programme theory", (x.id for x in t.programme_theories)
    )
    c.declared["participants"] = _unique(
        c, "participants", "participant", (x.id for x in t.participants)
    )


def _themes(c: _Checker) -> None:
    """A theme's annotations and inferred fields are sound."""
    for j, theme in enumerate(c.theory.themes):
        who = f"theme {theme.id}"
        _inferred(c, ("themes", j), who, theme)
        _annotations(c, ("themes", j), who, theme)


def _node_fields(c: _Checker) -> None:
    """Nodes name only their own fields as inferred; a variant is of another outcome."""
    for i, node in enumerate(c.theory.nodes):
        who = f"node {node.id!r}"
        _inferred(c, ("nodes", i), who, node)
        if node.kind != "outcome":  # (asked first: pydantic's getattr of a missing name is slow)
            continue
        of = getattr(node, "variant_of", None)
        if of is None:
            continue
        if of == node.id:
            c.add(
                "cimo.self_reference",
                ("nodes", i, "variant_of"),
                f"outcome {node.id!r} cannot be a variant of itself",
                of,
            )
        else:
            c.ref(("nodes", i, "variant_of"), who, of, ("outcome",), "outcomes", "variant_of")


def _relations(c: _Checker) -> None:
    """Relations join nodes or rules of this theory (or ``file#id``), once each."""
    anything = (*_NODE_KINDS, "rule")
    seen: set[tuple[str, str, str]] = set()
    for j, rel in enumerate(c.theory.relations):
        who = f"relation {rel.type} {rel.from_} -> {rel.to}"
        words = "nodes or rules"
        c.ref(("relations", j, "from"), who, rel.from_, anything, words, "from", "node or rule")
        if not rel.external:
            c.ref(("relations", j, "to"), who, rel.to, anything, words, "to", "node or rule")
        if rel.from_ == rel.to:
            c.add(
                "cimo.self_reference",
                ("relations", j, "to"),
                f"{who}: a relation joins two different things",
                rel.to,
            )
        if rel.key in seen:
            c.add("cimo.duplicate_id", ("relations", j), f"{who}: declared twice", None)
        seen.add(rel.key)


#: The format 2.0 checks of the theory, run after the rules.
THEORY_CHECKS_2: tuple[Callable[[_Checker], None], ...] = (_themes, _node_fields, _relations)
