"""The store: migrations, transactions, the change log on every write path, integrity."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest

from microcare_tui.domain import models as m
from microcare_tui.domain import rules
from microcare_tui.domain.applicability import ItemState, best_item
from microcare_tui.domain.enums import EvidenceStatus, QAOutcome, Stage, Standing
from microcare_tui.domain.errors import DatabaseUnavailable, SchemaTooNew
from microcare_tui.services import enquiries as enquiry_service
from microcare_tui.services import provider_record as record_service
from microcare_tui.services import providers as provider_service
from microcare_tui.services.database import check_database, open_database
from microcare_tui.store import records, reference
from microcare_tui.store.db import Store
from microcare_tui.store.migrate import latest_version, schema_version
from microcare_tui.store.providers import get_provider, provider_standing, save_provider
from tests.conftest import TODAY


def change_count(store: Store, table: str, row_id: str | None = None) -> int:
    if row_id:
        return int(
            store.scalar(
                "SELECT COUNT(*) FROM _change_log WHERE tbl = ? AND row_id = ?", (table, row_id)
            )
        )
    return int(store.scalar("SELECT COUNT(*) FROM _change_log WHERE tbl = ?", (table,)))


def test_pragmas_and_schema(store: Store) -> None:
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA synchronous") == 2  # FULL
    assert store.scalar("PRAGMA busy_timeout") == 5000
    assert schema_version(store) == latest_version() >= 1
    # Kent's twelve districts seeded as editable data.
    assert len(reference.areas(store)) == 12
    assert reference.area_for_postcode(store, "TN23 4AB") == next(
        a.id for a in reference.areas(store) if a.name == "Ashford"
    )


def sample_records(provider_id: str, enquiry_id: str) -> list[m.Record]:
    d = date(2026, 11, 1)
    return [
        m.Area(name="Test Area", postcode_districts=["ZZ1"]),
        m.ServiceType(code="test_service", label="Test service"),
        m.LegalFormRow(code="test_form", label="Test form"),
        m.EvidenceType(code="test_evidence", label="Test evidence", validity_months=12),
        m.ProviderPerson(provider_id=provider_id, name="Sam Patel", role="owner"),
        m.Setting(id="test_setting", value={"a": 1}),
        m.Signpost(enquiry_id=enquiry_id, provider_id=provider_id),
        m.UnmetNeed(enquiry_id=enquiry_id, service_code="shopping"),
        m.StageMove(provider_id=provider_id, to_stage=Stage.DEVELOPING),
        m.Visit(provider_id=provider_id, visited_on=d, notes="First visit"),
        m.TrainingCourse(title="Safeguarding adults"),
        m.TrainingSession(course_id="c", starts_at="2026-11-20T10:00:00+00:00"),
        m.TrainingAttendance(session_id="s", attendee_name="Jo Bloggs"),
        m.EvidenceItem(provider_id=provider_id, evidence_type_code="dbs_enhanced", expires_on=d),
        m.QACheck(provider_id=provider_id, checked_on=d, outcome=QAOutcome.APPROVED),
        m.Grant(provider_id=provider_id, purpose="equipment", amount_requested_pence=25000),
        m.ProviderReturn(provider_id=provider_id, period_start=d, period_end=d, hours_per_week=12),
    ]


def test_every_repository_write_is_logged(store: Store) -> None:
    """No write path may skip the change log: insert, update and delete, for every table."""
    provider = provider_service.save_provider(store, {"name": "Oak Tree Companions"})
    enquiry = enquiry_service.log_enquiry(store, {"enquirer_kind": "family_carer"})
    assert change_count(store, "providers", provider.id) == 1
    assert change_count(store, "enquiries", enquiry.id) == 1
    samples = sample_records(provider.id, enquiry.id)
    assert {type(r) for r in samples} | {m.Provider, m.Enquiry} == set(records.TABLES)
    for record in samples:
        table = records.TABLES[type(record)]
        saved = records.save(store, record)
        assert change_count(store, table, saved.id) == 1, table
        # An update logs only the changed field.
        field = next(f for f in type(record).content_fields() if f not in ("id",))
        store.write_row(table, {"id": saved.id, "deleted_at": None, field: getattr(saved, field)})
        assert change_count(store, table, saved.id) == 1, f"{table}: no-op update logged"
        records.soft_delete(store, type(record), saved.id)
        ops = store.query(
            "SELECT op, fields FROM _change_log WHERE tbl = ? AND row_id = ? ORDER BY seq",
            (table, saved.id),
        )
        assert [o["op"] for o in ops] == ["insert", "delete"], table
        assert list(json.loads(ops[1]["fields"])) == ["deleted_at"]
    # The change log's sequence is contiguous for this device.
    seqs = [r["seq"] for r in store.query("SELECT seq FROM _change_log ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))


def test_change_log_records_who_and_where(store: Store) -> None:
    p = provider_service.save_provider(store, {"name": "Oak Tree", "phone": "01233 123456"})
    row = store.query("SELECT * FROM _change_log WHERE row_id = ?", (p.id,))[0]
    assert row["worker"] == "Sam Tester"
    assert row["origin"] == store.device_id
    assert json.loads(row["fields"])["phone"] == "+441233123456"
    stored = store.query("SELECT * FROM providers WHERE id = ?", (p.id,))[0]
    assert stored["created_by"] == "Sam Tester" and stored["device_id"] == store.device_id
    assert stored["row_version"] == 1
    provider_service.save_provider(store, {"notes": "Met at the village hall"}, p.id)
    stored = store.query("SELECT * FROM providers WHERE id = ?", (p.id,))[0]
    assert stored["row_version"] == 2


def test_failed_transaction_writes_nothing(store: Store) -> None:
    before = store.scalar("SELECT COUNT(*) FROM _change_log")
    with pytest.raises(RuntimeError), store.transaction():
        records.save(store, m.Visit(provider_id="x", visited_on=date(2026, 1, 1)))
        raise RuntimeError("crash in the middle")
    assert store.scalar("SELECT COUNT(*) FROM visits") == 0
    assert store.scalar("SELECT COUNT(*) FROM _change_log") == before


def test_signpost_to_unknown_provider_leaves_nothing_half_written(store: Store) -> None:
    from microcare_tui.domain.errors import NotFound

    with pytest.raises(NotFound):
        enquiry_service.log_enquiry(store, {"enquirer_kind": "family_carer"}, ["no-such-id"])
    assert store.scalar("SELECT COUNT(*) FROM enquiries") == 0
    assert store.scalar("SELECT COUNT(*) FROM _change_log WHERE tbl = 'enquiries'") == 0


def test_caches_key_on_the_data_generation(db_path: Path, store: Store) -> None:
    """A cached value lasts until a commit (this connection's or another's), never longer."""
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    assert store.cached("n", build) == 1
    assert store.cached("n", build) == 1  # nothing changed: kept
    other = Store(db_path, worker="Other")
    try:
        reference.set_setting(other, "team_name", "Another Council")  # another connection
    finally:
        other.close()
    assert store.cached("n", build) == 2
    reference.set_setting(store, "team_name", "Test Council")  # this connection's own write
    assert store.cached("n", build) == 3
    with store.private_writes():  # this connection's TEMP tables change nothing shared
        store.conn.execute("CREATE TEMP TABLE scratch (x)")
        store.conn.execute("INSERT INTO temp.scratch VALUES (1)")
    assert store.cached("n", build) == 3
    assert store.cached("n", build, "another day") == 4  # `extra` is part of the key
    with store.transaction():
        reference.set_setting(store, "team_name", "Not yet committed")
        assert store.cached("m", build) == 5
        assert store.cached("m", build) == 6  # read inside a transaction: never kept
    assert len(builds) == 6


def test_a_commit_that_logs_nothing_keeps_the_caches(db_path: Path, store: Store) -> None:
    """A call draft (device-local, not user data) written by the UI connection must not make
    the reader rebuild the lookup's tables (130 ms at county on the next keystroke)."""
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    assert store.cached("n", build) == 1
    other = Store(db_path, worker="Other")
    try:
        other.conn.execute("CREATE TABLE scratch_not_user_data (x)")
        other.conn.execute("INSERT INTO scratch_not_user_data VALUES (1)")  # autocommits
        assert store.cached("n", build) == 1
        reference.set_setting(other, "team_name", "Another Council")  # logged: user data
    finally:
        other.close()
    assert store.cached("n", build) == 2


