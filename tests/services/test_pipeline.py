"""The pipeline board, stage moves with who and why, and visits (append-only) as services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.services import pipeline as ps
from microcare_tui.services import visits as vs
from microcare_tui.services.agenda import load_agenda
from microcare_tui.store.db import Store
from tests.conftest import TODAY
from tests.services.pipeline_helpers import seed_board


def _column(board: ps.Board, code: str) -> list[str]:
    return [c.name for c in next(col for col in board.columns if col.code == code).cards]


def test_board_cards_in_stage_columns_with_days_and_stalled(store: Store) -> None:
    seed_board(store)
    board = ps.load_board(store, TODAY)
    assert board.order[:4] == ["enquiry", "exploring", "developing", "checks"]
    assert _column(board, "developing") == ["Cedar Day Club", "Damson Drivers"]
    cedar = next(c for col in board.columns for c in col.cards if c.name == "Cedar Day Club")
    assert (cedar.area, cedar.lead_worker, cedar.days_text) == ("Ashford", "Priya Shah", "90 days")
    assert cedar.stalled_text == "stalled 74 days"
    hazel = next(c for col in board.columns for c in col.cards if c.name == "Hazel Sitters")
    assert hazel.stalled_text == "stalled 61 days"  # paused, and no contact since
    fern = next(c for col in board.columns for c in col.cards if c.name == "Fern Shopping Help")
    assert fern.stalled_days is None  # registered: on the register, not being developed
    oak = next(c for col in board.columns for c in col.cards if c.name == "Oak Tree Companions")
    assert oak.stalled_days is None  # no visit, but moved 3 days ago


def test_board_filters_and_caseload(store: Store) -> None:
    seed_board(store)
    board = ps.load_board(store, TODAY, worker="Sam Tester")
    assert board.total == 4
    assert _column(board, "developing") == ["Damson Drivers"]
    assert board.workers == [ps.NO_WORKER, "Priya Shah", "Sam Tester"]
    by_area = ps.load_board(store, TODAY, area="Ashford")
    assert sorted(c.name for col in by_area.columns for c in col.cards) == [
        "Cedar Day Club", "Elm Wellbeing", "Gorse Gardening", "Oak Tree Companions",
    ]  # fmt: skip
    nobody = ps.load_board(store, TODAY, worker=ps.NO_WORKER)
    assert [c.name for col in nobody.columns for c in col.cards] == ["Gorse Gardening"]
    rows = {r.worker: r for r in board.caseload}
    assert rows["Priya Shah"].by_stage == {
        "exploring": 1, "developing": 1, "registered": 1, "ceased": 1,
    }  # fmt: skip
    assert (rows["Priya Shah"].stalled, rows["Sam Tester"].stalled) == (1, 1)
    assert rows[ps.NO_WORKER].total == 1


def test_move_records_who_when_and_why_and_backwards_too(store: Store) -> None:
    ids = seed_board(store)
    elm = ids["Elm Wellbeing"]
    moved = ps.move_provider(store, elm, "registered", "DBS and insurance seen", today=TODAY)
    assert (moved.from_label, moved.to_label, moved.moved_on) == (
        "Checks submitted", "Registered", TODAY,
    )  # fmt: skip
    back = ps.move_provider(store, elm, "developing", "insurance lapsed", "today", today=TODAY)
    assert back.to_label == "Developing"
    history = vs.record_visits(store, elm, TODAY).moves
    assert [(h.text, h.by, h.reason) for h in history[:2]] == [
        ("Registered → Developing", "Sam Tester", "insurance lapsed"),
        ("Checks submitted → Registered", "Sam Tester", "DBS and insurance seen"),
    ]
    card = next(c for col in ps.load_board(store, TODAY).columns for c in col.cards if c.id == elm)
    assert (card.stage, card.days_text) == ("developing", "today")


def test_impossible_moves_save_nothing(store: Store) -> None:
    ids = seed_board(store)
    oak = ids["Oak Tree Companions"]
    cases = [
        ("enquiry", "today", "because", "stage"),
        ("accredited", "today", "because", "stage"),
        ("exploring", "+2d", "because", "moved_on"),
        ("exploring", (TODAY - timedelta(days=4)).isoformat(), "because", "moved_on"),
        ("exploring", "31/02/2026", "because", "moved_on"),
        ("exploring", "today", "", "reason"),
    ]
    for target, when, reason, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            ps.move_provider(store, oak, target, reason, when, today=TODAY)
        assert field in caught.value.errors, (target, when)
    assert len(vs.record_visits(store, oak, TODAY).moves) == 1
    assert ps.load_board(store, TODAY).columns[0].cards[0].name == "Oak Tree Companions"


def test_stages_renamed_and_reordered(store: Store) -> None:
    row = ps.rename_stage(store, "paused", {"label": "On hold", "position": "2"})
    assert (row.label, row.position) == ("On hold", 2)
    assert list(ps.stage_labels(store))[:3] == ["enquiry", "paused", "exploring"]
    with pytest.raises(ValidationFailed) as caught:
        ps.rename_stage(store, "paused", {"label": "Enquiry", "position": "20"})
    assert set(caught.value.errors) == {"label", "position"}


def test_visit_logged_with_actions_and_next_visit_on_home(store: Store) -> None:
    ids = seed_board(store)
    cedar = ids["Cedar Day Club"]
    vs.log_visit(
        store, cedar,
        {"visited_on": "today", "kind": "development", "duration_minutes": "1h30",
         "notes": "Went through the policies", "next_visit_on": "+10d",
         "action_1": "Send the lone working policy", "action_1_due": "+3d",
         "action_2": "Book first aid", "action_2_due": "+30d"},
        today=TODAY,
    )  # fmt: skip
    record = vs.record_visits(store, cedar, TODAY)
    assert (record.visits[0].kind, record.visits[0].duration) == ("Development", "1 h 30")
    assert [(a.description, a.state) for a in record.actions] == [
        ("Send the lone working policy", "due in 3 days"),
        ("Book first aid", "due in 30 days"),
    ]
    agenda = load_agenda(store, TODAY)
    assert [(a.provider, a.what, a.when) for a in agenda.actions] == [
        ("Cedar Day Club", "Send the lone working policy", "due in 3 days"),
    ]
    assert [(v.provider, v.when) for v in agenda.visits] == [
        ("Cedar Day Club", "in 10 days (Wed 02/12)"),
    ]
    board = ps.load_board(store, TODAY)
    card = next(c for col in board.columns for c in col.cards if c.id == cedar)
    assert card.stalled_days is None  # the visit today is a contact
    vs.complete_action(store, agenda.actions[0].item_id, TODAY)
    assert load_agenda(store, TODAY).actions_total == 0


def test_a_correction_keeps_the_original(store: Store) -> None:
    ids = seed_board(store)
    elm = ids["Elm Wellbeing"]
    first = vs.log_visit(
        store, elm, {"visited_on": "today", "kind": "qa", "next_visit_on": "+5d"}, today=TODAY
    )
    form = vs.visit_form_values(store, elm, corrects=first["id"], today=TODAY)
    assert form.values["kind"] == "qa"
    vs.log_visit(
        store, elm, {**form.values, "next_visit_on": "+12d", "notes": "date fixed"},
        today=TODAY, corrects=first["id"],
    )  # fmt: skip
    visits = vs.record_visits(store, elm, TODAY).visits
    assert [(v.corrected, v.is_correction) for v in visits[:2]] == [(False, True), (True, False)]
    agenda = load_agenda(store, TODAY)
    assert [v.when for v in agenda.visits if v.provider == "Elm Wellbeing"] == [
        "in 12 days (Fri 04/12)",
    ]
    with pytest.raises(ValidationFailed):
        vs.log_visit(store, elm, form.values, today=TODAY, corrects=first["id"])


def test_a_later_visit_replaces_the_plan_of_an_earlier_one_on_home(store: Store) -> None:
    ids = seed_board(store)
    oak = ids["Oak Tree Companions"]
    vs.log_visit(store, oak, {"visited_on": "-7d", "kind": "development",
                              "next_visit_on": "+3d"}, today=TODAY)  # fmt: skip
    assert [v.provider for v in load_agenda(store, TODAY).visits] == ["Oak Tree Companions"]
    # The visit since plans the next one beyond the fortnight: the earlier plan is gone.
    vs.log_visit(store, oak, {"visited_on": "-1d", "kind": "support",
                              "next_visit_on": "+40d"}, today=TODAY)  # fmt: skip
    agenda = load_agenda(store, TODAY)
    assert ([v.provider for v in agenda.visits], agenda.visits_total) == ([], 0)


def test_bad_visits_save_nothing(store: Store) -> None:
    ids = seed_board(store)
    oak = ids["Oak Tree Companions"]
    bad = {
        "visited_on": "+2d", "kind": "chat", "duration_minutes": "ages",
        "next_visit_on": "yesterday", "action_1": "", "action_1_due": "+3d",
        "action_2": "Ring the insurer", "action_2_due": "",
    }  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        vs.log_visit(store, oak, bad, today=TODAY)
    assert set(caught.value.errors) == {
        "visited_on", "kind", "duration_minutes", "next_visit_on", "action_1", "action_2_due",
    }  # fmt: skip
    assert caught.value.errors["visited_on"].startswith("A visit cannot be dated after today")
    assert vs.record_visits(store, oak, TODAY).visits == []
    store.write_row("settings", {"id": "visit_days_ahead", "value": "3"})
    vs.log_visit(store, oak, {"visited_on": "+2d", "kind": "phone"}, today=TODAY)
    assert vs.record_visits(store, oak, TODAY).visits[0].kind == "Phone call"


@pytest.mark.parametrize(
    ("text", "minutes"), [("45", 45), ("45m", 45), ("1h", 60), ("1h30", 90), ("2 hours", 120)]
)
def test_durations_as_people_say_them(text: str, minutes: int) -> None:
    assert vs.parse_duration(text) == minutes
