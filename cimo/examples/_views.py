"""The default picture of each bundled example: drawn the way its paper thinks.

* ``work-focused-group-cbt``: one theory iteration (the second by default,
  as Figure 4 and Table 3 show it), the mechanisms in Table 3's order,
  nothing unconnected;
* ``pwp-resilience``: a process (:func:`cimo.render.process.process_map`):
  the three phases left to right, the dimensions as bands, the core
  category framed, the loops drawn as loops;
* ``doctors-mental-health``: the published table
  (:func:`cimo.render.rows.configuration_rows`): configurations in its
  order, under its headings, with its printed numbers.

>>> from cimo.examples import default_view
>>> default_view("work-focused-group-cbt").name, default_view("pwp-resilience").name
('map', 'process')
>>> "triple-foci" in default_view("work-focused-group-cbt").source
False
"""

from __future__ import annotations

import itertools

from cimo.core.data import from_data, to_data
from cimo.edit import focus
from cimo.errors import UsageError
from cimo.examples._settings import ViewSettings
from cimo.model import Theory
from cimo.render.diagram import Diagram, theory_map
from cimo.render.dot import quote
from cimo.render.process import process_map
from cimo.render.rows import configuration_rows
from cimo.render.style import DEFAULT_STYLE, Style

__all__ = ["ViewSettings", "connected_part", "draw_view", "ordered_map", "view_part"]


def connected_part(theory: Theory) -> Theory:
    """The theory without the elements no rule names (and without links to them)."""
    used = {ident for r in theory.rules for _, _, ident in r.references()}
    data = to_data(theory)
    data["nodes"] = [n for n in data.get("nodes", []) if n["id"] in used]
    data["relations"] = [
        r
        for r in data.get("relations", [])
        if r["from"] in used | set(theory.rule_index) and r["to"] in used | set(theory.rule_index)
    ]
    if not data["relations"]:
        del data["relations"]
    return from_data(data)


def ordered_map(theory: Theory, *, style: Style = DEFAULT_STYLE) -> Diagram:
    """The lanes map with each lane's elements kept in file order, top to bottom."""
    diagram = theory_map(theory, style=style)
    chains = []
    for kind in ("context", "intervention", "mechanism", "outcome"):
        ids = [n.id for n in theory.nodes if n.kind == kind]
        chains += [f"{quote(a)} -> {quote(b)} [style=invis]" for a, b in itertools.pairwise(ids)]
    source = diagram.source.rstrip()
    # a mechanism category the encoder inferred for every mechanism shown says so in the legend
    for category in {m.category for m in theory.mechanisms if m.category}:
        members = [m for m in theory.mechanisms if m.category == category]
        if all("category" in m.inferred for m in members):
            for end in "<>":  # the legend's sample of the category: its label, its tooltip
                source = source.replace(
                    f"Mechanism: {category}{end}", f"Mechanism: {category} (inferred){end}"
                )
            source = source.replace(
                f'tooltip="Mechanism: {category}"', f'tooltip="Mechanism: {category} (inferred)"'
            )
    assert source.endswith("}")
    body = "".join(f"  {c}\n" for c in chains)
    return Diagram.model_validate({**diagram.model_dump(), "source": source[:-1] + body + "}\n"})


def draw_view(
    theory: Theory,
    settings: ViewSettings,
    *,
    iteration: int | None = None,
    style: Style = DEFAULT_STYLE,
) -> Diagram:
    """Draw ``theory`` with ``settings`` (``iteration`` overrides the settings' one).

    Raises:
        UsageError: ``iteration`` is given for a layout that does not take one.
    """
    if settings.layout == "rows":
        if iteration is not None:
            raise UsageError("the rows layout draws every configuration; drop --iteration")
        return configuration_rows(theory, style=style)
    if settings.layout == "process":
        if iteration is not None:
            raise UsageError("the process view draws the whole process; drop --iteration")
        return process_map(
            theory,
            phases=settings.phases,
            bands=settings.bands,
            core=settings.core,
            end_label=settings.end_label,
            style=style,
        )
    return ordered_map(connected_part(view_part(theory, settings, iteration)), style=style)


def view_part(theory: Theory, settings: ViewSettings, iteration: int | None = None) -> Theory:
    """The part of ``theory`` its view draws: one iteration of a map drawn by iteration."""
    number = iteration if iteration is not None else settings.iteration
    if settings.layout != "map" or number is None:
        return theory
    return focus(theory, iteration=number)
