"""The provider record through the real app: standing and why, stage moves, when the provider
was added, days in order, and the referrals received (at 80x24 and 120x40)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import SignpostOutcome, Stage
from microcare_tui.services import providers as service
from microcare_tui.store import providers as repo
from microcare_tui.store import records
from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.provider_detail import MoveStageDialog, ProviderDetailScreen
from microcare_tui.ui.screens.providers import ProvidersScreen
from tests.conftest import TODAY
from tests.ui.provider_helpers import SIZE, add_provider, open_providers, settle, table

NARROW, WIDE = (80, 24), (120, 40)


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
        await pilot.press("h")
        await pilot.pause()
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


async def open_record(app: MicrocareApp, pilot: Pilot[Any], part: str = "") -> ProviderDetailScreen:
    """Open the first provider's record (and the part on key `part`, if given)."""
    await open_providers(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ProviderDetailScreen)
    if part:
        await pilot.press(part)
        await settle(app, pilot)
    return app.screen


async def record_of(app: MicrocareApp, pilot: Pilot[Any], provider_id: str) -> ProviderDetailScreen:
    """Open a provider's record as the lookup and Home do (app.open_provider)."""
    app.open_provider(provider_id)
    await settle(app, pilot)
    assert isinstance(app.screen, ProviderDetailScreen)
    return app.screen


def text_of(screen: ProviderDetailScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def add_referrals(store: Store, provider: m.Provider, count: int) -> None:
    from microcare_tui.services import enquiries as es

    for i in range(count):
        needs = ["shopping"] if i % 2 else ["companionship", "home_help"]
        es.log_enquiry(store, {"enquirer_kind": "family_carer", "needs": needs}, [provider.id])
    signpost = records.find(store, m.Signpost, provider_id=provider.id, order=("-rowid",))[0]
    es.record_signpost_outcome(store, signpost.id, SignpostOutcome.STARTED)


def visible(screen: ProviderDetailScreen, selector: str) -> bool:
    """The widget is wholly inside the scrolled page's window (False before it is made)."""
    if not screen.query("#part-n"):
        return False
    page = screen.query_one("#part-n")
    region = screen.query_one(selector).region
    return bool(region.height) and page.region.contains_region(region)


def shown_lines(screen: ProviderDetailScreen, selector: str) -> list[str]:
    """The widget's lines as drawn on the screen, trailing spaces dropped."""
    widget = screen.query_one(selector)
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [strip.text.rstrip() for strip in strips]


async def test_record_referrals_scroll_wrap_and_fit(db_path: Path, store: Store) -> None:
    """The referrals part of three records, in one session (each start of the app costs
    more than a check):
    - at 80x24, twelve referrals are a part of their own, one key away; the latest ten
      are shown, none wraps, nothing runs off the side;
    - at 80x24, a referral with many needs wraps within the needs column;
    - at 120x40, three referrals fit without scrolling."""
    from microcare_tui.services import enquiries as es

    many = add_provider(store)
    add_referrals(store, many, 12)
    wraps = add_provider(store, name="Birch Home Help", phone="01622 123456")
    needs = ["companionship", "home_help", "shopping", "meals"]
    es.log_enquiry(store, {"enquirer_kind": "professional", "needs": needs}, [wraps.id])
    few = add_provider(store, name="Cedar Care", phone="01622 654321")
    add_referrals(store, few, 3)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=NARROW) as pilot:
        # Twelve referrals at 80x24: scrolled to with n.
        await open_providers(app, pilot)
        screen = await record_of(app, pilot, many.id)
        assert not visible(screen, "#detail-referrals")  # a part of its own...
        await pilot.press("n")
        await pilot.pause()
        assert visible(screen, "#detail-referrals")  # ...one key away
        lines = shown_lines(screen, "#detail-referrals")
        today = date.today().strftime("%d/%m/%Y")
        assert lines[0] == "12 referrals: 1 started, 11 not known yet"
        assert lines[1].startswith(f"{today}  started        Shopping and errands")
        assert lines[2].startswith(f"{today}  not known yet  Companionship, Home help")
        assert lines[-1] == "Latest 10 of 12 shown."
        assert len(lines) == 12  # the summary, ten referrals and the note: none wraps at 80
        assert all(line.endswith("(family member or carer)") for line in lines[1:-1])
        assert screen.query_one("#part-n").max_scroll_x == 0  # nothing runs off the side
        await pilot.press("escape")
        await settle(app, pilot)

        # Many needs at 80x24: wrapped under the need.
        screen = await record_of(app, pilot, wraps.id)
        await pilot.press("n")
        await settle(app, pilot)
        summary, first, *rest = shown_lines(screen, "#detail-referrals")
        assert summary == "1 referral: 1 not known yet"
        assert first.startswith(f"{date.today():%d/%m/%Y}  not known yet  Companionship, Home")
        assert rest and all(line.startswith(" " * 27) for line in rest)  # under the need
        assert rest[-1].endswith("(referral by a professional)")
        await pilot.press("escape")
        await settle(app, pilot)

        # Three referrals at 120x40: no scrolling needed.
        await pilot.resize_terminal(*WIDE)
        await settle(app, pilot)
        screen = await record_of(app, pilot, few.id)
        await pilot.press("n")
        await settle(app, pilot)
        lines = shown_lines(screen, "#detail-referrals")
        assert lines[0] == "3 referrals: 1 started, 2 not known yet"
        assert len(lines) == 4
        assert visible(screen, "#detail-referrals")  # no scrolling needed at 120x40


