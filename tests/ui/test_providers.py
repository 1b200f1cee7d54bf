"""The Providers section through the real app: list, paging, filter, form, record, withdraw."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import SignpostOutcome, Stage
from microcare_tui.services import providers as service
from microcare_tui.services.database import open_database
from microcare_tui.services.lookup import find_providers
from microcare_tui.store import providers as repo
from microcare_tui.store import records, reference
from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.provider_detail import MoveStageDialog, ProviderDetailScreen
from microcare_tui.ui.screens.provider_form import ProviderFormScreen
from microcare_tui.ui.screens.providers import ProvidersScreen
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.form import FieldRow
from tests.conftest import TODAY

SIZE = (100, 36)


def add_provider(store: Store, **values: Any) -> m.Provider:
    data: dict[str, Any] = {"name": "Oak Tree Companions", "phone": "01233 629000",
                            "postcode": "TN23 4AB", "services": ["companionship"]}  # fmt: skip
    data.update(values)
    return service.save_provider(store, data)


async def settle(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_providers(app: MicrocareApp, pilot: Pilot[Any]) -> ProvidersScreen:
    await settle(app, pilot)
    await pilot.press("3")
    await settle(app, pilot)
    assert isinstance(app.screen, ProvidersScreen)
    return app.screen


def table(app: MicrocareApp) -> DataTable[str]:
    return app.screen.query_one("#providers-table", DataTable)


def status(app: MicrocareApp) -> str:
    return str(app.screen.query_one("#providers-status", Static).render())


def names(app: MicrocareApp) -> list[str]:
    t = table(app)
    return [str(t.get_row_at(i)[0]) for i in range(t.row_count)]


async def test_add_a_provider_by_typing(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        empty = str(app.screen.query_one("#providers-empty", Static).render())
        assert "No providers yet: press n to add one" in empty
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProviderFormScreen)
        await pilot.press(*"Oak Care", "tab", "tab", *"01233629000")  # lead contact left empty
        await pilot.press("tab", *"jo@Oak.ORG", "tab", *"tn234ab", "tab")
        await pilot.pause()
        area_hint = str(app.screen.query_one("#postcode-area", Static).render())
        assert "Ashford" in area_hint
        # on to services: legal form, stage, staff, ownership, approach, rate, then the pick
        await pilot.press("tab", "tab", "tab", "tab", "tab", *"£15.68", "tab")
        await pilot.press(*"comp", "enter", "space")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert names(app) == ["Oak Care"]
        row = table(app).get_row_at(0)
        assert row[1] == "Enquiry" and row[2] == "Ashford" and "Companionship" in row[3]
        assert "not listed" in row[4] and row[6] == "01233 629000"
        assert "1 provider" in status(app)
    store = open_database(db_path)
    try:
        found = find_providers(store, "oak care")
        assert [r.name for r in found.rows][:1] == ["Oak Care"]
        [p] = records.find(store, m.Provider)
        assert p.phone == "+441233629000"
        assert p.postcode == "TN23 4AB"
        assert p.email == "jo@oak.org"
        assert p.hourly_rate_pence == 1568
        assert p.services == ["companionship"]
        areas = {a.id: a.name for a in reference.areas(store)}
        assert areas[p.area_id or ""] == "Ashford"
        assert [mv.to_stage for mv in repo.stage_history(store, p.id)] == [Stage.ENQUIRY]
    finally:
        store.close()


async def test_bad_input_is_shown_by_field_and_nothing_saved(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        # name left empty; phone, email and postcode wrong
        await pilot.press("tab", "tab", *"12345", "tab")
        await pilot.pause()
        phone_row = form.query_one("#row-phone", FieldRow)
        assert phone_row.has_class("-invalid")  # checked on leaving the field
        await pilot.press(*"bob@", "tab", *"XYZ", "tab")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        expected = {"name": "at least 2", "phone": "12345", "email": "not an email",
                    "postcode": "not a UK postcode"}  # fmt: skip
        for field, words in expected.items():
            row = form.query_one(f"#row-{field}", FieldRow)
            assert row.has_class("-invalid"), field
            assert words in str(row.query_one(".field-error", Static).render()), field
        assert app.focused is form.query_one("#name")  # the first bad field
    store = open_database(db_path)
    try:
        assert repo.count_providers(store) == 0
    finally:
        store.close()


async def test_edit_changes_stage_and_records_the_move(db_path: Path, store: Store) -> None:
    provider = add_provider(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ProviderFormScreen)
        assert app.screen.query_one("#phone").value == "01233 629000"  # type: ignore[attr-defined]
        # name, lead, phone, email, postcode, legal form, then stage: type 'd' for developing
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab", "d")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert table(app).get_row_at(0)[1] == "Developing"
    moves = repo.stage_history(store, provider.id)
    assert [(mv.from_stage, mv.to_stage) for mv in moves] == [
        (None, Stage.ENQUIRY),
        (Stage.ENQUIRY, Stage.DEVELOPING),
    ]
    saved = repo.get_provider(store, provider.id)
    assert saved.phone == "+441233629000" and saved.services == ["companionship"]


async def test_escape_on_a_changed_form_asks_first(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, ProvidersScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Half", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProviderFormScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert table(app).row_count == 0
    store = open_database(db_path)
    try:
        assert repo.count_providers(store) == 0
    finally:
        store.close()


async def test_pages_of_fifty(db_path: Path, store: Store) -> None:
    with store.transaction():
        for i in range(120):
            repo.save_provider(store, m.Provider(name=f"Provider {i:03d}"))
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        assert table(app).row_count == 50
        assert "Page 1 of 3" in status(app) and "120 providers" in status(app)
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert "Page 2 of 3" in status(app)
        assert names(app)[0] == "Provider 050" and table(app).row_count == 50
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert "Page 3 of 3" in status(app) and table(app).row_count == 20
        await pilot.press("pageup")
        await settle(app, pilot)
        assert "Page 2 of 3" in status(app)
        assert names(app)[table(app).cursor_row] == "Provider 099"  # the page turned back


async def test_filter_and_stage_narrow_the_list(db_path: Path, store: Store) -> None:
    add_provider(store)
    add_provider(store, name="Birch Home Help", services=["home_help"], postcode="CT1 1AA")
    cedar = add_provider(store, name="Cedar Gardeners", services=["gardening"], postcode="ME14 1AA")
    service.move_stage(store, cedar.id, Stage.DEVELOPING)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        assert table(app).row_count == 3
        await pilot.press("slash", *"oak", "enter")
        await settle(app, pilot)
        assert names(app) == ["Oak Tree Companions"]
        assert "filter: 'oak'" in status(app)
        assert app.focused is table(app)
        await pilot.press("slash", *"canterbury", "escape")  # area words; escape: to the table
        await pilot.pause()
        assert app.focused is table(app)
        await settle(app, pilot)
        assert names(app) == ["Birch Home Help"]
        await pilot.press("slash", *"zzzz", "enter")
        await settle(app, pilot)
        empty = str(app.screen.query_one("#providers-empty", Static).render())
        assert "No providers match 'zzzz'" in empty
        await pilot.press("slash", "backspace", "enter")
        await settle(app, pilot)
        assert table(app).row_count == 3
        await pilot.press("s")  # stage: enquiry
        await settle(app, pilot)
        assert "stage: enquiry" in status(app) and table(app).row_count == 2
        await pilot.press("s")  # stage: developing
        await settle(app, pilot)
        assert names(app) == ["Cedar Gardeners"]
        await pilot.press("S")  # shift+s goes back a stage
        await settle(app, pilot)
        assert "stage: enquiry" in status(app)


async def test_withdraw_asks_then_removes(db_path: Path, store: Store) -> None:
    provider = add_provider(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert table(app).row_count == 1
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert table(app).row_count == 0
        assert "0 providers" in status(app)
    assert repo.count_providers(store) == 0
    assert records.get(store, m.Provider, provider.id, include_deleted=True).deleted_at


async def test_record_shows_standing_copies_phone_and_moves_stage(
    db_path: Path, store: Store
) -> None:
    provider = add_provider(store, lead_contact="Jo Oak", hourly_rate_pence="£18.50")
    for stage in (Stage.DEVELOPING, Stage.CHECKS, Stage.REGISTERED):
        service.move_stage(store, provider.id, stage)
    records.save(store, m.EvidenceItem(provider_id=provider.id, evidence_type_code="dbs_enhanced",
                                       expires_on=date(2026, 10, 3)))  # fmt: skip
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        assert "lapsed" in str(table(app).get_row_at(0)[4])
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProviderDetailScreen)
        assert "Oak Tree Companions" in str(screen.query_one("#detail-name", Static).render())
        standing = str(screen.query_one("#detail-standing", Static).render())
        assert "lapsed — Enhanced DBS check expired 03/10/2026" in standing
        contact = str(screen.query_one("#detail-contact", Static).render())
        assert "01233 629000" in contact and "TN23 4AB · Ashford" in contact
        assert "£18.50" in str(screen.query_one("#detail-offer", Static).render())
        await pilot.press("c")
        assert app.clipboard == "01233 629000"
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MoveStageDialog)
        await pilot.press("down", "enter")  # checks, registered: Active is second
        await pilot.pause()
        assert app.screen is screen
        assert "Active" in str(screen.query_one("#detail-standing", Static).render())
        history = str(screen.query_one("#detail-history", Static).render())
        assert "Registered → Active" in history
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert table(app).get_row_at(0)[1] == "Active"
    assert repo.get_provider(store, provider.id).stage is Stage.ACTIVE


async def test_record_says_why_and_offers_only_allowed_moves(db_path: Path, store: Store) -> None:
    provider = add_provider(store)
    for stage in (Stage.DEVELOPING, Stage.CHECKS, Stage.REGISTERED):
        service.move_stage(store, provider.id, stage)
    check = m.QACheck(provider_id=provider.id, checked_on=date(2026, 10, 1), outcome="approved")
    records.save(store, check)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProviderDetailScreen)
        standing = screen.query_one("#detail-standing", Static)
        assert "✓ good — QA approved on 01/10/2026, nothing lapsed" in str(standing.render())
        assert standing.has_class("status-good")
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MoveStageDialog)
        options = dialog.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown == ["Checks", "Active", "Paused", "Ceased"]
        await pilot.press("escape")
        await pilot.pause()
        refused = m.QACheck(
            provider_id=provider.id, checked_on=date(2026, 11, 1), outcome="not_approved"
        )
        records.save(store, refused)
        await pilot.press("r")
        await pilot.pause()
        text = str(screen.query_one("#detail-standing", Static).render())
        assert "– not listed — QA check on 01/11/2026 was not approved" in text


# -- issue 7 ----------------------------------------------------------------------------------
NARROW, WIDE = (80, 24), (120, 40)


def headers(app: MicrocareApp) -> list[str]:
    return [str(c.label) for c in table(app).columns.values()]


def cells(app: MicrocareApp, row: int) -> dict[str, str]:
    return dict(zip(headers(app), map(str, table(app).get_row_at(row)), strict=True))


def room(app: MicrocareApp) -> tuple[int, int]:
    """The columns' width, padding included, and the table's width inside its scrollbar."""
    t = table(app)
    return sum(c.get_render_width(t) for c in t.columns.values()), t.scrollable_content_region.width


def fits(app: MicrocareApp) -> bool:
    """Every column is on screen without scrolling sideways."""
    used, width = room(app)
    return used <= width


async def test_at_80_columns_the_list_keeps_phone_and_taking_whole(
    db_path: Path, store: Store
) -> None:
    add_provider(store, name="Oak Tree Companions with a Very Long Name Indeed")
    add_provider(store, name="Birch Home Help", phone="01622 123456", accepting_new_clients=False)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=NARROW) as pilot:
        await open_providers(app, pilot)
        assert {"Name", "Standing", "Taking", "Phone"} <= set(headers(app))
        assert fits(app)
        birch, oak = cells(app, 0), cells(app, 1)
        assert (birch["Taking"], birch["Phone"]) == ("✗ no", "01622 123456")
        assert (oak["Taking"], oak["Phone"]) == ("✓ yes", "01233 629000")
        assert oak["Standing"] == "– not listed"
        assert oak["Name"].startswith("Oak Tree Companions") and oak["Name"].endswith("…")
        # Wider: every column, still without scrolling sideways.
        await pilot.resize_terminal(*WIDE)
        await settle(app, pilot)
        assert headers(app) == ["Name", "Stage", "Area", "Services", "Standing", "Taking", "Phone"]
        assert fits(app)
        oak = cells(app, 1)
        assert (oak["Area"], oak["Services"], oak["Taking"]) == (
            "Ashford",
            "Companionship",
            "✓ yes",
        )


async def test_at_120_columns_the_list_uses_the_room(db_path: Path, store: Store) -> None:
    add_provider(store, name="Oak Tree Companions", postcode="TN2 3AB",
                 services=["companionship", "shopping"])  # fmt: skip
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_providers(app, pilot)
        assert headers(app) == ["Name", "Stage", "Area", "Services", "Standing", "Taking", "Phone"]
        used, width = room(app)
        # The columns share the room; one cell is kept for the scrollbar of a longer list.
        assert width - 1 <= used <= width
        oak = cells(app, 0)
        assert oak["Area"] == "Tunbridge Wells"  # whole, not cut
        assert oak["Services"].startswith("Companionship, S")  # wider than at 100
        assert (oak["Stage"], oak["Taking"], oak["Phone"]) == ("Enquiry", "✓ yes", "01233 629000")


async def test_the_filter_finds_a_phone_however_it_is_typed(db_path: Path, store: Store) -> None:
    add_provider(store)
    add_provider(store, name="Birch Home Help", phone="01622 123456")
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        for typed in ("01233 629000", "01233629000", "+44 1233 629000", "1233 629000"):
            await pilot.press("slash", "ctrl+u", *typed, "enter")
            await settle(app, pilot)
            assert names(app) == ["Oak Tree Companions"], typed
            assert f"filter: '{typed}'" in status(app)


async def open_record(app: MicrocareApp, pilot: Pilot[Any]) -> ProviderDetailScreen:
    await open_providers(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ProviderDetailScreen)
    return app.screen


def text_of(screen: ProviderDetailScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_record_added_date_is_the_history_start(db_path: Path, store: Store) -> None:
    provider = add_provider(store)
    [first] = repo.stage_history(store, provider.id)
    records.save(store, first.model_copy(update={"moved_on": date(2026, 7, 12)}))
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_record(app, pilot)
        assert text_of(screen, "#detail-history").startswith("12/07/2026  added → Enquiry")
        assert "Added: 12/07/2026 by Sam Tester" in text_of(screen, "#detail-about")


async def test_record_days_run_monday_first(db_path: Path, store: Store) -> None:
    add_provider(store, days=["sat", "wed", "mon"], times=["evening", "morning"])
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_record(app, pilot)
        offer = text_of(screen, "#detail-offer")
        assert "Days: Mon Wed Sat" in offer
        assert "Times: Morning, Evening" in offer


def add_referrals(store: Store, provider: m.Provider, count: int) -> None:
    from microcare_tui.services import enquiries as es

    for i in range(count):
        needs = ["shopping"] if i % 2 else ["companionship", "home_help"]
        es.log_enquiry(store, {"enquirer_kind": "family_carer", "needs": needs}, [provider.id])
    signpost = records.find(store, m.Signpost, provider_id=provider.id, order=("-rowid",))[0]
    es.record_signpost_outcome(store, signpost.id, SignpostOutcome.STARTED)


def visible(screen: ProviderDetailScreen, selector: str) -> bool:
    """The widget is wholly inside the scrolled page's window."""
    page = screen.query_one("#detail-page")
    region = screen.query_one(selector).region
    return bool(region.height) and page.region.contains_region(region)


