"""Combine theories from several sources into one, keeping provenance and reporting conflicts.

A realist synthesis gathers configurations from many studies. :func:`merge`
unifies nodes and rules that share an id (or that you declare equivalent),
fills in what one source leaves out from another, keeps track of which input
every node and rule came from, and reports a :class:`Conflict` wherever two
inputs give the same id different meanings: it never guesses which is right.
A team finishes a merge by saying which side wins (``prefer="ours"`` or
``"theirs"``, or ``take={id: input}`` for one id at a time) or by keeping both
under two ids (``rename``); ``contributed_by=True`` writes who contributed each
node and rule into the merged theory.

>>> import cimo
>>> theory = cimo.load_example("pwp-resilience")
>>> result = cimo.merge([theory, theory])
>>> result.theory == theory, result.conflicts
(True, ())
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import JsonValue, TypeAdapter, ValidationError

from cimo._merging import (
    Chooser,
    Policies,
    Prefer,
    check_equivalences,
    check_take,
    chooser,
    combine,
    policies,
    renames_per_input,
    shown_value,
    union,
    unique,
)
from cimo._util import paused_gc, plural
from cimo.core.data import rename_ids, to_data
from cimo.core.vocabulary import field_policy
from cimo.errors import UsageError
from cimo.model import (
    CimoModel,
    Context,
    Intervention,
    Iteration,
    Link,
    Mechanism,
    Outcome,
    Participant,
    ProgrammeTheory,
    Relation,
    Rule,
    Source,
    Theme,
    Theory,
)

__all__ = ["Conflict", "MergeResult", "Prefer", "Provenance", "merge"]


#: Nodes and rules are folded together (an id is a node or a rule).
_ITEMS = policies(Context, Intervention, Mechanism, Outcome, Rule)
_THEORY = policies(Theory)
#: Top-level fields taken from the first input (or from ``id=``/``title=``).
_FIRST_WINS = frozenset(
    info.alias or name
    for name, info in Theory.model_fields.items()
    if field_policy(Theory, name).merge == "first"
)
#: Theory fields whose records are folded one by one, by id.
_COLLECTIONS = frozenset(
    info.alias or name
    for name, info in Theory.model_fields.items()
    if field_policy(Theory, name).merge == "items"
)


class Conflict(CimoModel):
    """Two or more inputs give one id (or one theory field) different meanings."""

    kind: str
    """``node``, ``rule``, ``source``, ``link``, ``iteration``, ``theory`` or ``structure``."""
    id: str
    """The id (or field name) in conflict."""
    field: str | None = None
    """The field whose values disagree (None when the kinds differ)."""
    values: tuple[JsonValue, ...] = ()
    """The differing values, one per input that gives one."""
    inputs: tuple[str, ...] = ()
    """The inputs that disagree."""
    message: str
    chosen: str | None = None
    """The input whose value was taken (``prefer``/``take``); None while unresolved."""

    def __str__(self) -> str:
        return self.message


class Provenance(CimoModel):
    """Which inputs a node or rule of the merged theory came from."""

    kind: str
    id: str
    inputs: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: {', '.join(self.inputs)}"


_PROVENANCE: TypeAdapter[tuple[Provenance, ...]] = TypeAdapter(tuple[Provenance, ...])


class MergeResult(CimoModel):
    """The merged theory (None when there are conflicts), its provenance and its conflicts."""

    inputs: tuple[str, ...]
    """The names of the inputs: their theory ids (``id#2``, ... when repeated)."""
    theory: Theory | None
    """The merged theory; None when there are conflicts to resolve first."""
    provenance: tuple[Provenance, ...] = ()
    """For every node and rule of the merge: the inputs it came from."""
    unified: tuple[tuple[str, str], ...] = ()
    """The declared equivalences that applied, as ``(alias, canonical)``."""
    conflicts: tuple[Conflict, ...] = ()
    resolved: tuple[Conflict, ...] = ()
    """The disagreements settled by ``prefer`` or ``take``, each naming the input taken."""
    renamed: tuple[tuple[str, str, str], ...] = ()
    """The ids kept apart by ``rename``, as ``(input, old id, new id)``."""

    @property
    def ok(self) -> bool:
        """True when the inputs merged without conflicts."""
        return not self.conflicts

    def __str__(self) -> str:
        head = f"merge of {', '.join(self.inputs)}: "
        if self.conflicts:
            n = len(self.conflicts)
            lines = [head + f"{n} conflict{'s' * (n != 1)}, nothing merged"]
            lines.extend(f"  {c}" for c in self.conflicts)
            lines.append(
                "Fix: choose a side (--prefer ours|theirs, or --take ID=INPUT for one id), "
                "keep both under two ids (--rename ID=NEW_ID), or declare two ids "
                "equivalent (--same ALIAS=CANONICAL) when they mean the same."
            )
            return "\n".join(lines)
        assert self.theory is not None
        shared = sum(1 for p in self.provenance if len(p.inputs) > 1)
        lines = [
            head + f"{plural(len(self.theory.nodes), 'node')} and "
            f"{plural(len(self.theory.rules), 'rule')}, "
            f"{shared} of them found in more than one input"
        ]
        lines.extend(f"  unified {alias} with {canonical}" for alias, canonical in self.unified)
        lines.extend(f"  renamed {old} of {name} to {new}" for name, old, new in self.renamed)
        lines.extend(f"  {c}" for c in self.resolved)
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        text = str(self).splitlines()
        return f"**{text[0]}**\n\n" + "".join(f"- {line.strip()}\n" for line in text[1:])


def _add_collections(
    data: Mapping[str, Any],
    name: str,
    links: _Fold,
    iterations: _Fold,
    records: Mapping[str, _Fold],
) -> None:
    """Fold one input's links, iterations and format 2.0 records (by id or key)."""
    for lk in data.get("links", ()):
        links.add(f"{lk['outcome']} -> {lk['context']}", lk, name)
    for it in data.get("iterations", ()):
        iterations.add(str(it["number"]), it, name)
    for key, fold in records.items():
        for rec in data.get(key, ()):
            fold.add(rec.get("id") or f"{rec['type']} {rec['from']} -> {rec['to']}", rec, name)


def _input_names(theories: Sequence[Theory]) -> tuple[str, ...]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for t in theories:
        seen[t.id] = seen.get(t.id, 0) + 1
        names.append(t.id if seen[t.id] == 1 else f"{t.id}#{seen[t.id]}")
    return tuple(names)


class _Fold:
    """Records of one kind, folded by id across inputs, in first-seen order."""

    def __init__(self, kind: str, policies: Policies) -> None:
        self.kind = kind
        self.policies = policies
        self.data: dict[str, dict[str, Any]] = {}
        self.origin: dict[str, list[str]] = {}
        self.values: dict[tuple[str, str], list[tuple[str, Any]]] = {}
        #: The input's own record for each folded record that is still just that record.
        self.models: dict[str, Any] = {}

    def add(
        self,
        key: str,
        record: dict[str, Any],
        source: str,
        *,
        wording_free: bool = False,
        prefer: bool = False,
        model: Any = None,
    ) -> None:
        """Fold ``record`` in; with ``prefer``, it becomes the base the others fold into.

        ``model`` is the input's validated record that ``record`` dumps: the merged
        theory takes it as it is while the fold leaves the record unchanged.
        """
        self.origin.setdefault(key, []).append(source)
        base = self.data.get(key)
        if base is None:
            self.data[key] = record
            if model is not None:
                self.models[key] = model
            return
        first = self.origin[key][0]
        if prefer:
            merged, clashes = combine(record, base, self.policies, wording_free=wording_free)
        else:
            merged, clashes = combine(base, record, self.policies, wording_free=wording_free)
        self.data[key] = merged
        if merged is not base:
            self.models.pop(key, None)
        for field in clashes:
            default = self.policies.defaults.get(field)
            seen = self.values.setdefault((key, field), [(first, base.get(field, default))])
            seen.append((source, record.get(field, default)))

    def sign(self) -> None:
        """Add to each record's ``contributed_by`` the inputs it came from."""
        self.models.clear()
        for key, rec in self.data.items():
            who = union(list(rec.get("contributed_by", ())), list(self.origin[key]))
            self.data[key] = {**rec, "contributed_by": who}

    def conflicts(
        self, kinds: Mapping[str, str] | None = None, choose: Chooser | None = None
    ) -> tuple[list[Conflict], list[Conflict]]:
        """One conflict per id and field that the inputs disagree on, and those resolved.

        ``choose(key, inputs)`` names the input whose value wins, or None; a
        winning value replaces the folded one.
        """
        out: list[Conflict] = []
        resolved: list[Conflict] = []
        for (key, field), seen in self.values.items():
            kind = "rule" if kinds is not None and kinds[key] == "rule" else self.kind
            values = tuple(v for _, v in seen)
            inputs = tuple(s for s, _ in seen)
            shown = "; ".join(f"{s}: {shown_value(v)}" for s, v in seen)
            if field == "inferred":
                shown += "; a field one input marks inferred, another gives as stated"
            winner = choose(key, inputs) if choose is not None else None
            if winner is None:
                message = f"{kind} {key!r}: the inputs disagree on {field!r} ({shown})"
                out.append(
                    Conflict(
                        kind=kind,
                        id=key,
                        field=field,
                        values=values,
                        inputs=inputs,
                        message=message,
                    )
                )
                continue
            value = dict(seen)[winner]
            record = {k: v for k, v in self.data[key].items() if k != field}
            self.data[key] = record if value is None else {**record, field: value}
            resolved.append(
                Conflict(
                    kind=kind,
                    id=key,
                    field=field,
                    values=values,
                    inputs=inputs,
                    chosen=winner,
                    message=f"{kind} {key!r}: took {field!r} from {winner} ({shown})",
                )
            )
        return out, resolved


@paused_gc()  # many small dicts, no cycles
def merge(
    theories: Sequence[Theory],
    *,
    equivalences: Mapping[str, str] | None = None,
    id: str | None = None,
    title: str | None = None,
    prefer: Prefer | None = None,
    take: Mapping[str, str] | None = None,
    rename: Mapping[str, str] | None = None,
    names: Sequence[str] | None = None,
    contributed_by: bool = False,
) -> MergeResult:
    """Combine theories from several sources into one.

    Nodes and rules are unified by id, after renaming each ``alias`` id of
    ``equivalences`` to its canonical id (in every input, references
    included). Unified records are folded field by field: equal values are
    kept, a value one input leaves out is taken from another, list fields
    (tags, iterations, measures, components, evidence) are united; any other
    difference is a :class:`Conflict` (labels that differ only in case,
    spacing or punctuation are not; for ids unified by an equivalence, the
    wording of the canonical record is kept). A node id that is a rule id in
    another input, or a node of another kind, is a conflict too. Links and
    sources are united the same way. The title, description, iteration and
    check settings come from the first input unless ``id``/``title`` are given.

    Every disagreeing field is a conflict of its own. To finish a merge that
    has conflicts, choose a side for every disagreement (``prefer``) or for
    one id (``take``), or keep both records apart (``rename``): the choices
    made are listed in :attr:`MergeResult.resolved`.

    Args:
        theories: The inputs, in order of precedence for wording.
        equivalences: ``{alias: canonical}`` ids that mean the same thing.
        id: The id of the merged theory (default: the first input's).
        title: Its title (default: the first input's).
        prefer: Settle every disagreement by taking the first input's value
            (``"ours"``) or the last one's (``"theirs"``).
        take: ``{id: input}``: settle the disagreements about one node or rule
            by taking that input's values (before ``prefer``).
        rename: ``{id: new_id}`` renames the id (and every reference to it) in
            every input but the first, so both records are kept;
            ``{"input:id": new_id}`` renames it in that input only.
        names: What to call the inputs (file names, authors); default their
            theory ids (``id#2``, ... when repeated).
        contributed_by: Write into each node and rule of the merged theory
            the inputs it came from (its ``contributed_by`` field).

    Returns:
        A :class:`MergeResult`: the theory (None when there are conflicts),
        the provenance of every node and rule, and the conflicts.

    Raises:
        UsageError: if no theories are given, or an equivalence is circular.
        UnknownIdError: if an alias of ``equivalences`` is in no input, or
            ``take``/``rename`` name an input or id that is not there.

    >>> import cimo
    >>> a = cimo.Theory(id="a", title="A", nodes=(cimo.Context(id="in-work", label="In work"),))
    >>> b = cimo.Theory(id="b", title="B", nodes=(cimo.Context(id="employed", label="Employed"),))
    >>> r = cimo.merge([a, b], equivalences={"employed": "in-work"})
    >>> [n.id for n in r.theory.nodes], r.provenance[0].inputs
    (['in-work'], ('a', 'b'))
    >>> c = cimo.Theory(id="c", title="C", nodes=(cimo.Outcome(id="in-work", label="In work"),))
    >>> print(cimo.merge([a, c]).conflicts[0])
    node 'in-work': the inputs disagree on 'kind' (a: "context"; c: "outcome")
    >>> kept = cimo.merge([a, c], rename={"in-work": "in-work-outcome"}, contributed_by=True)
    >>> [(n.id, n.contributed_by) for n in kept.theory.nodes]
    [('in-work', ('a',)), ('in-work-outcome', ('c',))]
    """
    if not theories:
        raise UsageError("merge needs at least one theory")
    names = _input_names(theories) if names is None else unique(names, len(theories))
    eq = dict(equivalences or {})
    check_equivalences(theories, eq)
    choose = chooser(prefer, check_take(names, theories, take or {}))
    renames = renames_per_input(names, theories, rename or {})
    canonical_ids = set(eq.values())

    items = _Fold("node", _ITEMS)
    sources = _Fold("source", policies(Source))
    links = _Fold("link", policies(Link))
    top = _Fold("theory", _THEORY)
    iterations = _Fold("iteration", policies(Iteration))
    # format 2.0 records, folded by id (relations by type, from and to)
    records = {
        key: _Fold(noun, policies(model))
        for key, noun, model in (
            ("themes", "theme", Theme),
            ("programme_theories", "programme theory", ProgrammeTheory),
            ("participants", "participant", Participant),
            ("relations", "relation", Relation),
        )
    }
    kinds: dict[str, str] = {}
    kind_clash: list[Conflict] = []
    used: set[tuple[str, str]] = set()

    for name, theory in zip(names, theories, strict=True):
        data = to_data(theory)
        if renames[name]:
            data = rename_ids(data, renames[name])
        originals = [n["id"] for n in data.get("nodes", ())]
        originals += [r["id"] for r in data.get("rules", ())]
        source_ids = [src["id"] for src in data.get("sources", ())]
        if eq:
            data = rename_ids(data, eq)
        data.setdefault("nodes", [])
        data.setdefault("rules", [])
        # Records of an input whose ids stay are taken as they are, not validated again.
        models = None if renames[name] or eq else [*theory.nodes, *theory.rules]
        kind_clash += _fold_items(
            items, kinds, used, (name, models), data, originals, canonical_ids
        )
        _fold_sources(sources, used, name, data.get("sources", []), source_ids, canonical_ids)
        _add_collections(data, name, links, iterations, records)
        rest = {k: v for k, v in data.items() if k not in _COLLECTIONS}
        if top.data:
            rest = {k: v for k, v in rest.items() if k not in _FIRST_WINS}
        top.add("theory", rest, name)

    conflicts: list[Conflict] = list(kind_clash)
    resolved: list[Conflict] = []
    for fold, fold_kinds in (
        (items, kinds),
        (sources, None),
        (links, None),
        (iterations, None),
        (top, None),
        *((fold, None) for fold in records.values()),
    ):
        open_, done = fold.conflicts(fold_kinds, choose)
        conflicts += open_
        resolved += done
    provenance = _PROVENANCE.validate_python(  # one call: faster than a model per record
        [
            {
                "kind": "rule" if kinds[key] == "rule" else rec["kind"],
                "id": key,
                "inputs": tuple(dict.fromkeys(items.origin[key])),
            }
            for key, rec in items.data.items()
        ]
    )
    merged: Theory | None = None
    if not conflicts:
        out = dict(top.data["theory"])
        if id is not None:
            out["id"] = id
        if title is not None:
            out["title"] = title
        out["iterations"] = list(iterations.data.values())
        if contributed_by:
            items.sign()
        out["nodes"] = [items.models.get(k, r) for k, r in items.data.items() if kinds[k] == "node"]
        out["rules"] = [items.models.get(k, r) for k, r in items.data.items() if kinds[k] == "rule"]
        out["links"] = list(links.data.values())
        out["sources"] = list(sources.data.values())
        out.update((key, list(fold.data.values())) for key, fold in records.items())
        try:
            merged = Theory.model_validate(out)
        except ValidationError as err:
            conflicts = [
                Conflict(
                    kind="structure",
                    id=".".join(str(p) for p in e["loc"]),
                    message=f"the merged theory does not hold together: {e['msg']}",
                )
                for e in err.errors()
            ]
    # All parts are valid (the theory just now): validating would check the theory again.
    return MergeResult.model_construct(
        inputs=names,
        theory=merged,
        provenance=provenance,
        unified=tuple(sorted(used)),
        conflicts=tuple(conflicts),
        resolved=tuple(resolved),
        renamed=tuple((name, old, new) for name in names for old, new in renames[name].items()),
    )


def _fold_sources(
    sources: _Fold,
    used: set[tuple[str, str]],
    name: str,
    records: list[dict[str, Any]],
    originals: list[str],
    canonical_ids: set[str],
) -> None:
    """Fold one input's sources; one renamed to a canonical source yields it its wording."""
    for original, record in zip(originals, records, strict=True):
        key = record["id"]
        if original != key:
            used.add((original, key))
        canonical = key in canonical_ids
        sources.add(key, record, name, wording_free=canonical, prefer=canonical and original == key)


def _fold_items(
    items: _Fold,
    kinds: dict[str, str],
    used: set[tuple[str, str]],
    input_: tuple[str, list[Any] | None],
    data: dict[str, Any],
    originals: list[str],
    canonical_ids: set[str],
) -> list[Conflict]:
    """Fold one input's nodes and rules into ``items``; the ids that change kind clash.

    ``input_`` is the input's name and, where its records keep their ids, the
    validated nodes and rules that ``data`` dumps.
    """
    name, models = input_
    clashes: list[Conflict] = []
    entries = [("node", n) for n in data["nodes"]] + [("rule", r) for r in data["rules"]]
    for i, (original, (kind, record)) in enumerate(zip(originals, entries, strict=True)):
        key = record["id"]
        if original != key:
            used.add((original, key))
        if kinds.setdefault(key, kind) != kind:
            first = items.origin[key][0]
            clashes.append(
                Conflict(
                    kind="structure",
                    id=key,
                    field=None,
                    inputs=(first, name),
                    message=f"{key!r} is a {kinds[key]} in {first} but a {kind} in {name}; "
                    f"keep both with --rename {name}:{key}=NEW_ID",
                )
            )
            continue
        # A record renamed from an alias yields its wording to the canonical record.
        is_canonical = key in canonical_ids
        items.add(
            key,
            record,
            name,
            wording_free=is_canonical,
            prefer=is_canonical and original == key,
            model=None if models is None else models[i],
        )
    return clashes


from cimo._callable import callable_module  # noqa: E402  (calling the module calls merge)

callable_module(__name__)
