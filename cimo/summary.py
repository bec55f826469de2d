"""A one-screen summary of a theory: counts by kind, rules by status, chains."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer

from cimo._util import plural
from cimo.core.vocabulary import Status, values
from cimo.graph import ChainLink, chain_links
from cimo.model import CimoModel, Theory

__all__ = ["Contribution", "Summary", "summary"]

#: A count per key, read-only (a plain dict in the JSON form).
_Counts = Annotated[
    Mapping[str, int],
    AfterValidator(MappingProxyType),
    PlainSerializer(dict, return_type=dict[str, int]),
]


class Contribution(CimoModel):
    """The rules and nodes one contributor (a merged file, or an author) brought."""

    contributor: str
    rules: tuple[str, ...]
    nodes: int

    def __str__(self) -> str:
        rules = f"rules {', '.join(self.rules)}" if self.rules else "no rules"
        return f"{self.contributor}: {rules}; {plural(self.nodes, 'node')}"


class Summary(CimoModel):
    """What is in a theory, at a glance (``cimo show``).

    The JSON form (``summary.model_dump()``) has the keys ``contexts``,
    ``interventions``, ``mechanisms``, ``outcomes`` and ``rules`` holding counts.
    """

    id: str
    title: str
    iteration: int | None
    contexts: int
    interventions: int
    mechanisms: int
    outcomes: int
    rules: int
    links: int
    sources: int
    rules_by_status: _Counts
    """The number of rules of each status, every status listed (read-only)."""
    incomplete_rules: tuple[str, ...]
    themes: tuple[str, ...]
    taxonomy: str | None
    chains: tuple[ChainLink, ...]
    contributors: tuple[Contribution, ...] = ()
    """Who contributed the nodes and rules (their ``contributed_by``, written by a merge)."""

    def __str__(self) -> str:
        lines = [f"{self.title} ({self.id})"]
        if self.iteration is not None:
            lines.append(f"iteration {self.iteration}")
        lines.append(
            f"{plural(self.contexts, 'context')}, {plural(self.interventions, 'intervention')}, "
            f"{plural(self.mechanisms, 'mechanism')}, {plural(self.outcomes, 'outcome')}"
        )
        status = ", ".join(f"{n} {s}" for s, n in self.rules_by_status.items() if n)
        lines.append(plural(self.rules, "rule") + (f" ({status})" if status else ""))
        if self.incomplete_rules:
            lines.append(
                f"{len(self.incomplete_rules)} incomplete: {', '.join(self.incomplete_rules)}"
            )
        if self.themes:
            lines.append(f"themes: {', '.join(self.themes)}")
        if self.taxonomy:
            lines.append(f"taxonomy: {self.taxonomy}")
        links = plural(self.links, "stated link") if self.links else "no stated links"
        lines.append(f"{plural(self.sources, 'source')}, {links}")
        if self.chains:
            lines.append(f"{plural(len(self.chains), 'chain link')}:")
            lines.extend(f"  {c}" for c in self.chains)
        else:
            lines.append("no chains")
        if self.contributors:
            lines.append("contributed by:")
            lines.extend(f"  {c}" for c in self.contributors)
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        rows = [
            ("contexts", self.contexts),
            ("interventions", self.interventions),
            ("mechanisms", self.mechanisms),
            ("outcomes", self.outcomes),
            ("rules", self.rules),
            ("chain links", len(self.chains)),
            ("sources", self.sources),
        ]
        table = "\n".join(f"| {k} | {v} |" for k, v in rows)
        return f"**{self.title}** (`{self.id}`)\n\n| | count |\n|---|---:|\n{table}\n"


def summary(theory: Theory) -> Summary:
    """Summarise a theory.

    >>> import cimo
    >>> s = cimo.summary(cimo.load_example("work-focused-group-cbt"))
    >>> s.rules, s.mechanisms, s.incomplete_rules
    (8, 11, ('work-supports-recovery',))
    """
    kinds = Counter(n.kind for n in theory.nodes)
    statuses: Counter[str] = Counter(r.status for r in theory.rules)
    taxonomy = (
        theory.taxonomy
        if isinstance(theory.taxonomy, str) or theory.taxonomy is None
        else theory.taxonomy.id
    )
    return Summary(
        id=theory.id,
        title=theory.title,
        iteration=theory.iteration,
        contexts=kinds["context"],
        interventions=kinds["intervention"],
        mechanisms=kinds["mechanism"],
        outcomes=kinds["outcome"],
        rules=len(theory.rules),
        links=len(theory.links),
        sources=len(theory.sources),
        rules_by_status={s: statuses[s] for s in values(Status)},
        incomplete_rules=tuple(r.id for r in theory.rules if r.incomplete),
        themes=tuple(dict.fromkeys(r.theme for r in theory.rules if r.theme)),
        taxonomy=taxonomy,
        chains=chain_links(theory),
        contributors=_contributors(theory),
    )


def _contributors(theory: Theory) -> tuple[Contribution, ...]:
    rules: dict[str, list[str]] = {}
    nodes: Counter[str] = Counter()
    for node in theory.nodes:
        for who in node.contributed_by:
            rules.setdefault(who, [])
            nodes[who] += 1
    for rule in theory.rules:
        for who in rule.contributed_by:
            rules.setdefault(who, []).append(rule.id)
    return tuple(
        Contribution(contributor=who, rules=tuple(ids), nodes=nodes[who])
        for who, ids in rules.items()
    )


from cimo._callable import callable_module  # noqa: E402  (calling the module calls summary)

callable_module(__name__)
