"""The QA check through the real app: q on a provider's record opens the checklist, pre-filled
from the evidence on file; keys walk it, a note and an action are added, an outcome the
checklist does not allow is refused in place (nothing saved), and ctrl+s saves it all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Input, Static

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import EvidenceStatus as R
from microcare_tui.domain.enums import Stage
from microcare_tui.services import providers as service
from microcare_tui.store import records
from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.provider_detail import ProviderDetailScreen
from microcare_tui.ui.screens.qa_check import QACheckScreen
from microcare_tui.ui.screens.qa_dialogs import ActionDialog, NoteDialog
from microcare_tui.ui.widgets.checklist import ChecklistList
from microcare_tui.ui.widgets.key_select import KeySelect
from microcare_tui.ui.widgets.line_list import ScrolledLineList
from microcare_tui.ui.widgets.record_qa import RecordQA
from tests.conftest import TODAY
from tests.ui.provider_helpers import SIZE, add_provider, open_providers, settle


def seed_checked_provider(store: Store) -> m.Provider:
    """A registered provider with a valid DBS, lapsed insurance and nothing else on file."""
    provider = add_provider(store)
    for stage in (Stage.DEVELOPING, Stage.CHECKS, Stage.REGISTERED):
        service.move_stage(store, provider.id, stage)
    records.save(store, m.EvidenceItem(provider_id=provider.id, evidence_type_code="dbs_enhanced",
                                       expires_on=date(2027, 3, 1)))  # fmt: skip
    records.save(store, m.EvidenceItem(provider_id=provider.id,
                                       evidence_type_code="public_liability",
                                       expires_on=date(2026, 11, 21)))  # fmt: skip
    return provider


def text(screen: QACheckScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_walk_the_checklist_by_keys_and_save(db_path: Path, store: Store) -> None:
    provider = seed_checked_provider(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        record = app.screen
        assert isinstance(record, ProviderDetailScreen)
        await pilot.press("q")  # the QA checks part...
        await settle(app, pilot)
        part = record.query_one(RecordQA)
        assert "No QA check yet" in part.query_one(ScrolledLineList).text
        await pilot.press("q")  # ...and q again starts a check
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, QACheckScreen)
        checklist = screen.query_one(ChecklistList)
        assert app.focused is checklist
        lines = checklist.lines
        codes = [ln.code for ln in lines]
        assert codes[:4] == ["identity", "dbs_enhanced", "dbs_update_service", "public_liability"]
        assert [ln.result for ln in lines[1:4]] == [R.MET, R.NOT_MET, R.NOT_MET]
        assert lines[3].note == "lapsed 21/11/2026"
        assert "Checklist: 1 met" in text(screen, "#qa-summary")
        assert screen.query_one("#next_review_on", Input).value == "22/11/2027"

        # Walk every line: identity seen (m), DBS met (m), update service n/a (a), insurance
        # not met (x), then met (m) for the rest; each key moves to the next line.
        await pilot.press("m", "m", "a", "x")
        await pilot.press(*["m"] * (len(lines) - 4))
        await pilot.pause()
        results = [ln.result for ln in checklist.lines]
        assert results[:4] == [R.MET, R.MET, R.NOT_APPLICABLE, R.NOT_MET]
        assert set(results[4:]) == {R.MET}
        # Space cycles the highlighted line and stays on it.
        checklist.highlighted = 0
        await pilot.press("space")
        assert checklist.lines[0].result is R.NOT_MET
        await pilot.press("space", "space")
        assert checklist.lines[0].result is R.MET
        # Enter edits the highlighted line's note.
        checklist.highlighted = 3
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("ctrl+u", *"promised", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert checklist.lines[3].note == "promised"

        # Approved with a mandatory line not met: refused in place, nothing saved.
        await pilot.press("tab")
        await pilot.press("a")
        await pilot.pause()
        assert "Approved needs every mandatory line met" in text(screen, "#qa-advice")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert store.scalar("SELECT COUNT(*) FROM qa_checks") == 0

        # Approved with actions, and one action by keys: + opens it, enter moves, enter adds.
        await pilot.press("a")
        checklist.focus()
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        await pilot.press(*"Renew cover", "enter")
        await pilot.press("ctrl+u", *"21/11/2026", "enter")  # before the check: refused
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        assert "cannot be before the check" in str(app.screen.query_one("#action-error").render())
        await pilot.press("ctrl+u", *"+2w", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert "Actions (1)" in text(screen, "#qa-actions-title")
        assert "The checklist points to" in text(screen, "#qa-advice")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is record
        first = part.query_one(ScrolledLineList).row_text(0)
        assert first.startswith("22/11/2026  Initial")
        assert "Approved with actions" in first
        assert "1 open action" in str(part.query_one(".part-hint", Static).render())

        # The Quality section lists the provider (its insurance lapsed): q checks it from there.
        await pilot.press("6")
        await settle(app, pilot)
        await pilot.press("q")
        await settle(app, pilot)
        again = app.screen
        assert isinstance(again, QACheckScreen)
        assert again.provider_id == provider.id
        assert again.query_one("#kind", KeySelect).value == "annual_review"
        await pilot.press("escape")
        await pilot.pause()

    check = store.query("SELECT * FROM qa_checks")[0]
    assert (check["provider_id"], check["outcome"], check["checked_on"], check["kind"]) == (
        provider.id, "approved_with_actions", "2026-11-22", "initial")  # fmt: skip
    assert check["next_review_on"] == "2027-11-22"
    items = store.query("SELECT * FROM qa_check_items ORDER BY rowid")
    assert len(items) == len(lines)
    assert (items[3]["result"], items[3]["note"]) == ("not_met", "promised")
    assert items[2]["result"] == "not_applicable"
    action = store.query("SELECT * FROM actions")[0]
    assert (action["description"], action["due_on"], action["source"]) == (
        "Renew cover", "2026-12-06", "qa_check")  # fmt: skip
