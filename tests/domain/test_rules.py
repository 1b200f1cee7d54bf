"""The standing rule: the one source of a provider's standing and the words for why."""

from __future__ import annotations

from datetime import date

import pytest

from microcare_tui.domain import rules
from microcare_tui.domain.enums import QAOutcome, Stage, Standing

TODAY = date(2026, 11, 22)
OCT_1 = date(2026, 10, 1)
DBS = rules.EvidenceState("dbs_enhanced", True, date(2026, 10, 3), "Enhanced DBS check")
INSURANCE = rules.EvidenceState("public_liability", True, date(2026, 9, 30))
IN_DATE = rules.EvidenceState("first_aid", True, date(2027, 1, 1), "First aid")
APPROVED = rules.QAState(QAOutcome.APPROVED, OCT_1)
WITH_ACTIONS = rules.QAState(QAOutcome.APPROVED_WITH_ACTIONS, OCT_1)
REFUSED = rules.QAState(QAOutcome.NOT_APPROVED, OCT_1)


@pytest.mark.parametrize(
    ("stage", "words"),
    [
        (Stage.ENQUIRY, "stage is enquiry"),
        (Stage.DEVELOPING, "stage is developing"),
        (Stage.CHECKS, "stage is checks"),
        (Stage.PAUSED, "stage is paused"),
        (Stage.CEASED, "stage is ceased"),
    ],
)
def test_unlisted_stages_are_not_listed_whatever_else(stage: Stage, words: str) -> None:
    verdict = rules.standing(stage, APPROVED, [IN_DATE, DBS], TODAY)
    assert (verdict.standing, verdict.reasons) == (Standing.NOT_LISTED, (words,))


@pytest.mark.parametrize(
    ("stage", "qa", "evidence", "standing", "reasons"),
    [
        (Stage.REGISTERED, None, [], Standing.GOOD, ["registered, no QA check yet"]),
        (Stage.ACTIVE, None, [IN_DATE], Standing.GOOD, ["active, no QA check yet"]),
        (
            Stage.ACTIVE,
            APPROVED,
            [IN_DATE],
            Standing.GOOD,
            ["QA approved on 01/10/2026, nothing lapsed"],
        ),
        (
            Stage.REGISTERED,
            WITH_ACTIONS,
            [],
            Standing.GOOD,
            ["QA approved with actions on 01/10/2026, nothing lapsed"],
        ),
        # A refused QA check outweighs lapsed evidence, and the why lists both, worst first.
        (
            Stage.ACTIVE,
            REFUSED,
            [DBS],
            Standing.NOT_LISTED,
            ["QA check on 01/10/2026 was not approved", "Enhanced DBS check expired 03/10/2026"],
        ),
        # Every expired item, the longest lapsed first; an unnamed type shows its code in words.
        (
            Stage.ACTIVE,
            APPROVED,
            [IN_DATE, DBS, INSURANCE],
            Standing.LAPSED,
            ["Public liability expired 30/09/2026", "Enhanced DBS check expired 03/10/2026"],
        ),
    ],
)
def test_standing_and_its_reasons(
    stage: Stage,
    qa: rules.QAState | None,
    evidence: list[rules.EvidenceState],
    standing: Standing,
    reasons: list[str],
) -> None:
    verdict = rules.standing(stage, qa, evidence, TODAY)
    assert verdict.standing is standing
    assert list(verdict.reasons) == reasons
    assert verdict.reason == "; ".join(reasons)


@pytest.mark.parametrize(
    ("item", "standing"),
    [
        (rules.EvidenceState("dbs_enhanced", True, TODAY), Standing.GOOD),  # lapses tomorrow
        (rules.EvidenceState("dbs_enhanced", True, date(2026, 11, 21)), Standing.LAPSED),
        (rules.EvidenceState("dbs_enhanced", True, None), Standing.GOOD),  # never expires
        (rules.EvidenceState("dbs_enhanced", False, date(2020, 1, 1)), Standing.GOOD),  # not met
    ],
)
def test_which_evidence_lapses(item: rules.EvidenceState, standing: Standing) -> None:
    assert rules.standing(Stage.ACTIVE, APPROVED, [item], TODAY).standing is standing


def test_standing_is_as_of_today_by_default() -> None:
    tomorrow = rules.EvidenceState("dbs_enhanced", True, date.today())
    assert rules.standing(Stage.ACTIVE, None, [tomorrow]).standing is Standing.GOOD
