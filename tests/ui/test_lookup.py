"""The lookup through the real app: one key from anywhere, chips, ranking, typos, odd input."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from textual._compositor import Compositor
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from microcare_tui.domain import models as m
from microcare_tui.domain.query import NEARBY, OTHER, LookupResult
from microcare_tui.services.providers import save_provider
from microcare_tui.store import records
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.messages import LookupResults
from microcare_tui.ui.screens.call import CallScreen
from microcare_tui.ui.screens.lookup import LookupScreen
from microcare_tui.ui.widgets import cheap_render
from microcare_tui.ui.widgets.lookup_panel import PAGE, LookupPanel, remove_words, row_content
from tests.conftest import TODAY
from tests.test_lookup_search import STANDARD_ORDER, seed_placements
from tests.ui.provider_helpers import at_rest
from tests.ui.test_call import open_store, seed_providers

SIZE = (120, 40)


async def settle(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def panel_of(app: MicrocareApp) -> LookupPanel:
    return app.screen.query_one(LookupPanel)


def text_of(app: MicrocareApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_lookup(app: MicrocareApp, pilot: Pilot[Any]) -> LookupPanel:
    await settle(app, pilot)
    await pilot.press("ctrl+f")
    await settle(app, pilot)
    assert isinstance(app.screen, LookupScreen)
    panel = panel_of(app)
    assert app.focused is panel.query_line
    return panel


async def search(app: MicrocareApp, pilot: Pilot[Any], text: str) -> LookupPanel:
    """Put a query in the line without typing it key by key (typing is tested elsewhere)."""
    panel = panel_of(app)
    panel.query_line.value = text
    await settle(app, pilot)
    return panel


async def test_lookup_by_keys_chips_typos_and_odd_queries(db_path: Path) -> None:
    """One session through the lookup (each start of the app costs more than a part): ctrl+f
    from Home shows every provider; typing shows chips and ranked results; removing a chip
    widens them; a typo falls back and says so; odd queries never error; escape leaves."""
    ids = seed_providers(db_path)
    odd = ['"', "NEAR", "NEAR(shopping tue)", "*", "-", "shopping -ashford", "'", "a\"b",
           "OR AND NOT", "(", "^", "ñandú ünïcødé 漢字 🙂", "x" * 500, "shopping " * 60,
           "TN23 4AB", "tn999", "\\", "%_", "col:val", "{}[]"]  # fmt: skip
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_lookup(app, pilot)
        assert panel.result is not None and panel.result.total == 9  # every provider, best first

        # Typing shows chips and ranked results.
        await pilot.press(*"shopping ashford tue")
        await settle(app, pilot)
        chips = text_of(app, "#lookup-chips")
        assert "[service: Shopping and errands ×]" in chips
        assert "[area: Ashford ×]" in chips
        assert "[day: Tue ×]" in chips
        result = panel.result
        assert result is not None and result.query.text == "shopping ashford tue"
        names = [r.name for r in result.rows]
        # Based in Ashford first: good and taking, then good not taking, lapsed, not listed.
        assert names[:6] == [
            "Ash Lane Shopping", "Beech Errand Helpers", "Oak Tree Companions",
            "Cedar Not Taking", "Holly Lapsed Insurance", "Larch Still Developing",
        ]  # fmt: skip
        assert names[6:] == ["Willow Canterbury Shopping", "Dartford Shop Runners"]
        assert "Hazel Gardens" not in names  # needs filter: no shopping
        by_name = {r.name: r for r in result.rows}
        assert by_name["Dartford Shop Runners"].placement == OTHER
        assert by_name["Willow Canterbury Shopping"].placement == NEARBY
        assert by_name["Holly Lapsed Insurance"].standing == "lapsed"
        assert by_name["Larch Still Developing"].standing == "not_listed"
        # What the worker sees: words, not colour alone.
        lines = {r.name: str(row_content(r)) for r in result.rows}
        assert "Dartford, other area" in lines["Dartford Shop Runners"]
        assert "✓ good" in lines["Oak Tree Companions"] and "taking" in lines["Oak Tree Companions"]
        assert "! lapsed" in lines["Holly Lapsed Insurance"]
        assert "– not listed" in lines["Larch Still Developing"]
        assert "not taking" in lines["Cedar Not Taking"]
        assert "01233 629000" in lines["Oak Tree Companions"]
        assert "Tue Wed" in lines["Oak Tree Companions"]
        assert "8 providers" in text_of(app, "#lookup-status")
        assert panel.results.highlighted == 0
        assert panel.highlighted_row() is not None
        assert panel.highlighted_row().id == ids["Ash Lane Shopping"]  # type: ignore[union-attr]

        # Removing a chip widens the results.
        await search(app, pilot, "")
        await pilot.press(*"ashford polish")
        await settle(app, pilot)
        assert panel.result is not None
        assert [r.name for r in panel.result.rows] == ["Hazel Gardens"]
        await pilot.press("f6")  # the last chip (language: Polish) goes
        await settle(app, pilot)
        assert panel.query_line.value == "ashford"
        assert "language" not in text_of(app, "#lookup-chips")
        assert panel.result.total == 9
        await pilot.press("f6", "f6")  # the area, then nothing left to remove (a bell)
        await settle(app, pilot)
        assert panel.query_line.value == ""

        # A typo falls back and says so.
        await pilot.press(*"shoping")
        await settle(app, pilot)
        assert panel.result is not None and panel.result.total == 8
        status = text_of(app, "#lookup-status")
        assert "No exact match" in status and "'shoping' as Shopping and errands" in status
        await search(app, pilot, "oak tre companons")
        assert [r.name for r in panel.result.rows][:1] == ["Oak Tree Companions"]
        assert "names like" in text_of(app, "#lookup-status")

        # Odd queries never error.
        await search(app, pilot, "")
        for text in odd:
            await search(app, pilot, text)
            assert panel.result is not None, text
            assert panel.result.query.text == text
            assert text_of(app, "#lookup-status")
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors == []
        assert isinstance(app.screen, LookupScreen)
        await pilot.press(*'"NEAR*-')  # typed, too
        await settle(app, pilot)
        assert [n for n in app._notifications if n.severity == "error"] == []

        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, LookupScreen)


async def test_ctrl_f_while_a_text_field_has_focus(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        # In the call form, ctrl+f moves to the call's own lookup, without leaving the call.
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("tab", *"Ann")
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert isinstance(app.focused, Input) and app.focused.id == "caller_name"
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.screen is screen
        assert app.focused is screen.panel.query_line
        await pilot.press("escape", "y")  # leave the call
        await settle(app, pilot)
        # In a list's search field (Enquiries, /), ctrl+f opens the lookup screen.
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("slash", *"ab")
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen)
        assert app.focused is panel_of(app).query_line


def test_remove_words_takes_out_whole_words_only() -> None:
    assert remove_words("Shopping ASHFORD tue", "ashford") == "Shopping tue"
    assert remove_words("garden TN23 4AB sat", "tn23 4ab") == "garden sat"
    assert remove_words("companions dementia", "companion") == "dementia"
    assert remove_words("tuesday tue", "tue") == "tuesday"


async def test_enter_opens_the_provider(db_path: Path) -> None:
    from microcare_tui.ui.screens.provider_detail import ProviderDetailScreen

    ids = seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_lookup(app, pilot)
        await pilot.press(*"hazel", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProviderDetailScreen)
        assert app.screen.provider_id == ids["Hazel Gardens"]
        await pilot.press("escape")
        await settle(app, pilot)
        back: Screen[Any] = app.screen  # (not narrowed from the record's screen above)
        assert isinstance(back, LookupScreen)
        # From the results list too: down, down, enter opens the second.
        await search(app, pilot, "shopping ashford")
        second = panel_of(app).result.rows[1].id  # type: ignore[union-attr]
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProviderDetailScreen)
        assert app.screen.provider_id == second


async def test_copy_phone_and_signpost_outside_a_call(db_path: Path) -> None:
    seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    copied: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign,assignment]
        await open_lookup(app, pilot)
        await search(app, pilot, "hazel")
        await pilot.press("f4")
        await pilot.pause()
        assert copied == ["01233 600003"]
        await pilot.press("down", "c")  # c in the results list copies too
        await pilot.pause()
        assert copied == ["01233 600003", "01233 600003"]
        await pilot.press("f3")
        await pilot.pause()
        assert any("open a call (ctrl+n)" in str(n.message) for n in app._notifications)
        assert isinstance(app.screen, LookupScreen)


async def test_pages_of_twenty(db_path: Path) -> None:
    extra = [
        {"name": f"Errand Runner {i:02d}", "services": ["shopping"], "postcode": "ME15 6AA",
         "phone": "01622 600100"}
        for i in range(20)
    ]  # fmt: skip
    seed_providers(db_path, extra)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_lookup(app, pilot)
        await search(app, pilot, "shopping")
        assert panel.result is not None and panel.result.total == 28
        assert len(panel.result.rows) == PAGE
        assert panel.results.option_count == PAGE  # never more than a page bound
        assert "showing 1-20" in text_of(app, "#lookup-status")
        first_page = [r.id for r in panel.result.rows]
        # Down past the rows that fit: the list scrolls, and every move repaints the right
        # lines (what Textual itself would paint).
        paints = compare_paints(app)
        await pilot.press("down", *["down"] * 17, "up")
        await settle(app, pilot)
        assert panel.results.highlighted == 16 and panel.results.scroll_offset.y > 0
        assert len(paints) >= 2 and not any(paints)
        await pilot.press(*["up"] * 17)
        await settle(app, pilot)
        assert app.focused is panel.query_line
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert panel.page_offset == 20 and len(panel.result.rows) == 8
        assert "showing 21-28" in text_of(app, "#lookup-status")
        assert not set(first_page) & {r.id for r in panel.result.rows}
        await pilot.press("pagedown")  # no further page: stays
        await settle(app, pilot)
        assert panel.page_offset == 20
        await pilot.press("pageup")
        await settle(app, pilot)
        assert [r.id for r in panel.result.rows] == first_page
        # Another theme: the rows are drawn in its colours, not kept from the old ones.
        dark = list(panel.results.render_line(0))
        app.theme = "textual-light"
        await settle(app, pilot)
        light = list(panel.results.render_line(0))
        assert [s.text for s in light] == [s.text for s in dark]
        assert [s.style for s in light] != [s.style for s in dark]


async def test_standing_follows_changes_made_while_the_app_runs(db_path: Path) -> None:
    """The lookup's per-connection cache notices a save made through another connection."""
    ids = seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_lookup(app, pilot)
        await search(app, pilot, "oak")
        assert panel.result.rows[0].standing == "good"  # type: ignore[union-attr]
        store = open_store(db_path)
        try:
            records.save(store, m.EvidenceItem(
                provider_id=ids["Oak Tree Companions"], evidence_type_code="dbs_enhanced",
                issued_on=date(2023, 1, 1), expires_on=date(2026, 1, 1),
            ))  # fmt: skip
            save_provider(store, {"name": "Oakfield Helpers", "services": ["meals"],
                                  "stage": "active", "postcode": "TN23 9ZZ"})  # fmt: skip
        finally:
            store.close()
        await search(app, pilot, "oak ")
        assert panel.result is not None
        by_name = {r.name: r for r in panel.result.rows}
        assert by_name["Oak Tree Companions"].standing == "lapsed"
        assert "Oakfield Helpers" in by_name


