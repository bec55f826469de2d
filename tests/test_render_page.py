"""Figures fitted to a page: no text printed under 7 pt, measured from the SVG Graphviz writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _svg import dot_nodes, legend_words, printed_fonts
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.errors import UsageError
from cimo.render._look import node_words
from cimo.render.backend import layout_boxes
from cimo.render.page import PAGES, fit_page, page_named, printed_size
from cimo.render.rows import configuration_rows

pytestmark = pytest.mark.exe
runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = sorted((ROOT / "tests" / "data" / "published").glob("*.yaml"))
THEORIES = [e.name for e in cimo.list_examples()] + [str(p) for p in PUBLISHED]
CM = 72 / 2.54
PWP = cimo.load_example("pwp-resilience")


def _short(name: str) -> str:
    return Path(name).stem


@pytest.mark.slow
@pytest.mark.parametrize("page", ["column", "a4"])
@pytest.mark.parametrize("theory", THEORIES, ids=_short)
def test_every_example_and_published_theory_prints_no_text_under_7_pt(
    theory: str, page: str, tmp_path: Path
) -> None:
    out = tmp_path / "figure.svg"
    result = runner.invoke(app, ["render", theory, "-o", str(out), "--page", page])
    assert result.exit_code == 0, result.stderr
    assert "smallest text" in result.stderr and f"fitted to {page}" in result.stderr
    files = [out] if out.exists() else sorted(tmp_path.glob("figure-*.svg"))
    assert files, "no page was written"
    if len(files) > 1:
        assert f"onto {len(files)} pages" in result.stderr
    spec = PAGES[page]
    for file in files:
        width, height, sizes = printed_fonts(file.read_bytes())
        assert sizes, f"{file.name} has no text"
        # the file declares the size it is printed at: within the page
        assert width <= spec.width_cm * CM + 1 and height <= (spec.height_cm or 0) * CM + 1
        assert min(sizes) >= 7.0, f"{file.name}: {min(sizes):.2f} pt"


def test_a_screen_map_shrunk_to_a_column_has_tiny_text() -> None:
    """What the fitting is for: the plain map, printed a column wide, is far under 7 pt."""
    theory = cimo.load(PUBLISHED[2])
    svg = cimo.render.theory_map(theory).svg()
    assert printed_size(svg, PAGES["column"]).min_font_pt < 4
    # and the measurement agrees with the test's own reading of the SVG
    width, _, sizes = printed_fonts(svg)
    expected = min(sizes) * min(1.0, PAGES["column"].width_pt / width)
    assert printed_size(svg, PAGES["column"]).min_font_pt == pytest.approx(expected, abs=0.01)


def test_a_table_that_fits_a4_is_kept_as_drawn_and_sized_to_print() -> None:
    theory = cimo.load_example("doctors-mental-health")
    fitted = fit_page(theory, lambda s: configuration_rows(theory, style=s), page="a4")
    assert fitted.how == "as drawn" and len(fitted.pages) == 1
    width, height, sizes = printed_fonts(fitted.pages[0].svg())
    assert width <= PAGES["a4"].width_pt + 1 and height <= PAGES["a4"].height_pt + 1  # type: ignore[operator]
    assert min(sizes) == pytest.approx(fitted.min_font_pt, abs=0.05)
    assert min(sizes) >= 7


def test_a_map_too_wide_for_a_column_switches_layout_and_says_so() -> None:
    theory = cimo.load(PUBLISHED[0])  # nine configurations under nine themes
    fitted = fit_page(theory, page="column")
    assert fitted.how.startswith("configuration rows")
    assert fitted.min_font_pt >= 7
    if len(fitted.pages) > 1:
        assert f"split by theme onto {len(fitted.pages)} pages" in fitted.how
        shown = "".join(p.source for p in fitted.pages)
        for rule in theory.rules:  # every configuration is on some page
            assert (rule.source_label or rule.id) in shown
    assert "smallest text" in str(fitted)


def test_nothing_fits_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "t.svg"
    result = runner.invoke(
        app, ["render", "pwp-resilience", "--view", "taxonomy", "-o", str(out), "--width-cm", "3"]
    )
    assert result.exit_code == 2
    assert "does not fit" in result.stderr and "pt" in result.stderr
    assert not out.exists()


def test_page_options_are_checked() -> None:
    assert page_named("column").width_cm == 8.5
    assert page_named(width_cm=12).height_cm is None
    assert page_named("slide", width_cm=20).height_cm == PAGES["slide"].height_cm
    with pytest.raises(UsageError, match="unknown page"):
        page_named("a3")
    result = runner.invoke(app, ["render", "pwp-resilience", "-f", "mermaid", "--page", "a4"])
    assert result.exit_code == 2 and "mermaid" in result.stderr
    result = runner.invoke(app, ["render", "pwp-resilience", "--page", "a5"])
    assert result.exit_code == 2


def test_a_png_page_is_300_dpi_at_print_width(tmp_path: Path) -> None:
    out = tmp_path / "t.png"
    result = runner.invoke(app, ["render", str(PUBLISHED[2]), "-o", str(out), "--page", "column"])
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    width = int.from_bytes(data[16:20], "big")
    assert abs(width - round(8.5 / 2.54 * 300)) <= 3


def test_the_map_names_the_actors_whose_reasoning_a_mechanism_is() -> None:
    theory = cimo.load(PUBLISHED[6])  # Bryne et al.: configurations for TADA teams, patients
    nodes = dot_nodes(cimo.render.theory_map(theory).source)
    for rule in theory.rules:
        for m in rule.mechanisms if rule.actor else ():
            assert f"for {rule.actor}" in nodes[m]["label"].replace('<BR ALIGN="CENTER"/>', " ")
    assert "whose reasoning" in legend_words(cimo.render.theory_map(theory).source)
    # with rule nodes, each rule names its own actor instead
    with_rules = dot_nodes(cimo.render.theory_map(theory, rules=True).source)
    assert not any("<I>for " in a.get("label", "") for a in with_rules.values())
    assert "whose reasoning" not in legend_words(cimo.render.theory_map(PWP).source)


def test_each_lane_heading_is_held_above_its_own_nodes() -> None:
    source = cimo.render.theory_map(PWP).source
    for kind in ("context", "mechanism", "outcome"):
        for node in PWP.nodes:
            if node.kind == kind:
                assert f'"cimo:lane:{kind}" -> "{node.id}" [style="invis"]' in source


def test_lane_headings_sit_close_to_their_nodes_in_the_drawing() -> None:
    """No blank band: a heading is at most a node's height or two above its lane's top node."""
    d = cimo.render.theory_map(cimo.load_example("work-focused-group-cbt"))
    boxes = layout_boxes(d.source)
    for kind in ("context", "intervention", "mechanism", "outcome"):
        head = boxes[f"cimo:lane:{kind}"]
        top = min(
            boxes[n.id].y
            for n in cimo.load_example("work-focused-group-cbt").nodes
            if n.kind == kind and n.id in boxes
        )
        assert 0 < top - (head.y + head.height) < 60, kind


def test_a_pdf_page_is_exactly_as_wide_as_the_page(tmp_path: Path) -> None:
    out = tmp_path / "t.pdf"
    args = ["render", str(PUBLISHED[2]), "-o", str(out), "--page", "double-column"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", out.read_bytes())
    assert box is not None
    width, height = float(box.group(1)), float(box.group(2))
    assert PAGES["double-column"].width_pt - 2 <= width <= PAGES["double-column"].width_pt + 1
    assert height <= PAGES["double-column"].height_pt + 1  # type: ignore[operator]


def test_narrower_labels_keep_all_their_words() -> None:
    """Wrapped at 14 characters a label gets more lines, not an ellipsis."""
    theory = cimo.load(PUBLISHED[2])
    narrow = cimo.evolve(cimo.render.DEFAULT_STYLE, wrap=14)
    nodes = dot_nodes(cimo.render.theory_map(theory, style=narrow).source)
    for node in theory.nodes:
        drawn = re.sub(r"<[^>]+>", " ", nodes[node.id]["label"])
        assert "…" not in drawn
        assert drawn.split()[-1] == node_words(node).split()[-1]


def test_rule_cards_are_split_by_theme_onto_pages(tmp_path: Path) -> None:
    out = tmp_path / "cards.svg"
    args = ["render", "work-focused-group-cbt", "--view", "rules", "-o", str(out), "--page", "a4"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "rule cards, 1 to a row, split by theme onto" in result.stderr
    files = sorted(tmp_path.glob("cards-*.svg"))
    themes = {r.theme for r in cimo.load_example("work-focused-group-cbt").rules}
    assert 1 < len(files) <= len(themes)
    shown = ""
    for file in files:
        width, _, sizes = printed_fonts(file.read_bytes())
        assert width <= PAGES["a4"].width_pt + 1 and min(sizes) >= 7
        shown += file.read_text(encoding="utf-8").replace("&#45;", "-")
    for rule in cimo.load_example("work-focused-group-cbt").rules:  # every card on some page
        assert f"<title>{rule.id}</title>" in shown


def test_rows_say_each_status_when_the_statuses_differ() -> None:
    """The rows are the paper's figure when a map does not fit: status must not vanish."""
    source = configuration_rows(PWP).source  # supported and hypothesised rules
    for rule in PWP.rules:
        assert f"[{rule.status}]" in source
    stacked = configuration_rows(PWP, stacked=True, rules={"burnout"}).source
    assert "burnout [hypothesised]" in stacked
    same = cimo.load(PUBLISHED[2])  # every rule hypothesised: nothing to tell apart
    assert "[hypothesised]" not in configuration_rows(same).source
