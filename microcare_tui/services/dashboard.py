"""The home screen's live figures (the header's status line: services/status.py)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from microcare_tui.services.enquiry_list import EnquiryLine, follow_ups_due
from microcare_tui.services.status import load_status
from microcare_tui.store import enquiries, figures, pipeline, providers, reference
from microcare_tui.store.db import Store

FOLLOW_UPS_SHOWN = 8


class StageCount(NamedTuple):
    """Providers at one development stage."""

    stage: str
    label: str
    providers: int  # not `count`: a tuple's method


class Dashboard(NamedTuple):
    """Everything Home shows."""

    worker: str
    team: str
    providers_by_stage: list[StageCount]  # every stage, in the pipeline's order
    providers_total: int
    good_standing: int
    open_enquiries: int
    follow_ups_due: list[EnquiryLine]  # the most overdue first
    follow_ups_due_count: int
    unmet_needs: int
    unexported_changes: int


def load_dashboard(db: Store, today: date | None = None) -> Dashboard:
    """Everything the home screen shows, in one read."""
    today = today or date.today()
    by_stage = providers.stage_counts(db)
    due_filter = enquiries.EnquiryFilter(follow_up_due=True)
    status = load_status(db)
    return Dashboard(
        worker=status.worker,
        team=str(reference.get_setting(db, "team_name") or ""),
        providers_by_stage=[  # the council's names and order (Settings)
            StageCount(s.code, s.label, by_stage.get(s.code, 0)) for s in pipeline.stages(db)
        ],
        providers_total=sum(by_stage.values()),
        good_standing=figures.good_standing_count(db, today),
        open_enquiries=enquiries.open_enquiry_count(db),
        follow_ups_due=follow_ups_due(db, today, FOLLOW_UPS_SHOWN),
        follow_ups_due_count=enquiries.count_enquiries(db, due_filter, today),
        unmet_needs=enquiries.unmet_need_count(db),
        unexported_changes=status.unexported_changes,
    )
