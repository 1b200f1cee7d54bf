"""The pipeline's rules: stalled (boundary days), days in stage, impossible moves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from microcare_tui.domain import pipeline as p
from microcare_tui.domain.enums import Stage

TODAY = date(2026, 11, 22)
STAGES = {s.code: s for s in p.DEFAULT_STAGES}
DEVELOPING = STAGES[Stage.DEVELOPING]


def test_the_default_stages_are_the_stage_enums_in_order() -> None:
    # Written out as plain codes (Home's first read must not import the enums): the same.
    assert [s.code for s in p.DEFAULT_STAGES] == [stage.value for stage in Stage]


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(59, None), (60, 60), (61, 61), (0, None)],
    ids=["a day short", "exactly N days", "a day over", "today"],
)
def test_stalled_from_exactly_n_days(days_ago: int, expected: int | None) -> None:
    contact = TODAY - timedelta(days=days_ago)
    assert p.stalled_days(DEVELOPING, contact, TODAY, 60) == expected


def test_listed_and_closed_stages_never_stall() -> None:
    long_ago = TODAY - timedelta(days=400)
    for code in (Stage.REGISTERED, Stage.ACTIVE, Stage.CEASED, Stage.NOT_PROCEEDING):
        assert p.stalled_days(STAGES[code], long_ago, TODAY, 60) is None
    assert p.stalled_days(STAGES[Stage.PAUSED], long_ago, TODAY, 60) == 400
    assert p.stalled_days(DEVELOPING, None, TODAY, 60) is None


def test_stalled_and_days_in_words() -> None:
    assert p.stalled_text(74) == "stalled 74 days"
    assert p.stalled_text(1) == "stalled 1 day"
    assert p.stalled_text(None) == ""
    assert p.days_in_stage_text(0) == "today"
    assert p.days_in_stage_text(1) == "1 day"
    assert p.days_in_stage_text(34) == "34 days"
    assert p.days_between(TODAY - timedelta(days=34), TODAY) == 34
    assert p.days_between(TODAY + timedelta(days=3), TODAY) == 0
    assert p.days_between(None, TODAY) == 0


def test_last_contact_is_the_newest_of_visits_and_the_stage_move() -> None:
    visit = date(2026, 10, 1)
    assert p.last_contact([date(2026, 9, 1), visit], date(2026, 8, 1)) == visit
    assert p.last_contact([visit], date(2026, 11, 1)) == date(2026, 11, 1)
    assert p.last_contact([], None) is None


def _problem(**changes: object) -> dict[str, str]:
    args: dict[str, object] = {
        "current": "developing",
        "target": "checks",
        "known": [s.code for s in p.DEFAULT_STAGES],
        "moved_on": TODAY,
        "today": TODAY,
        "earliest": date(2026, 1, 10),
        "last_move": date(2026, 3, 1),
        "labels": {"developing": "Developing"},
    }
    args.update(changes)
    return p.move_problem(**args)  # type: ignore[arg-type]


def test_moves_forward_and_backward_are_possible() -> None:
    assert _problem() == {}
    assert _problem(target="enquiry") == {}
    assert _problem(moved_on=date(2026, 3, 1)) == {}  # the same day as the last move


def test_impossible_moves_say_why() -> None:
    assert _problem(target="developing") == {"stage": "Already at developing"}
    assert _problem(target="accredited") == {"stage": "There is no stage 'accredited'"}
    future = _problem(moved_on=TODAY + timedelta(days=1))
    assert future == {"moved_on": "A move cannot be dated in the future (today is 22/11/2026)"}
    early = _problem(moved_on=date(2026, 1, 9), last_move=None)
    assert early == {"moved_on": "The provider was not on the register before 10/01/2026"}
    before_last = _problem(moved_on=date(2026, 2, 28))
    assert before_last["moved_on"].startswith("The last move was on 01/03/2026")


def test_neighbour_stage_in_the_board_order() -> None:
    order = [s.code for s in p.DEFAULT_STAGES]
    assert p.neighbour_stage(order, "enquiry", 1) == "exploring"
    assert p.neighbour_stage(order, "enquiry", -1) is None
    assert p.neighbour_stage(order, "not_proceeding", 1) is None
    assert p.neighbour_stage(order, "checks", -1) == "developing"
    assert p.neighbour_stage(order, "unknown", 1) is None
