"""Standing end to end: the Python rule (record, Quality section) and STANDING_SQL (lookup,
register, Home's count) agree on a generated register of wide variety; the evidence form's
checks; people; the radar."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import QAOutcome, Stage, Standing
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.services import evidence as evidence_service
from microcare_tui.services import people as people_service
from microcare_tui.services.radar import RadarLine
from microcare_tui.services.standing import assess, verdicts_for
from microcare_tui.store import providers as repo
from microcare_tui.store import records
from microcare_tui.store.db import Store

TODAY = date(2026, 11, 22)
YESTERDAY = TODAY - timedelta(days=1)
TYPES = ["dbs_enhanced", "public_liability", "food_hygiene", "employers_liability",
         "cqc_registration", "first_aid", "hmrc_registration", "dbs_update_service"]  # fmt: skip
EXPIRIES = [None, TODAY, YESTERDAY, TODAY + timedelta(days=40), date(2025, 1, 1)]


def _provider(store: Store, rng: random.Random, n: int) -> str:
    p = repo.save_provider(
        store,
        m.Provider(
            name=f"Provider {n}",
            stage=rng.choice([Stage.ACTIVE, Stage.ACTIVE, Stage.REGISTERED, Stage.PAUSED]),
            services=rng.sample(["meals", "personal_care", "shopping", "companionship"], 2),
            staff_count=rng.choice([1, 2]),
            regulated_activity=rng.random() < 0.4,
            cqc_exempt=rng.random() < 0.3,
            legal_form=rng.choice(["sole_trader", "cic"]),
        ),
    )
    people = []
    for k in range(rng.choice([0, 0, 1, 2, 3])):
        person = records.save(store, m.ProviderPerson(
            provider_id=p.id, name=f"Person {n}-{k}", works_one_to_one=rng.random() < 0.7,
            role="owner" if k == 0 and rng.random() < 0.6 else "worker",
            left_on=YESTERDAY if rng.random() < 0.2 else None,
        ))  # fmt: skip
        people.append(person.id)
    for _ in range(rng.randint(0, 6)):
        item = records.save(store, m.EvidenceItem(
            provider_id=p.id, evidence_type_code=rng.choice(TYPES),
            person_id=rng.choice([None, *people]) if people else None,
            status=rng.choice(["met", "met", "met", "not_met"]),
            expires_on=rng.choice(EXPIRIES),
        ))  # fmt: skip
        if rng.random() < 0.1:
            records.soft_delete(store, m.EvidenceItem, item.id)
    for _ in range(rng.choice([0, 1, 1, 2])):
        check = records.save(store, m.QACheck(
            provider_id=p.id, checked_on=TODAY - timedelta(days=rng.randint(0, 400)),
            outcome=rng.choice(list(QAOutcome)),
        ))  # fmt: skip
        if rng.random() < 0.5:
            store.write_row("actions", {
                "provider_id": p.id, "source": "qa_check", "source_id": check.id,
                "description": "Renew the lone working policy",
                "due_on": rng.choice([TODAY.isoformat(), YESTERDAY.isoformat(), None]),
                "done_on": TODAY.isoformat() if rng.random() < 0.3 else None,
            })  # fmt: skip
    if rng.random() < 0.25:
        store.write_row("concerns", {
            "provider_id": p.id, "kind": rng.choice(["safeguarding", "complaint"]),
            "raised_on": "2026-11-12", "summary": "Raised by a family member",
            "status": rng.choice(["open", "closed"]),
        })  # fmt: skip
    return p.id


def test_sql_and_rule_agree_on_a_generated_register(store: Store) -> None:
    """400 providers with every input varied (stage, services, staff, regulated and exempt,
    legal form, people who left or not one-to-one, renewals, withdrawn items, QA outcomes
    with actions due today/yesterday/done, open and closed concerns): SQL == rule."""
    rng = random.Random("standing-agreement")
    with store.transaction():
        ids = [_provider(store, rng, n) for n in range(400)]
    seen: set[Standing] = set()
    mismatches = []
    # The Quality section's read of many at once decides each the same, reasons and days too.
    batch = verdicts_for(store, ids, TODAY)
    for pid in ids:
        provider = repo.get_provider(store, pid)
        rule = assess(store, provider, TODAY).verdict
        sql = repo.provider_standing(store, pid, TODAY)
        seen.add(rule.standing)
        if sql != rule.standing.value:
            mismatches.append(f"{provider.name}: rule {rule.standing} {rule.reasons}, SQL {sql}")
        if batch[pid] != rule:
            mismatches.append(f"{provider.name}: rule {rule}, read at once {batch[pid]}")
    assert mismatches == []
    assert seen == set(Standing)
    # A withdrawn provider has no verdict.
    records.soft_delete(store, m.Provider, ids[0])
    assert ids[0] not in verdicts_for(store, ids[:2], TODAY)
    assert ids[1] in verdicts_for(store, ids[:2], TODAY)


def _listed(store: Store, **extra: object) -> m.Provider:
    return repo.save_provider(store, m.Provider(name="Oak Tree", stage=Stage.ACTIVE, **extra))


@pytest.mark.parametrize(
    ("due", "done", "standing"),
    [(TODAY, False, Standing.GOOD), (YESTERDAY, False, Standing.LAPSED),
     (YESTERDAY, True, Standing.GOOD)],
)  # fmt: skip
def test_qa_actions_due_today_are_not_overdue(
    store: Store, due: date, done: bool, standing: Standing
) -> None:
    p = _listed(store)
    check = records.save(
        store,
        m.QACheck(
            provider_id=p.id, checked_on=date(2026, 10, 1), outcome=QAOutcome.APPROVED_WITH_ACTIONS
        ),
    )
    store.write_row("actions", {"provider_id": p.id, "source": "qa_check", "source_id": check.id,
                                "description": "Add a complaints procedure",
                                "due_on": due.isoformat(),
                                "done_on": TODAY.isoformat() if done else None})  # fmt: skip
    verdict = assess(store, p, TODAY).verdict
    assert verdict.standing is standing
    assert repo.provider_standing(store, p.id, TODAY) == standing.value
    if standing is Standing.LAPSED:
        assert verdict.reasons == ("QA action due 21/11/2026 not done: Add a complaints procedure",)


def test_an_open_safeguarding_concern_suspends_with_its_date(store: Store) -> None:
    p = _listed(store)
    store.write_row("concerns", {"provider_id": p.id, "kind": "safeguarding",
                                 "raised_on": "2026-11-12", "summary": "x"})  # fmt: skip
    verdict = assess(store, p, TODAY).verdict
    assert verdict.standing is Standing.SUSPENDED
    assert verdict.why[0].text == "safeguarding concern open since 12/11/2026"
    assert verdict.why[0].since == date(2026, 11, 12)


def test_lapsed_mandatory_evidence_names_the_day_and_missing_does_not_lapse(store: Store) -> None:
    p = _listed(store, services=["companionship"])
    assert assess(store, p, TODAY).verdict.standing is Standing.GOOD  # everything missing
    evidence_service.save_evidence(store, p.id, {
        "evidence_type_code": "public_liability", "issued_on": "03/11/2025",
        "expires_on": "02/11/2026"}, today=TODAY)  # fmt: skip
    verdict = assess(store, p, TODAY).verdict
    assert verdict.reasons == ("Public liability insurance expired 02/11/2026",)
    assert verdict.why[0].since == date(2026, 11, 3)
    # Food hygiene does not apply to a companion: its lapse changes nothing.
    evidence_service.save_evidence(store, p.id, {
        "evidence_type_code": "food_hygiene", "expires_on": "01/01/2026"}, today=TODAY)  # fmt: skip
    assert len(assess(store, p, TODAY).verdict.reasons) == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"evidence_type_code": "horoscope"}, "evidence_type_code"),
        ({"evidence_type_code": "first_aid", "issued_on": "01/05/2026",
          "expires_on": "01/04/2026"}, "expires_on"),
        ({"evidence_type_code": "first_aid", "issued_on": "31/02/2026"}, "issued_on"),
        ({"evidence_type_code": "first_aid", "issued_on": "01/01/2027"}, "issued_on"),
        ({"evidence_type_code": "first_aid", "seen_on": "+3d"}, "seen_on"),
        ({"evidence_type_code": "first_aid", "person_id": "someone-else"}, "person_id"),
        ({"evidence_type_code": "public_liability", "cover_pence": "lots"}, "cover_pence"),
    ],
)  # fmt: skip
def test_the_evidence_form_refuses_what_cannot_be(
    store: Store, values: dict[str, str], field: str
) -> None:
    p = _listed(store)
    with pytest.raises(ValidationFailed) as caught:
        evidence_service.save_evidence(store, p.id, values, today=TODAY)
    assert field in caught.value.errors
    assert store.scalar("SELECT COUNT(*) FROM evidence_items") == 0


def test_cover_below_the_minimum_saves_with_a_warning_and_the_list_shows_it(store: Store) -> None:
    p = _listed(store)
    saved = evidence_service.save_evidence(
        store,
        p.id,
        {
            "evidence_type_code": "public_liability",
            "cover_pence": "£2m",
            "expires_on": "10/12/2026",
            "reference": "PL-1",
            "seen_by": "Sam",
        },
        today=TODAY,
    )
    assert saved.warnings == ["Cover £2,000,000.00 is below the minimum £5,000,000.00"]
    lines = {ln.label: ln for ln in evidence_service.evidence_lines(store, p.id, TODAY)}
    line = lines["Public liability insurance"]
    assert line.text == "! expires in 18 days (cover below minimum)"
    assert line.detail == "ref PL-1, cover £2,000,000.00, seen by Sam"
    assert lines["Enhanced DBS check"].text == "? missing"


def test_people_add_edit_and_leave(store: Store) -> None:
    p = _listed(store)
    with pytest.raises(ValidationFailed) as caught:
        people_service.save_person(store, p.id, {"name": "S"})
    assert "name" in caught.value.errors
    owner = people_service.save_person(store, p.id, {"name": "Sam Patel", "role": "owner"})
    helper = people_service.save_person(store, p.id, {"name": "Jo Reed", "role": "worker"})
    people_service.save_person(store, p.id, {"works_one_to_one": False}, owner.id)
    people_service.mark_left(store, helper.id, YESTERDAY)
    lines = people_service.person_lines(store, p.id)
    assert [(ln.name, ln.role, ln.one_to_one, ln.left) for ln in lines] == [
        ("Sam Patel", "Owner", "not one-to-one", ""),
        ("Jo Reed", "Worker", "works one-to-one", "left 21/11/2026"),
    ]
    # Nobody current works one-to-one, so no DBS line at all.
    labels = [ln.label for ln in evidence_service.evidence_lines(store, p.id, TODAY)]
    assert not any("DBS" in label for label in labels)


def test_the_radar_bands_evidence_certificates_and_reviews(store: Store) -> None:
    from microcare_tui.services.radar import radar_lines, radar_view

    p = _listed(store)
    records.save(store, m.QACheck(provider_id=p.id, checked_on=date(2025, 11, 22),
                                  outcome=QAOutcome.APPROVED, checked_by="Sam",
                                  next_review_on=TODAY))  # fmt: skip
    records.save(
        store,
        m.TrainingAttendance(
            session_id="s",
            provider_id=p.id,
            attendee_name="Jo Reed",
            certificate_expires_on=TODAY + timedelta(days=45),
        ),
    )
    old = records.save(store, m.EvidenceItem(provider_id=p.id, evidence_type_code="first_aid",
                                             expires_on=YESTERDAY))  # fmt: skip
    records.save(store, m.EvidenceItem(provider_id=p.id, evidence_type_code="references",
                                       expires_on=TODAY + timedelta(days=80)))  # fmt: skip
    lines = radar_lines(store, TODAY)
    assert [(ln.what, ln.when, ln.band, ln.worker) for ln in lines] == [
        ("First aid", "lapsed 21/11/2026", "lapsed", "Sam"),
        ("QA review", "due today", "30", "Sam"),  # due today is due, not overdue
        ("Training certificate: Jo Reed", "due in 45 days", "60", "Sam"),
        ("References", "due in 80 days", "90", "Sam"),
    ]
    assert band_counts(lines) == {"lapsed": 1, "30": 1, "60": 1, "90": 1}
    # Home's view: the same counts, and only the soonest lines made.
    view = radar_view(store, TODAY, shown=2)
    assert view.counts == {"lapsed": 1, "30": 1, "60": 1, "90": 1}
    assert view.lines == lines[:2]
    assert radar_lines(store, TODAY, worker="Someone else") == []
    # A renewal takes the lapsed line off the radar; so does an item that never expires.
    records.save(store, old.model_copy(update={"id": "renewal", "expires_on": date(2029, 1, 1)}))
    assert [ln.what for ln in radar_lines(store, TODAY)][0] == "QA review"
    records.save(store, m.EvidenceItem(provider_id=p.id, evidence_type_code="references",
                                       expires_on=None))  # fmt: skip
    assert [ln.what for ln in radar_lines(store, TODAY)] == [
        "QA review",
        "Training certificate: Jo Reed",
    ]
    assert radar_view(store, TODAY).counts == {"lapsed": 0, "30": 1, "60": 1, "90": 0}


def band_counts(lines: list[RadarLine]) -> dict[str, int]:
    """How many lines in each band (lapsed with overdue reviews, 30, 60, 90), counted from
    the lines in Python: what Home's radar counts in SQL must come to."""
    counts = {"lapsed": 0, "30": 0, "60": 0, "90": 0}
    for line in lines:
        counts["lapsed" if line.band in ("lapsed", "overdue") else line.band] += 1
    return counts
