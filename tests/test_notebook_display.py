"""A notebook shows the whole map: executed and rendered to HTML by nbconvert, measured in Chromium.

The quick-start notebook is run as Jupyter runs it (nbclient), turned into the
HTML page Jupyter's own exporter writes (nbconvert, JupyterLab template), and
opened in a real headless Chromium at a laptop's and a narrow window's width.
Every diagram must fit its output cell whole: no wider than the cell, no
horizontal scrolling, and drawn with the proportions Graphviz gave it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _browser import browser_context

pytestmark = [pytest.mark.browser, pytest.mark.exe, pytest.mark.slow]

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "01-quick-start.ipynb"

# Every diagram in an output cell, shown inline (<svg>) or as an image (<img> of SVG).
_MEASURE = """() => [...document.querySelectorAll(
    '.jp-OutputArea-output svg[viewBox], .jp-OutputArea-output img')].map(shown => {
  const cell = shown.closest('.jp-OutputArea-output');
  const box = shown.getBoundingClientRect(), room = cell.getBoundingClientRect();
  const ratio = shown.tagName === 'IMG' ? shown.naturalHeight / shown.naturalWidth
      : shown.viewBox.baseVal.height / shown.viewBox.baseVal.width;
  return {tag: shown.tagName, left: box.left - room.left, right: room.right - box.right,
          width: box.width, height: box.height, ratio,
          scrolls: cell.scrollWidth > cell.clientWidth + 1,
          pageScrolls: document.documentElement.scrollWidth > window.innerWidth + 1};
})"""


@pytest.fixture(scope="module")
def page_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    where = {"metadata": {"path": str(NOTEBOOK.parent)}}
    NotebookClient(nb, timeout=300, resources=where).execute()
    exporter = HTMLExporter(template_name="lab")  # type: ignore[no-untyped-call]
    body, _ = exporter.from_notebook_node(nb)
    out = tmp_path_factory.mktemp("notebook") / "01-quick-start.html"
    out.write_text(body, encoding="utf-8")
    return out


@pytest.mark.parametrize("width", [1280, 700])
def test_the_rendered_notebook_shows_each_diagram_whole(page_html: Path, width: int) -> None:
    with browser_context() as context:
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page_html.as_uri())
        found = page.evaluate(_MEASURE)
        page.screenshot(path=str(page_html.with_name(f"notebook-{width}.png")), full_page=True)
    assert found, "the executed notebook shows no diagram"
    for svg in found:
        assert svg["left"] >= -1 and svg["right"] >= -1, svg  # inside the output cell
        assert not svg["scrolls"] and not svg["pageScrolls"], svg
        assert svg["height"] / svg["width"] == pytest.approx(svg["ratio"], rel=0.02), svg
        assert svg["width"] > 0.5 * (width - 200), svg  # scaled to the cell, not shrunk to a stamp


def test_the_rendered_notebook_nests_explain_and_names_by_label(page_html: Path) -> None:
    # S13, S14: the explain cell (labels=True) shows nested bullets, by label.
    with browser_context() as context:
        page = context.new_page()
        page.goto(page_html.as_uri())
        outputs = page.locator(".jp-RenderedMarkdown.jp-OutputArea-output")
        texts = [outputs.nth(i).inner_text() for i in range(outputs.count())]
        shown = next(t for t in texts if t.startswith("How “Improved clinical status” comes"))
        nested = page.locator(".jp-RenderedMarkdown.jp-OutputArea-output ul ul > li")
        assert nested.count() >= 2
        assert "table-2-example-2: IF “Group therapists encourage" in nested.first.inner_text()
    assert "clinical-status" not in shown and "Improved work status" in shown
