"""The bulk re-index (SQL, used by imports) writes the same search rows as the per-record
indexers a local save uses: laptops compare search rows, so one character of difference
would split them."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from microcare_tui.store import bulk_index, enquiries, providers
from microcare_tui.store.db import Store
from tests.sync.helpers import laptop

_LISTS = ("services", "areas_served", "languages", "specialisms", "needs")


def _as_read(row: dict[str, Any]) -> Any:
    """A row as the per-record indexers read it (JSON lists decoded, bad JSON empty)."""
    data = dict(row)
    for col in _LISTS:
        if isinstance(data.get(col), str):
            try:
                data[col] = json.loads(data[col])
            except ValueError:
                data[col] = []
    return SimpleNamespace(**data)


def _fts(store: Store, table: str) -> list[dict[str, Any]]:
    return store.query(f"SELECT rowid AS r, * FROM {table} ORDER BY rowid")


def _awkward(store: Store) -> None:
    areas = [r["id"] for r in store.query("SELECT id FROM areas ORDER BY id")]
    codes = [r["code"] for r in store.query("SELECT code FROM service_types ORDER BY code")]
    a, b = areas[0], areas[1]
    rows: list[dict[str, Any]] = [
        {"id": "p1", "name": "Oak Tree Compañeros", "postcode": "TN23 4AB"},
        {
            "id": "p2",
            "name": "Ash",
            "services": json.dumps([codes[0], "no-such-code", codes[1]]),
            "areas_served": json.dumps([b, a, b, "no-such-area"]),
            "area_id": a,
            "languages": json.dumps(["Polski", "Français"]),
            "specialisms": json.dumps(["dementia"]),
            "lead_contact": "Zoë Ng",
            "description": "Help at home, evenings",
        },
        {"id": "p3", "name": "Birch", "area_id": b, "areas_served": "[]", "postcode": None},
        {"id": "p4", "name": "Gone", "deleted_at": "2026-11-01T00:00:00.000+00:00"},
        {"id": "p5", "name": "Bad JSON", "services": "not json", "languages": "[]"},
        {"id": "p6", "name": "Only spec", "specialisms": json.dumps(["", "x"]), "area_id": ""},
    ]
    enquiry = {"received_at": "2026-11-01T09:00:00.000+00:00", "enquirer_kind": "seeking_support"}
    enqs: list[dict[str, Any]] = [
        {"id": "e1", **enquiry, "caller_name": "Ann", "caller_phone": "", "postcode": "TN1"},
        {"id": "e2", **enquiry, "needs": json.dumps([codes[2], "zz"]), "summary": None},
        {"id": "e3", **enquiry, "caller_phone": "+441233629000", "summary": "Shopping"},
        {"id": "e4", **enquiry, "caller_name": "Del", "deleted_at": "2026-11-02"},
    ]
    with store.transaction():
        for row in rows:
            store.write_row("providers", row)
        for enq in enqs:
            store.write_row("enquiries", enq)


def test_bulk_rows_equal_per_record_rows(tmp_path: Path) -> None:
    store = laptop(tmp_path, "Ann", None)
    _awkward(store)
    prov = [_as_read(r) for r in store.query("SELECT * FROM providers")]
    enq = [_as_read(r) for r in store.query("SELECT * FROM enquiries")]
    with store.transaction():
        providers.index_providers(store, prov)
        enquiries.index_enquiries(store, enq)
    expected = (_fts(store, "provider_fts"), _fts(store, "enquiry_fts"))
    assert len(expected[0]) == 5 and len(expected[1]) == 3  # the deleted ones have none
    with store.transaction():
        store.write_derived("DELETE FROM provider_fts")
        store.write_derived("DELETE FROM enquiry_fts")
        bulk_index.reindex_providers(store, [p.id for p in prov])
        bulk_index.reindex_enquiries(store, [e.id for e in enq])
    assert (_fts(store, "provider_fts"), _fts(store, "enquiry_fts")) == expected
    # Again on top of existing rows (an edit's re-index): replaced, not doubled.
    with store.transaction():
        bulk_index.reindex_providers(store, ["p2", "p4"])
        bulk_index.reindex_enquiries(store, ["e2"])
    assert (_fts(store, "provider_fts"), _fts(store, "enquiry_fts")) == expected
    store.close()


def test_an_import_reindexes_what_an_edit_changed(tmp_path: Path) -> None:
    from microcare_tui.services import sync
    from tests.sync.helpers import add_provider, new_team

    team = new_team()
    ann, ben = laptop(tmp_path, "Ann", team), laptop(tmp_path, "Ben", team)
    out = tmp_path / "out"
    out.mkdir()
    pid = add_provider(ann, "Oak Tree", description="Shopping help")
    sync.import_bundle(ben, sync.export_bundle(ann, out).path)

    def words(store: Store) -> list[dict[str, Any]]:
        return store.query("SELECT provider_id, name, extra FROM provider_fts")

    assert words(ben) == words(ann) and "Shopping" in words(ben)[0]["extra"]
    with ann.transaction():  # a field no search reads, then one it does
        ann.write_row("providers", {"id": pid, "notes": "rang back"})
    sync.import_bundle(ben, sync.export_bundle(ann, out).path)
    assert words(ben) == words(ann)
    with ann.transaction():
        ann.write_row("providers", {"id": pid, "description": "Gardening"})
    got = sync.import_bundle(ben, sync.export_bundle(ann, out).path)
    assert got.records_changed == 1
    assert [r["extra"] for r in words(ben)] == [" Gardening TN23 4AB"]
    hits = ben.query("SELECT provider_id FROM provider_fts WHERE provider_fts MATCH 'garden*'")
    assert hits == [{"provider_id": pid}]
    ann.close()
    ben.close()


def test_ids_reach_sqlite_as_python_holds_them(tmp_path: Path) -> None:
    # The ids go to SQLite as one JSON list unless one needs a \u escape (then row by row):
    # either way each id must arrive as Python holds it, or its search row would be missed.
    store = laptop(tmp_path, "Ann", None)
    plain = ["p1", 'a"b', "back\\slash", "Zoë", "😀 x", "tab\tnew\nline\r/\b\f", "p1"]
    escaped = [*plain, "nul\x00end", "ctl\x01"]
    assert "\\u" not in json.dumps(plain, ensure_ascii=False)  # the JSON list's way
    assert "\\u" in json.dumps(escaped, ensure_ascii=False)  # row by row
    for ids in (plain, escaped):
        with store.transaction():
            count = bulk_index._prepare(store, ids, [])
            got = [r[0] for r in store.conn.execute("SELECT id FROM temp._ix_ids")]
        assert sorted(got) == sorted(set(ids)) and count == len(set(ids))
    store.close()
