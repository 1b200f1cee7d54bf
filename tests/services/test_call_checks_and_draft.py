"""The call session's checks and its draft: every problem by field, fields shown as
understood, the draft kept and taken up again, and earlier callers linked."""

from __future__ import annotations

from datetime import datetime

import pytest

from microcare_tui.domain.enums import Outcome
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.services import enquiries as enquiry_service
from microcare_tui.services.call import CallSession
from microcare_tui.services.call_form import format_received, parse_received
from microcare_tui.services.drafts import load_drafts
from microcare_tui.services.earlier_callers import find_earlier_callers
from microcare_tui.store.db import Store
from tests.conftest import TODAY
from tests.services.call_helpers import (
    Clock,
    area_id,
    live_count,
    lookup,
    new_call,
    seed_providers,
)


@pytest.fixture
def providers(store: Store) -> dict[str, str]:
    return seed_providers(store)


# -- checking fields -------------------------------------------------------------------------------
def test_every_problem_is_listed_by_field_even_without_an_enquirer_kind(store: Store) -> None:
    call = new_call(store)
    call.update({"caller_name": "Joe", "caller_phone": "12345", "follow_up_on": "someday",
                 "received_at": "25:99"})  # fmt: skip
    errors = call.validate()
    assert sorted(errors) == ["caller_phone", "enquirer_kind", "follow_up_on", "received_at"]
    assert errors["enquirer_kind"] == "Say who is calling (type a letter: w p f r s o)"
    assert "12345" in errors["caller_phone"]
    assert errors["received_at"] == "'25:99' has no such time"
    with pytest.raises(ValidationFailed) as failed:
        call.save()
    assert failed.value.errors == errors
    assert live_count(store, "enquiries") == 0


def test_only_the_enquirer_kind_missing(store: Store) -> None:
    call = new_call(store)
    call.set("caller_name", "Mary")  # a first name is enough
    assert call.validate() == {"enquirer_kind": "Say who is calling (type a letter: w p f r s o)"}
    call.set("enquirer_kind", "professional")
    assert call.validate() == {}


def test_a_follow_up_outcome_needs_a_date(store: Store) -> None:
    call = new_call(store)
    call.update({"enquirer_kind": "family_carer", "outcome": Outcome.FOLLOW_UP.value})
    assert call.validate() == {"follow_up_on": "Give a follow-up date (e.g. +3d or tue)"}


def test_fields_are_checked_and_shown_as_understood_when_left(store: Store) -> None:
    call = new_call(store)
    assert call.left_field("caller_phone", "01233123456") == "01233 123456"
    assert call.left_field("follow_up_on", "+3d") == "25/11/2026"
    assert call.left_field("postcode", "tn23 7ab") == "TN23 7AB"
    assert call.left_field("postcode", "tn23") == "TN23"
    assert call.left_field("received_at", "21/11 9:30") == "21/11/2026 09:30"
    assert call.left_field("caller_phone", "12345") is None  # kept as typed
    assert call.values["caller_phone"] == "12345"
    assert call.check_field("caller_phone", "12345") == "'12345' is not a valid UK phone number"
    assert call.check_field("follow_up_on", "tue") is None
    assert call.check_field("caller_name", "anything") is None


def test_a_postcode_replaces_the_area_from_the_lookup(store: Store) -> None:
    call = new_call(store)
    call.fill_from_lookup(lookup(store, "shopping ashford").query, only_empty=True)
    assert call.area_id == area_id(store, "Ashford")
    call.left_field("postcode", "CT1 2AB")
    assert call.area_id is None
    assert call.area_hint().text == ""


def test_leaving_a_field_that_is_not_the_calls_changes_nothing(store: Store) -> None:
    call = new_call(store)
    call.mark_clean()
    assert call.left_field("lookup-query", "shopping") is None
    assert "lookup-query" not in call.values
    assert call.dirty is False


