"""Query commands: ``cimo query FILE QUESTION`` (every public query) and ``cimo scenario``.

Each query of :mod:`cimo.query` (and the two views of :mod:`cimo.edit` that are
theories again, ``roll-up`` and ``focus``) is a subcommand of ``cimo query``
with the options of the Python function and ``--format text|json|markdown``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cimo.cli._common import CimoGroup, emit, handle_errors, read_theory, to_json
from cimo.core.formats import AnswerFormat
from cimo.io import dumps, format_of
from cimo.model import Theory

if TYPE_CHECKING:
    from cimo.query import Result

__all__ = ["register"]

_FILE = Annotated[
    str, typer.Argument(metavar="FILE", help="A theory file, or the name of a bundled example.")
]
_FORMAT = Annotated[
    AnswerFormat,
    typer.Option("--format", "-f", help="Output format: plain words, JSON or Markdown."),
]
_OUTCOME = Annotated[str, typer.Argument(metavar="OUTCOME", help="An outcome id.")]
_CONTEXTS = Annotated[
    list[str] | None,
    typer.Option("--context", "-c", help="A context that holds (repeat for more)."),
]
_INTERVENTIONS = Annotated[
    list[str] | None,
    typer.Option("--intervention", "-i", help="An intervention delivered (repeat)."),
]
_VIEW_OUTPUT = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the view as a theory file (its extension picks the format)."
    ),
]
_REFUTED = Annotated[
    bool,
    typer.Option(
        "--include-refuted",
        help="Reason with refuted rules too (by default they are set aside, and named).",
    ),
]
_STATED = Annotated[
    bool,
    typer.Option(
        "--stated-only",
        help="Leave out the 'feeds' relations the source does not state (stated: false).",
    ),
]

_BY = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="ATTRIBUTE",
        help="Group the evidence by this participant attribute (role, site, ...).",
    ),
]


_IDS = Annotated[
    bool,
    typer.Option(
        "--ids",
        help="Name elements by id in text and Markdown (by default by label; JSON always has ids).",
    ),
]


def _show(result: Result, format: AnswerFormat, theory: Theory, *, ids: bool) -> None:
    """Print a result: JSON with ids; text and Markdown with labels unless ``ids``."""
    if format == "json":
        emit(to_json(result.model_dump(mode="json")), None)
        return
    if not ids:
        result = result.with_labels(theory)
    if format == "markdown":
        emit(result._repr_markdown_(), None)
    else:
        emit(str(result), None)


def _show_view(view: Theory, format: AnswerFormat, output: Path | None) -> None:
    """A view that is a theory again: YAML (text), JSON or Markdown, or a theory file."""
    if output is not None:
        emit(dumps(view, format=format_of(output)), output)
    elif format == "markdown":
        from cimo.render.notebook import theory_markdown

        emit(theory_markdown(view), None)
    else:
        emit(dumps(view, format="json" if format == "json" else "yaml"), None)


def _theory(ctx: typer.Context) -> Theory:
    theory = ctx.obj
    assert isinstance(theory, Theory)
    return theory


def register(app: typer.Typer) -> None:
    """Add ``query`` (a group of every question) and ``scenario`` to ``app``."""
    query = typer.Typer(
        name="query",
        cls=CimoGroup,
        help="Ask a theory what works, for whom, in what circumstances, and how.",
        no_args_is_help=True,
    )
    app.add_typer(query)

    @query.callback()
    @handle_errors
    def _load(ctx: typer.Context, file: _FILE) -> None:
        """Ask a theory what works, for whom, in what circumstances, and how."""
        ctx.obj = read_theory(file)

    @query.command("explain")
    @handle_errors
    def explain_cmd(
        ctx: typer.Context,
        outcome: Annotated[str, typer.Argument(metavar="OUTCOME", help="An outcome id.")],
        include_refuted: _REFUTED = False,
        stated_only: _STATED = False,
        format: _FORMAT = "text",
        ids: _IDS = False,
    ) -> None:
        """Every way the theory produces OUTCOME, following chains upstream."""
        from cimo.query import explain

        result = explain(
            _theory(ctx), outcome, include_refuted=include_refuted, stated_only=stated_only
        )
        _show(result, format, _theory(ctx), ids=ids)

    @query.command("for-whom")
    @handle_errors
    def for_whom_cmd(
        ctx: typer.Context,
        outcome: Annotated[str, typer.Argument(metavar="OUTCOME", help="An outcome id.")],
        limit: Annotated[int, typer.Option(min=1, help="The most context sets to build.")] = 100,
        include_refuted: _REFUTED = False,
        stated_only: _STATED = False,
        by: _BY = None,
        format: _FORMAT = "text",
        ids: _IDS = False,
    ) -> None:
        """The minimal sets of contexts under which OUTCOME is expected, and its blockers.

        Every route is listed, blocked or not; rules with no context are named
        as "context unknown". With --by, each route says whose accounts (which
        kinds of participants) support or refute its rules.
        """
        from cimo.query import for_whom

        result = for_whom(
            _theory(ctx),
            outcome,
            limit=limit,
            include_refuted=include_refuted,
            stated_only=stated_only,
            by=by,
        )
        _show(result, format, _theory(ctx), ids=ids)

    @query.command("pathways")
    @handle_errors
    def pathways_cmd(
        ctx: typer.Context,
        source: Annotated[
            str, typer.Option("--from", help="An intervention, context or outcome id.")
        ],
        target: Annotated[str, typer.Option("--to", help="An outcome id.")],
        max_length: Annotated[int, typer.Option(min=1, help="The most rules in one pathway.")] = 6,
        limit: Annotated[int, typer.Option(min=1, help="The most pathways.")] = 100,
        include_refuted: _REFUTED = False,
        stated_only: _STATED = False,
        format: _FORMAT = "text",
        ids: _IDS = False,
    ) -> None:
        """The chains of rules from an intervention or context to an outcome."""
        from cimo.query import pathways

        result = pathways(
            _theory(ctx),
            source,
            target,
            max_length=max_length,
            limit=limit,
            include_refuted=include_refuted,
            stated_only=stated_only,
        )
        _show(result, format, _theory(ctx), ids=ids)

    _register_more(query)

    @app.command("scenario")
    @handle_errors
    def scenario_cmd(
        file: _FILE,
        context: Annotated[
            list[str] | None,
            typer.Option("--context", "-c", help="A context that holds (repeat for more)."),
        ] = None,
        intervention: Annotated[
            list[str] | None,
            typer.Option("--intervention", "-i", help="An intervention delivered (repeat)."),
        ] = None,
        without: Annotated[
            list[str] | None,
            typer.Option("--without", "-w", help="An id taken away (repeat)."),
        ] = None,
        include_refuted: _REFUTED = False,
        stated_only: _STATED = False,
        format: _FORMAT = "text",
        ids: _IDS = False,
    ) -> None:
        """Reason forward: which rules fire, which are blocked, what is expected.

        Rules with no context never fire (only 'if: any' holds in any
        circumstances); refuted rules are set aside unless --include-refuted.
        """
        from cimo.query import scenario

        theory = read_theory(file)
        result = scenario(
            theory,
            contexts=context or (),
            interventions=intervention or (),
            without=without or (),
            include_refuted=include_refuted,
            stated_only=stated_only,
        )
        _show(result, format, theory, ids=ids)


def _register_more(query: typer.Typer) -> None:
    """Add circumstances, evidence, coverage, counterfactual, chains, roll-up and focus."""

    @query.command("circumstances")
    @handle_errors
    def circumstances_cmd(
        ctx: typer.Context,
        outcome: _OUTCOME,
        limit: Annotated[int, typer.Option(help="The most context sets to build.")] = 100,
        include_refuted: _REFUTED = False,
        stated_only: _STATED = False,
        format: _FORMAT = "text",
        ids: _IDS = False,
    ) -> None:
        """The circumstances in which OUTCOME is expected: contexts, interventions, blockers."""
        from cimo.query import circumstances

        result = circumstances(
            _theory(ctx),
            outcome,
            limit=limit,
            include_refuted=include_refuted,
            stated_only=stated_only,
        )
        _show(result, format, _theory(ctx), ids=ids)

    @query.command("evidence")
    @handle_errors
    def evidence_cmd(
        ctx: typer.Context,
        min_witnesses: Annotated[
            int,
            typer.Option(min=1, help="The fewest distinct witnesses that make a demi-regularity."),
        ] = 2,
        by: _BY = None,
        format: _FORMAT = "text",
        ids: _IDS = False,
    ) -> None:
        """Who supports, refutes or refines each rule and mechanism; the demi-regularities.

        With --by, the witnesses of each rule and mechanism are also counted by
        kind of person (a participant attribute such as role).
        """
        from cimo.query import evidence

        _show(
            evidence(_theory(ctx), min_witnesses=min_witnesses, by=by),
            format,
            _theory(ctx),
            ids=ids,
        )

    @query.command("coverage")
    @handle_errors
    def coverage_cmd(ctx: typer.Context, format: _FORMAT = "text", ids: _IDS = False) -> None:
        """Which mechanisms each intervention activates, and what nothing reaches."""
        from cimo.query import coverage

        _show(coverage(_theory(ctx)), format, _theory(ctx), ids=ids)

    @query.command("counterfactual")
    @handle_errors
    def counterfactual_cmd(
        ctx: typer.Context,
        without: Annotated[
            list[str],
            typer.Option(
                "--without",
                "-w",
                help="An intervention, context, outcome or mechanism taken away (repeat).",
            ),
        ],
        context: _CONTEXTS = None,
        intervention: _INTERVENTIONS = None,
        include_refuted: _REFUTED = False,
        stated_only: _STATED = False,
        format: _FORMAT = "text",
        ids: _IDS = False,
    ) -> None:
        """What would be lost (and gained) in a scenario if a part were taken away.

        The scenario is the contexts (-c) and interventions (-i) given; the
        answer compares it with the same scenario without the -w items.
        """
        from cimo.query import counterfactual, scenario

        theory = _theory(ctx)
        base = scenario(
            theory,
            contexts=context or (),
            interventions=intervention or (),
            include_refuted=include_refuted,
            stated_only=stated_only,
        )
        _show(counterfactual(theory, base, without=without), format, theory, ids=ids)

    @query.command("chains")
    @handle_errors
    def chains_cmd(
        ctx: typer.Context,
        max_length: Annotated[int, typer.Option(min=1, help="The most links in one chain.")] = 12,
        limit: Annotated[int, typer.Option(min=1, help="The most chains.")] = 1000,
        format: _FORMAT = "text",
        ids: _IDS = False,
    ) -> None:
        """The linked configurations: outcome-to-context chains, loops and blocks."""
        from cimo.query import chains

        _show(
            chains(_theory(ctx), max_length=max_length, limit=limit), format, _theory(ctx), ids=ids
        )

    @query.command("roll-up")
    @handle_errors
    def roll_up_cmd(
        ctx: typer.Context,
        rank: Annotated[
            str | None,
            typer.Option(help="A rank of the theory's taxonomy (default: mechanism)."),
        ] = None,
        variants: Annotated[
            bool,
            typer.Option(
                "--variants",
                help="Roll each outcome variant (variant_of) up to its outcome; "
                "without --rank, the mechanisms stay.",
            ),
        ] = False,
        output: _VIEW_OUTPUT = None,
        format: _FORMAT = "text",
    ) -> None:
        """The theory seen at a coarser rank of its taxonomy, as a theory (YAML by default)."""
        from cimo.edit import roll_up

        _show_view(roll_up(_theory(ctx), rank=rank, variants=variants), format, output)

    @query.command("focus")
    @handle_errors
    def focus_cmd(
        ctx: typer.Context,
        node: Annotated[
            str | None, typer.Option(help="Keep the rules within --steps of this node.")
        ] = None,
        steps: Annotated[int, typer.Option(min=0, help="How many rule steps from --node.")] = 1,
        theme: Annotated[str | None, typer.Option(help="Keep the rules of this theme.")] = None,
        actor: Annotated[
            str | None, typer.Option(help="Keep the rules of this actor, as written (GPs).")
        ] = None,
        iteration: Annotated[
            int | None, typer.Option(help="Keep the rules of this iteration.")
        ] = None,
        output: _VIEW_OUTPUT = None,
        format: _FORMAT = "text",
    ) -> None:
        """A part of the theory, as a valid theory of its own (YAML by default)."""
        from cimo.edit import focus

        view = focus(
            _theory(ctx), node=node, steps=steps, theme=theme, actor=actor, iteration=iteration
        )
        _show_view(view, format, output)