async def test_results_arrive_as_typed_messages_and_stale_ones_are_dropped(db_path: Path) -> None:
    """The search worker posts LookupResults; the panel shows only the latest generation."""
    seed_providers(db_path)
    seen: list[Message] = []
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        panel = await open_lookup(app, pilot)
        seen.clear()
        await search(app, pilot, "oak")
        results = [msg for msg in seen if isinstance(msg, LookupResults)]
        assert [(msg.text, msg.generation) for msg in results] == [("oak", panel.generation)]
        assert [r.name for r in results[0].result.rows] == ["Oak Tree Companions"]
        assert panel.result is results[0].result  # what arrived is what is shown

        # An answer to an older search (a worker that finished late) changes nothing.
        stale = LookupResult(query=results[0].result.query, rows=[], total=0)
        panel.post_message(LookupResults(panel.generation - 1, "o", 0, stale))
        await settle(app, pilot)
        assert any(isinstance(msg, LookupResults) and msg.result is stale for msg in seen)
        assert panel.result is results[0].result
        assert [r.name for r in panel.result.rows] == ["Oak Tree Companions"]
        assert "1 provider" in text_of(app, "#lookup-status")


def count_layouts(screen: Screen[Any]) -> list[int]:
    """A list that gains an entry each time `screen` lays out its widgets from now on."""
    passes: list[int] = []
    refresh_layout = screen._refresh_layout

    def counted(*args: Any, **kwargs: Any) -> None:
        passes.append(1)
        refresh_layout(*args, **kwargs)

    screen._refresh_layout = counted  # type: ignore[method-assign]
    return passes


