"""Training rules: certificate expiry at its boundaries, the expiry bands, booking checks."""

from __future__ import annotations

from datetime import date

import pytest

from microcare_tui.domain.training import (
    AttendanceStatus,
    BookingRefused,
    SessionState,
    certificate_expiry,
    check_booking,
    expiry_band,
    expiry_words,
    mandatory_for_provider,
    toggle_attended,
    toggle_no_show,
)

TODAY = date(2026, 11, 22)


def test_certificate_expiry_adds_whole_months_clamped_to_the_month() -> None:
    assert certificate_expiry(date(2026, 11, 20), 36) == date(2029, 11, 20)
    assert certificate_expiry(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert certificate_expiry(date(2027, 2, 29 - 1), 12) == date(2028, 2, 28)
    assert certificate_expiry(date(2026, 11, 20), None) is None


@pytest.mark.parametrize(
    ("expires", "band", "words"),
    [
        (date(2026, 11, 21), 0, "! expired 21/11/2026"),  # expired yesterday
        (date(2026, 11, 22), 30, "! expires today"),  # still valid today
        (date(2026, 11, 23), 30, "expires in 1 day (23/11/2026)"),
        (date(2026, 12, 22), 30, "expires in 30 days (22/12/2026)"),
        (date(2026, 12, 23), 60, "expires in 31 days (23/12/2026)"),
        (date(2027, 1, 21), 60, "expires in 60 days (21/01/2027)"),
        (date(2027, 2, 20), 90, "expires in 90 days (20/02/2027)"),
        (date(2027, 2, 21), None, "valid to 21/02/2027"),
        (None, None, "does not lapse"),
    ],
)
def test_expiry_bands_and_words(expires: date | None, band: int | None, words: str) -> None:
    assert expiry_band(expires, TODAY) == band
    assert expiry_words(expires, TODAY) == words


def test_the_keys_toggle_between_booked_and_the_mark() -> None:
    assert toggle_attended(AttendanceStatus.BOOKED) is AttendanceStatus.ATTENDED
    assert toggle_attended(AttendanceStatus.ATTENDED) is AttendanceStatus.BOOKED
    assert toggle_attended(AttendanceStatus.NO_SHOW) is AttendanceStatus.ATTENDED
    assert toggle_no_show(AttendanceStatus.ATTENDED) is AttendanceStatus.NO_SHOW
    assert toggle_no_show(AttendanceStatus.NO_SHOW) is AttendanceStatus.BOOKED


def _session(**changes: object) -> SessionState:
    values: dict[str, object] = {"held_on": date(2026, 11, 24), "capacity": 2,
                                 "places_taken": 1, "cancelled": False}  # fmt: skip
    values.update(changes)
    return SessionState(**values)  # type: ignore[arg-type]


def test_booking_checks() -> None:
    check_booking(_session(), False, "Ann", TODAY)  # one place left
    check_booking(_session(held_on=TODAY), False, "Ann", TODAY)  # on the day itself
    check_booking(_session(capacity=None, places_taken=40), False, "Ann", TODAY)
    with pytest.raises(BookingRefused, match="full \\(2 of 2") as full:
        check_booking(_session(places_taken=2), False, "Ann", TODAY)
    assert full.value.full
    check_booking(_session(places_taken=2), False, "Ann", TODAY, over_capacity=True)
    with pytest.raises(BookingRefused, match="Ann already has a place") as twice:
        check_booking(_session(), True, "Ann", TODAY)
    assert not twice.value.full
    with pytest.raises(BookingRefused, match="cancelled"):
        check_booking(_session(cancelled=True), False, "Ann", TODAY, over_capacity=True)
    with pytest.raises(BookingRefused, match="held on 21/11/2026"):
        check_booking(_session(held_on=date(2026, 11, 21)), False, "Ann", TODAY)


def test_mandatory_for_all_or_a_service() -> None:
    assert mandatory_for_provider(["all"], [])
    assert mandatory_for_provider(["meals"], ["companionship", "meals"])
    assert not mandatory_for_provider(["meals"], ["companionship"])
    assert not mandatory_for_provider([], ["meals"])
