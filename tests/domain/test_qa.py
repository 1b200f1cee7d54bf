"""QA rules without a database: checklist pre-fill from the evidence on file (with boundary
days), outcome rules, the next review date and what makes a check impossible to save."""

from __future__ import annotations

from datetime import date
from typing import Any

from microcare_tui.domain import qa
from microcare_tui.domain.applicability import ItemState, Requirement
from microcare_tui.domain.concerns import (
    ConcernDraft,
    ConcernKind,
    ConcernOutcome,
    Severity,
    closing_problems,
    concern_problems,
    counts_on_track_record,
    suspends_standing,
)
from microcare_tui.domain.enums import EvidenceStatus as R
from microcare_tui.domain.enums import QAOutcome

DAY = date(2026, 11, 22)
DBS = Requirement("dbs_enhanced", "Enhanced DBS check: Jo Oak", "p1", "Jo Oak", True, None,
                  per_person=True)  # fmt: skip
PL = Requirement("public_liability", "Public liability insurance", None, None, True, 500_000_000)
POLICY = Requirement("policy_complaints", "Complaints policy", None, None, False, None)


def item(code: str, status: str = "met", person_id: str | None = None, **values: Any) -> ItemState:
    return ItemState(id="i", type_code=code, person_id=person_id, status=status, **values)


def line(req: Requirement, *items: ItemState) -> qa.ChecklistLine:
    return qa.build_checklist([req], list(items), DAY)[0]


def test_prefill_met_when_valid_expiring_today_and_not_met_when_lapsed_yesterday() -> None:
    today = item("public_liability", expires_on=DAY)
    yesterday = item("public_liability", expires_on=date(2026, 11, 21))
    assert line(PL, today).result is R.MET
    assert line(PL, today).note == "on file, expires 22/11/2026"
    lapsed = line(PL, yesterday)
    assert (lapsed.result, lapsed.note) == (R.NOT_MET, "lapsed 21/11/2026")
    # The valid one wins over a lapsed one on file for the same evidence.
    assert line(PL, yesterday, today).result is R.MET


def test_prefill_missing_short_cover_not_applicable_and_not_met_on_file() -> None:
    assert (line(PL).result, line(PL).note) == (R.NOT_MET, "nothing on file")
    short = item("public_liability", cover_pence=200_000_000)
    assert line(PL, short).note == "cover £2,000,000.00, below £5,000,000.00"
    assert line(PL, short).result is R.NOT_MET
    assert line(PL, item("public_liability", cover_pence=500_000_000)).result is R.MET
    na = item("policy_complaints", "not_applicable")
    assert line(POLICY, na).result is R.NOT_APPLICABLE
    waiting = item("policy_complaints", "not_met")
    assert (line(POLICY, waiting).result, line(POLICY, waiting).note) == (
        R.NOT_MET, "nothing on file")  # fmt: skip


def test_prefill_per_person_takes_that_persons_item() -> None:
    other = item("dbs_enhanced", person_id="p2")
    assert line(DBS, other).result is R.NOT_MET
    mine = item("dbs_enhanced", person_id="p1", expires_on=date(2027, 1, 1))
    found = line(DBS, other, mine)
    assert (found.result, found.person_id) == (R.MET, "p1")
    assert found.title == "Enhanced DBS check: Jo Oak"


def test_build_checklist_keeps_order_and_space_cycles() -> None:
    lines = qa.build_checklist([DBS, PL, POLICY], [], DAY)
    assert [ln.code for ln in lines] == ["dbs_enhanced", "public_liability", "policy_complaints"]
    assert [ln.mandatory for ln in lines] == [True, True, False]
    assert qa.next_result(R.MET) is R.NOT_MET
    assert qa.next_result(R.NOT_MET) is R.NOT_APPLICABLE
    assert qa.next_result(R.NOT_APPLICABLE) is R.MET


def test_review_date_and_review_due_today() -> None:
    assert qa.review_date(date(2025, 11, 22)) == DAY
    assert qa.review_date(date(2024, 2, 29)) == date(2025, 2, 28)
    assert qa.review_date(DAY, 6) == date(2027, 5, 22)
    assert qa.review_due(DAY, DAY)
    assert not qa.review_due(date(2026, 11, 23), DAY)
    assert qa.review_words(DAY, DAY) == "review due today"
    assert qa.review_words(date(2026, 11, 21), DAY) == "review overdue since 21/11/2026"
    assert qa.review_words(date(2026, 11, 23), DAY) == "next review 23/11/2026"


