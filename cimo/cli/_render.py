"""Rendering commands: render (diagrams, Mermaid), table (CMO tables), statements."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from cimo.cli._common import (
    check_output,
    emit,
    handle_errors,
    read_theory,
    to_json,
)
from cimo.core.formats import (
    AnswerFormat,
    CmoTableFormat,
    DiagramFormat,
    FileFormat,
    ImageFormat,
    format_for_suffix,
    names,
    select,
    spell_suffixes,
    verify_format,
)
from cimo.errors import UsageError
from cimo.model import Theory
from cimo.render.backend import DEFAULT_TIMEOUT
from cimo.render.style import StyleName

if TYPE_CHECKING:
    from cimo.model import Theory
    from cimo.render.diagram import Diagram
    from cimo.render.highlight import Highlight
    from cimo.render.style import Style
    from cimo.render.text import TableFormat

__all__ = ["register"]


class View(StrEnum):
    """Which diagram ``cimo render`` draws."""

    map = "map"
    rules = "rules"
    taxonomy = "taxonomy"


class Layout(StrEnum):
    """How ``cimo render --view map`` lays the map out."""

    lanes = "lanes"
    rows = "rows"


def _is_example(arg: str) -> bool:
    """True when ``arg`` names a bundled example rather than a file."""
    from cimo.examples import get_example

    if Path(arg).exists():
        return False
    try:
        get_example(arg)
    except KeyError:
        return False
    return True


FileArg = Annotated[
    str, typer.Argument(metavar="FILE", help="A theory file, or the name of a bundled example.")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (atomically).")
]


ThemeOpt = Annotated[
    str | None,
    typer.Option("--theme", help="Only the configurations of this theme (its id or label)."),
]
ActorOpt = Annotated[
    str | None,
    typer.Option("--actor", help="Only the configurations of this actor, as written (GPs)."),
]


def _part(theory: Theory, theme: str | None, actor: str | None) -> Theory:
    """The theory, or the part of it ``edit.focus(theme=, actor=)`` keeps."""
    if theme is None and actor is None:
        return theory
    from cimo.edit import focus

    return focus(theory, theme=theme, actor=actor)


def _ids(flag: str, help: str) -> Any:
    """A repeatable option taking ids (``--flag ID --flag ID``)."""
    return typer.Option(flag, metavar="ID", help=help)


def _pick_format(
    fmt: str | None, output: Path | None, *, pool: tuple[FileFormat, ...], default: str
) -> str:
    """The format asked for, else the one OUT's suffix implies (among ``pool``), else ``default``.

    Raises:
        UsageError: OUT's suffix names no such format, or another one than --format.
    """
    guessed = format_for_suffix(output, among=pool) if output is not None else None
    if fmt is not None:
        if guessed is not None and guessed.name != fmt:
            raise UsageError(
                f"{str(output)!r} is named as a {guessed.name} file, but --format {fmt} was "
                f"given: name the file {Path(str(output)).stem}"
                f"{next(f.suffix for f in pool if f.name == fmt)}, or drop --format"
            )
        return fmt
    if output is None:
        return default
    if guessed is None:
        raise UsageError(
            f"cannot tell the format of {str(output)!r} from its suffix: end the name in "
            f"{spell_suffixes(pool)}, or pass --format {'|'.join(names(pool))}"
        )
    return guessed.name


#: The formats of ``cimo statements``: plain text, JSON and Markdown.
_STATEMENT_FORMATS = (
    *(f for f in select(content="report") if f.name in ("text", "json")),
    *select(content="answer"),
)


def _draw(
    theory: Theory,
    *,
    view: View | None,
    layout: Layout | None,
    rule_nodes: bool,
    focus: str | None,
    depth: int,
    highlight: Highlight | None,
    style: Style,
) -> Diagram:
    """The diagram the options ask for (a bundled example's own view aside)."""
    from cimo.render.diagram import rule_cards, taxonomy_tree, theory_map

    if view in (None, View.map) and layout is Layout.rows:
        if focus is not None or highlight is not None or rule_nodes:
            raise UsageError(
                "--layout rows draws every configuration: drop --focus, "
                "--rule-nodes and --scenario-*"
            )
        return theory_map(theory, style=style, layout="rows")
    if view in (None, View.map):
        return theory_map(
            theory, style=style, rules=rule_nodes, focus=focus, depth=depth, highlight=highlight
        )
    if view is View.rules:
        return rule_cards(theory, style=style, focus=focus, depth=depth, highlight=highlight)
    if focus is not None or highlight is not None:
        raise UsageError("--focus and --scenario-* work with --view map or --view rules")
    return taxonomy_tree(theory, style=style)


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
        view: Annotated[
            View | None,
            typer.Option(
                "--view",
                help="Which diagram to draw (default: a bundled example's own view, else map).",
            ),
        ] = None,
        layout: Annotated[
            Layout | None,
            typer.Option(
                "--layout",
                help="Map layout: lanes (C, I, M, O) or rows (one configuration per row, "
                "like a published table).",
            ),
        ] = None,
        iteration: Annotated[
            int | None,
            typer.Option("--iteration", min=1, help="Draw this theory iteration only."),
        ] = None,
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
        from cimo.edit import focus as focus_part
        from cimo.examples import default_view
        from cimo.query import scenario
        from cimo.render.highlight import Highlight
        from cimo.render.mermaid import mermaid, mermaid_rules
        from cimo.render.style import STYLES

        fmt = cast(
            "DiagramFormat",
            _pick_format(format, output, pool=select(content="diagram"), default="dot"),
        )
        theory = read_theory(file)
        own_view = (
            view is None
            and layout is None
            and focus is None
            and not rule_nodes
            and fmt != "mermaid"
            and not (scenario_context or scenario_intervention or scenario_without)
            and _is_example(file)
        )
        if iteration is not None and not own_view:
            theory = focus_part(theory, iteration=iteration)
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
        diagram = (
            default_view(file, iteration=iteration, style=chosen)
            if own_view
            else _draw(
                theory,
                view=view,
                layout=layout,
                rule_nodes=rule_nodes,
                focus=focus,
                depth=depth,
                highlight=highlight,
                style=chosen,
            )
        )
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
            CmoTableFormat | None,
            typer.Option(
                "--format", "-f", help="Table format (default: from OUT's suffix, else md)."
            ),
        ] = None,
        output: OutputOpt = None,
        csv_protection: Annotated[
            bool,
            typer.Option(
                "--csv-protection/--no-csv-protection",
                help="CSV: put an apostrophe before cells a spreadsheet would run as a formula "
                "(=, +, -, @, tab, CR first).",
            ),
        ] = True,
        theme: ThemeOpt = None,
        actor: ActorOpt = None,
    ) -> None:
        """Print or write the CMO table: configurations grouped by theme, with their evidence.

        The format comes from OUT's suffix (.md, .html, .csv, .tex, .docx) unless
        --format names it. LaTeX is a longtable (needs the booktabs, longtable, array
        and ragged2e packages; pdflscape when landscape); .docx needs python-docx
        (pip install 'cimo[docx]').
        """
        from cimo.render.text import cmo_table

        fmt = _pick_format(format, output, pool=select(content="cmo-table"), default="md")
        theory = _part(read_theory(file), theme, actor)
        if fmt == "docx":
            from cimo.io import atomic_write
            from cimo.render.word import cmo_table_docx

            if output is None:
                raise UsageError("--format docx writes a file: give it with -o OUT.docx")
            atomic_write(check_output(output), cmo_table_docx(theory))
            typer.echo(f"wrote {output}", err=True)
            return
        text = cmo_table(theory, format=cast("TableFormat", fmt), csv_protection=csv_protection)
        emit(text, output)

    @app.command(name="statements")
    @handle_errors
    def statements_command(
        file: FileArg,
        format: Annotated[
            AnswerFormat | None,
            typer.Option(
                "--format", "-f", help="Output format (default: from OUT's suffix, else text)."
            ),
        ] = None,
        output: OutputOpt = None,
        as_printed: Annotated[
            bool,
            typer.Option(
                "--as-printed",
                help="Each rule as the source prints it (its segments, else its statement "
                "text, else the structured sentence); each line says which.",
            ),
        ] = False,
        theme: ThemeOpt = None,
        actor: ActorOpt = None,
    ) -> None:
        """Print every rule as an if-then-because statement, starting with its status.

        The format comes from OUT's suffix (.txt, .json, .md) unless --format names it.
        """
        from cimo.render.text import statements

        fmt = _pick_format(format, output, pool=_STATEMENT_FORMATS, default="text")
        result = statements(_part(read_theory(file), theme, actor), as_printed=as_printed)
        if fmt == "json":
            text = to_json(result.model_dump(mode="json"))
        elif fmt == "markdown":
            text = result._repr_markdown_()
        else:
            text = str(result)
        emit(text, output)
