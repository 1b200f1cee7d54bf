"""A whole phone call driven through CallSession, with no screen: signposts and the outcome,
the lookup in the form, no suitable provider, unsaved changes, the timer and saving."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from microcare_tui.domain.enums import Outcome, SignpostOutcome, Stage
from microcare_tui.domain.errors import NotFound
from microcare_tui.services import enquiries as enquiry_service
from microcare_tui.services.call import CallSession, NotAWouldBeProvider
from microcare_tui.store import enquiries as enquiry_store
from microcare_tui.store import providers as provider_store
from microcare_tui.store.db import Store
from tests.conftest import TODAY
from tests.services.call_helpers import (
    Clock,
    area_id,
    live_count,
    lookup,
    new_call,
    row,
    seed_providers,
)


@pytest.fixture
def providers(store: Store) -> dict[str, str]:
    return seed_providers(store)


# -- signposts, the outcome and the lookup ---------------------------------------------------------
def test_first_signpost_sets_outcome_and_fills_needs_days_and_area(
    store: Store, providers: dict[str, str]
) -> None:
    call = new_call(store)
    found = lookup(store, "shopping ashford tue")
    first, second = found.rows[0], found.rows[1]

    change = call.toggle_signpost(first, found.query)
    assert change.filled.fields == {"needs": ["shopping"], "days": ["tue"], "outcome": "signposted"}
    assert change.filled.area_changed is True
    assert change.notice is not None
    assert change.notice.text == f"Signposted to {first.name}"
    assert change.notice.severity == "information"
    assert call.values["outcome"] == Outcome.SIGNPOSTED.value
    assert call.values["needs"] == ["shopping"]
    assert call.values["days"] == ["tue"]
    assert call.values["postcode"] == ""  # an area by name is kept beside the form
    assert call.area_id == area_id(store, "Ashford")
    assert call.area_hint().text == "Area: Ashford (from the lookup)"

    again = call.toggle_signpost(second, found.query)  # only the first signpost fills
    assert again.filled.fields == {}
    assert again.filled.area_changed is False
    assert list(call.signposts) == [first.id, second.id]
    assert [item.name for item in call.signpost_items()] == [first.name, second.name]
    assert [item.note for item in call.signpost_items()] == ["", ""]


def test_first_signpost_keeps_what_the_worker_already_chose(
    store: Store, providers: dict[str, str]
) -> None:
    call = new_call(store)
    call.update({"needs": ["meals"], "outcome": Outcome.FOLLOW_UP.value, "postcode": "TN24 8XY"})
    found = lookup(store, "shopping ashford tue")
    change = call.toggle_signpost(found.rows[0], found.query)
    assert change.filled.fields == {"days": ["tue"]}
    assert call.values["needs"] == ["meals"]
    assert call.values["outcome"] == Outcome.FOLLOW_UP.value
    assert call.area_id is None  # the postcode says where


def test_use_lookup_adds_to_filled_fields_and_a_district_fills_the_postcode(
    store: Store, providers: dict[str, str]
) -> None:
    call = new_call(store)
    call.update({"needs": ["meals"]})
    changes = call.fill_from_lookup(lookup(store, "shopping TN23 tue").query, only_empty=False)
    assert changes.fields == {"needs": ["meals", "shopping"], "days": ["tue"], "postcode": "TN23"}
    assert changes.area_changed is False
    assert call.dirty is True
    assert not call.fill_from_lookup(None, only_empty=False)  # nothing understood yet


def test_removing_a_signpost_before_saving(store: Store, providers: dict[str, str]) -> None:
    call = new_call(store)
    call.set("enquirer_kind", "seeking_support")
    found = lookup(store, "shopping ashford tue")
    first = found.rows[0]
    call.toggle_signpost(first, found.query)
    change = call.toggle_signpost(first, found.query)  # F3 again on the same provider
    assert change.notice is not None
    assert change.notice.text == f"Removed the signpost to {first.name}"
    assert call.signposts == {}
    assert call.remove_signpost(first.id) is None  # nothing left to remove
    assert call.values["outcome"] == Outcome.SIGNPOSTED.value  # the outcome stays as set

    saved = call.save()
    assert enquiry_store.signposts_for(store, saved.enquiry.id) == []
    assert saved.message == "Saved enquiry"


def test_a_saved_signpost_stays_on_record(store: Store, providers: dict[str, str]) -> None:
    enquiry = enquiry_service.log_enquiry(
        store, {"enquirer_kind": "seeking_support", "caller_name": "Vera"},
        [providers["Oak Tree Companions"]],
    )  # fmt: skip
    call = CallSession(store, TODAY, enquiry.id)
    oak = providers["Oak Tree Companions"]
    notice = call.remove_signpost(oak)
    assert notice is not None
    assert notice.text == "That signpost is already saved with the enquiry; it stays on record."
    assert list(call.signposts) == [oak]
    assert [i.note for i in call.signpost_items()] == [" (saved · unknown: o changes)"]


@pytest.mark.parametrize(
    ("standing", "taking", "caution"),
    [
        ("lapsed", True, " (their evidence has lapsed: tell the caller to check)"),
        ("not_listed", True, " (not listed yet: not in good standing)"),
        ("good", False, " (not taking new clients at the moment)"),
    ],
)
def test_a_signpost_to_a_provider_not_in_good_standing_warns(
    store: Store, standing: str, taking: bool, caution: str
) -> None:
    call = new_call(store)
    change = call.toggle_signpost(row("p1", "Holly Care", standing, taking), None)
    assert change.notice is not None
    assert change.notice.text == f"Signposted to Holly Care{caution}"
    assert change.notice.severity == "warning"


def test_what_happened_after_a_signpost_is_recorded_in_turn(
    store: Store, providers: dict[str, str]
) -> None:
    oak = providers["Oak Tree Companions"]
    unsaved = new_call(store)
    unsaved.toggle_signpost(row(oak, "Oak Tree Companions"), None)
    notice = unsaved.next_signpost_outcome(oak)
    assert notice is not None
    assert notice.text == "Save the enquiry first; then o records what happened."

    enquiry = enquiry_service.log_enquiry(store, {"enquirer_kind": "seeking_support"}, [oak])
    call = CallSession(store, TODAY, enquiry.id)
    assert call.next_signpost_outcome(oak) is None
    assert call.next_signpost_outcome(oak) is None
    (signpost,) = enquiry_store.signposts_for(store, enquiry.id)
    assert signpost.reported_outcome is SignpostOutcome.STARTED
    assert [i.note for i in call.signpost_items()] == [" (saved · started: o changes)"]


# -- no suitable provider --------------------------------------------------------------------------
def test_no_suitable_provider_records_unmet_needs(store: Store) -> None:
    call = new_call(store)
    call.update({"enquirer_kind": "seeking_support", "caller_name": "Len"})
    assert call.fill_from_lookup(lookup(store, "pet care dover").query, only_empty=False)
    call.set("outcome", Outcome.NO_SUITABLE_PROVIDER.value)
    saved = call.save()
    assert saved.enquiry.outcome is Outcome.NO_SUITABLE_PROVIDER
    assert saved.enquiry.needs == ["pet_care"]
    assert saved.enquiry.area_id == area_id(store, "Dover")
    assert saved.message == "Saved enquiry · unmet need recorded"
    counts = enquiry_store.unmet_need_counts(store)
    assert [(c["area"], c["service_code"], c["n"]) for c in counts] == [("Dover", "pet_care", 1)]


def test_no_suitable_provider_needs_the_services_that_were_needed(store: Store) -> None:
    call = new_call(store)
    call.update({"enquirer_kind": "seeking_support", "outcome": "no_suitable_provider"})
    assert call.validate() == {"needs": "Say which service(s) were needed, so the gap is recorded"}


# -- unsaved changes and the timer -----------------------------------------------------------------
def test_dirty_means_changed_since_the_start(store: Store) -> None:
    call = new_call(store)
    assert call.dirty is False
    call.mark_clean()
    call.update({"caller_name": ""})  # the same as it opened with
    assert call.dirty is False
    call.set("caller_name", "Ann")
    assert call.dirty is True
    call.mark_clean()
    assert call.dirty is False
    call.toggle_signpost(row("p1", "Oak"), None)
    assert call.dirty is True


def test_the_call_timer(store: Store) -> None:
    clock = Clock()
    call = new_call(store, clock)
    clock.now += 135
    assert call.elapsed() == 135
    assert call.bar_time() == "Call 02:15"


def test_a_saved_enquiry_opens_with_its_values(store: Store, providers: dict[str, str]) -> None:
    enquiry = enquiry_service.log_enquiry(store, {
        "enquirer_kind": "family_carer", "caller_name": "Rita", "caller_phone": "01233 777888",
        "received_at": "2026-11-20T10:15:00", "needs": ["shopping"], "days": ["tue"],
        "outcome": "follow_up", "follow_up_on": "2026-11-25",
    })  # fmt: skip
    call = CallSession(store, TODAY, enquiry.id)
    assert call.is_new is False
    assert call.values["caller_phone"] == "01233 777888"
    assert call.values["follow_up_on"] == "25/11/2026"
    assert call.values["received_at"] == "20/11/2026 10:15"
    assert call.values["outcome"] == "follow_up"
    assert call.bar_time() == "Enquiry 20/11/2026 10:15"


# -- saving ----------------------------------------------------------------------------------------
def test_save_writes_one_enquiry_with_its_signposts_in_one_transaction(
    store: Store, providers: dict[str, str]
) -> None:
    clock = Clock()
    call = new_call(store, clock)
    call.update({"enquirer_kind": "family_carer", "caller_name": "Mary Jones",
                 "caller_phone": "01233 123456", "follow_up_on": "+3d"})  # fmt: skip
    found = lookup(store, "shopping ashford tue")
    first, second = found.rows[0], found.rows[1]
    call.toggle_signpost(first, found.query)
    call.toggle_signpost(second, found.query)
    call.toggle_signpost(row("no-such-provider", "Gone Away Care"), found.query)
    clock.now += 95

    with pytest.raises(NotFound):
        call.save()  # the third provider is not there: nothing of the call is written
    assert live_count(store, "enquiries") == 0
    assert live_count(store, "signposts") == 0

    call.remove_signpost("no-such-provider")
    saved = call.save()
    assert live_count(store, "enquiries") == 1
    enquiry = enquiry_store.get_enquiry(store, saved.enquiry.id)
    assert enquiry.caller_phone == "+441233123456"
    assert enquiry.outcome is Outcome.SIGNPOSTED
    assert enquiry.follow_up_on == date(2026, 11, 25)
    assert enquiry.duration_seconds == 95
    assert enquiry.area_id == area_id(store, "Ashford")
    signposts = enquiry_store.signposts_for(store, enquiry.id)
    assert [s.provider_id for s in signposts] == [first.id, second.id]
    assert saved.message == f"Saved enquiry · signposted to {first.name}, {second.name}"
    assert call.dirty is False

    call.set("summary", "Rang back")  # saving again updates the same enquiry
    call.save()
    assert live_count(store, "enquiries") == 1
    assert live_count(store, "signposts") == 2
    assert enquiry_store.get_enquiry(store, enquiry.id).summary == "Rang back"


def test_a_would_be_provider_becomes_a_provider_record(store: Store) -> None:
    call = new_call(store)
    call.update({"enquirer_kind": "seeking_support", "caller_name": "Jo Carter"})
    with pytest.raises(NotAWouldBeProvider):
        call.make_provider()
    assert live_count(store, "enquiries") == 0

    call.update({"enquirer_kind": "would_be_provider", "caller_phone": "07811 555666",
                 "postcode": "TN23 7AB", "needs": ["gardening"]})  # fmt: skip
    made = call.make_provider()
    assert made.message == (
        "Saved enquiry · Jo Carter is on the register at stage Enquiry (3 for providers)"
    )
    enquiry = enquiry_store.get_enquiry(store, made.enquiry.id)
    assert enquiry.provider_id is not None
    provider = provider_store.get_provider(store, enquiry.provider_id)
    assert provider.stage is Stage.ENQUIRY
    assert provider.services == ["gardening"]
    assert provider.phone == "+447811555666"


def test_the_call_session_imports_no_textual() -> None:
    code = "import sys, microcare_tui.services.call; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
