"""Causal Map's links table: one causal claim per row (cause, effect, source, quote), both ways.

Causal Map (causalmap.app) codes causal claims from text: each link joins a
cause factor to an effect factor and carries the source and the quote it was
coded from. A rule becomes the links of its causal skeleton: each ``if``,
``unless`` and ``with`` element to each mechanism, each mechanism to each
``then`` and ``reduces`` outcome (a rule without a mechanism joins its causes
to its outcomes), one row per link and piece of evidence, with that
evidence's source and quote; an explicit link is a row from the outcome to
the context. Factors are written by label.

After the four columns Causal Map reads, cimo adds its own, which Causal Map
keeps as extra columns: ``rule``, ``cause_slot``, ``effect_slot``,
``cause_id``, ``effect_id``, ``cause_kind``, ``effect_kind``. With them a
table reads back to the same nodes, rules (slots and evidence source and
quote) and links. A table without them (coded in Causal Map) reads as one
rule per link, ``IF cause THEN effect``, with its source and quote as
evidence: a factor that is ever an effect is an outcome (and may be the
cause of a later link, a chain), any other factor a context; the rules have
no mechanism, so cimo flags them incomplete. ``from_label``/``to_label`` and
``source_id`` are read as ``cause``/``effect`` and ``source``.

It loses every field but labels, kinds, slots and evidence sources and
quotes; rules with no cause or no effect have no link and are left out.

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> text = to_causal_map(theory)
>>> text.splitlines()[0]
'cause,effect,source,quote,rule,cause_slot,effect_slot,cause_id,effect_id,cause_kind,effect_kind'
>>> back = from_causal_map(text)
>>> [r.id for r in back.rules] == [r.id for r in theory.rules if r.mechanisms or r.outcomes]
True
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from cimo._util import csv_protect, csv_unprotect, slug
from cimo.errors import FileFormatError
from cimo.exchange._common import add_stubs, fresh_id, validated
from cimo.model import Rule, Theory

__all__ = ["COLUMNS", "from_causal_map", "to_causal_map"]

#: The columns written: Causal Map's four, then cimo's own.
COLUMNS = (
    "cause",
    "effect",
    "source",
    "quote",
    "rule",
    "cause_slot",
    "effect_slot",
    "cause_id",
    "effect_id",
    "cause_kind",
    "effect_kind",
)
_ALIASES = {"from_label": "cause", "to_label": "effect", "source_id": "source"}
_CAUSE_SLOTS = ("if", "unless", "with")
_EFFECT_SLOTS = ("then", "reduces")


def _links(rule: Rule) -> Iterator[tuple[str, str, str, str]]:
    """(cause slot, cause id, effect slot, effect id) for each link of one rule."""
    causes = [(s, x) for s in _CAUSE_SLOTS for x in getattr(rule, _ATTR[s])]
    effects = [(s, x) for s in _EFFECT_SLOTS for x in getattr(rule, _ATTR[s])]
    if rule.mechanisms:
        for m in rule.mechanisms:
            yield from ((s, x, "because", m) for s, x in causes)
        for m in rule.mechanisms:
            yield from (("because", m, s, o) for s, o in effects)
    else:
        yield from ((cs, c, es, e) for cs, c in causes for es, e in effects)


_ATTR = {"if": "contexts", "unless": "unless", "with": "interventions", "then": "outcomes"}
_ATTR |= {"reduces": "reduces", "because": "mechanisms"}


def to_causal_map(theory: Theory) -> str:
    """The theory as Causal Map's links table (CSV text, UTF-8, one row per link and evidence)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)

    def row(cs: str, c: str, es: str, e: str, rule: str, source: Any, quote: Any) -> list[str]:
        cn, en = theory.index[c], theory.index[e]
        cells = [cn.label, en.label, source or "", quote or "", rule, cs, es, c, e]
        cells += [cn.kind, en.kind]
        return [csv_protect(cell) for cell in cells]  # no cell runs as a spreadsheet formula

    for rule in theory.rules:
        evidence = [(ev.source, ev.quote) for ev in rule.evidence] or [(None, None)]
        for cs, c, es, e in _links(rule):
            writer.writerows(row(cs, c, es, e, rule.id, s, q) for s, q in evidence)
    for link in theory.links:
        writer.writerow(row("link", link.outcome, "link", link.context, "", None, link.note))
    return out.getvalue()


def _rows(text: str | bytes) -> list[dict[str, str]]:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise FileFormatError(
                f"Causal Map links table: not UTF-8 text (byte {err.start}); save it as CSV UTF-8"
            ) from None
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return _read_rows(reader)
    except csv.Error as err:
        raise FileFormatError(
            f"Causal Map links table: not a valid CSV record ({err}); check the quotes",
            line=reader.line_num,
        ) from None