async def test_record_shows_days_in_order_the_added_date_and_no_referrals(
    db_path: Path, store: Store
) -> None:
    """One record, three parts (one session: each start of the app costs more than a check):
    days run Monday first, the added date is the history's start, and a provider no
    enquiry was signposted to says so."""
    provider = add_provider(store, days=["sat", "wed", "mon"], times=["evening", "morning"])
    [first] = repo.stage_history(store, provider.id)
    records.save(store, first.model_copy(update={"moved_on": date(2026, 7, 12)}))
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_record(app, pilot)
        offer = text_of(screen, "#detail-offer")
        assert "Days: Mon Wed Sat" in offer
        assert "Times: Morning, Evening" in offer
        assert "Added: 12/07/2026 by Sam Tester" in text_of(screen, "#detail-about")
        await pilot.press("h")
        await settle(app, pilot)
        assert text_of(screen, "#detail-history").startswith("12/07/2026  added → Enquiry")
        await pilot.press("n")
        await settle(app, pilot)
        assert shown_lines(screen, "#detail-referrals") == [
            "No enquiry has been signposted to this provider yet."
        ]


async def test_the_record_screen_is_kept_and_filled_afresh_for_the_next_provider(
    db_path: Path, store: Store
) -> None:
    """The second record opened reuses the first's screen and the parts made for the first:
    it shows the new provider only (details, standing, each part when shown), nothing left
    from the last one, and the last one's part keys do not answer on the details."""
    from microcare_tui.services.people import save_person
    from microcare_tui.ui.widgets.record_parts import PeoplePart

    oak = add_provider(store)
    birch = add_provider(
        store, name="Birch Lane Help", phone="01233 111222", services=["gardening"]
    )
    save_person(store, oak.id, {"name": "Olive Oakley", "role": "owner"})
    save_person(store, birch.id, {"name": "Bea Birch", "role": "owner"})
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = await record_of(app, pilot, oak.id)
        await pilot.press("h")  # a part made for Oak Tree from its record
        await settle(app, pilot)
        oak_history = text_of(first, "#detail-history")
        assert "Oak Tree" not in oak_history  # the moves, not the name
        await pilot.press("p")  # a part that reads its own lines, left focused
        await settle(app, pilot)
        people = first.query_one(PeoplePart)
        assert [line.name for line in people.lines] == ["Olive Oakley"]
        await pilot.press("escape")
        await settle(app, pilot)
        app.open_provider(birch.id)
        await settle(app, pilot)
        assert app.screen is first  # the kept screen, not a new one
        assert isinstance(first, ProviderDetailScreen)
        assert text_of(first, "#detail-name") == "Birch Lane Help"
        assert "01233 111222" in text_of(first, "#detail-contact")
        assert "01233 629000" not in text_of(first, "#detail-contact")
        assert first.part == "d"
        assert first.focused is first.query_one("#part-d")  # not Oak Tree's people list
        await pilot.press("a")  # the people part's key: nothing on the details
        await settle(app, pilot)
        assert app.screen is first
        assert first.query_one(PeoplePart).provider_id == oak.id  # not read until shown
        await pilot.press("p")
        await settle(app, pilot)
        assert [line.name for line in first.query_one(PeoplePart).lines] == ["Bea Birch"]
        await pilot.press("e")  # the form edits Birch Lane
        await settle(app, pilot)
        assert app.screen.query_one("#name", Input).value == "Birch Lane Help"


async def test_the_kept_record_shows_with_its_record_or_says_loading_when_the_read_is_slow(
    db_path: Path, store: Store, monkeypatch: Any
) -> None:
    """The kept screen is shown once its record is read (its first frame has the record);
    a slow read shows it anyway, saying 'Loading...' and nothing of the last provider's;
    a provider withdrawn meanwhile is said so, and the record does not open."""
    from microcare_tui.ui.screens import provider_detail

    oak = add_provider(store)
    birch = add_provider(store, name="Birch Lane Help", phone="01233 111222")
    elm = add_provider(store, name="Elm Street Care")
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        kept = await record_of(app, pilot, oak.id)
        await pilot.press("escape")
        await settle(app, pilot)
        app.open_provider(birch.id)
        assert app.screen is not kept  # not shown until Birch Lane's record is read
        await settle(app, pilot)
        assert app.screen is kept
        assert text_of(kept, "#detail-name") == "Birch Lane Help"
        await pilot.press("escape")
        await settle(app, pilot)

        gate = threading.Event()  # the read of Elm Street's record waits for it
        read = provider_detail.provider_record

        def slow_read(db: Any, provider_id: str, today: date) -> Any:
            gate.wait(10)
            return read(db, provider_id, today)

        monkeypatch.setattr(provider_detail, "provider_record", slow_read)
        app.open_provider(elm.id)
        for _ in range(200):  # SHOW_ANYWAY_S (0.25 s) later it shows, still reading
            if app.screen is kept:
                break
            await pilot.pause(0.01)
        assert app.screen is kept
        assert kept.record is None
        assert text_of(kept, "#detail-name") == ""  # nothing of Birch Lane's
        assert text_of(kept, "#detail-standing") == "Loading..."
        gate.set()
        await settle(app, pilot)
        assert text_of(kept, "#detail-name") == "Elm Street Care"
        await pilot.press("escape")
        await settle(app, pilot)

        service.withdraw_provider(store, oak.id)
        home = app.screen
        app.open_provider(oak.id)
        await settle(app, pilot)
        assert app.screen is home
        messages = [str(n.message) for n in app._notifications]
        assert "That provider is no longer on the register." in messages
