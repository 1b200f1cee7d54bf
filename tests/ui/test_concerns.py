"""Concerns through the real app: k on the record raises one (bad input explained, nothing
saved), the record's part lists it with the track record, enter opens it, restricted notes
stay hidden until v and a confirmation, c closes it with an outcome and a date."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.concern_detail import CloseConcernDialog, ConcernDetailScreen
from microcare_tui.ui.screens.concern_form import ConcernFormScreen
from microcare_tui.ui.screens.provider_detail import ProviderDetailScreen
from microcare_tui.ui.screens.qa_check import QACheckScreen
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.key_select import KeySelect
from microcare_tui.ui.widgets.line_list import ScrolledLineList
from microcare_tui.ui.widgets.record_concerns import RecordConcerns
from tests.conftest import TODAY
from tests.ui.provider_helpers import SIZE, add_provider, open_providers, settle

NOTES = "Mrs A"


def shown(widget: Static) -> str:
    return str(widget.render())


async def test_raise_a_concern_see_restricted_notes_on_request_and_close_it(
    db_path: Path, store: Store
) -> None:
    add_provider(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        record = app.screen
        assert isinstance(record, ProviderDetailScreen)
        await pilot.press("k")  # the concerns part...
        await settle(app, pilot)
        part = record.query_one(RecordConcerns)
        listing = part.query_one(ScrolledLineList)
        assert "None recorded" in listing.text
        assert listing.row_count == 0
        await pilot.press("k")  # ...and k again records one
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ConcernFormScreen)
        await pilot.press("s")  # kind: Safeguarding concern
        await pilot.press("ctrl+s")  # no summary, no severity: refused in place
        await pilot.pause()
        assert app.screen is form
        assert store.scalar("SELECT COUNT(*) FROM concerns") == 0
        error = shown(form.query_one("#row-summary .field-error", Static))
        assert error == "! Say in a line what it is about"
        assert app.focused is form.query_one("#summary")  # the first field to put right
        await pilot.press(*"alone", "shift+tab", "h", "shift+tab", *"GP")
        await pilot.press("tab", "tab", "tab", *"today", "tab", *NOTES)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is record
        row = store.query("SELECT * FROM concerns")[0]
        assert (row["kind"], row["severity"], row["raised_by"], row["status"]) == (
            "safeguarding", "high", "GP", "open")  # fmt: skip
        assert (row["referred_on"], row["restricted_notes"]) == ("2026-11-22", NOTES)
        head = shown(part.query_one(".part-hint", Static))
        assert "1 open safeguarding concern: good standing is suspended" in head
        assert "! open" in listing.row_text(0)
        assert NOTES not in listing.row_text(0)
        assert app.focused is listing
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, ConcernDetailScreen)
        notes = detail.query_one("#concern-notes", Static)
        assert shown(notes) == "Restricted notes: hidden. Press v to show them."
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep hidden
        await pilot.pause()
        assert NOTES not in shown(notes)
        await pilot.press("v", "y")
        await pilot.pause()
        assert NOTES in shown(notes)

        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CloseConcernDialog)
        await pilot.press("ctrl+s")  # no outcome: explained in place, nothing saved
        await pilot.pause()
        assert "Choose the outcome" in shown(app.screen.query_one("#close-error", Static))
        assert store.scalar("SELECT status FROM concerns") == "open"
        await pilot.press("n", "tab", "enter")  # not upheld, closed today
        await settle(app, pilot)
        assert app.screen is detail
        assert "✓ closed" in shown(detail.query_one("#concern-fields", Static))
        await pilot.press("q")  # a QA check prompted by it
        await pilot.pause()
        check = app.screen
        assert isinstance(check, QACheckScreen)
        assert check.query_one("#kind", KeySelect).value == "complaint_triggered"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is detail
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is record
        assert "open safeguarding" not in shown(part.query_one(".part-hint", Static))
        assert "✓ closed" in listing.row_text(0)
    row = store.query("SELECT status, outcome, closed_on FROM concerns")[0]
    assert row == {"status": "closed", "outcome": "not_upheld", "closed_on": "2026-11-22"}