def test_the_apps_connections(db_path: Path) -> None:
    """One UI connection, one reader thread with its own connection, both closed on close."""
    import threading

    from microcare_tui.services.database import Connections

    connections = Connections(db_path)
    ui = connections.ui
    assert connections.ui is ui
    maybe_seen = [
        connections.read(lambda db: (threading.current_thread().name, db)) for _ in range(3)
    ]
    seen = [pair for pair in maybe_seen if pair is not None]
    assert len(seen) == 3
    names = {name for name, _ in seen}
    assert len(names) == 1
    assert names != {threading.current_thread().name}
    reader = seen[0][1]
    assert [db is reader for _, db in seen] == [True, True, True]
    assert reader is not ui
    assert connections.read(lambda db: 1, cancelled=lambda: True) is None  # the worker typed on
    connections.close()
    assert connections.read(lambda db: 1) is None
    for closed in (ui, reader):
        with pytest.raises(sqlite3.ProgrammingError):
            closed.conn.execute("SELECT 1")
    with pytest.raises(DatabaseUnavailable):
        connections.ui  # noqa: B018 - the property opens; closed connections must not
    connections.close()  # twice is harmless


def test_newer_schema_is_refused_and_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNew) as info:
        open_database(db_path)
    assert "newer version" in info.value.message
    assert db_path.read_bytes() == before


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite" * 100)
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(path)
    assert "not a microcare database" in info.value.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database(db_path: Path) -> None:
    db_path.chmod(stat.S_IRUSR)
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(db_path)
    assert "read-only" in info.value.message


