"""The work Textual did twice for the first frame is done once (issue 8's cold start).

- Each CSS source is parsed once per theme: Textual parsed the first screen's three times
  (`KeptStylesheet`); a change of theme still parses them again, with its colours.
- Home's page taking the focus restyles the page alone, not the twelve widgets it holds,
  unless a rule styles what a page holds by its focus (`QuietScroll`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.css import stylesheet as textual_stylesheet
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widgets import Static

from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.home import HomeScreen
from microcare_tui.ui.widgets.quiet import QuietScroll
from tests.conftest import TODAY
from tests.ui.provider_helpers import SIZE, settle


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[Any]:
    """How many times each CSS source is parsed: by where it was read from, and how it was
    added (a widget's DEFAULT_CSS comes again with another tie-breaker when a subclass of
    it first mounts, and Textual parses it for that)."""
    counted: Counter[Any] = Counter()
    parse = textual_stylesheet.parse

    def counting(scope: str, css: str, read_from: Any, **kwargs: Any) -> Any:
        how = (kwargs.get("is_default_rules"), kwargs.get("tie_breaker"), scope)
        counted[(read_from, how)] += 1
        return parse(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    return counted


@pytest.fixture
def restyled(monkeypatch: pytest.MonkeyPatch) -> list[list[DOMNode]]:
    """Each batch of nodes the stylesheet restyles (`Stylesheet.update_nodes`)."""
    batches: list[list[DOMNode]] = []
    update_nodes = Stylesheet.update_nodes

    def recording(self: Stylesheet, nodes: Any, animate: bool = False) -> None:
        nodes = list(nodes)
        batches.append(nodes)
        update_nodes(self, nodes, animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", recording)
    return batches


async def test_each_css_source_is_parsed_once_until_the_theme_changes(
    db_path: Path, parses: Counter[Any]
) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(parses) > 10  # Textual's, the app's and the widgets' CSS
        assert {source: n for source, n in parses.items() if n != 1} == {}

        dark_background = app.screen.styles.background
        before = Counter(parses)
        app.theme = "textual-light"
        await settle(app, pilot)
        # Every source the app has parsed again with the light theme's colours, once.
        sources = {
            (read_from, (is_default, tie_breaker, scope))
            for read_from, (_, is_default, tie_breaker, scope) in app.stylesheet.source.items()
        }
        assert len(sources) > 10
        assert {source: parses[source] - before[source] for source in sources} == dict.fromkeys(
            sources, 1
        )
        light = Color.parse(app.get_css_variables()["background"])
        assert app.screen.styles.background == light
        assert light != dark_background


async def test_home_page_taking_the_focus_restyles_the_page_alone(
    db_path: Path, restyled: list[list[DOMNode]]
) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        page = app.screen.query_one("#home-page", QuietScroll)
        assert app.focused is page
        assert len(list(page.walk_children())) >= 10
        restyled.clear()
        page.blur()
        await pilot.pause()
        page.focus()
        await pilot.pause()
        # Losing the focus, then taking it (other widgets may restyle for their own reasons).
        assert [batch for batch in restyled if page in batch] == [[page], [page]]


class PageApp(App[None]):
    """A page holding one Static; `CSS` says whether the Static is styled by the page's focus."""

    def compose(self) -> ComposeResult:
        with QuietScroll(id="page"):
            yield Static("held", id="held")


class FocusStyledApp(PageApp):
    CSS = "QuietScroll:focus > Static { color: red; }"


async def test_a_rule_that_styles_what_a_page_holds_by_its_focus_still_applies() -> None:
    app = FocusStyledApp()
    async with app.run_test() as pilot:
        page = app.query_one("#page", QuietScroll)
        held = app.query_one("#held", Static)
        page.focus()
        await pilot.pause()
        assert held.styles.color == Color.parse("red")
        page.blur()
        await pilot.pause()
        assert held.styles.color != Color.parse("red")
