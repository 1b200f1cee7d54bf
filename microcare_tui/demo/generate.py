"""The entry point: check the database is new, then plan and write each part in turn."""

from __future__ import annotations

from datetime import date

from microcare_tui.demo.checks import write_evidence, write_qa_checks
from microcare_tui.demo.concerns import write_check_items, write_concerns
from microcare_tui.demo.context import Context, Progress
from microcare_tui.demo.enquiries import write_enquiries
from microcare_tui.demo.people import write_people
from microcare_tui.demo.plan import plan_providers
from microcare_tui.demo.programme import write_grants, write_returns, write_training, write_visits
from microcare_tui.demo.providers import write_providers, write_stage_moves
from microcare_tui.demo.training_people import write_people_training
from microcare_tui.demo.vocabulary import DEMO_WORKER, TEAM_NAME
from microcare_tui.domain.errors import MicrocareError
from microcare_tui.store import reference
from microcare_tui.store.counts import count_rows
from microcare_tui.store.db import Store

# Counts of the tables the scale sets directly. The rest follow from them in proportion:
# stage moves (~4 per provider), evidence items (~10 per provider past checks), signposts
# (~1.2 per enquiry), unmet needs, training sessions, quarterly provider returns.
_COUNTY: dict[str, int] = {
    "providers": 1_000,
    "enquiries": 100_000,
    "visits": 50_000,
    "training_attendance": 20_000,
    "qa_checks": 10_000,
    "grants": 350,
}
SCALES: dict[str, dict[str, int]] = {
    "small": {
        "providers": 60,
        "enquiries": 500,
        "visits": 300,
        "training_attendance": 150,
        "qa_checks": 60,
        "grants": 20,
    },
    "county": dict(_COUNTY),
    "large": {table: count * 10 for table, count in _COUNTY.items()},
}

DEMO_CACHE_KIB = 256 * 1024  # SQLite page cache while generating (see generate_demo)


def generate_demo(
    store: Store,
    scale: str = "small",
    seed: int = 1,
    progress: Progress | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Fill an open (migrated, seeded) database with deterministic realistic demo data.

    Refuses a database that already has providers or enquiries. Returns rows written per table.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    if count_rows(store, "providers") + count_rows(store, "enquiries"):
        raise MicrocareError(
            f"Demo data goes only into a new, empty database, and {store.path.name} already "
            "holds providers or enquiries. Create a new database for the demo."
        )
    ctx = Context.load(
        store,
        seed=seed,
        today=today or date.today(),
        progress=progress or (lambda _stage, _done, _total: None),
    )
    if not ctx.areas or not ctx.services:
        raise MicrocareError(
            "The database has no areas or no service catalogue: open it with microcare once "
            "so the reference data is seeded, then make the demo."
        )
    with store.transaction():
        reference.set_setting(store, "worker_name", DEMO_WORKER)
        reference.set_setting(store, "team_name", TEAM_NAME)
        reference.set_setting(store, "is_demo", True)

    # Indexes keyed by id and by (table, row) take inserts in no particular order; with
    # SQLite's default 2 MB page cache that turns into disk reads once the file is large.
    # A bigger cache for this run only (put back afterwards) keeps the large scale linear.
    cache = store.set_cache_size(DEMO_CACHE_KIB)
    try:
        _write_all(ctx, SCALES[scale])
    finally:
        store.restore_cache_size(cache)
    return dict(ctx.counts)


def _write_all(ctx: Context, target: dict[str, int]) -> None:
    plans = plan_providers(ctx, target["providers"], target["enquiries"])
    write_providers(ctx, plans)
    write_stage_moves(ctx, plans)
    write_evidence(ctx, plans)
    write_qa_checks(ctx, plans, target["qa_checks"])
    write_visits(ctx, plans, target["visits"])
    write_training(ctx, plans, target["training_attendance"])
    write_grants(ctx, plans, target["grants"])
    write_returns(ctx, plans)
    write_enquiries(ctx, plans, target["enquiries"])
    write_people(ctx, plans)  # last, from its own random stream: the tables above unchanged
    # Issue 9's QA lines, actions and concerns: last too, each from its own random stream.
    write_check_items(ctx)
    write_concerns(ctx, plans)
    # Last: it reads the provider people written above (and its own random stream).
    write_people_training(ctx, plans)
