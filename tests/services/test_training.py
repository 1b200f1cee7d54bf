"""Training use-cases: booking refusals, attendance with its certificates in one
transaction, the overview's lists and the record's training part."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from microcare_tui.domain.errors import MicrocareError, ValidationFailed
from microcare_tui.domain.training import AttendanceStatus, BookingRefused
from microcare_tui.services import training as ts
from microcare_tui.services import training_booking as tb
from microcare_tui.services import training_forms as tf
from microcare_tui.store.db import Store
from tests.conftest import TODAY
from tests.training_helpers import add_session, book_row, seed_training

A = AttendanceStatus


def _who(store: Store, name: str) -> tb.BookableLine:
    found = [p for p in tb.find_bookable(store, name) if p.name == name]
    assert len(found) == 1, found
    return found[0]


def test_book_over_capacity_refused_then_booked_when_asked(store: Store) -> None:
    s = seed_training(store)
    tb.book(store, s.upcoming, _who(store, "Ann Owner"), TODAY)
    tb.book(store, s.upcoming, _who(store, "Ben Worker"), TODAY)
    before = store.scalar("SELECT COUNT(*) FROM training_attendance")
    with pytest.raises(BookingRefused, match="full \\(2 of 2 places\\)") as refused:
        tb.book(store, s.upcoming, _who(store, "Cara Helper"), TODAY)
    assert refused.value.full
    assert store.scalar("SELECT COUNT(*) FROM training_attendance") == before
    tb.book(store, s.upcoming, _who(store, "Cara Helper"), TODAY, over_capacity=True)
    assert ts.session_sheet(store, s.upcoming, TODAY).places == "3/2"
    with pytest.raises(BookingRefused, match="Ann Owner already has a place"):
        tb.book(store, s.upcoming, _who(store, "Ann Owner"), TODAY, over_capacity=True)


def test_booking_a_held_or_cancelled_session_is_refused(store: Store) -> None:
    s = seed_training(store)
    with pytest.raises(BookingRefused, match="held on 20/11/2026"):
        tb.book(store, s.held, _who(store, "Cara Helper"), TODAY)
    tf.cancel_session(store, s.upcoming, TODAY)
    with pytest.raises(BookingRefused, match="cancelled"):
        tb.book(store, s.upcoming, _who(store, "Cara Helper"), TODAY)
    with pytest.raises(MicrocareError, match="already cancelled"):
        tf.cancel_session(store, s.upcoming, TODAY)


def test_a_provider_without_people_offers_its_lead_contact(store: Store) -> None:
    from microcare_tui.services import providers as ps

    ps.save_provider(store, {"name": "Elm Gardening", "lead_contact": "Dev Elm"})
    [elm] = tb.find_bookable(store, "Elm")
    assert (elm.person_id, elm.name, elm.role) == (None, "Dev Elm", "lead contact")


def test_attendance_creates_certificates_in_one_transaction(store: Store) -> None:
    s = seed_training(store)
    sheet = ts.session_sheet(store, s.held, TODAY)
    assert [p.name for p in sheet.people] == ["Ann Owner", "Ben Worker", "Cara Helper"]
    assert sheet.held and "certificate" in sheet.certificate
    ann, ben, cara = (p.id for p in sheet.people)
    saved = ts.save_attendance(store, s.held, {ann: A.ATTENDED, ben: A.NO_SHOW, cara: A.ATTENDED},
                               TODAY)  # fmt: skip
    assert (saved.changed, saved.attended, saved.certificates) == (3, 2, 2)
    assert saved.message == "Saved attendance: 2 attended, 2 certificates recorded."
    evidence = store.query(
        "SELECT provider_id, person_id, evidence_type_code, issued_on, expires_on, status "
        "FROM evidence_items WHERE deleted_at IS NULL ORDER BY person_id"
    )
    assert sorted((e["person_id"], e["expires_on"]) for e in evidence) == sorted(
        [(s.people["Ann Owner"], "2029-11-20"), (s.people["Cara Helper"], "2029-11-20")]
    )
    assert {(e["evidence_type_code"], e["issued_on"], e["status"]) for e in evidence} == {
        ("first_aid", "2026-11-20", "met")
    }
    rows = {r["attendee_name"]: r for r in store.query("SELECT * FROM training_attendance")}
    assert rows["Ann Owner"]["certificate_expires_on"] == "2029-11-20"
    assert rows["Ann Owner"]["evidence_item_id"]
    assert rows["Ben Worker"]["status"] == "no_show"
    # Ann was marked by mistake: back to booked withdraws her certificate; saving again
    # changes nothing.
    again = ts.save_attendance(store, s.held, {ann: A.BOOKED, cara: A.ATTENDED}, TODAY)
    assert (again.changed, again.withdrawn, again.certificates) == (1, 1, 0)
    assert store.scalar("SELECT COUNT(*) FROM evidence_items WHERE deleted_at IS NULL") == 1
    assert ts.save_attendance(store, s.held, {cara: A.ATTENDED}, TODAY).message == (
        "Nothing changed."
    )


def test_a_failed_attendance_save_leaves_nothing(store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    s = seed_training(store)
    ann, ben, _ = (p.id for p in ts.session_sheet(store, s.held, TODAY).people)
    writes = {"n": 0}
    real = ts.repo.write

    def failing(db: Store, table: str, row: dict) -> dict:
        writes["n"] += 1
        if writes["n"] == 3:  # Ann's certificate and attendance are written, then Ben's fails
            raise OSError("disk gone")
        return real(db, table, row)

    monkeypatch.setattr(ts.repo, "write", failing)
    changes = store.scalar("SELECT COUNT(*) FROM _change_log")
    with pytest.raises(OSError):
        ts.save_attendance(store, s.held, {ann: A.ATTENDED, ben: A.ATTENDED}, TODAY)
    assert store.scalar("SELECT COUNT(*) FROM evidence_items") == 0
    assert store.scalar("SELECT COUNT(*) FROM training_attendance WHERE status = 'attended'") == 0
    assert store.scalar("SELECT COUNT(*) FROM _change_log") == changes


def test_attendance_refused_before_the_day_and_on_a_cancelled_session(store: Store) -> None:
    s = seed_training(store)
    person = tb.book(store, s.upcoming, _who(store, "Ann Owner"), TODAY)
    with pytest.raises(MicrocareError, match="on 24/11/2026: record who came on the day"):
        ts.save_attendance(store, s.upcoming, {person: A.ATTENDED}, TODAY)
    tf.cancel_session(store, s.upcoming, TODAY)
    with pytest.raises(MicrocareError, match="cancelled"):
        ts.save_attendance(store, s.upcoming, {person: A.ATTENDED}, TODAY + timedelta(days=3))


def test_overview_lists_upcoming_first_and_certificates_due(store: Store) -> None:
    s = seed_training(store)
    old = add_session(store, s.first_aid, date(2023, 12, 1), venue="Old Hall")
    book_row(store, old, s.oak.id, s.people["Ben Worker"], "Ben Worker", "attended")
    store.write_row("training_attendance", {
        "id": store.scalar("SELECT id FROM training_attendance WHERE session_id = ?", (old,)),
        "certificate_expires_on": "2026-12-01"})  # fmt: skip
    older = add_session(store, s.first_aid, date(2023, 9, 1), venue="Older Hall")
    book_row(store, older, s.birch.id, s.people["Cara Helper"], "Cara Helper", "attended")
    store.write_row("training_attendance", {
        "id": store.scalar("SELECT id FROM training_attendance WHERE session_id = ?", (older,)),
        "certificate_expires_on": "2026-09-01"})  # fmt: skip
    view = ts.training_overview(store, TODAY)
    assert [x.venue for x in view.sessions] == ["Hall", "Hall", "Old Hall", "Older Hall"]
    assert [x.upcoming for x in view.sessions] == [True, False, False, False]
    assert (view.upcoming, view.held) == (1, 3)
    assert view.sessions[0].places == "0/2" and view.sessions[0].state == "upcoming"
    assert view.sessions[1].state == "held · 0 came"
    assert [(c.holder, c.band, c.words) for c in view.certificates] == [
        ("Cara Helper", 0, "! expired 01/09/2026"),
        ("Ben Worker", 30, "expires in 9 days (01/12/2026)"),
    ]
    assert (view.expired, view.due) == (1, {30: 1, 60: 1, 90: 1})
    first_aid = next(c for c in view.courses if c.id == s.first_aid)
    assert (first_aid.certificate, first_aid.mandatory) == ("First aid, 36 months", "all providers")
    # Ben renews: the new certificate hides the one it replaces.
    sheet = ts.session_sheet(store, s.held, TODAY)
    ben = next(p.id for p in sheet.people if p.name == "Ben Worker")
    ts.save_attendance(store, s.held, {ben: A.ATTENDED}, TODAY)
    assert [c.holder for c in ts.training_overview(store, TODAY).certificates] == ["Cara Helper"]
    record = tf.provider_training(store, s.oak.id, TODAY)
    assert [(c.who, c.words) for c in record.certificates] == [
        ("Ben Worker", "valid to 20/11/2029")
    ]
    assert record.summary == "1 certificate; 0 places booked"


def test_new_session_and_course_forms_validate_by_field(store: Store) -> None:
    s = seed_training(store)
    with pytest.raises(ValidationFailed) as bad:
        tf.save_session(store, {"course_id": "", "day": "yesterday", "start": "25:00",
                                "capacity": "0"}, TODAY)  # fmt: skip
    assert set(bad.value.errors) == {"course_id", "day", "start", "capacity"}
    new = tf.save_session(store, {"course_id": s.business, "day": "tue", "start": "2pm",
                                  "venue": "Ashford Library", "capacity": "8"}, TODAY)  # fmt: skip
    line = ts.training_overview(store, TODAY).sessions[1]  # after the 10:00 one that day
    assert (line.id, line.when, line.places) == (new, "Tue 24/11/2026 14:00", "0/8")
    with pytest.raises(ValidationFailed) as course:
        tf.save_course(store, {"title": "x", "evidence_type_code": "nope",
                               "mandatory_for": ["flying"]})  # fmt: skip
    assert set(course.value.errors) == {"title", "evidence_type_code", "mandatory_for"}
    tf.save_course(store, {"title": "Food hygiene", "evidence_type_code": "food_hygiene",
                           "validity_months": "36", "mandatory_for": ["meals"]})  # fmt: skip
    food = next(c for c in ts.training_overview(store, TODAY).courses if c.title == "Food hygiene")
    assert (food.certificate, food.mandatory) == ("Food hygiene, 36 months", "Meal preparation")