def count_frames(screen: Screen[Any]) -> list[int]:
    """A list that gains an entry each time `screen` paints what changed from now on."""
    frames: list[int] = []
    refresh = screen._compositor_refresh

    def counted() -> None:
        frames.append(1)
        refresh()

    screen._compositor_refresh = counted  # type: ignore[method-assign]
    return frames


def compare_paints(app: MicrocareApp) -> list[int]:
    """From now on, paint every partial update of the screen twice, as this app does
    (cheap_render: only the widgets and lines where the screen changed) and as Textual
    does, and compare what each would write to the terminal. The list gains a 0 for each
    update that matched and a 1 for each that did not."""
    compositor = app.screen._compositor
    ours = compositor.render_partial_update
    console = Console(width=SIZE[0], color_system="truecolor", file=io.StringIO())
    outcomes: list[int] = []

    def both() -> Any:
        changed = set(compositor._dirty_regions)
        painted = ours()
        compositor._dirty_regions.update(changed)
        cheap_render.uninstall()
        try:
            textual = Compositor.render_partial_update(compositor)
        finally:
            cheap_render.install()
        if painted is None or textual is None:
            same = painted is textual
        else:
            same = _written(painted, console) == _written(textual, console)
        outcomes.append(0 if same else 1)
        return painted

    compositor.render_partial_update = both  # type: ignore[method-assign]
    return outcomes


