"""Query commands: ``cimo query FILE explain|pathways|for-whom`` and ``cimo scenario``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cimo.cli._common import TextOrJson, emit, handle_errors, read_theory, to_json
from cimo.model import Theory

if TYPE_CHECKING:
    from cimo.query import Result

__all__ = ["register"]

_FILE = Annotated[
    str, typer.Argument(metavar="FILE", help="A theory file, or the name of a bundled example.")
]
_FORMAT = Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")]
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


def _show(result: Result, format: TextOrJson) -> None:
    if format == "json":
        emit(to_json(result.model_dump(mode="json")), None)
    else:
        emit(str(result), None)


def _theory(ctx: typer.Context) -> Theory:
    theory = ctx.obj
    assert isinstance(theory, Theory)
    return theory


def register(app: typer.Typer) -> None:
    """Add ``query`` (a group: explain, pathways, for-whom) and ``scenario`` to ``app``."""
    query = typer.Typer(
        name="query",
        help="Ask a theory how an outcome comes about, for whom, and by which pathways.",
        no_args_is_help=True,
    )
    app.add_typer(query)

    @query.callback()
    @handle_errors
    def _load(ctx: typer.Context, file: _FILE) -> None:
        """Ask a theory how an outcome comes about, for whom, and by which pathways."""
        ctx.obj = read_theory(file)

    @query.command("explain")
    @handle_errors
    def explain_cmd(
        ctx: typer.Context,
        outcome: Annotated[str, typer.Argument(metavar="OUTCOME", help="An outcome id.")],
        include_refuted: _REFUTED = False,
        stated_only: _STATED = False,
        format: _FORMAT = "text",
    ) -> None:
        """Every way the theory produces OUTCOME, following chains upstream."""
        from cimo.query import explain

        result = explain(
            _theory(ctx), outcome, include_refuted=include_refuted, stated_only=stated_only
        )
        _show(result, format)

    @query.command("for-whom")
    @handle_errors
    def for_whom_cmd(
        ctx: typer.Context,
        outcome: Annotated[str, typer.Argument(metavar="OUTCOME", help="An outcome id.")],
        limit: Annotated[int, typer.Option(min=1, help="The most context sets to build.")] = 100,
        include_refuted: _REFUTED = False,
        stated_only: _STATED = False,
        format: _FORMAT = "text",
    ) -> None:
        """The minimal sets of contexts under which OUTCOME is expected, and its blockers.

        Every route is listed, blocked or not; rules with no context are named
        as "context unknown".
        """
        from cimo.query import for_whom

        result = for_whom(
            _theory(ctx),
            outcome,
            limit=limit,
            include_refuted=include_refuted,
            stated_only=stated_only,
        )
        _show(result, format)

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
        _show(result, format)

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
    ) -> None:
        """Reason forward: which rules fire, which are blocked, what is expected.

        Rules with no context never fire (only 'if: any' holds in any
        circumstances); refuted rules are set aside unless --include-refuted.
        """
        from cimo.query import scenario

        result = scenario(
            read_theory(file),
            contexts=context or (),
            interventions=intervention or (),
            without=without or (),
            include_refuted=include_refuted,
            stated_only=stated_only,
        )
        _show(result, format)
