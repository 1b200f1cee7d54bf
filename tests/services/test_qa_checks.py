"""QA checks and concerns through their services: the checklist pre-filled from evidence on
file, a check saved with its lines and actions in one transaction, bad input saving nothing,
concerns raised and closed, restricted notes kept out of every view."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import EvidenceStatus as R
from microcare_tui.domain.errors import NotFound, ValidationFailed
from microcare_tui.services import concerns as cs
from microcare_tui.services import providers as ps
from microcare_tui.services import qa_checks as qs
from microcare_tui.store import records
from microcare_tui.store.db import Store
from tests.conftest import TODAY

TABLES = ("qa_checks", "qa_check_items", "actions", "concerns", "_change_log")


def counts(store: Store) -> dict[str, int]:
    return {t: store.scalar(f"SELECT COUNT(*) FROM {t}") for t in TABLES}


@pytest.fixture
def provider(store: Store) -> m.Provider:
    p = ps.save_provider(
        store,
        {"name": "Oak Tree Companions", "postcode": "TN23 4AB", "services": ["companionship"]},
    )
    records.save(
        store,
        m.EvidenceItem(
            provider_id=p.id, evidence_type_code="dbs_enhanced", expires_on=date(2027, 3, 1)
        ),
    )
    records.save(
        store,
        m.EvidenceItem(
            provider_id=p.id, evidence_type_code="public_liability", expires_on=date(2026, 11, 21)
        ),
    )
    records.save(
        store,
        m.EvidenceItem(provider_id=p.id, evidence_type_code="references", status=R.NOT_APPLICABLE),
    )
    return p


def save(store: Store, provider: m.Provider, **values: Any) -> qs.SavedCheck:
    draft = qs.start_check(store, provider.id, TODAY)
    args: dict[str, Any] = {
        "kind": draft.kind,
        "checked_on": "today",
        "next_review_on": "",
        "outcome": "not_approved",
        "lines": draft.lines,
        "today": TODAY,
    }
    args.update(values)
    return qs.save_check(store, provider.id, **args)


def test_start_check_prefills_from_evidence_on_file(store: Store, provider: m.Provider) -> None:
    draft = qs.start_check(store, provider.id, TODAY)
    assert draft.provider_name == "Oak Tree Companions"
    assert draft.kind == "initial"
    assert draft.next_review_on == date(2027, 11, 22)  # the setting: a year after the check
    by_code = {ln.code: ln for ln in draft.lines}
    assert (by_code["dbs_enhanced"].result, by_code["dbs_enhanced"].note) == (
        R.MET,
        "on file, expires 01/03/2027",
    )
    assert (by_code["public_liability"].result, by_code["public_liability"].note) == (
        R.NOT_MET,
        "lapsed 21/11/2026",
    )
    assert by_code["references"].result is R.NOT_APPLICABLE
    assert by_code["safeguarding_training"].note == "nothing on file"
    # No staff, no personal care, no food: those do not apply.
    assert {"employers_liability", "cqc_registration", "food_hygiene"}.isdisjoint(by_code)
    with pytest.raises(NotFound):
        qs.start_check(store, "no-such-provider", TODAY)


def test_save_a_check_with_items_and_actions_in_one_transaction(
    store: Store, provider: m.Provider
) -> None:
    before = counts(store)
    saved = save(
        store,
        provider,
        outcome="approved_with_actions",
        next_review_on="22/05/2027",
        actions=[
            ("Renew public liability insurance", "+2w"),
            ("Send the safeguarding certificate", "31/12/2026"),
        ],
        notes="Seen at home.",
    )
    assert (saved.outcome_text, saved.actions, saved.next_review) == (
        "Approved with actions",
        2,
        "22/05/2027",
    )
    after = counts(store)
    lines = saved.lines
    assert after["qa_checks"] - before["qa_checks"] == 1
    assert after["qa_check_items"] - before["qa_check_items"] == lines
    assert after["actions"] - before["actions"] == 2
    assert after["_change_log"] - before["_change_log"] == 1 + lines + 2
    action = store.query("SELECT * FROM actions WHERE source_id = ? ORDER BY rowid", (saved.id,))
    assert [(a["source"], a["due_on"], a["provider_id"]) for a in action] == [
        ("qa_check", "2026-12-06", provider.id),
        ("qa_check", "2026-12-31", provider.id),
    ]
    check = store.query("SELECT * FROM qa_checks WHERE id = ?", (saved.id,))[0]
    assert (check["checked_by"], check["checked_on"], check["kind"]) == (
        "Sam Tester",
        "2026-11-22",
        "initial",
    )
    history = qs.qa_history(store, provider.id, TODAY)
    assert history.total == 1
    assert history.checks[0].outcome == "Approved with actions"
    assert history.checks[0].open_actions == 2
    assert history.review == "next review 22/05/2027"
    assert [a.description for a in history.open_actions][0] == "Renew public liability insurance"
    # The next check is an annual review by default.
    assert qs.start_check(store, provider.id, TODAY).kind == "annual_review"


def test_default_next_review_and_review_due_today(store: Store, provider: m.Provider) -> None:
    save(store, provider, checked_on="22/11/2025")
    history = qs.qa_history(store, provider.id, TODAY)
    assert (history.review, history.review_due) == ("review due today", True)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"checked_on": "23/11/2026"}, "checked_on", "cannot be dated in the future"),
        ({"checked_on": "soon"}, "checked_on", "is not a date"),
        ({"next_review_on": "21/11/2026"}, "next_review_on", "cannot be before the check"),
        ({"outcome": "approved"}, "outcome", "Approved needs every mandatory line met"),
        ({"outcome": None}, "outcome", "Choose an outcome"),
        ({"actions": [("", "+1w")]}, "action1", "describe what is to be done"),
        ({"actions": [("Renew", "21/11/2026")]}, "action1", "cannot be before the check"),
        ({"actions": [("Renew", "")]}, "action1", "give a due date"),
        ({"kind": "visit"}, "kind", "Choose the kind"),
    ],
)
def test_bad_input_saves_nothing(
    store: Store, provider: m.Provider, values: dict[str, Any], field: str, message: str
) -> None:
    before = counts(store)
    with pytest.raises(ValidationFailed) as caught:
        save(store, provider, **values)
    assert message in caught.value.errors[field]
    assert counts(store) == before


def test_a_failing_write_rolls_back_the_whole_check(
    store: Store, provider: m.Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(store)
    real = store.write_row

    def fail_on_actions(table: str, row: dict[str, Any]) -> dict[str, Any]:
        if table == "actions":
            raise OSError("disk full")
        return real(table, row)

    monkeypatch.setattr(store, "write_row", fail_on_actions)
    with pytest.raises(OSError):
        save(store, provider, outcome="approved_with_actions", actions=[("Renew", "+1w")])
    monkeypatch.undo()
    assert counts(store) == before


def test_raise_close_and_track_record(store: Store, provider: m.Provider) -> None:
    values = {
        "kind": "safeguarding",
        "raised_on": "20/11/2026",
        "raised_by": "Social worker",
        "severity": "high",
        "summary": "Client left alone for hours",
        "referred_on": "21/11/2026",
        "restricted_notes": "Named client: Mrs A, flat 3",
    }
    raised = cs.save_concern(store, provider.id, values, TODAY)
    assert (raised.status_text, raised.referred, raised.has_restricted_notes) == (
        "! open",
        "referred 21/11/2026",
        True,
    )
    assert cs.open_safeguarding_count(store, provider.id) == 1
    assert cs.open_safeguarding_count(store) == 1
    complaint = cs.save_concern(
        store,
        provider.id,
        {"kind": "complaint", "raised_on": "1/11/2026", "severity": "low", "summary": "Late twice"},
        TODAY,
    )
    cs.save_concern(
        store,
        provider.id,
        {
            "kind": "compliment",
            "raised_on": "today",
            "raised_by": "Daughter of a client",
            "summary": "Always cheerful",
        },
        TODAY,
    )
    part = cs.concerns_part(store, provider.id)
    assert part.total == 3 and part.open_safeguarding == 1 and part.open_total == 2
    assert [ln.kind for ln in part.lines] == ["safeguarding", "complaint", "compliment"]
    assert part.lines[2].status_text == "♥ received"
    assert part.track_record == "1 compliment"
    # Nothing a view carries holds the restricted notes.
    assert "Mrs A" not in repr(part)
    assert cs.restricted_notes(store, raised.id) == "Named client: Mrs A, flat 3"

    with pytest.raises(ValidationFailed) as caught:
        cs.close_concern(store, complaint.id, None, "31/10/2026", TODAY)
    assert caught.value.errors == {
        "outcome": "Choose the outcome",
        "closed_on": "It cannot be closed before it was raised",
    }
    closed = cs.close_concern(store, complaint.id, "upheld", "today", TODAY)
    assert (closed.status_text, closed.outcome, closed.closed_on) == (
        "✓ closed",
        "Upheld",
        "22/11/2026",
    )
    assert cs.concerns_part(store, provider.id).track_record == "1 compliment, 1 upheld complaint"
    cs.close_concern(store, raised.id, "not_upheld", "today", TODAY)
    assert cs.open_safeguarding_count(store) == 0
    with pytest.raises(ValidationFailed):
        cs.close_concern(store, raised.id, "upheld", "today", TODAY)


def test_bad_concern_saves_nothing(store: Store, provider: m.Provider) -> None:
    before = counts(store)
    with pytest.raises(ValidationFailed) as caught:
        cs.save_concern(
            store, provider.id, {"kind": "complaint", "raised_on": "tomorrow", "summary": ""}, TODAY
        )
    assert set(caught.value.errors) == {"raised_on", "summary", "severity"}
    assert counts(store) == before