def _written(update: Any, console: Console) -> str:
    """What an update writes to the terminal, less cursor moves that write nothing after
    them (Textual moves to a piece of a line just past a changed span, then writes none of
    it; with the widget behind left unasked, that piece is not there to move to)."""
    text: str = update.render_segments(console)
    return re.sub(r"\x1b\[\d+;\d+H(?=\x1b\[\d+;\d+H|\n|$)", "", text)


def rendered_rows(panel: LookupPanel) -> list[tuple[str, str]]:
    """The results as painted: each provider's two lines, trailing spaces trimmed."""
    results = panel.results
    lines = [
        results.render_line(y).text.rstrip()
        for y in range(results.scrollable_content_region.height)
    ]
    filled = [line.strip() for line in lines if line.strip()]
    return list(zip(filled[0::2], filled[1::2], strict=True))


async def test_rows_say_where_each_provider_works_in_band_order(db_path: Path) -> None:
    """'shopping TN23 tue': based in Ashford first, then Folkestone serving Ashford, then
    nearby, then another area; each row says so in words."""
    seed_placements(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_lookup(app, pilot)
        await at_rest(app, pilot)
        layouts = count_layouts(app.screen)
        panel.query_line.cursor_blink = False  # its blinks would be frames of their own
        frames = count_frames(app.screen)
        paints = compare_paints(app)
        await pilot.press(*"shopping TN23 tue")
        await settle(app, pilot)
        # Each key painted only what changed, and exactly what Textual would have painted.
        assert len(paints) >= len("shopping TN23 tue") // 2 and not any(paints)
        line = panel.query_line
        assert line.render_line(0).text == Input.render_line(line, 0).text
        assert list(line.render_line(0)) == list(Input.render_line(line, 0))
        # Typing repaints the query line, chips, rows and count: never a layout pass
        # (issue 8: a layout of the whole screen was most of a slow keystroke's cost).
        assert layouts == []
        # A key's echo waits for its results: one frame a key, not one for the echo and
        # another for the results (the pilot's pauses may add a frame now and then).
        assert len(frames) <= len("shopping TN23 tue") + 3
        assert app._batch_count == 0  # painting is never left held
        assert "[area: Ashford (TN23) ×]" in text_of(app, "#lookup-chips")
        rows = rendered_rows(panel)
        assert [first.split("  ")[0] for first, _ in rows] == [n for n, _ in STANDARD_ORDER]
        assert [second.split(" · ")[0] for _, second in rows] == [p for _, p in STANDARD_ORDER]
        assert rows[7][1].startswith("Folkestone and Hythe, serves Ashford · Mon (not Tue)")
        assert "11 providers" in text_of(app, "#lookup-status")


async def test_typing_a_phone_number_finds_its_provider(db_path: Path) -> None:
    ids = seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_lookup(app, pilot)
        await pilot.press(*"+44 1233 629000")
        await settle(app, pilot)
        assert text_of(app, "#lookup-chips") == "[phone: 01233 629000 ×]"
        assert panel.result is not None
        assert [r.id for r in panel.result.rows] == [ids["Oak Tree Companions"]]
        assert rendered_rows(panel)[0][0].startswith("Oak Tree Companions")
        await pilot.press("f6")  # the phone chip goes, with its words
        await settle(app, pilot)
        assert panel.query_line.value == ""
        await search(app, pilot, "01233629000")
        assert [r.id for r in panel.result.rows] == [ids["Oak Tree Companions"]]


async def test_the_lookup_screen_is_made_in_advance_and_starts_afresh_each_time(
    db_path: Path, monkeypatch: Any
) -> None:
    """The app makes one lookup screen off screen after start-up; ctrl+f shows it with
    nothing typed and the first result highlighted, searched again each time (a provider
    added since is found), and nothing of the last lookup is left on it."""
    from microcare_tui.ui.screens import lookup
    from microcare_tui.ui.screens.call_prepare import preparing

    seed_providers(db_path)
    store = open_store(db_path)
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "0")
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            made = lookup._KEPT.get(app)
            if made is not None and made.is_mounted and not preparing(app):
                break
            await pilot.pause(0.05)
        assert made is not None and not made.is_current
        panel = await open_lookup(app, pilot)
        assert app.screen is made
        await pilot.press(*"oak")
        await settle(app, pilot)
        assert panel.result is not None and panel.result.query.text == "oak"
        await pilot.press("down", "down")
        await pilot.press("escape")
        await settle(app, pilot)
        save_provider(store, {"name": "Aardvark Helpers", "stage": "active"})
        again = await open_lookup(app, pilot)
        assert app.screen is made and again is panel
        assert (panel.query_line.value, panel.page_offset, panel.results.highlighted) == ("", 0, 0)
        assert panel.result is not None and panel.result.query.text == ""
        assert "Aardvark Helpers" in [row.name for row in panel.result.rows]
        # Left with nothing typed, it still reads afresh when shown again.
        await pilot.press("escape")
        await settle(app, pilot)
        save_provider(store, {"name": "Abbey Helpers", "stage": "active"})
        await open_lookup(app, pilot)
        assert panel.result is not None
        assert "Abbey Helpers" in [row.name for row in panel.result.rows]
    store.close()
