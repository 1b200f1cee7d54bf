"""Provider use-cases as the screens see them: a page of the register, the record page with its
standing and reasons, the form's choices. No Textual here."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import QAOutcome, SignpostOutcome, Stage, Standing
from microcare_tui.domain.errors import NotFound
from microcare_tui.services import enquiries as es
from microcare_tui.services import providers as ps
from microcare_tui.services.provider_record import RecordField, provider_record
from microcare_tui.store import records
from microcare_tui.store.db import Store
from tests.conftest import TODAY


def add(store: Store, name: str, **values: Any) -> m.Provider:
    data: dict[str, Any] = {"name": name, "phone": "01233 629000", "postcode": "TN23 4AB"}
    return ps.save_provider(store, {**data, **values})


def to_stage(store: Store, provider: m.Provider, *stages: Stage) -> None:
    for stage in stages:
        ps.move_stage(store, provider.id, stage)


LISTED = (Stage.DEVELOPING, Stage.CHECKS, Stage.REGISTERED)
REFUSED = "QA check on 01/10/2026 was not approved"


def test_a_page_of_the_register_in_words(store: Store) -> None:
    oak = add(store, "Oak Tree Companions", services=["companionship", "shopping"])
    add(store, "Birch Home Help", phone="", postcode="CT1 1AA", accepting_new_clients=False)
    to_stage(store, oak, *LISTED)
    page = ps.provider_list_page(store, today=TODAY)
    assert (page.page, page.pages, page.total) == (0, 1, 2)
    birch, oak_row = page.rows  # by name
    assert oak_row.name == "Oak Tree Companions" and oak_row.id == oak.id
    assert (oak_row.stage, oak_row.stage_text) == ("registered", "Registered")
    assert (oak_row.standing, oak_row.standing_text) == ("good", "✓ good")
    assert oak_row.services == ["Companionship", "Shopping and errands"]
    assert (oak_row.area, oak_row.phone_text, oak_row.taking) == ("Ashford", "01233 629000", True)
    assert (birch.area, birch.phone_text, birch.taking) == ("Canterbury", "", False)
    assert birch.standing_text == "– not listed"


def test_a_page_past_the_end_shows_the_last_page(store: Store) -> None:
    with store.transaction():
        for i in range(7):
            add(store, f"Provider {i}")
    page = ps.provider_list_page(store, page=5, page_size=3, today=TODAY)
    assert (page.page, page.pages, page.total) == (2, 3, 7)
    assert [r.name for r in page.rows] == ["Provider 6"]
    empty = ps.provider_list_page(store, text="zzzz", page=4, today=TODAY)
    assert (empty.page, empty.pages, empty.total, empty.rows) == (0, 1, 0, [])


def test_filter_by_words_and_stage(store: Store) -> None:
    oak = add(store, "Oak Tree Companions", services=["companionship"])
    add(store, "Birch Gardeners", services=["gardening"])
    to_stage(store, oak, Stage.DEVELOPING)
    assert [r.name for r in ps.provider_list_page(store, "garden").rows] == ["Birch Gardeners"]
    developing = ps.provider_list_page(store, stage="developing")
    assert [r.name for r in developing.rows] == ["Oak Tree Companions"]


def test_record_in_words(store: Store) -> None:
    oak = add(
        store,
        "Oak Tree Companions",
        lead_contact="Jo Oak",
        email="jo@oak.org",
        services=["companionship"],
        hourly_rate_pence="£18.50",
        days=["mon", "tue"],
        languages="Polish",
    )
    to_stage(store, oak, Stage.DEVELOPING)
    record = provider_record(store, oak.id, TODAY)
    assert (record.name, record.stage, record.stage_text) == (
        "Oak Tree Companions",
        Stage.DEVELOPING,
        "Developing",
    )
    assert record.stage_since == date.today().strftime("%d/%m/%Y")
    assert record.phone == "01233 629000"
    contact = {f.label: f.value for f in record.contact}
    assert contact["Postcode"] == "TN23 4AB · Ashford"
    assert contact["Lead contact"] == "Jo Oak" and contact["Ownership"] == ""
    offer = {f.label: f.value for f in record.offer}
    assert offer["Services"] == "Companionship"
    assert offer["Hourly rate"] == "£18.50" and offer["Days"] == "Mon Tue"
    assert offer["Languages"] == "Polish" and offer["Taking new clients"] == "yes"
    assert [h.text for h in record.history] == [
        "added → Enquiry by Sam Tester",
        "Enquiry → Developing by Sam Tester",
    ]
    assert [label for label, _ in record.next_stages] == [
        "Enquiry", "Exploring", "Checks", "Paused", "Ceased", "Not proceeding",
    ]  # fmt: skip
    assert record.about[:2] == [RecordField("Description", ""), RecordField("Notes", "")]
    assert record.about[2].label == "Added" and record.about[2].value.endswith("by Sam Tester")


@pytest.mark.parametrize(
    ("qa", "evidence_expires", "standing", "reason"),
    [
        (None, None, Standing.GOOD, "registered, no QA check yet"),
        (QAOutcome.APPROVED, None, Standing.GOOD, "QA approved on 01/10/2026, nothing lapsed"),
        (QAOutcome.NOT_APPROVED, None, Standing.NOT_LISTED, REFUSED),
        (None, date(2026, 10, 3), Standing.LAPSED, "Enhanced DBS check expired 03/10/2026"),
    ],
)
def test_record_standing_and_reason_come_from_the_rule(
    store: Store,
    qa: QAOutcome | None,
    evidence_expires: date | None,
    standing: Standing,
    reason: str,
) -> None:
    oak = add(store, "Oak Tree Companions")
    to_stage(store, oak, *LISTED)
    if qa:
        records.save(store, m.QACheck(provider_id=oak.id, checked_on=date(2026, 10, 1), outcome=qa))
    if evidence_expires:
        item = m.EvidenceItem(
            provider_id=oak.id, evidence_type_code="dbs_enhanced", expires_on=evidence_expires
        )
        records.save(store, item)
    record = provider_record(store, oak.id, TODAY)
    assert (record.standing, record.reason) == (standing, reason)
    assert record.standing_text.endswith(standing.value.replace("_", " "))
    # The register says the same (STANDING_SQL).
    [row] = ps.provider_list_page(store, today=TODAY).rows
    assert row.standing == standing.value


def test_record_lists_referrals_latest_first(store: Store) -> None:
    oak = add(store, "Oak Tree Companions")
    other = add(store, "Birch Home Help")
    es.log_enquiry(store, {"enquirer_kind": "family_carer", "outcome": "signposted"}, [oak.id])
    es.log_enquiry(store, {"enquirer_kind": "professional"}, [oak.id, other.id])
    record = provider_record(store, oak.id, TODAY)
    assert record.referrals_total == 2
    assert [(r.enquirer, r.outcome, r.reported) for r in record.referrals] == [
        ("Referral by a professional", "open", "not known yet"),
        ("Family member or carer", "Signposted", "not known yet"),
    ]
    assert provider_record(store, other.id, TODAY).referrals_total == 1


def test_record_of_a_withdrawn_provider_is_not_found(store: Store) -> None:
    oak = add(store, "Oak Tree Companions")
    ps.withdraw_provider(store, oak.id)
    with pytest.raises(NotFound):
        provider_record(store, oak.id, TODAY)


def test_form_choices(store: Store) -> None:
    new = ps.provider_form_choices(store)
    assert [value for _, value in new.stages] == [s.value for s in Stage]
    assert len(new.areas) == 12
    assert "Ashford" in [name for name, _ in new.areas]
    assert ("Companionship", "companionship") in new.services
    assert new.legal_forms and new.days[0] == ("Mon", "mon")
    developing = ps.provider_form_choices(store, Stage.DEVELOPING)
    assert [value for _, value in developing.stages] == [
        "enquiry",
        "exploring",
        "developing",
        "checks",
        "paused",
        "ceased",
        "not_proceeding",
    ]


def test_base_area_for_a_postcode(store: Store) -> None:
    assert ps.base_area_name(store, "TN23 4AB") == "Ashford"
    assert ps.base_area_name(store, "SW1A 1AA") is None


# -- issue 7 ----------------------------------------------------------------------------------
def test_added_agrees_with_the_stage_history(store: Store) -> None:
    """A provider whose history was recorded before the row was (the demo, an import) was
    added when the history says, not when the row was written."""
    oak = add(store, "Oak Tree Companions")
    [first] = records.find(store, m.StageMove, provider_id=oak.id)
    records.save(store, first.model_copy(update={"moved_on": date(2026, 7, 12)}))
    record = provider_record(store, oak.id, TODAY)
    assert record.history[0].moved_on == "12/07/2026"
    added = {f.label: f.value for f in record.about}["Added"]
    assert added == "12/07/2026 by Sam Tester"


def test_added_without_stage_history_is_the_row_date(store: Store) -> None:
    oak = add(store, "Oak Tree Companions")
    for move in records.find(store, m.StageMove, provider_id=oak.id):
        records.soft_delete(store, m.StageMove, move.id)
    record = provider_record(store, oak.id, TODAY)
    assert record.history == []
    added = {f.label: f.value for f in record.about}["Added"]
    assert added == f"{date.today():%d/%m/%Y} by Sam Tester"


def test_referrals_say_when_what_was_needed_and_what_happened(store: Store) -> None:
    oak = add(store, "Oak Tree Companions", services=["companionship", "shopping"])
    first = es.log_enquiry(
        store, {"enquirer_kind": "family_carer", "needs": ["shopping", "companionship"]}, [oak.id]
    )
    es.log_enquiry(store, {"enquirer_kind": "professional"}, [oak.id])
    es.log_enquiry(store, {"enquirer_kind": "seeking_support", "needs": ["home_help"]}, [oak.id])
    [signpost] = [s for s in records.find(store, m.Signpost) if s.enquiry_id == first.id]
    es.record_signpost_outcome(store, signpost.id, SignpostOutcome.STARTED)
    record = provider_record(store, oak.id, TODAY, referrals_shown=2)
    assert record.referrals_total == 3
    assert record.referral_summary == "3 referrals: 1 started, 2 not known yet"
    assert [(r.needs, r.enquirer, r.reported) for r in record.referrals] == [
        ("Home help", "Person seeking support", "not known yet"),
        ("needs not recorded", "Referral by a professional", "not known yet"),
    ]
    assert all(r.signposted_on == date.today().strftime("%d/%m/%Y") for r in record.referrals)
    everything = provider_record(store, oak.id, TODAY).referrals
    assert everything[-1].needs == "Shopping and errands, Companionship"
    assert everything[-1].reported == "started"


def test_no_referrals_say_so(store: Store) -> None:
    oak = add(store, "Oak Tree Companions")
    record = provider_record(store, oak.id, TODAY)
    assert (record.referrals_total, record.referrals) == (0, [])
    assert record.referral_summary == "No enquiry has been signposted to this provider yet."


def test_days_and_times_on_the_record_run_monday_first(store: Store) -> None:
    oak = add(store, "Oak Tree Companions", days=["sun", "wed", "mon"],
              times=["evening", "morning"])  # fmt: skip
    offer = {f.label: f.value for f in provider_record(store, oak.id, TODAY).offer}
    assert offer["Days"] == "Mon Wed Sun"
    assert offer["Times"] == "Morning, Evening"
    weekdays = add(store, "Birch Home Help", days=["fri", "thu", "wed", "tue", "mon"])
    offer = {f.label: f.value for f in provider_record(store, weekdays.id, TODAY).offer}
    assert offer["Days"] == "weekdays"
    none = add(store, "Cedar Gardeners")
    assert {f.label: f.value for f in provider_record(store, none.id, TODAY).offer}["Days"] == ""


@pytest.mark.parametrize(
    "typed", ["01233 629000", "01233629000", "+44 1233 629000", "1233 629000", "629000"]
)
def test_the_list_filter_finds_a_phone_in_any_uk_form(store: Store, typed: str) -> None:
    add(store, "Oak Tree Companions")
    add(store, "Birch Home Help", phone="01622 123456")
    page = ps.provider_list_page(store, typed, today=TODAY)
    assert [r.name for r in page.rows] == ["Oak Tree Companions"]
    assert page.total == 1


def test_the_list_shows_taking_as_symbol_and_word(store: Store) -> None:
    add(store, "Oak Tree Companions")
    add(store, "Birch Home Help", accepting_new_clients=False)
    birch, oak = ps.provider_list_page(store, today=TODAY).rows
    assert (oak.taking_text, birch.taking_text) == ("✓ yes", "✗ no")


def test_emptying_the_postcode_clears_the_base_area(store: Store) -> None:
    oak = add(store, "Oak Tree Companions")
    assert oak.area_id is not None
    saved = ps.save_provider(store, {"name": "Oak Tree Companions", "postcode": ""}, oak.id)
    assert (saved.postcode, saved.area_id) == (None, None)
    # An area given with no postcode (an import, the CLI) is kept.
    area = oak.area_id
    kept = ps.save_provider(store, {"name": "Oak Tree Companions", "area_id": area}, oak.id)
    assert kept.area_id == area
    again = ps.save_provider(store, {"name": "Oak Tree Companions", "notes": "x"}, oak.id)
    assert again.area_id == area  # no postcode before or now: the stored area stays
