"""Rendering commands: render (diagrams, Mermaid), table (CMO tables), statements."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

import typer

from cimo._files import check_regular_output
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
from cimo.render.page import PageName, Part
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
    fmt: str | None,
    output: Path | None,
    *,
    pool: tuple[FileFormat, ...],
    default: str,
    bare_is_default: bool = False,
) -> str:
    """The format asked for, else the one OUT's suffix implies (among ``pool``), else ``default``.

    With ``bare_is_default``, ``default`` is also the format of an OUT whose name
    has no suffix (the text commands); otherwise such a name is refused.

    OUT is checked first: a folder, device or link loop, or an input of the
    command, is named as such whatever its suffix.

    Raises:
        UsageError: OUT's suffix names no such format, or another one than --format.
        OutputError: OUT cannot be written (see :func:`check_regular_output`).
    """
    if output is not None:
        check_regular_output(check_output(output))
    guessed = format_for_suffix(output, among=pool) if output is not None else None
    if fmt is not None:
        if guessed is not None and guessed.name != fmt:
            raise UsageError(
                f"{str(output)!r} is named as a {guessed.name} file, but --format {fmt} was "
                f"given: name the file {Path(str(output)).stem}"
                f"{next(f.suffix for f in pool if f.name == fmt)}, or drop --format"
            )
        return fmt
    if output is None or (bare_is_default and not Path(str(output)).suffix):
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
    columns: int = 3,
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
        return rule_cards(
            theory, style=style, focus=focus, depth=depth, highlight=highlight, columns=columns
        )
    if focus is not None or highlight is not None:
        raise UsageError("--focus and --scenario-* work with --view map or --view rules")
    return taxonomy_tree(theory, style=style)


def _card_pages(
    theory: Theory, *, focus: str | None, depth: int, highlight: Highlight | None
) -> list[tuple[str, Part]]:
    """Rule cards of some rules, two or one to a row: for cards split by theme over pages."""
    from cimo.render.diagram import rule_cards

    def cards(columns: int) -> Part:
        def draw(style: Style, ids: set[str] | None, title: str | None) -> Diagram:
            return rule_cards(
                theory,
                style=style,
                columns=columns,
                rules=ids,
                title=title,
                focus=focus,
                depth=depth,
                highlight=highlight,
            )

        return draw

    return [(f"rule cards, {c} to a row", cards(c)) for c in (2, 1)]


def _fit(
    theory: Theory,
    draw: Callable[[Style, int], Diagram],
    view: View | None,
    fmt: DiagramFormat,
    output: Path | None,
    *,
    parts: list[tuple[str, Part]],
    page: str | None,
    width_cm: float | None,
    style: Style,
    timeout: float,
) -> None:
    """Fit the drawing to the page, write its pages and say which layout was chosen."""
    from cimo.render.page import fit_page, page_named

    target = page_named(page, width_cm=width_cm)
    # Rule cards are tried three, two and one to a row; the taxonomy is not a table of rules.
    columns = (3, 2, 1) if view is View.rules else (3,)
    draws = [lambda s, c=c: draw(s, c) for c in columns]
    fitted = fit_page(
        theory,
        draws,
        page=target,
        style=style,
        parts=parts,
        rows=view is not View.taxonomy,
        timeout=timeout,
    )
    if fmt == "dot" and (output is None or len(fitted.pages) == 1):
        emit(fitted.source(), output)
        typer.echo(str(fitted), err=True)
        return
    if output is None:
        raise UsageError(f"--format {fmt} writes a file: give it with -o OUT")
    for path in fitted.paths(output):
        check_output(path)
    image = cast("ImageFormat | Literal['dot']", fmt)
    written = fitted.save(output, format=image, timeout=timeout)
    typer.echo(f"wrote {', '.join(map(str, written))} ({fitted})", err=True)


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
        page: Annotated[
            PageName | None,
            typer.Option(
                "--page",
                help="Fit the figure to a page (a4, letter, column ≈ 8.5 cm, double-column "
                "≈ 17.5 cm, slide 16:9) with no text under 7 pt: labels wrapped, the "
                "configuration-rows layout, or pages split by theme (it says which).",
            ),
        ] = None,
        width_cm: Annotated[
            float | None,
            typer.Option(
                "--width-cm", min=1, max=500, help="Fit the figure to this width (cm), as --page."
            ),
        ] = None,
    ) -> None:
        """Draw a theory: a map in four lanes (C, I, M, O), rule cards, or the taxonomy tree.

        With --scenario-context/--scenario-intervention the map or the cards pick out
        what the scenario fires, activates and expects, mark blocked rules, and grey
        the rest. With --page or --width-cm the figure is fitted to the page, and
        written at its printed size (a PNG at 300 dpi); split over pages, it is
        written as OUT-1.svg, OUT-2.svg, ... SVG, PNG and PDF need Graphviz's dot
        program; DOT and Mermaid text do not.
        """
        from cimo.edit import focus as focus_part
        from cimo.examples import default_part, default_view
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
        fitting = page is not None or width_cm is not None
        if fmt == "mermaid":
            if fitting or view is View.taxonomy or highlight is not None:
                raise UsageError(
                    "--format mermaid draws the map or the rule cards as Mermaid lays them out: "
                    "drop --page, --width-cm, --view taxonomy and --scenario-*"
                )
            if focus is not None:  # the part a focused map draws, and nothing else
                from cimo.render._focus import focused

                theory = focused(theory, focus, depth=depth)
            text = mermaid_rules if view is View.rules else mermaid
            emit(text(theory, style=chosen), output)
            return

        def draw(style: Style, columns: int = 3) -> Diagram:
            if own_view:
                return default_view(file, iteration=iteration, style=style)
            return _draw(
                theory,
                view=view,
                layout=layout,
                rule_nodes=rule_nodes,
                focus=focus,
                depth=depth,
                highlight=highlight,
                style=style,
                columns=columns,
            )

        if fitting:
            part = default_part(file, iteration=iteration) if own_view else theory
            _fit(
                part,
                draw,
                view,
                fmt,
                output,
                parts=_card_pages(part, focus=focus, depth=depth, highlight=highlight)
                if view is View.rules
                else [],
                page=page,
                width_cm=width_cm,
                style=chosen,
                timeout=timeout,
            )
            return
        diagram = draw(chosen)
        if fmt == "dot":
            emit(diagram.source, output)
            return
        if output is None:
            raise UsageError(f"--format {fmt} writes a file: give it with -o OUT")
        image = cast("ImageFormat", verify_format(fmt, kind="image").name)
        diagram.save(check_output(output), format=image, timeout=timeout)
        typer.echo(f"wrote {output} ({diagram})", err=True)

    _register_texts(app)


def _register_texts(app: typer.Typer) -> None:
    """Add the commands that write the theory as text: ``table`` and ``statements``."""

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

        theory = _part(read_theory(file), theme, actor)
        fmt = _pick_format(
            format, output, pool=select(content="cmo-table"), default="md", bare_is_default=True
        )
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

        theory = _part(read_theory(file), theme, actor)
        fmt = _pick_format(
            format, output, pool=_STATEMENT_FORMATS, default="text", bare_is_default=True
        )
        result = statements(theory, as_printed=as_printed)
        if fmt == "json":
            text = to_json(result.model_dump(mode="json"))
        elif fmt == "markdown":
            text = result._repr_markdown_()
        else:
            text = str(result)
        emit(text, output)
