"""Use-cases: the lookup's ranking and fallbacks, logging an enquiry, follow-ups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import QAOutcome
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.services import enquiries as es
from microcare_tui.services import providers as ps
from microcare_tui.services.dashboard import load_dashboard
from microcare_tui.services.lookup import find_providers
from microcare_tui.store import enquiries as enquiry_store
from microcare_tui.store import records
from microcare_tui.store.db import Store


def area_id(store: Store, name: str) -> str:
    from microcare_tui.store import reference

    return next(a.id for a in reference.areas(store) if a.name == name)


@pytest.fixture
def providers(store: Store) -> dict[str, str]:
    """A small register around Ashford."""
    ashford = area_id(store, "Ashford")
    made = {}
    specs = [
        ("Ashford Shopping Pals", "TN23 4AB", ["shopping"], ["tue", "thu"], "active", True, []),
        ("Busy Bees Errands", "TN24 8AA", ["shopping"], ["tue"], "active", False, []),
        (
            "Kennington Helpers",
            "TN24 9ZZ",
            ["shopping", "companionship"],
            ["mon"],
            "registered",
            True,
            [],
        ),
        ("Canterbury Cart", "CT1 2AB", ["shopping"], ["tue"], "active", True, []),
        ("Dover Dash", "CT16 1AA", ["shopping"], ["tue"], "active", True, []),
        ("Lapsed Larder", "TN23 1AA", ["shopping"], ["tue"], "active", True, ["lapsed"]),
        ("New Idea Shopping", "TN23 2BB", ["shopping"], ["tue"], "developing", True, []),
        ("Polish Garden Care", "TN23 3DD", ["gardening"], ["sat"], "active", True, []),
    ]
    for name, postcode, services, days, stage, taking, flags in specs:
        p = ps.save_provider(
            store,
            {
                "name": name,
                "postcode": postcode,
                "services": services,
                "days": days,
                "stage": "enquiry",
                "accepting_new_clients": taking,
                "phone": "01233 123456",
                "languages": ["Polish"] if "Polish" in name else [],
                "funding_accepted": ["direct_payment"] if "Pals" in name else [],
            },
        )
        # Walk the stages as a worker would.
        path = {
            "developing": ["developing"],
            "registered": ["developing", "checks", "registered"],
            "active": ["developing", "checks", "registered", "active"],
        }
        for step in path[stage]:
            p = ps.move_stage(store, p.id, step)  # type: ignore[arg-type]
        if "lapsed" in flags:
            records.save(
                store,
                m.EvidenceItem(
                    provider_id=p.id, evidence_type_code="dbs_enhanced", expires_on=date(2020, 1, 1)
                ),
            )
        made[name] = p.id
    assert ashford
    return made


def test_ranking_for_the_standard_call(store: Store, providers: dict[str, str]) -> None:
    result = find_providers(store, "shopping ashford tue")
    names = [r.name for r in result.rows]
    # Based in Ashford, then nearby, then elsewhere; within Ashford the Tuesday ones first
    # (good and taking, good but not taking, lapsed, not yet listed), then Monday's.
    assert names == [
        "Ashford Shopping Pals", "Busy Bees Errands", "Lapsed Larder", "New Idea Shopping",
        "Kennington Helpers", "Canterbury Cart", "Dover Dash",
    ]  # fmt: skip
    assert result.rows[names.index("Canterbury Cart")].placement == "nearby"
    assert result.rows[names.index("Dover Dash")].placement == "other area"
    lapsed = result.rows[names.index("Lapsed Larder")]
    assert lapsed.standing == "lapsed"
    assert "Polish Garden Care" not in names  # does not offer shopping
    kennington = result.rows[names.index("Kennington Helpers")]
    assert kennington.misses == ["not Tue"]


def test_flags_and_languages_filter(store: Store, providers: dict[str, str]) -> None:
    assert [r.name for r in find_providers(store, "shopping dp").rows] == ["Ashford Shopping Pals"]
    assert [r.name for r in find_providers(store, "polish").rows] == ["Polish Garden Care"]
    taking = find_providers(store, "shopping taking").rows
    assert "Busy Bees Errands" not in [r.name for r in taking]


def test_fuzzy_fallback(store: Store, providers: dict[str, str]) -> None:
    result = find_providers(store, "shoping")
    assert result.total > 0 and result.fuzzy_note and "Shopping" in result.fuzzy_note
    result = find_providers(store, "Kenington Helprs")
    assert result.rows and result.rows[0].name == "Kennington Helpers"
    slip = find_providers(store, "Kwnnington")  # a slip in the second letter
    assert slip.rows and slip.rows[0].name == "Kennington Helpers"
    assert find_providers(store, "zzzzqqq").total == 0


def test_a_word_still_being_typed_is_completed(store: Store, providers: dict[str, str]) -> None:
    # "tu" of "tuesday" is too short to guess; "tues"/"weeke"/"mornin" are one word each.
    full = find_providers(store, "shopping ashford weekend")
    partial = find_providers(store, "shopping ashford weeke")
    assert partial.total == full.total > 0
    assert [r.id for r in partial.rows] == [r.id for r in full.rows]
    assert partial.fuzzy_note == "No exact match: showing 'weeke' as weekend"
    assert [c.label for c in partial.query.chips] == [c.label for c in full.query.chips][:2]
    # "week" starts both weekend and weekday: not guessed (the fuzzy fallback has its turn).
    assert "as week" not in (find_providers(store, "shopping week").fuzzy_note or "")


@pytest.mark.parametrize(
    "text", ['"', "NEAR", "*", "-", "a AND OR NOT", "ünïcødé ✓", "x" * 500, "'; DROP TABLE", "()"]
)
def test_odd_queries_never_error(store: Store, providers: dict[str, str], text: str) -> None:
    find_providers(store, text)


def test_log_enquiry_with_signposts_and_follow_up(store: Store, providers: dict[str, str]) -> None:
    enquiry = es.log_enquiry(
        store,
        {
            "enquirer_kind": "family_carer",
            "caller_name": "Jane",
            "caller_phone": "07911 123456",
            "postcode": "TN23",
            "needs": ["shopping"],
            "days": ["tue"],
            "outcome": "follow_up",
            "follow_up_on": "+3d",
        },
        [providers["Ashford Shopping Pals"], providers["Kennington Helpers"]],
    )
    assert enquiry.caller_phone == "+447911123456"
    assert enquiry.area_id == area_id(store, "Ashford")
    assert len(enquiry_store.signposts_for(store, enquiry.id)) == 2
    # Signposting the same provider twice records it once.
    es.signpost(store, enquiry.id, providers["Ashford Shopping Pals"])
    assert len(enquiry_store.signposts_for(store, enquiry.id)) == 2


def test_follow_up_needs_a_date_and_no_match_needs_a_service(store: Store) -> None:
    with pytest.raises(ValidationFailed) as info:
        es.log_enquiry(store, {"enquirer_kind": "family_carer", "outcome": "follow_up"})
    assert "follow_up_on" in info.value.errors
    with pytest.raises(ValidationFailed) as info:
        es.log_enquiry(store, {"enquirer_kind": "family_carer", "outcome": "no_suitable_provider"})
    assert "needs" in info.value.errors
    assert store.scalar("SELECT COUNT(*) FROM enquiries") == 0


def test_no_suitable_provider_records_unmet_need(store: Store) -> None:
    es.log_enquiry(
        store,
        {
            "enquirer_kind": "professional",
            "postcode": "CT1 2AB",
            "needs": ["pet_care", "meals"],
            "outcome": "no_suitable_provider",
        },
    )
    gaps = {(g["area"], g["service_code"]) for g in enquiry_store.unmet_need_counts(store)}
    assert gaps == {("Canterbury", "pet_care"), ("Canterbury", "meals")}


def test_would_be_provider_becomes_a_provider(store: Store) -> None:
    e = es.log_enquiry(
        store,
        {
            "enquirer_kind": "would_be_provider",
            "caller_name": "Maggie Smith",
            "caller_phone": "01233 654321",
            "postcode": "TN23 4AB",
            "needs": ["gardening"],
        },
    )
    p = es.become_provider(store, e.id)
    assert p.stage.value == "enquiry" and p.services == ["gardening"]
    assert p.enquiry_id == e.id and p.phone == "+441233654321"
    assert enquiry_store.get_enquiry(store, e.id).provider_id == p.id
    assert es.become_provider(store, e.id).id == p.id  # once only
    other = es.log_enquiry(store, {"enquirer_kind": "family_carer"})
    with pytest.raises(ValidationFailed):
        es.become_provider(store, other.id)


def test_follow_ups_on_the_dashboard(store: Store) -> None:
    today = date.today()
    due = es.log_enquiry(
        store,
        {
            "enquirer_kind": "family_carer",
            "caller_name": "Due Today",
            "outcome": "follow_up",
            "follow_up_on": today.isoformat(),
        },
    )
    es.log_enquiry(
        store,
        {
            "enquirer_kind": "family_carer",
            "caller_name": "Later",
            "outcome": "follow_up",
            "follow_up_on": "+10d",
        },
    )
    board = load_dashboard(store, today)
    assert [r.caller for r in board.follow_ups_due] == ["Due Today"]
    with pytest.raises(ValidationFailed):
        es.complete_follow_up(store, due.id, "  ")
    es.complete_follow_up(store, due.id, "Rang back; started with Oak Tree")
    assert load_dashboard(store, today).follow_ups_due == []


def test_possible_contacts(store: Store) -> None:
    first = es.log_enquiry(
        store,
        {
            "enquirer_kind": "family_carer",
            "caller_name": "Margaret Jones",
            "caller_phone": "07911 123456",
        },
    )
    by_phone = es.possible_contacts(store, "+44 7911 123456", None)
    assert [c.enquiry_id for c in by_phone] == [first.id]
    by_name = es.possible_contacts(store, "", "Margret Jones")
    assert [(c.enquiry_id, c.reason) for c in by_name] == [(first.id, "similar name")]
    assert es.possible_contacts(store, "not a phone", "Zed") == []


def test_provider_validation_messages(store: Store) -> None:
    with pytest.raises(ValidationFailed) as info:
        ps.save_provider(
            store,
            {
                "name": "X",
                "phone": "12345",
                "postcode": "nope",
                "email": "a@",
                "services": ["teleportation"],
            },
        )
    assert {"name", "phone", "postcode", "email"} <= set(info.value.errors)
    assert store.scalar("SELECT COUNT(*) FROM providers") == 0
    p = ps.save_provider(store, {"name": "Big Care Ltd", "staff_count": "12"})
    assert p.size_band.value == "small"
    with pytest.raises(ValidationFailed):
        ps.save_provider(store, {"stage": "active"}, p.id)  # enquiry -> active is not a move


def test_qa_not_approved_drops_standing(store: Store, providers: dict[str, str]) -> None:
    pid = providers["Ashford Shopping Pals"]
    records.save(
        store, m.QACheck(provider_id=pid, checked_on=date.today(), outcome=QAOutcome.NOT_APPROVED)
    )
    row = next(r for r in find_providers(store, "shopping ashford").rows if r.id == pid)
    assert row.standing == "not_listed"


def test_a_renamed_service_is_understood_on_the_next_query_through_the_same_reader(
    db_path: Path, providers: dict[str, str]
) -> None:
    """The reader keeps its vocabulary and labels per connection, keyed on the data's
    generation: a rename saved on the UI's connection is seen by the very next lookup."""
    from microcare_tui.services.database import Connections
    from microcare_tui.services.lookup import understand
    from microcare_tui.services.settings import save_service_type
    from microcare_tui.store import reference

    connections = Connections(db_path)
    try:

        def services_understood(text: str) -> list[str]:
            found = connections.read(lambda db: understand(db, text).services)
            assert found is not None
            return found

        def labels_shown(text: str) -> set[str]:
            rows = connections.read(lambda db: find_providers(db, text, today=date.today()).rows)
            assert rows is not None
            return {label for row in rows for label in row.services}

        reader = connections.read(lambda db: db)
        assert services_understood("grocery runs") == []
        assert labels_shown("shopping") == {"Shopping and errands", "Companionship"}
        shopping = next(s for s in reference.service_types(connections.ui) if s.code == "shopping")
        save_service_type(
            connections.ui,
            {"label": "Grocery runs", "synonyms": ", ".join(shopping.synonyms)},
            shopping.id,
        )
        assert services_understood("grocery runs") == ["shopping"]
        assert labels_shown("shopping") == {"Grocery runs", "Companionship"}
        assert connections.read(lambda db: db) is reader  # the same connection throughout
    finally:
        connections.close()


