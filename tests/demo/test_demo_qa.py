"""The demo's QA checklist lines, actions and concerns hang together (issue 9)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from microcare_tui.demo import generate_demo
from microcare_tui.demo.concerns import RAISED_BY
from microcare_tui.services.database import open_database
from microcare_tui.store.db import Store
from tests.demo.test_demo import TODAY


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, int]]]:
    store = open_database(tmp_path_factory.mktemp("demo-qa") / "d.db", worker="test")
    counts = generate_demo(store, "small", seed=1, today=TODAY)
    yield store, counts
    store.close()


def test_checklists_and_actions_belong_to_real_checks(demo: tuple[Store, dict[str, int]]) -> None:
    store, counts = demo
    assert counts["qa_check_items"] == store.scalar("SELECT COUNT(*) FROM qa_check_items") > 100
    assert (
        store.scalar(
            """SELECT COUNT(*) FROM qa_check_items i
           WHERE NOT EXISTS (SELECT 1 FROM qa_checks q WHERE q.id = i.qa_check_id)"""
        )
        == 0
    )
    results = {r["result"] for r in store.query("SELECT DISTINCT result FROM qa_check_items")}
    assert results == {"met", "not_met", "not_applicable"}
    # Every check approved with actions has its action, due after the check.
    assert (
        store.scalar(
            """SELECT COUNT(*) FROM qa_checks q WHERE q.outcome = 'approved_with_actions'
           AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.source = 'qa_check'
                           AND a.source_id = q.id AND a.due_on > q.checked_on
                           AND a.provider_id = q.provider_id)"""
        )
        == 0
    )
    assert store.scalar("SELECT MAX(done_on) FROM actions") <= TODAY.isoformat()


def test_concerns_track_record_and_open_safeguarding(demo: tuple[Store, dict[str, int]]) -> None:
    store, _ = demo
    kinds = {r["kind"]: r["n"] for r in store.query(
        "SELECT kind, COUNT(*) AS n FROM concerns GROUP BY kind")}  # fmt: skip
    assert set(kinds) == {"safeguarding", "complaint", "compliment"}
    open_safeguarding = store.query(
        """SELECT p.stage FROM concerns c JOIN providers p ON p.id = c.provider_id
           WHERE c.kind = 'safeguarding' AND c.status = 'open'"""
    )
    assert len(open_safeguarding) >= 2
    assert {r["stage"] for r in open_safeguarding} <= {"registered", "active"}
    assert store.scalar("SELECT MAX(raised_on) FROM concerns") <= TODAY.isoformat()
    assert (
        store.scalar(
            "SELECT COUNT(*) FROM concerns WHERE status = 'closed' AND kind != 'compliment' "
            "AND (outcome IS NULL OR closed_on < raised_on)"
        )
        == 0
    )
    # Restricted notes only on safeguarding concerns; who raised it is a role, never a name.
    assert (
        store.scalar(
            "SELECT COUNT(*) FROM concerns WHERE restricted_notes IS NOT NULL "
            "AND kind != 'safeguarding'"
        )
        == 0
    )
    roles = {r["raised_by"] for r in store.query("SELECT DISTINCT raised_by FROM concerns")}
    assert roles <= set(RAISED_BY)
    assert len(roles) > 3


def test_homes_radar_agrees_with_the_full_radar(demo: tuple[Store, dict[str, int]]) -> None:
    """Home's radar counts and picks its lines in SQL; the Quality section's list makes every
    line in Python. On the demo register they agree: same counts per band, same first lines."""
    from microcare_tui.services.radar import radar_lines, radar_view
    from tests.services.test_standing import band_counts

    store, _ = demo
    lines = radar_lines(store, TODAY)
    counts = band_counts(lines)
    assert min(counts.values()) > 0  # every band has something on the demo
    for shown in (0, 1, 8, len(lines) + 5):
        view = radar_view(store, TODAY, shown=shown)
        assert view.counts == counts
        assert view.lines == lines[:shown]
    assert [(ln.due_on, ln.provider_name) for ln in lines] == sorted(
        (ln.due_on, ln.provider_name) for ln in lines
    )
