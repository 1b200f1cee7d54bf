"""The demo's training for provider people: written only when people exist, from its own
random stream, leaving every row the other parts write as it was, and giving certificates
that lapsed and that lapse soon without changing who is in good standing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microcare_tui.demo import generate, generate_demo
from microcare_tui.reports.register import load_register
from microcare_tui.services.database import open_database
from microcare_tui.services.training import training_overview
from microcare_tui.store.db import Store
from tests.demo.test_demo import DEMO_TABLES, PER_RUN, TODAY


def _rows(store: Store, table: str) -> dict[str, dict[str, Any]]:
    return {
        r["id"]: {k: v for k, v in r.items() if k not in PER_RUN}
        for r in store.query(f"SELECT * FROM [{table}]")
    }


def test_people_get_certificates_and_nothing_else_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = open_database(tmp_path / "plain.db", worker="test")
    with_people = open_database(tmp_path / "people.db", worker="test")
    try:
        # The same demo without its training part for provider people (written last).
        with monkeypatch.context() as patched:
            patched.setattr(generate, "write_people_training", lambda ctx, plans: None)
            generate_demo(plain, "small", today=TODAY)
        generate_demo(with_people, "small", today=TODAY)
        assert plain.scalar("SELECT COUNT(*) FROM provider_people") > 0

        for table in DEMO_TABLES:  # every row the other parts write is byte for byte the same
            before, after = _rows(plain, table), _rows(with_people, table)
            assert {k: after[k] for k in before} == before, table
        mine = with_people.query(
            """SELECT a.*, e.expires_on AS evidence_expires, e.person_id AS evidence_person,
                      p.stage FROM training_attendance a
               JOIN providers p ON p.id = a.provider_id
               LEFT JOIN evidence_items e ON e.id = a.evidence_item_id
               WHERE a.person_id IS NOT NULL"""
        )
        attended = [r for r in mine if r["status"] == "attended"]
        assert attended and all(r["evidence_expires"] == r["certificate_expires_on"]
                                and r["evidence_person"] == r["person_id"]
                                for r in attended)  # fmt: skip
        assert [r for r in mine if r["status"] == "booked"]  # renewals booked ahead
        lapsed = [r for r in attended if r["certificate_expires_on"] < TODAY.isoformat()]
        assert lapsed and {r["stage"] for r in lapsed} <= {"developing", "checks", "paused"}

        view = training_overview(with_people, TODAY)
        assert view.expired > 0 and view.due[30] > 0 and view.due[90] > view.due[30]
        assert training_overview(plain, TODAY).certificates == []
        # Lapsed certificates only at providers not listed: none leaves the register (a
        # renewed certificate may bring one onto it, where its own item had lapsed).
        good = {e.id for e in load_register(plain, TODAY).entries}
        assert good - {e.id for e in load_register(with_people, TODAY).entries} == set()
    finally:
        plain.close()
        with_people.close()
