"""The register's quality work through the real app: the record's parts (people, evidence,
standing and why), the evidence form refusing what cannot be, the Quality section and Home's
radar, each line opening the provider."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import QAOutcome, Stage
from microcare_tui.store import evidence as evidence_repo
from microcare_tui.store import people as people_repo
from microcare_tui.store import providers as repo
from microcare_tui.store import records
from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.call_prepare import preparing
from microcare_tui.ui.screens.evidence_form import EvidenceFormScreen, PersonFormScreen
from microcare_tui.ui.screens.provider_detail import ProviderDetailScreen
from microcare_tui.ui.screens.quality import QualityScreen
from microcare_tui.ui.widgets.line_list import LineList, ScrolledLineList
from tests.conftest import TODAY
from tests.ui.provider_helpers import settle


def _lapsed_provider(store: Store) -> m.Provider:
    p = repo.save_provider(store, m.Provider(name="Oak Tree Companions", stage=Stage.ACTIVE,
                                             services=["companionship"]))  # fmt: skip
    records.save(store, m.QACheck(provider_id=p.id, checked_on=date(2026, 1, 10),
                                  outcome=QAOutcome.APPROVED, checked_by="Sam Okafor",
                                  next_review_on=date(2026, 12, 1)))  # fmt: skip
    records.save(store, m.EvidenceItem(provider_id=p.id, evidence_type_code="public_liability",
                                       expires_on=date(2026, 11, 3)))  # fmt: skip
    return p


def _text(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_quality_section_record_people_and_evidence(db_path: Path, store: Store) -> None:
    p = _lapsed_provider(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        radar = app.screen.query_one("#radar", LineList)
        summary = radar.text.splitlines()[2]
        assert summary.startswith("1 lapsed or overdue · 1 due in 30 days · 0 in 60 · 0 in 90")
        assert "lapsed 03/11/2026" in radar.row_text(0)
        assert radar.row_text(0).endswith("(Sam Okafor)")  # who looks after them, when wide
        # Narrower, the lines are made again without the worker (and cut to fit); wider again,
        # with the worker.
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert "(Sam Okafor)" not in radar.row_text(0)
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert radar.row_text(0).endswith("(Sam Okafor)")
        # Quality (6): the provider with its first reason; enter opens the record.
        await pilot.press("6")
        await settle(app, pilot)
        assert isinstance(app.screen, QualityScreen)
        listing = app.screen.query_one("#quality-list", ScrolledLineList)
        assert listing.text.splitlines()[0] == "Not in good standing (1)"
        first = listing.row_text(0)
        assert "Oak Tree Companions" in first
        assert "Public liability insurance expired 03/11/2026" in first
        assert "QA review" in listing.row_text(listing.row_count - 1)
        assert listing.highlighted == 0
        await pilot.press("enter")
        await settle(app, pilot)
        record = app.screen
        assert isinstance(record, ProviderDetailScreen)
        assert "! lapsed" in _text(record, "#detail-standing")
        await pilot.press("s")
        await settle(app, pilot)
        why = _text(record, "#detail-why")
        assert "Not in good standing, because:" in why
        assert "Public liability insurance expired 03/11/2026  (since 04/11/2026)" in why
        # People (p): add the owner.
        await pilot.press("p")
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, PersonFormScreen)
        await pilot.click("#name")
        await pilot.press(*"Sam Patel", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is record
        [owner] = people_repo.people_for(store, p.id)
        assert (owner.name, owner.works_one_to_one) == ("Sam Patel", True)
        # Evidence (x): enter on the lapsed line records the renewal as a new item, first
        # with an expiry before its issue (refused in place, nothing saved).
        await pilot.press("x")
        await settle(app, pilot)
        lines = record.query_one("#part-x ScrolledLineList", ScrolledLineList)
        texts = [lines.row_text(i) for i in range(lines.row_count)]
        assert any("Enhanced DBS check: Sam Patel  ? missing" in t for t in texts)
        pl = next(i for i, t in enumerate(texts) if t.startswith("* Public liability"))
        lines.highlighted = pl
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, EvidenceFormScreen)
        form.query_one("#issued_on", Input).value = "04/11/2026"
        form.query_one("#expires_on", Input).value = "03/11/2026"
        form.query_one("#cover_pence", Input).value = "£2m"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        error = _text(form, "#row-expires_on .field-error")
        assert "before the issue date 04/11/2026" in error
        assert len(evidence_repo.items_for(store, p.id)) == 1  # nothing saved
        form.query_one("#expires_on", Input).value = "03/11/2027"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is record
        assert "✓ good" in _text(record, "#detail-standing")
        texts = [lines.row_text(i) for i in range(lines.row_count)]
        assert any("met until 03/11/2027 (cover below minimum)" in t for t in texts)
        assert len(evidence_repo.items_for(store, p.id)) == 2  # the lapsed one kept as history


async def test_a_long_quality_list_pages_and_keeps_the_highlight_in_view(
    db_path: Path, store: Store
) -> None:
    """Hundreds of lines are one widget the screen scrolls: page down and end move the
    highlight and bring it into view, home brings the titles back, enter opens the
    highlighted provider."""
    with store.transaction():
        for n in range(40):
            p = repo.save_provider(store, m.Provider(name=f"Provider {n:02d}", stage=Stage.ACTIVE,
                                                     services=["companionship"]))  # fmt: skip
            records.save(store, m.EvidenceItem(
                provider_id=p.id, evidence_type_code="public_liability",
                expires_on=date(2026, 11, 3)))  # fmt: skip
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)
        listing = app.screen.query_one("#quality-list", ScrolledLineList)
        scroll = app.screen.query_one("#quality-scroll")
        assert listing.row_count == 80  # 40 not in good standing, 40 lapsed items
        assert listing.has_focus

        def in_view() -> bool:
            at = listing.text.splitlines().index(listing.row_text(listing.highlighted or 0))
            top = round(scroll.scroll_offset.y)
            return top <= at < top + scroll.scrollable_content_region.height

        await pilot.press("pagedown")
        await settle(app, pilot)
        paged = listing.highlighted
        assert paged is not None and paged > 5
        assert scroll.scroll_offset.y > 0
        assert in_view()
        await pilot.press("end")
        await settle(app, pilot)
        assert listing.highlighted == 79
        assert in_view()
        await pilot.press("pageup")
        await settle(app, pilot)
        assert listing.highlighted is not None and listing.highlighted < 79
        assert in_view()
        await pilot.press("home")
        await settle(app, pilot)
        assert (listing.highlighted, round(scroll.scroll_offset.y)) == (0, 0)  # titles shown
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProviderDetailScreen)
        assert app.screen.provider_id == listing.row_id(1)


async def test_quality_is_made_off_screen_and_reads_afresh_when_shown(
    db_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After start-up the app makes the Quality section off screen (its key then only shows
    it); shown, it reads again, so what changed since it was made is listed."""
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "0")
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:

        def read() -> bool:
            stack = app._screen_stacks.get("quality") or []
            return bool(stack) and stack[0].is_mounted and "Loading" not in _text(
                stack[0], "#quality-summary")  # fmt: skip

        for _ in range(200):
            if read() and not preparing(app):
                break
            await pilot.pause(0.05)
        [made] = app._screen_stacks["quality"]
        assert isinstance(made, QualityScreen)
        assert _text(made, "#quality-summary").startswith("0 not in good standing")
        assert app.screen is not made
        _lapsed_provider(store)  # as a colleague's bundle or another window might
        await pilot.press("6")
        await settle(app, pilot)
        assert app.screen is made
        assert "Oak Tree Companions" in made.query_one(ScrolledLineList).row_text(0)