def shown_lines(screen: ProviderDetailScreen, selector: str) -> list[str]:
    """The widget's lines as drawn on the screen, trailing spaces dropped."""
    widget = screen.query_one(selector)
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [strip.text.rstrip() for strip in strips]


async def test_record_shows_referrals_and_scrolls_to_them_at_80x24(
    db_path: Path, store: Store
) -> None:
    provider = add_provider(store)
    add_referrals(store, provider, 12)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_record(app, pilot)
        lines = shown_lines(screen, "#detail-referrals")
        today = date.today().strftime("%d/%m/%Y")
        assert lines[0] == "12 referrals: 1 started, 11 not known yet"
        assert lines[1].startswith(f"{today}  started        Shopping and errands")
        assert lines[2].startswith(f"{today}  not known yet  Companionship, Home help")
        assert lines[-1] == "Latest 10 of 12 shown."
        assert len(lines) == 12  # the summary, ten referrals and the note: none wraps at 80
        assert all(line.endswith("(family member or carer)") for line in lines[1:-1])
        assert not visible(screen, "#detail-referrals")  # below the fold at 80x24...
        await pilot.press("end")
        await pilot.pause()
        assert visible(screen, "#detail-referrals")  # ...and reached by scrolling
        assert screen.query_one("#detail-page").max_scroll_x == 0  # nothing runs off the side