def test_when_the_call_came_in() -> None:
    assert parse_received("22/11/2026 14:05", TODAY) == datetime(2026, 11, 22, 14, 5).astimezone()
    assert parse_received("14:05", TODAY) == datetime(2026, 11, 22, 14, 5).astimezone()
    assert parse_received("yesterday 9.30", TODAY) == datetime(2026, 11, 21, 9, 30).astimezone()
    assert parse_received("today", TODAY) == datetime(2026, 11, 22, 12, 0).astimezone()
    assert format_received(datetime(2026, 11, 22, 14, 5)) == "22/11/2026 14:05"
    with pytest.raises(ValueError, match="when the call came in"):
        parse_received("  ", TODAY)


# -- the draft -------------------------------------------------------------------------------------
def test_draft_round_trip(store: Store, providers: dict[str, str]) -> None:
    earlier = enquiry_service.log_enquiry(
        store, {"enquirer_kind": "family_carer", "caller_name": "Rita Patel",
                "caller_phone": "01233 777888"},
    )  # fmt: skip
    clock = Clock()
    call = new_call(store, clock)
    call.mark_clean()
    assert call.keep_draft() is False  # nothing to lose yet
    assert load_drafts(store).drafts == []
    call.update({"enquirer_kind": "family_carer", "caller_name": "Rita Patel",
                 "caller_phone": "01233 777888"})  # fmt: skip
    found = lookup(store, "shopping ashford tue")
    call.toggle_signpost(found.rows[0], found.query)
    call.callers.show(find_earlier_callers(store, "Rita Patel", "01233 777888", None))
    assert call.link_caller() is not None
    clock.now += 42
    assert call.keep_draft("shopping ashford tue") is True
    assert call.keep_draft("shopping ashford tue") is False  # unchanged: not written again

    (draft,) = load_drafts(store).drafts
    assert draft.question.startswith("A call was not saved (caller: Rita Patel, last kept at ")
    assert draft.lookup_text == "shopping ashford tue"

    later = Clock()
    again = new_call(store, later)
    values = again.restore(draft)
    assert values == call.values
    assert again.values == call.values
    assert again.signposts == call.signposts
    assert again.area_id == area_id(store, "Ashford")
    assert again.callers.contact_id == earlier.id
    assert again.elapsed() == 42  # the timer carries on from the draft
    assert again.dirty is True

    later.now += 8
    saved = again.save()
    assert saved.enquiry.duration_seconds == 50
    assert saved.enquiry.contact_enquiry_id == earlier.id
    assert load_drafts(store).drafts == []  # a saved call keeps no draft


def test_discarding_and_the_drafts_of_saved_enquiries(store: Store) -> None:
    call = new_call(store)
    call.set("caller_name", "Tom")
    call.touched = True
    assert call.keep_draft() is True
    call.discard_draft()
    assert load_drafts(store).drafts == []

    enquiry = enquiry_service.log_enquiry(store, {"enquirer_kind": "other"})
    opened = CallSession(store, TODAY, enquiry.id)
    opened.set("caller_name", "Una")
    opened.touched = True
    assert opened.keep_draft() is False  # a saved enquiry opened again keeps no draft
    assert load_drafts(store).drafts == []


# -- earlier callers -------------------------------------------------------------------------------
def test_an_earlier_caller_is_hinted_linked_and_unlinked(store: Store) -> None:
    earlier = enquiry_service.log_enquiry(store, {
        "enquirer_kind": "family_carer", "caller_name": "Margaret Hughes",
        "caller_phone": "01233 440044", "received_at": "2026-11-01T10:00:00+00:00",
    })  # fmt: skip
    call = new_call(store)
    assert call.callers.can_link() is False
    assert call.link_caller() is None
    hint = call.callers.show(find_earlier_callers(store, "Mags", "01233440044", None))
    assert hint is not None
    assert hint.found is True
    assert hint.text == (
        "Called before? Margaret Hughes · 01233 440044 · 01/11/2026 (same phone) · F8 links"
    )
    linked = call.link_caller()
    assert linked is not None
    assert linked.text == (
        "Linked to the enquiry of 01/11/2026 from Margaret Hughes. F8 again unlinks."
    )
    assert call.callers.contact_id == earlier.id
    assert call.callers.show([]) is None  # a linked caller keeps its line
    unlinked = call.link_caller()
    assert unlinked is not None
    assert unlinked.text == "Unlinked from the earlier enquiry."
    assert call.callers.contact_id is None