def test_read_only_database_message_as_root(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(db_path)
    assert "read-only" in info.value.message


def test_locked_database_gives_a_clear_message(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("microcare_tui.store.db.BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        store = Store(db_path, worker="x")
        with pytest.raises(DatabaseUnavailable) as info:
            provider_service.save_provider(store, {"name": "Blocked Ltd"})
        assert "busy" in info.value.message
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# QA histories as recorded, in order: (checked on, outcome, withdrawn). The latest live check
# counts: the newest date, and of two on one day the one recorded last.
QA_HISTORIES: dict[str, list[tuple[date, QAOutcome, bool]]] = {
    "no QA": [],
    "approved": [(date(2026, 10, 1), QAOutcome.APPROVED, False)],
    "approved with actions": [(date(2026, 10, 1), QAOutcome.APPROVED_WITH_ACTIONS, False)],
    "not approved": [(date(2026, 10, 1), QAOutcome.NOT_APPROVED, False)],
    "refused, approved later": [
        (date(2026, 9, 1), QAOutcome.NOT_APPROVED, False),
        (date(2026, 10, 1), QAOutcome.APPROVED, False),
    ],
    "approved, refused later": [
        (date(2026, 9, 1), QAOutcome.APPROVED, False),
        (date(2026, 10, 1), QAOutcome.NOT_APPROVED, False),
    ],
    "refused, approved earlier date recorded after": [
        (date(2026, 10, 1), QAOutcome.NOT_APPROVED, False),
        (date(2026, 9, 1), QAOutcome.APPROVED, False),
    ],
    "same day: approved then refused": [
        (date(2026, 10, 1), QAOutcome.APPROVED, False),
        (date(2026, 10, 1), QAOutcome.NOT_APPROVED, False),
    ],
    "same day: refused then approved": [
        (date(2026, 10, 1), QAOutcome.NOT_APPROVED, False),
        (date(2026, 10, 1), QAOutcome.APPROVED, False),
    ],
    "refusal withdrawn": [
        (date(2026, 9, 1), QAOutcome.APPROVED, False),
        (date(2026, 10, 1), QAOutcome.NOT_APPROVED, True),
    ],
}
# Evidence as recorded: (status, expires on, withdrawn). TODAY is 22/11/2026.
EVIDENCE: dict[str, list[tuple[str, date | None, bool]]] = {
    "no evidence": [],
    "in date": [("met", date(2027, 1, 1), False)],
    "expired": [("met", date(2026, 10, 3), False)],
    "expires today": [("met", TODAY, False)],
    "no expiry": [("met", None, False)],
    "expired, not met": [("not_met", date(2026, 10, 3), False)],
    "expired, withdrawn": [("met", date(2026, 10, 3), True)],
    "one of two expired": [("met", date(2027, 1, 1), False), ("met", date(2026, 10, 3), False)],
}


def _latest_live_qa(history: list[tuple[date, QAOutcome, bool]]) -> rules.QAState | None:
    live = [(on, order, outcome) for order, (on, outcome, gone) in enumerate(history) if not gone]
    if not live:
        return None
    on, _, outcome = max(live, key=lambda c: (c[0], c[1]))
    return rules.QAState(outcome, on)


def _record_case(
    store: Store, stage: Stage, qa: str, evidence: str
) -> tuple[str, rules.StandingVerdict]:
    """A provider with this history; returns its id and what the domain rule says."""
    p = save_provider(store, m.Provider(name=f"{stage} | {qa} | {evidence}", stage=stage))
    for on, outcome, gone in QA_HISTORIES[qa]:
        check = records.save(store, m.QACheck(provider_id=p.id, checked_on=on, outcome=outcome))
        if gone:
            records.soft_delete(store, m.QACheck, check.id)
    items = []
    for status, expires_on, gone in EVIDENCE[evidence]:
        item = records.save(
            store,
            m.EvidenceItem(
                provider_id=p.id,
                evidence_type_code="dbs_enhanced",
                status=EvidenceStatus(status),
                expires_on=expires_on,
            ),
        )
        if gone:
            records.soft_delete(store, m.EvidenceItem, item.id)
        else:
            items.append(ItemState(item.id, "dbs_enhanced", None, status, expires_on))
    # The best item of the slot counts (a renewal supersedes an expired item).
    best = best_item(items)
    states = [rules.EvidenceState("dbs_enhanced", True, best.expires_on)] if best else []
    return p.id, rules.standing(stage, _latest_live_qa(QA_HISTORIES[qa]), states, TODAY)


def test_standing_sql_matches_the_rule(store: Store) -> None:
    """STANDING_SQL (lists, lookup) and the record page agree with the domain rule on every
    stage x QA history x evidence; a mismatch names its case."""
    cases: dict[str, tuple[str, rules.StandingVerdict]] = {}
    with store.transaction():
        for stage in Stage:
            for qa in QA_HISTORIES:
                for evidence in EVIDENCE:
                    cases[f"{stage} | {qa} | {evidence}"] = _record_case(store, stage, qa, evidence)
    mismatches = []
    for case, (provider_id, verdict) in cases.items():
        sql = provider_standing(store, provider_id, TODAY)
        provider = get_provider(store, provider_id)
        record = record_service.provider_standing(store, provider, TODAY).standing
        if sql != verdict.standing.value or record is not verdict.standing:
            mismatches.append(f"{case}: rule {verdict.standing}, SQL {sql}, record {record}")
    assert mismatches == []
    # Every outcome is reached, so the table tests each branch of both.
    # (suspended needs a concern: tests/services/test_standing.py covers it.)
    assert {v.standing for _, v in cases.values()} == set(Standing) - {Standing.SUSPENDED}
    assert len(cases) == len(Stage) * len(QA_HISTORIES) * len(EVIDENCE)


def test_check_database(db_path: Path, store: Store) -> None:
    provider_service.save_provider(store, {"name": "Oak Tree"})
    report = check_database(db_path)
    assert report.ok, report.problems
    store.write_derived("DELETE FROM provider_fts")
    report = check_database(db_path)
    assert not report.ok and "Search index" in report.problems[0]


def test_check_reports_missing_tables(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TABLE visits")
    conn.commit()
    conn.close()
    report = check_database(db_path)
    assert not report.ok and "visits" in report.problems[0]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM providers",
        "UPDATE providers SET name = 'x'",
        "INSERT INTO enquiries (id) VALUES ('x')",
        "DROP TABLE provider_fts",
        "DELETE FROM providers; DELETE FROM provider_fts",
    ],
)
def test_derived_writes_refuse_user_tables(store: Store, sql: str) -> None:
    """Only the logged paths write user rows: the derived-data door refuses anything else."""
    provider_service.save_provider(store, {"name": "Oak Tree"})
    with pytest.raises(ValueError, match="derived"):
        store.write_derived(sql)
    assert store.scalar("SELECT COUNT(*) FROM providers") == 1


def test_full_disk_gives_the_friendly_message_and_keeps_nothing(store: Store) -> None:
    """SQLite rolls back by itself on a full disk; the store must not hide that behind
    "cannot rollback - no transaction is active"."""
    provider_service.save_provider(store, {"name": "Oak Tree"})
    pages = int(store.scalar("PRAGMA page_count"))
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
    with pytest.raises(DatabaseUnavailable, match="disk is full"), store.transaction():
        for n in range(200):
            records.save(store, m.Provider(name=f"Provider {n}", description="x" * 4000))
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.scalar("SELECT COUNT(*) FROM providers") == 1
    assert store.conn.in_transaction is False
    # The worker frees space and saves again: the same store works.
    provider_service.save_provider(store, {"name": "Willow Companions"})
    assert store.scalar("SELECT COUNT(*) FROM providers") == 2


def test_a_failed_nested_block_keeps_the_outer_transaction(store: Store) -> None:
    with store.transaction():
        records.save(store, m.Provider(name="Kept"))
        with pytest.raises(RuntimeError), store.transaction():
            records.save(store, m.Provider(name="Rolled back"))
            raise RuntimeError("inner step failed")
        records.save(store, m.Provider(name="Also kept"))
    names = sorted(r["name"] for r in store.query("SELECT name FROM providers"))
    assert names == ["Also kept", "Kept"]
    logged = store.query(
        "SELECT seq FROM _change_log WHERE tbl = 'providers' AND origin = ? ORDER BY seq",
        (store.device_id,),
    )
    seqs = [r["seq"] for r in logged]
    assert seqs == list(range(seqs[0], seqs[0] + 2))  # no gap where the inner block was


def test_find_takes_field_names_never_sql(store: Store) -> None:
    oak = provider_service.save_provider(store, {"name": "Oak Tree"})
    provider_service.save_provider(store, {"name": "Birch"})
    assert [p.id for p in records.find(store, m.Provider, name="Oak Tree")] == [oak.id]
    by_name_desc = records.find(store, m.Provider, order=("-name",))
    assert [p.name for p in by_name_desc] == ["Oak Tree", "Birch"]
    with pytest.raises(ValueError, match="no field"):
        records.find(store, m.Provider, **{"1 = 1 OR name": "x"})
    with pytest.raises(ValueError, match="no field"):
        records.find(store, m.Provider, order=("name; DROP TABLE providers",))


def test_open_enquiries_are_counted_from_their_partial_index(store: Store) -> None:
    """Home's open count reads the partial index of open enquiries (schema 0008), and counts
    exactly what the enquiries list's 'open' filter shows."""
    from microcare_tui.store import enquiries as repo

    states: list[dict[str, str | None]] = [
        {"outcome": None},  # open: no outcome yet
        {"outcome": "follow_up"},  # open: a follow-up asked for
        {"outcome": "signposted", "follow_up_on": "2026-11-30"},  # open: follow-up not done
        {"outcome": "signposted"},  # closed
        {"outcome": "signposted", "follow_up_on": "2026-11-20",
         "follow_up_done_at": "2026-11-21T10:00:00+00:00"},  # closed: follow-up done
        {"outcome": None, "deleted_at": "2026-11-21T10:00:00+00:00"},  # deleted
    ]  # fmt: skip
    with store.transaction():
        store.insert_many("enquiries", [
            {"id": f"e{i}", "received_at": "2026-11-20T09:00:00.000+00:00",
             "enquirer_kind": "seeking_support", **state}
            for i, state in enumerate(states)
        ])  # fmt: skip
    assert repo.open_enquiry_count(store) == 3
    assert repo.count_enquiries(store, repo.EnquiryFilter(open_only=True)) == 3
    plan = " ".join(
        str(r["detail"])
        for r in store.query(
            f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM enquiries e INDEXED BY enquiries_open "
            f"WHERE e.deleted_at IS NULL AND {repo.OPEN_SQL}"
        )
    )
    assert "USING INDEX enquiries_open" in plan