async def test_record_referrals_wrap_in_their_column(db_path: Path, store: Store) -> None:
    from microcare_tui.services import enquiries as es

    provider = add_provider(store)
    needs = ["companionship", "home_help", "shopping", "meals"]
    es.log_enquiry(store, {"enquirer_kind": "professional", "needs": needs}, [provider.id])
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_record(app, pilot)
        summary, first, *rest = shown_lines(screen, "#detail-referrals")
        assert summary == "1 referral: 1 not known yet"
        assert first.startswith(f"{date.today():%d/%m/%Y}  not known yet  Companionship, Home")
        assert rest and all(line.startswith(" " * 27) for line in rest)  # under the need
        assert rest[-1].endswith("(referral by a professional)")


async def test_record_referrals_fit_at_120x40(db_path: Path, store: Store) -> None:
    provider = add_provider(store)
    add_referrals(store, provider, 3)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_record(app, pilot)
        lines = shown_lines(screen, "#detail-referrals")
        assert lines[0] == "3 referrals: 1 started, 2 not known yet"
        assert len(lines) == 4
        assert visible(screen, "#detail-referrals")  # no scrolling needed at 120x40


async def test_record_with_no_referrals_says_so(db_path: Path, store: Store) -> None:
    add_provider(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_record(app, pilot)
        assert shown_lines(screen, "#detail-referrals") == [
            "No enquiry has been signposted to this provider yet."
        ]


async def test_emptying_the_postcode_on_the_form_clears_the_base_area(
    db_path: Path, store: Store
) -> None:
    provider = add_provider(store)
    assert provider.area_id
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ProviderFormScreen)
        await pilot.press("tab", "tab", "tab", "tab", "ctrl+u")  # to the postcode; empty it
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert cells(app, 0)["Area"] == "-"
    saved = repo.get_provider(store, provider.id)
    assert (saved.postcode, saved.area_id) == (None, None)