def test_outcome_rules() -> None:
    met = qa.build_checklist([PL], [item("public_liability")], DAY)
    unmet = qa.build_checklist([PL, POLICY], [], DAY)
    act = [qa.ActionDraft("Renew insurance", date(2026, 12, 1))]
    assert qa.outcome_problem(QAOutcome.APPROVED, met, []) is None
    assert qa.suggested_outcome(met) is QAOutcome.APPROVED
    refused = qa.outcome_problem(QAOutcome.APPROVED, unmet, [])
    assert refused is not None and "not met: Public liability insurance." in refused
    assert qa.suggested_outcome(unmet) is QAOutcome.APPROVED_WITH_ACTIONS
    assert "at least one action" in str(qa.outcome_problem(QAOutcome.APPROVED_WITH_ACTIONS,
                                                           unmet, []))  # fmt: skip
    assert qa.outcome_problem(QAOutcome.APPROVED_WITH_ACTIONS, unmet, act) is None
    assert qa.outcome_problem(QAOutcome.NOT_APPROVED, unmet, []) is None
    assert "approved with actions" in str(qa.outcome_problem(QAOutcome.APPROVED, met, act))
    # A line that is not mandatory does not stop approval.
    optional = qa.build_checklist([POLICY], [], DAY)
    assert qa.outcome_problem(QAOutcome.APPROVED, optional, []) is None


def test_check_problems_dates_actions_and_notes() -> None:
    lines = qa.build_checklist([PL], [item("public_liability")], DAY)
    ok = qa.check_problems(DAY, DAY, qa.review_date(DAY), QAOutcome.APPROVED, lines, [])
    assert ok == {}
    future = qa.check_problems(date(2026, 11, 23), DAY, None, QAOutcome.APPROVED, lines, [])
    assert future == {"checked_on": "A QA check cannot be dated in the future"}
    early = qa.check_problems(DAY, DAY, date(2026, 11, 21), QAOutcome.APPROVED, lines, [])
    assert early == {"next_review_on": "The next review cannot be before the check"}
    same_day = qa.check_problems(DAY, DAY, DAY, QAOutcome.APPROVED, lines, [])
    assert same_day == {}
    actions = [qa.ActionDraft("", date(2026, 12, 1)), qa.ActionDraft("Renew", date(2026, 11, 21)),
               qa.ActionDraft("Send policy", None)]  # fmt: skip
    bad = qa.check_problems(DAY, DAY, None, QAOutcome.NOT_APPROVED, lines, actions)
    assert bad == {
        "action1": "Action 1: describe what is to be done",
        "action2": "Action 2: the due date cannot be before the check",
        "action3": "Action 3: give a due date",
    }
    na = [lines[0].with_result(R.NOT_APPLICABLE).with_note("")]
    assert "say why" in qa.check_problems(DAY, DAY, None, QAOutcome.APPROVED, na, [])["line0"]
    assert qa.check_problems(DAY, DAY, None, QAOutcome.APPROVED,
                             [na[0].with_note("no employees")], []) == {}  # fmt: skip


def test_concern_rules() -> None:
    draft = ConcernDraft(ConcernKind.SAFEGUARDING, DAY, "Social worker", Severity.HIGH,
                         "Bruising noticed", referred_on=DAY)  # fmt: skip
    assert concern_problems(draft, DAY) == {}
    bad = ConcernDraft(ConcernKind.COMPLAINT, date(2026, 11, 23), "", None, "  ",
                       referred_on=date(2026, 11, 20))  # fmt: skip
    assert concern_problems(bad, DAY) == {
        "raised_on": "It cannot have been raised in the future",
        "summary": "Say in a line what it is about",
        "severity": "Choose low, medium or high",
        "referred_on": "The referral cannot be before it was raised",
    }
    early = ConcernDraft(ConcernKind.COMPLAINT, DAY, "", Severity.LOW, "Late",
                         referred_on=date(2026, 11, 21))  # fmt: skip
    assert concern_problems(early, DAY) == {
        "referred_on": "The referral cannot be before it was raised"
    }
    compliment = ConcernDraft(ConcernKind.COMPLIMENT, DAY, "Daughter of a client", None, "Kind")
    assert concern_problems(compliment, DAY) == {}
    assert closing_problems(None, date(2026, 11, 21), DAY, DAY) == {
        "outcome": "Choose the outcome",
        "closed_on": "It cannot be closed before it was raised",
    }
    assert closing_problems(ConcernOutcome.UPHELD, DAY, DAY, DAY) == {}
    assert suspends_standing("safeguarding", "open")
    assert not suspends_standing("safeguarding", "closed")
    assert not suspends_standing("complaint", "open")
    assert counts_on_track_record("complaint", "partly_upheld")
    assert not counts_on_track_record("complaint", "not_upheld")
    assert counts_on_track_record("compliment", None)