def _read_rows(reader: csv.DictReader[str]) -> list[dict[str, str]]:
    header = [_ALIASES.get(h.strip(), h.strip()) for h in reader.fieldnames or ()]
    missing = [c for c in ("cause", "effect") if c not in header]
    if missing:
        raise FileFormatError(
            f"Causal Map links table: no {' or '.join(repr(c) for c in missing)} column "
            f"(found {header}); the first row must name the columns cause, effect, source, quote"
        )
    reader.fieldnames = header
    return [
        {k: csv_unprotect((v or "").strip()) for k, v in r.items() if isinstance(k, str)}
        for r in reader
    ]


def from_causal_map(
    text: str | bytes, *, id: str = "causal-map", title: str = "Imported from Causal Map"
) -> Theory:
    """Read a theory from a Causal Map links table (CSV text; see the module docs).

    Args:
        text: The table, its first row naming the columns.
        id: The id of the theory made.
        title: Its title.

    Raises:
        FileFormatError: if the table has no cause or effect column, or a row lacks either.
        InvalidTheoryError: if the theory does not hold together.
    """
    rows = _rows(text)
    own = all(r.get("cause_id") and r.get("cause_kind") for r in rows) and bool(rows)
    data = _own(rows) if own else _coded(rows)
    data.update(id=id, title=title)
    return validated(add_stubs(data))


def _evidence(row: dict[str, str], *, own: bool = False) -> dict[str, str]:
    source = row.get("source")
    ev = {"source": source if own else slug(source, fallback="source")} if source else {}
    return ev | ({"quote": row["quote"]} if row.get("quote") else {})


def _own(rows: list[dict[str, str]]) -> dict[str, Any]:
    """A table cimo wrote: nodes by id, rules by their slots, links."""
    nodes: dict[str, dict[str, Any]] = {}
    rules: dict[str, dict[str, Any]] = {}
    links: list[dict[str, Any]] = []
    for n, r in enumerate(rows, 2):
        for end in ("cause", "effect"):
            ident, kind = r.get(f"{end}_id"), r.get(f"{end}_kind")
            if not ident or not kind or not r.get(end):
                raise FileFormatError(f"row {n}: the {end}, its id and its kind are all needed")
            nodes.setdefault(ident, {"id": ident, "kind": kind, "label": r[end]})
        if r.get("cause_slot") == "link":
            link = {"outcome": r["cause_id"], "context": r["effect_id"]}
            links.append(link | ({"note": r["quote"]} if r.get("quote") else {}))
            continue
        rule = rules.setdefault(r.get("rule") or f"link-{n}", {"id": r.get("rule") or f"link-{n}"})
        for slot, ident in (
            (r.get("cause_slot"), r["cause_id"]),
            (r.get("effect_slot"), r["effect_id"]),
        ):
            if slot not in _ATTR:
                raise FileFormatError(f"row {n}: slot {slot!r} is not one of {list(_ATTR)}")
            refs = rule.setdefault(slot, [])
            if ident not in refs:
                refs.append(ident)
        ev = _evidence(r, own=True)
        evidence = rule.setdefault("evidence", [])
        if ev and ev not in evidence:
            evidence.append(ev)
    return {"nodes": list(nodes.values()), "rules": list(rules.values()), "links": links}


def _coded(rows: list[dict[str, str]]) -> dict[str, Any]:
    """A table coded in Causal Map: one rule per link, effects as outcomes, causes as contexts."""
    effects = {r["effect"] for r in rows}
    taken: set[str] = set()
    ids: dict[str, str] = {}
    nodes: list[dict[str, Any]] = []
    rules: dict[tuple[str, str], dict[str, Any]] = {}
    for n, r in enumerate(rows, 2):
        if not r.get("cause") or not r.get("effect"):
            raise FileFormatError(f"row {n}: both a cause and an effect are needed")
        for label in (r["cause"], r["effect"]):
            if label not in ids:
                ids[label] = fresh_id(label, taken)
                kind = "outcome" if label in effects else "context"
                nodes.append({"id": ids[label], "kind": kind, "label": label})
        key = (ids[r["cause"]], ids[r["effect"]])
        rule = rules.setdefault(
            key, {"id": fresh_id(f"{key[0]}-{key[1]}", taken), "if": [key[0]], "then": [key[1]]}
        )
        ev = _evidence(r)
        if ev and ev not in rule.setdefault("evidence", []):
            rule["evidence"].append(ev)
    return {"nodes": nodes, "rules": list(rules.values())}
