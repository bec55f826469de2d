"""The explorer page as a person uses it, in a real headless Chromium.

Each bundled example and every theory in ``tests/data/published/`` becomes a
page; each test opens the file from ``file://`` and records every request the
page makes (none may leave ``file://``) and every console error (none may
happen). Then: search, click a node and read the panel, tick contexts and
check the highlighted result against :func:`cimo.query.scenario`, ask for
whom, filter, keyboard use, presentation, print to PDF, a screenshot at
1366x768.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _browser import browser_context

import cimo
from cimo import query as q
from cimo.core.data import to_data
from cimo.render import explorer
from cimo.render._words import annotation_line

pytestmark = [pytest.mark.browser, pytest.mark.exe]

PUBLISHED_DIR = Path(__file__).parent / "data" / "published"
PUBLISHED = sorted(PUBLISHED_DIR.glob("*.yaml"))
SOURCES = [e.name for e in cimo.list_examples()] + [str(p) for p in PUBLISHED]


def _load(source: str) -> cimo.Theory:
    return cimo.load(source) if source.endswith(".yaml") else cimo.load_example(source)


@pytest.fixture(scope="module")
def context() -> Iterator[Any]:
    with browser_context() as ctx:
        yield ctx


class Opened:
    """A page opened from a file, with the requests and errors it made."""

    def __init__(self, context: Any, theory: cimo.Theory, folder: Path) -> None:
        self.theory = theory
        self.path = folder / f"{theory.id}.html"
        self.explorer = explorer(theory)
        self.explorer.save(self.path)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.path.as_uri())
        self.page.wait_for_function("window.cimoExplorer !== undefined")

    def click(self, ident: str) -> None:
        """Fit the whole map in view (the Fit button), then click the box of ``ident``."""
        self.page.click("#zoom-fit")
        self.page.click(f'g.node[data-id="{ident}"]')

    def classes(self, ident: str) -> set[str]:
        value = self.page.get_attribute(f'g.node[data-id="{ident}"]', "class") or ""
        return set(value.split())

    def check_clean(self) -> None:
        assert [u for u in self.requests if not u.startswith("file://")] == []
        assert self.errors == []


@pytest.fixture(params=SOURCES)
def opened(request: pytest.FixtureRequest, context: Any, tmp_path: Path) -> Iterator[Opened]:
    page = Opened(context, _load(request.param), tmp_path)
    yield page
    page.check_clean()
    page.page.close()


def test_the_file_is_one_self_contained_page(opened: Opened) -> None:
    html = opened.explorer.html
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", html)
    assert "default-src 'none'" in html  # the page may not fetch anything, by policy
    assert opened.explorer.size < 1_000_000  # small enough to e-mail
    assert opened.requests == [opened.path.as_uri()]
    drawn = opened.page.eval_on_selector_all("g.node[data-id]", "gs => gs.length")
    assert drawn == len(opened.theory.nodes) + len(opened.theory.rules)


def test_search_then_the_panel_shows_the_node_as_printed(opened: Opened) -> None:
    node = opened.theory.nodes[-1]
    opened.page.fill("#search", node.label[:12])
    assert opened.page.is_visible("#search-results")
    opened.page.fill("#search", node.id)
    opened.page.press("#search", "Enter")
    title = opened.page.inner_text("#panel-title")
    assert node.label in title
    if node.source_label:
        assert title.startswith(node.source_label)
    assert "s-selected" in opened.classes(node.id)


def test_clicking_a_rule_shows_status_theme_and_every_piece_of_evidence(opened: Opened) -> None:
    rule = max(opened.theory.rules, key=lambda r: len(r.evidence))
    opened.click(rule.id)
    panel = opened.page.inner_text("#panel")
    assert rule.status in panel
    if rule.theme:
        label = next((t.label for t in opened.theory.themes if t.id == rule.theme), rule.theme)
        assert label in panel
    assert opened.page.locator("#panel blockquote.quote").count() >= len(rule.evidence)
    people = {p.id: p.label or p.id for p in opened.theory.participants}
    for ev in rule.evidence:
        # a participant declared as a record is shown by its label (and attributes)
        who = people.get(ev.participant, ev.participant) if ev.participant else None
        for text in (ev.quote, who, ev.locator):
            if text:
                assert " ".join(text.split()) in " ".join(panel.split())


def test_a_rule_panel_prints_its_annotations_and_its_themes(context: Any, tmp_path: Path) -> None:
    """Tensions, counter-strategies and theme notes read as cimo prints them elsewhere:
    kind, the rules countered, the text, then source and locator."""
    data = to_data(cimo.load(PUBLISHED_DIR / "11-taylor-2024.yaml"))
    rule = data["rules"][0]
    rule["annotations"].append(
        {"kind": "counter-strategy", "text": "Debriefs after incidents", "counters": ["cmo-5"]}
    )
    theme = next(t for t in data["themes"] if t["id"] == rule["theme"])
    theme["annotations"] = [
        {"kind": "recommendation", "text": "Share learning", "source": "taylor-2024"}
    ]
    theory = cimo.Theory.model_validate(data)
    opened = Opened(context, theory, tmp_path)
    opened.click(rule["id"])
    panel = " ".join(opened.page.inner_text("#panel").split())
    lines = [annotation_line(theory, a) for a in theory.rules[0].annotations]
    lines += [annotation_line(theory, a) for a in theory.themes[0].annotations]
    assert len(lines) == 3 and "Counter-strategy against cmo-5 (5)" in lines[1]
    for line in lines:
        assert " ".join(line.split()) in panel
    opened.check_clean()


def _a_route(theory: cimo.Theory) -> q.ContextSet | None:
    """A route with contexts to some outcome, or None when the engine finds none.

    (When there is none, the page must agree that there is none.)
    """
    for outcome in theory.outcomes:
        for route in q.for_whom(theory, outcome.id).sets:
            if route.contexts:
                return route
    return None


def test_ticking_contexts_lights_up_what_the_scenario_says(opened: Opened) -> None:
    route = _a_route(opened.theory)
    contexts: tuple[str, ...]
    interventions: tuple[str, ...]
    if route is None:  # tick every context: the page must still agree with scenario
        contexts, interventions = tuple(c.id for c in opened.theory.contexts), ()
    else:
        contexts, interventions = route.contexts, route.interventions
    for ident in (*contexts, *interventions):
        opened.page.check(f'.ticks input[value="{ident}"]')
    expected = q.scenario(opened.theory, contexts=contexts, interventions=interventions)
    assert expected.fired_rules or route is None
    for rule in opened.theory.rules:
        classes = opened.classes(rule.id)
        assert ("s-fired" in classes) == (rule.id in expected.fired_rules), rule.id
        assert ("s-blocked" in classes) == (rule.id in expected.blocked_rules), rule.id
    for outcome in expected.outcomes:
        assert "s-holds" in opened.classes(outcome)
    result = opened.page.inner_text("#result")
    for outcome in expected.outcomes:
        label = opened.theory.index[outcome].label
        assert label in result
    if expected.outcomes:  # the derivation of an outcome that follows
        opened.click(expected.outcomes[0])
        assert "How it follows in this scenario" in opened.page.inner_text("#panel")


def test_for_whom_lights_up_the_circumstances(opened: Opened) -> None:
    route = _a_route(opened.theory)
    if route is None:  # the page agrees that no circumstances produce any outcome
        for node in opened.theory.outcomes:
            opened.click(node.id)
            assert "(0 routes)" in opened.page.inner_text("#panel")
        return
    outcome = next(
        o for o in opened.theory.outcomes if route in q.for_whom(opened.theory, o.id).sets
    )
    found = q.for_whom(opened.theory, outcome.id)
    opened.click(outcome.id)
    panel = opened.page.inner_text("#panel")
    assert f"({len(found.sets)} route" in panel
    for ident in {c for s in found.sets for c in s.contexts}:
        assert "s-route" in opened.classes(ident)
    opened.page.locator("#panel .route button", has_text="Try this scenario").first.click()
    ticked = opened.page.eval_on_selector_all(
        ".ticks input:checked", "xs => xs.map(x => x.value).sort()"
    )
    first = found.sets[0]
    assert ticked == sorted({*first.contexts, *first.interventions})


def test_filters_and_focus(opened: Opened) -> None:
    theory = opened.theory
    rule = theory.rules[0]
    if rule.theme and len({r.theme for r in theory.rules}) > 1:
        opened.page.select_option("#f-theme", rule.theme)
        other = next(r for r in theory.rules if r.theme != rule.theme)
        assert "filtered" in opened.classes(other.id)
        assert "filtered" not in opened.classes(rule.id)
        opened.page.click("#show-all")
        assert "filtered" not in opened.classes(other.id)
    opened.click(rule.id)
    opened.page.click("#focus-button")
    named = {
        *rule.contexts,
        *rule.modifiers,
        *rule.unless,
        *rule.interventions,
        *rule.mechanisms,
        *rule.outcomes,
        *rule.reduces,
        *rule.otherwise,
        *rule.moderators,
        *rule.despite,
        *(c for g in rule.context_groups for c in g),
    }
    assert "unfocused" not in opened.classes(rule.id)
    for ident in named:
        assert "unfocused" not in opened.classes(ident)
    far = [n.id for n in theory.nodes if n.id not in named]
    for ident in far:
        assert "unfocused" in opened.classes(ident)
    opened.page.keyboard.press("a")
    assert "unfocused" not in " ".join(
        opened.page.eval_on_selector_all("g.node", "gs => gs.map(g => g.className.baseVal)")
    )


def test_keyboard_only(opened: Opened) -> None:
    page = opened.page
    page.focus("#map")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.dataset.id")
    assert focused in opened.theory.index or focused in opened.theory.rule_index
    page.keyboard.press("Enter")
    assert page.inner_text("#panel-title")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"
    page.focus("#map")
    page.keyboard.press("p")
    assert page.is_visible("#presenter")
    first = page.inner_text("#present-title")
    page.keyboard.press("ArrowRight")
    if len(opened.theory.rules) > 1:
        assert page.inner_text("#present-title") != first
    assert (
        float(
            page.eval_on_selector(".present-card", "e => parseFloat(getComputedStyle(e).fontSize)")
        )
        >= 24
    )
    page.keyboard.press("Escape")
    assert not page.is_visible("#presenter")


def test_print_and_screenshot(opened: Opened, tmp_path: Path) -> None:
    page = opened.page
    page.emulate_media(media="print")
    assert not page.is_visible("#controls")
    assert page.is_visible("#print-list")
    pdf = page.pdf(path=str(tmp_path / "map.pdf"))
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")
    png = page.screenshot(path=str(tmp_path / "map.png"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 1366
