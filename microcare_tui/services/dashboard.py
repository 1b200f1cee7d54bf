"""The home screen's live counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from microcare_tui.store import enquiries, providers, reference
from microcare_tui.store.db import Store


@dataclass
class Dashboard:
    worker: str
    team: str
    providers_by_stage: dict[str, int]
    providers_total: int
    good_standing: int
    open_enquiries: int
    follow_ups_due: list[enquiries.EnquiryRow]
    follow_ups_due_count: int
    unmet_needs: int
    unexported_changes: int


def load_dashboard(store: Store, today: date | None = None) -> Dashboard:
    """Everything the home screen shows, in one read."""
    today = today or date.today()
    by_stage = providers.stage_counts(store)
    good = int(
        store.scalar(
            f"SELECT COUNT(*) FROM providers p WHERE p.deleted_at IS NULL "
            f"AND ({providers.STANDING_SQL}) = 'good'",
            {"today": today.isoformat()},
        )
        or 0
    )
    due_filter = enquiries.EnquiryFilter(follow_up_due=True)
    return Dashboard(
        worker=str(reference.get_setting(store, "worker_name") or ""),
        team=str(reference.get_setting(store, "team_name") or ""),
        providers_by_stage=by_stage,
        providers_total=sum(by_stage.values()),
        good_standing=good,
        open_enquiries=enquiries.open_enquiry_count(store),
        follow_ups_due=enquiries.follow_ups_due(store, today, limit=8),
        follow_ups_due_count=enquiries.count_enquiries(store, due_filter, today),
        unmet_needs=int(
            store.scalar("SELECT COUNT(*) FROM unmet_needs WHERE deleted_at IS NULL") or 0
        ),
        unexported_changes=store.unexported_changes(),
    )