def test_home_lists_the_most_overdue_follow_ups_first(store: Store) -> None:
    """More follow-ups due than Home shows: the list holds the most overdue, in order."""
    from microcare_tui.services.dashboard import FOLLOW_UPS_SHOWN

    today = date(2026, 11, 22)
    for day in range(1, 13):  # due 1..12 November; received in the opposite order
        es.log_enquiry(
            store,
            {
                "enquirer_kind": "family_carer",
                "caller_name": f"Caller {day:02d}",
                "received_at": f"2026-11-{21 - day:02d}T10:00",
                "outcome": "follow_up",
                "follow_up_on": f"2026-11-{day:02d}",
            },
        )
    board = load_dashboard(store, today)
    assert board.follow_ups_due_count == 12
    assert [r.caller for r in board.follow_ups_due] == [
        f"Caller {day:02d}" for day in range(1, FOLLOW_UPS_SHOWN + 1)
    ]
    assert board.follow_ups_due[0].follow_up == "01/11/2026 overdue"


def test_enquiry_page_is_a_view_with_labels(store: Store) -> None:
    from microcare_tui.services.enquiry_list import EnquiryListFilter, load_enquiry_page

    today = date(2026, 11, 22)
    es.log_enquiry(
        store,
        {
            "enquirer_kind": "family_carer",
            "caller_name": "Ann Archer",
            "needs": ["shopping"],
            "postcode": "TN23 4AB",
            "outcome": "follow_up",
            "follow_up_on": "2026-11-22",
        },
    )
    es.log_enquiry(store, {"enquirer_kind": "professional", "outcome": "no_suitable_provider",
                           "needs": ["gardening"]})  # fmt: skip
    page = load_enquiry_page(store, EnquiryListFilter(kind="family_carer"), 7, today, 50)
    assert (page.page, page.total, page.pages) == (0, 1, 1)  # past the end: the last page
    (line,) = page.rows
    assert (line.caller, line.kind, line.outcome, line.needs, line.area, line.follow_up) == (
        "Ann Archer", "Family member or carer", "Follow-up needed", ["Shopping and errands"],
        "Ashford", "22/11/2026 due",
    )  # fmt: skip
    nameless = load_enquiry_page(store, EnquiryListFilter(kind="professional"), 0, today).rows
    assert [(r.caller, r.outcome, r.follow_up) for r in nameless] == [
        ("(no name)", "No suitable provider", "")
    ]
