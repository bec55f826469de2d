"""The linked configurations of a theory as a person reads them: chains, loops, blocks."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from cimo._util import plural
from cimo.errors import UsageError
from cimo.graph import ChainLink, chain_links
from cimo.model import CimoModel, Theory
from cimo.query._base import Result, labelled, name, names

__all__ = ["Chain", "Chains", "chains"]


class Chain(CimoModel):
    """A chain a person can read: rules joined by the outcomes that feed the next rule."""

    links: tuple[ChainLink, ...]
    enters_loop: bool = False
    """True when the last rule belongs to a loop (listed in :attr:`Chains.loops`)."""

    def __str__(self) -> str:
        parts = [self.links[0].upstream]
        for link in self.links:
            word = f"{name(link.outcome)} (as {name(link.via)})" if link.via else name(link.outcome)
            parts += [word, link.downstream]
        return " -> ".join(parts) + (" (enters a loop)" if self.enters_loop else "")


class Chains(Result):
    """The linked configurations of a theory: outcome -> context chains, loops and blocks."""

    chains: tuple[Chain, ...]
    loops: tuple[tuple[str, ...], ...]
    """Groups of rules that feed each other in a loop (strongly connected components)."""
    blocking: tuple[ChainLink, ...]
    """Places where an outcome feeds another rule's UNLESS: it switches that rule off."""
    truncated: bool = False
    """True when more chains exist than ``limit`` allowed, or longer than ``max_length``."""

    def _lines(self) -> tuple[str, list[str]]:
        lines = [str(c) for c in self.chains] or ["no chains"]
        lines += [f"loop: {names(group)}" for group in self.loops]
        lines += [f"blocks: {_blocking(link)}" for link in self.blocking]
        if self.truncated:
            lines.append("(cut short: more chains exist; raise limit or max_length)")
        head = f"{plural(len(self.chains), 'chain')}, {plural(len(self.loops), 'loop')}"
        return head, lines


def _blocking(link: ChainLink) -> str:
    """``str(link)`` with the outcome (and the context it is) named as the result prints them."""
    via = f" (as {name(link.via)})" if link.via else ""
    return f"{link.upstream} -> {name(link.outcome)}{via} blocks {link.downstream}"


def _walk(
    start: ChainLink,
    out_links: dict[str, list[ChainLink]],
    loop_of: dict[str, int],
    found: list[Chain],
    *,
    max_length: int,
    limit: int,
) -> bool:
    """Add to ``found`` every chain from ``start``, depth first; True if cut short.

    One path list grows and shrinks as the walk goes down and back (no recursion,
    no copies but the chains kept), so a chain of any length costs its length.
    """
    truncated = False
    path = [start]
    pending: list[Iterator[ChainLink]] = []
    while True:
        here = path[-1].downstream
        nexts = out_links.get(here, [])
        if len(found) >= limit:
            truncated = True
        elif here in loop_of or not nexts:
            found.append(Chain(links=tuple(path), enters_loop=here in loop_of))
        elif len(path) >= max_length:
            truncated = True
        else:
            pending.append(iter(nexts))
            path.append(next(pending[-1]))
            continue
        path.pop()  # back up to the next branch not yet taken
        while pending:
            link = next(pending[-1], None)
            if link is not None:
                path.append(link)
                break
            pending.pop()
            path.pop()
        else:
            return truncated


def chains(
    theory: Theory, *, max_length: int = 12, limit: int = 1000, labels: bool = False
) -> Chains:
    """The chains of the theory as a person reads them: rule -> outcome -> rule -> ...

    Loops are found once, with strongly connected components, and listed on
    their own. A chain starts at a rule that no other rule feeds, or at a link
    leaving a loop, and runs until a rule feeds nothing more or enters a loop.

    Args:
        theory: The theory.
        max_length: The most links in one chain.
        limit: The most chains returned.
        labels: Print node labels instead of ids (:meth:`Result.with_labels`).

    Returns:
        The chains, the loops, and the blocking links; ``truncated`` when cut short.

    Raises:
        UsageError: if ``max_length`` or ``limit`` is below 1.

    >>> import cimo
    >>> from cimo.query import chains
    >>> print(chains(cimo.load_example("work-focused-group-cbt")))
    6 chains, 0 loops
      three-levels -> work-status -> work-supports-recovery
      lexis-2011 -> work-status -> work-supports-recovery
      figure-4 -> work-status -> work-supports-recovery
      table-2-example-2 -> work-status -> work-supports-recovery
      retain -> work-status -> work-supports-recovery
      resume -> work-status -> work-supports-recovery
    """
    if max_length < 1 or limit < 1:
        raise UsageError(f"max_length and limit must be at least 1 (got {max_length}, {limit})")
    every = chain_links(theory)
    feeding = [link for link in every if not link.blocking]
    position = {r.id: i for i, r in enumerate(theory.rules)}
    out_links: dict[str, list[ChainLink]] = {}
    g: nx.DiGraph[str] = nx.DiGraph()
    for link in feeding:
        out_links.setdefault(link.upstream, []).append(link)
        g.add_edge(link.upstream, link.downstream)
    loop_of: dict[str, int] = {}
    groups = [
        tuple(sorted(component, key=position.__getitem__))
        for component in nx.strongly_connected_components(g)
        if len(component) > 1 or any(g.has_edge(r, r) for r in component)
    ]
    groups.sort(key=lambda c: position[c[0]])
    for n, group in enumerate(groups):
        loop_of.update(dict.fromkeys(group, n))
    heads = [
        [link]
        for link in feeding
        if link.upstream in loop_of and loop_of.get(link.downstream) != loop_of[link.upstream]
    ]
    starts = [
        [link]
        for link in feeding
        if link.upstream not in loop_of and g.in_degree(link.upstream) == 0
    ]
    found: list[Chain] = []
    truncated = False
    for start in starts + heads:
        truncated |= _walk(start[0], out_links, loop_of, found, max_length=max_length, limit=limit)
    result = Chains(
        chains=tuple(found),
        loops=tuple(groups),
        blocking=tuple(link for link in every if link.blocking),
        truncated=truncated,
    )
    return labelled(result, theory, labels)
