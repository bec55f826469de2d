"""The bundled example theories, loadable by name, each with its citation.

Tests, docs and notebooks share this catalogue.

>>> import cimo
>>> [e.name for e in cimo.list_examples()]
['work-focused-group-cbt', 'pwp-resilience', 'doctors-mental-health']
>>> cimo.load_example("work-focused-group-cbt").iteration
2

``doctors-mental-health`` is built, each time it is loaded, from the CSV
transcription of its table (``doctors-mental-health.csv``) by the
spreadsheet importer :func:`cimo.exchange.table.table_to_theory`, with the
table's headings as themes and its printed cells as segments
(:mod:`cimo.examples._table_example`):

>>> cimo.load_example("doctors-mental-health").rules[5].source_label
'1'
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from cimo._util import lookup
from cimo.examples._settings import ViewSettings
from cimo.io import load
from cimo.model import CimoModel, Source, Theory

if TYPE_CHECKING:
    from cimo.render.diagram import Diagram
    from cimo.render.style import Style

__all__ = [
    "Example",
    "ViewSettings",
    "default_part",
    "default_view",
    "example_path",
    "get_example",
    "list_examples",
    "load_example",
]


class Example(CimoModel):
    """One bundled theory."""

    name: str
    """The name to load it by."""
    title: str
    citation: str
    """The source the theory is encoded from."""
    file: str
    """The data file inside ``cimo/examples/``."""
    description: str
    view: ViewSettings = ViewSettings()
    """How ``cimo render NAME`` draws it by default: the way its paper reads."""


_CATALOGUE: tuple[Example, ...] = (
    Example(
        name="work-focused-group-cbt",
        title="Work-focused Relational Group CBT for moderate-severe recurrent depression",
        citation=(
            "Walker, N. and Hall, S. (2022). The initial design and programme theory for a new "
            "work-focused psychotherapeutic intervention to treat moderate-severe recurrent "
            "depression and enhance job retention. Mental Health Review Journal, 27(4), 372-397. "
            "doi:10.1108/MHRJ-12-2020-0094"
        ),
        file="work-focused-group-cbt.yaml",
        view=ViewSettings(layout="map", iteration=2),
        description=(
            "Seed 000: the programme theory of an interdisciplinary group CBT programme, both "
            "theory iterations, the six mechanisms (realise, reflect, regulate, resolve, relate, "
            "retain/resume), Table 2's if-then-because rules and Figure 4's overall configuration."
        ),
    ),
    Example(
        name="pwp-resilience",
        title="Building resilience in psychological wellbeing practitioners (grounded theory)",
        citation=(
            "Vivolo, M., Owen, J. and Fisher, P. Building resilience in the Improving Access to "
            "Psychological Therapy (IAPT) Psychological Wellbeing Practitioner (PWP) role: a "
            "qualitative grounded theory study. Behavioural and Cognitive Psychotherapy, 135-148. "
            "doi:10.1017/S1352465823000334"
        ),
        file="pwp-resilience.yaml",
        view=ViewSettings(
            layout="process",
            phases=("phase-1", "phase-2", "phase-3"),
            bands=("individual", "work-related", "systemic"),
            core="phase-2",
            end_label="Resilience over time",
        ),
        description=(
            "Seed 001: a three-phase process (work-related challenges; connecting with values "
            "and appraising adversity; proactive coping) with individual and systemic "
            "dimensions, and the loops of a process that unfolds over time."
        ),
    ),
    Example(
        name="doctors-mental-health",
        title="Doctors' mental ill-health: the Care Under Pressure CMO table",
        citation=(
            "Carrieri, D., Mattick, K., Pearson, M., Papoutsi, C., Briscoe, S., Wong, G. and "
            "Jackson, M. (2020). Optimising strategies to address mental ill-health in doctors "
            "and medical students: 'Care Under Pressure' realist review and implementation "
            "guidance. BMC Medicine, 18, 76. doi:10.1186/s12916-020-01532-x"
        ),
        file="doctors-mental-health.csv",
        view=ViewSettings(layout="rows"),
        description=(
            "Seed 002: a numbered CMO table in four groups (processes leading to mental "
            "ill-health; implementation methods; groups, belonging and relationality; "
            "prevention and timeliness), built from its CSV by the spreadsheet importer, with "
            "the bold mechanism words as mechanisms and the chain from row 1 to row 2."
        ),
    ),
)

#: How the examples shipped as CMO tables are read (the theory's metadata is not in the table).
_TABLES: dict[str, dict[str, object]] = {
    "doctors-mental-health": {
        "id": "doctors-mental-health",
        "title": "Doctors' mental ill-health: the Care Under Pressure CMO table",
        "description": (
            "Contexts, mechanisms and outcomes of doctors' (and medical students') mental "
            "ill-health and of the strategies to address it, from the Care Under Pressure "
            "realist review. Rows keep the numbers printed in the source (CMOc numbers); rows "
            "printed without a number stay unnumbered (their ids name their heading and a letter, "
            "never a number). In a mechanism, the words the source prints in bold are the "
            "mechanism; the whole sentence is its reasoning, and each row's segments keep the "
            "cells as printed, the bold words marked **like this**."
        ),
        "source": Source(
            id="carrieri-2020",
            citation=(
                "Carrieri D, Mattick K, Pearson M, Papoutsi C, Briscoe S, Wong G, Jackson M. "
                "Optimising strategies to address mental ill-health in doctors and medical "
                "students: 'Care Under Pressure' realist review and implementation guidance. "
                "BMC Medicine 2020;18:76."
            ),
            year=2020,
            doi="10.1186/s12916-020-01532-x",
            url="https://doi.org/10.1186/s12916-020-01532-x",
        ),
    },
}

_BY_NAME: dict[str, Example] = {e.name: e for e in _CATALOGUE}


def list_examples() -> tuple[Example, ...]:
    """Every bundled example, in catalogue order."""
    return _CATALOGUE


def get_example(name: str) -> Example:
    """The catalogue entry of one example.

    Raises:
        UnknownIdError: if there is no bundled example of that name.
    """
    return lookup(_BY_NAME, name, kind="bundled example")


def example_path(name: str) -> Path:
    """The path of an example's data file (inside the installed package).

    Raises:
        UnknownIdError: if there is no bundled example of that name.
    """
    return Path(str(resources.files(__name__).joinpath(get_example(name).file)))


@cache
def load_example(name: str) -> Theory:
    """Load a bundled example theory by name.

    Args:
        name: One of the names in :func:`list_examples`.

    Returns:
        The theory (theories are immutable, so one shared copy is handed out).

    Raises:
        UnknownIdError: if there is no bundled example of that name.
    """
    path = example_path(name)
    if path.suffix == ".csv":
        options = _TABLES[name]
        # imported on use: only table examples need the spreadsheet importer
        from cimo.examples._table_example import read_doctors_table

        return read_doctors_table(
            path,
            id=str(options["id"]),
            title=str(options["title"]),
            description=str(options["description"]),
            source=options["source"],  # type: ignore[arg-type]
        )
    return load(path)


def default_view(name: str, *, iteration: int | None = None, style: Style | None = None) -> Diagram:
    """An example drawn the way its paper reads (``cimo render NAME``).

    Args:
        name: One of the names in :func:`list_examples`.
        iteration: For an example drawn by iteration (``work-focused-group-cbt``),
            draw this one instead of the default.
        style: Colours and fonts (default: :data:`cimo.render.DEFAULT_STYLE`).

    Raises:
        UnknownIdError: if there is no bundled example of that name.
        UsageError: ``iteration`` for an example not drawn by iteration.

    >>> default_view("doctors-mental-health").name
    'rows'
    """
    from cimo.examples._views import draw_view  # imported on use: it needs the renderers
    from cimo.render.style import DEFAULT_STYLE

    return draw_view(
        load_example(name),
        get_example(name).view,
        iteration=iteration,
        style=style or DEFAULT_STYLE,
    )


def default_part(name: str, *, iteration: int | None = None) -> Theory:
    """The part of an example its default view draws (:func:`default_view`).

    For ``work-focused-group-cbt``, drawn by iteration, that iteration's part;
    for the others, the whole theory.

    >>> part = default_part("work-focused-group-cbt")
    >>> len(part.rules) < len(load_example("work-focused-group-cbt").rules)
    True
    """
    from cimo.examples._views import view_part  # imported on use: it needs the renderers

    return view_part(load_example(name), get_example(name).view, iteration)
