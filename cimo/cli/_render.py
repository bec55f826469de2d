"""Rendering commands: render (diagrams, Mermaid), table (CMO tables), statements."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from cimo.cli._common import (
    TextOrJson,
    check_output,
    emit,
    handle_errors,
    read_theory,
    to_json,
)
from cimo.core.formats import (
    CmoTableFormat,
    DiagramFormat,
    ImageFormat,
    format_for_suffix,
    verify_format,
)
from cimo.errors import UsageError
from cimo.render.backend import DEFAULT_TIMEOUT
from cimo.render.style import StyleName

if TYPE_CHECKING:
    from cimo.render.diagram import Diagram
    from cimo.render.highlight import Highlight

__all__ = ["register"]


class View(StrEnum):
    """Which diagram ``cimo render`` draws."""

    map = "map"
    rules = "rules"
    taxonomy = "taxonomy"


FileArg = Annotated[
    str, typer.Argument(metavar="FILE", help="A theory file, or the name of a bundled example.")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (atomically).")
]


def _ids(flag: str, help: str) -> Any:
    """A repeatable option taking ids (``--flag ID --flag ID``)."""
    return typer.Option(flag, metavar="ID", help=help)


def _pick_format(fmt: DiagramFormat | None, output: Path | None) -> DiagramFormat:
    if fmt is not None:
        return fmt
    if output is None:
        return "dot"
    guessed = format_for_suffix(output, content="diagram")
    if guessed is None:
        raise UsageError(
            f"cannot tell the format of {str(output)!r} from its suffix; "
            "pass --format svg|png|pdf|dot|mermaid"
        )
    return cast("DiagramFormat", guessed.name)


def register(app: typer.Typer) -> None:
    """Add the rendering commands to ``app``."""

    @app.command()
    @handle_errors
    def render(
        file: FileArg,
        output: OutputOpt = None,
        format: Annotated[
            DiagramFormat | None,
            typer.Option("--format", "-f", help="Output format (default: from OUT's suffix)."),
        ] = None,
        view: Annotated[View, typer.Option("--view", help="Which diagram to draw.")] = View.map,
        focus: Annotated[
            str | None,
            typer.Option(
                "--focus", help="Keep only the rules near this id and their parts (edit.focus)."
            ),
        ] = None,
        depth: Annotated[
            int, typer.Option("--depth", min=0, help="Rule steps around --focus.")
        ] = 1,
        rule_nodes: Annotated[
            bool, typer.Option("--rule-nodes", help="Map: draw each rule as a node, by theme.")
        ] = False,
        style: Annotated[
            StyleName, typer.Option("--style", help="Colours or greyscale.")
        ] = "default",
        scenario_context: Annotated[
            list[str] | None,
            _ids(
                "--scenario-context", "Highlight a scenario: this context holds (repeat for more)."
            ),
        ] = None,
        scenario_intervention: Annotated[
            list[str] | None,
            _ids(
                "--scenario-intervention",
                "Highlight a scenario: this intervention is delivered (repeatable).",
            ),
        ] = None,
        scenario_without: Annotated[
            list[str] | None,
            _ids(
                "--scenario-without",
                "Highlight a scenario: this mechanism is switched off (repeatable).",
            ),
        ] = None,
        timeout: Annotated[
            float, typer.Option("--timeout", min=1, help="Stop Graphviz after this many seconds.")
        ] = DEFAULT_TIMEOUT,
    ) -> None:
        """Draw a theory: a map in four lanes (C, I, M, O), rule cards, or the taxonomy tree.

        With --scenario-context/--scenario-intervention the map or the cards pick out
        what the scenario fires, activates and expects, mark blocked rules, and grey
        the rest. SVG, PNG and PDF need Graphviz's dot program; DOT and Mermaid text
        do not.
        """
        from cimo.query import scenario
        from cimo.render.diagram import rule_cards, taxonomy_tree, theory_map
        from cimo.render.highlight import Highlight
        from cimo.render.mermaid import mermaid, mermaid_rules
        from cimo.render.style import STYLES

        fmt = _pick_format(format, output)
        theory = read_theory(file)
        chosen = STYLES[style]
        highlight: Highlight | None = None
        if scenario_context or scenario_intervention or scenario_without:
            highlight = Highlight.of(
                scenario(
                    theory,
                    contexts=scenario_context or (),
                    interventions=scenario_intervention or (),
                    without=scenario_without or (),
                )
            )
        if fmt == "mermaid":
            if view is View.taxonomy or focus is not None or highlight is not None:
                raise UsageError(
                    "--format mermaid draws the whole map or the rule cards: "
                    "drop --view taxonomy, --focus and --scenario-*"
                )
            draw = mermaid_rules if view is View.rules else mermaid
            emit(draw(theory, style=chosen), output)
            return
        diagram: Diagram
        if view is View.map:
            diagram = theory_map(
                theory,
                style=chosen,
                rules=rule_nodes,
                focus=focus,
                depth=depth,
                highlight=highlight,
            )
        elif view is View.rules:
            diagram = rule_cards(
                theory, style=chosen, focus=focus, depth=depth, highlight=highlight
            )
        else:
            if focus is not None or highlight is not None:
                raise UsageError("--focus and --scenario-* work with --view map or --view rules")
            diagram = taxonomy_tree(theory, style=chosen)
        if fmt == "dot":
            emit(diagram.source, output)
            return
        if output is None:
            raise UsageError(f"--format {fmt} writes a file: give it with -o OUT")
        image = cast("ImageFormat", verify_format(fmt, kind="image").name)
        diagram.save(check_output(output), format=image, timeout=timeout)
        typer.echo(f"wrote {output} ({diagram})", err=True)

    @app.command()
    @handle_errors
    def table(
        file: FileArg,
        format: Annotated[
            CmoTableFormat, typer.Option("--format", "-f", help="Table format.")
        ] = "md",
        output: OutputOpt = None,
        csv_protection: Annotated[
            bool,
            typer.Option(
                "--csv-protection/--no-csv-protection",
                help="CSV: put an apostrophe before cells a spreadsheet would run as a formula "
                "(=, +, -, @, tab, CR first).",
            ),
        ] = True,
    ) -> None:
        """Print the CMO table: numbered configurations grouped by theme."""
        from cimo.render.text import cmo_table

        text = cmo_table(read_theory(file), format=format, csv_protection=csv_protection)
        emit(text, output)

    @app.command(name="statements")
    @handle_errors
    def statements_command(
        file: FileArg,
        format: Annotated[
            TextOrJson, typer.Option("--format", "-f", help="Output format.")
        ] = "text",
        output: OutputOpt = None,
    ) -> None:
        """Print every rule as an if-then-because statement."""
        from cimo.render.text import statements

        result = statements(read_theory(file))
        text = to_json(result.model_dump(mode="json")) if format == "json" else str(result)
        emit(text, output)
