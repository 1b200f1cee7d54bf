"""Applying received changes: per field last-writer-wins on (hlc, origin, seq).

Rules (README "How sync merges"):
- Each field of a record takes the value of the change with the highest (clock, device,
  seq) key that wrote it: the same winner on every laptop, whatever the order, duplicates or
  route the changes came by. A delete is the field `deleted_at`, merged the same way, so an
  old change never brings a deleted record back; an undelete is a later edit of it.
- Two changes that wrote the same field on top of the same value (the same base) with
  different values are a conflict: the winner still applies, and the conflict goes to the
  review queue under an id made from the record, the field and that base (the same id on
  every laptop). A delete and an edit made on top of the same state of a record are a
  "deleted while edited" conflict. Append-only records (visits, attendance, QA checks and
  their items, signposts, stage moves) never conflict.
- A change for a record whose first change has not arrived is kept (`_sync_orphan`) and
  written when the record can be.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter, itemgetter
from typing import Any

from microcare_tui.domain.hlc import HLC_ZERO, ClockKey, wall_of
from microcare_tui.store import bulk_index, sync_log
from microcare_tui.store.db import BOOKKEEPING, Store
from microcare_tui.store.duplicates import MATCHED_ON
from microcare_tui.store.reference import LOCAL_SETTINGS
from microcare_tui.sync.changes import (
    ApplyReport,
    Change,
    VersionVector,
    gc_paused,
    local_vector,
)

APPEND_ONLY = frozenset(
    {"visits", "training_attendance", "qa_checks", "qa_check_items", "signposts", "stage_moves"}
)
DELETED = "deleted_at"


class IdentityCollision(Exception):
    """A change claims this laptop's own origin with a sequence number it never wrote."""


def apply(
    db: Store, changes: Iterable[Change], sender_vector: VersionVector | None = None
) -> ApplyReport:
    """Merge `changes` in one transaction; see the module's rules."""
    report = ApplyReport()
    with gc_paused(), db.transaction():
        have = local_vector(db)
        own = db.device_id
        fresh: list[Change] = []
        duplicates: list[Change] = []
        # What this batch brings, per origin: added to `have` as ranges once at the end
        # (one range insert per change was a tenth of a big import).
        taken: dict[str, set[int]] = defaultdict(set)
        last = None
        seqs: set[int] = set()
        known = mine = False
        for change in changes:
            origin, seq = change.origin, change.seq
            if origin != last:  # a bundle's changes come in runs of one origin
                last, seqs = origin, taken[origin]
                known, mine = have.highest(origin) > 0, origin == own
            if seq in seqs or (known and have.covers(origin, seq)):
                duplicates.append(change)
                continue
            if mine:
                raise IdentityCollision(_collision(change))
            seqs.add(seq)
            fresh.append(change)
        for origin, seqs in taken.items():
            for lo, hi in _runs(sorted(seqs)):
                have.add_range(origin, lo, hi)
        report.duplicates = len(duplicates)
        origins = {origin for origin, got in taken.items() if got}  # those with fresh changes
        batch = {(c.origin, c.seq): c.hlc for c in fresh} if duplicates else {}
        for change in duplicates:
            # The same (origin, seq) must be the same change: else two files wrote under one
            # device id (a copy opened without the identity check). Refuse the whole import.
            held = batch.get((change.origin, change.seq))
            if held is None:
                held = sync_log.change_hlc(db, change.origin, change.seq)
            if held != change.hlc:
                raise IdentityCollision(_collision(change))
        report.new_changes = len(fresh)
        # A big import touches more pages than the default cache holds (2 MB): every spill
        # writes pages twice. The cache is this connection's; durability is the same.
        cache = db.set_cache_size(64 * 1024) if len(fresh) > 5000 else None
        try:
            if fresh:
                _apply_fresh(db, fresh, (have, origins), report)
        finally:
            if cache is not None:
                db.restore_cache_size(cache)
        report.gaps = _gaps(have, origins, sender_vector, own)
    return report


def _apply_fresh(
    db: Store, fresh: list[Change], held: tuple[VersionVector, set[str]], report: ApplyReport
) -> None:
    """The new changes: logged, merged, search re-indexed, the ranges held recorded."""
    lines = [c.__dict__.get("_line") for c in fresh]  # Change.line, without a call each
    # The log's (tbl, row_id) index is made again before the merge, which reads by it.
    with sync_log.indexes_built_after(db, "_change_log", len(fresh)):
        sync_log.insert_change_lines(db, [line for line in lines if line is not None])
        sync_log.insert_changes(
            db, [c.log_row() for c, line in zip(fresh, lines, strict=True) if line is None]
        )
    _merge_all(db, fresh, report)
    have, origins = held
    for origin in origins:
        sync_log.set_ranges(db, origin, have.spans(origin))
    newest = max(c.hlc for c in fresh)
    if newest != HLC_ZERO:
        db.observe_clock(newest)


def _runs(seqs: list[int]) -> Iterator[tuple[int, int]]:
    """(lo, hi) runs of consecutive numbers in a sorted list."""
    if not seqs:
        return
    lo = hi = seqs[0]
    for seq in seqs[1:]:
        if seq != hi + 1:
            yield lo, hi
            lo = seq
        hi = seq
    yield lo, hi


def _collision(change: Change) -> str:
    return (
        f"Change {change.seq} from device {change.origin[:8]} differs from the change this "
        "laptop holds under the same number: two copies of one database wrote under one "
        "device id. Nothing was imported."
    )


def _gaps(
    have: VersionVector, origins: set[str], sender: VersionVector | None, own: str
) -> dict[str, list[tuple[int, int]]]:
    """Per origin, the changes missing below the highest either side has heard of."""
    origins = origins | set(sender.origins() if sender else [])
    gaps = {}
    for origin in sorted(origins - {own}):
        top = max(have.highest(origin), sender.highest(origin) if sender else 0)
        missing = have.missing(origin, top)
        if missing:
            gaps[origin] = missing
    return gaps


def _merge_all(db: Store, fresh: list[Change], report: ApplyReport) -> None:
    # Per table, per record, its changes in the order received (no (table, id) key made
    # per change: a big import has ~100,000 of them).
    by_table: dict[str, dict[str, list[Change]]] = {}
    for change in fresh:
        records = by_table.get(change.tbl)
        if records is None:
            records = by_table[change.tbl] = {}
        got = records.get(change.row_id)
        if got is None:
            records[change.row_id] = [change]
        else:
            got.append(change)
    touched: dict[str, set[str]] = defaultdict(set)
    batch = _Batch(orphans=sync_log.has_orphans(db))
    for table, records in by_table.items():
        shape = sync_log.table_shape(db, table)
        if shape is None:
            continue  # a table this version does not know: kept in the log, forwarded
        _merge_table(db, (table, shape), records, batch, report, touched[table])
    batch.flush(db)
    reindex(db, touched)


def _merge_table(
    db: Store,
    table_shape: tuple[str, tuple[frozenset[str], frozenset[str]]],
    records: dict[str, list[Change]],
    batch: _Batch,
    report: ApplyReport,
    indexed: set[str],
) -> None:
    """One table's records: merged into `batch`; the ones to re-index added to `indexed`."""
    table, shape = table_shape
    # What is stored for these records, read in a few queries rather than per record.
    # A table with no rows or no clocks yet (a new laptop's first bundle) is not asked
    # about each record: a few seeks per record of a big import, for nothing.
    has_rows, has_clocks = sync_log.holds_any(db, table)
    row_ids = list(records)
    clocks = sync_log.clocks_for(db, table, row_ids) if has_clocks else {}
    rows: dict[str, dict[str, Any]] = {}
    if has_rows:
        # Only the columns these changes write are compared (a row read whole was most of
        # an incremental import's reading).
        written: set[str] = set()
        for only in records.values():
            for change in only:
                written.update(change.fields)
        rows = sync_log.rows_for(db, table, row_ids, shape[0].intersection(written))
    # New providers, or ones changed in a column duplicates are found by: the import's
    # report looks for pairs among these only.
    candidates = report.duplicate_candidates if table == "providers" else set()
    changed = conflicts = 0
    for row_id, only in records.items():
        if table == "settings" and row_id in LOCAL_SETTINGS:
            continue
        if (
            len(only) == 1
            and row_id not in clocks
            and row_id not in rows
            and batch.new_record(table, shape, only[0])
        ):
            changed += 1
            indexed.add(row_id)
            candidates.add(row_id)
            continue
        merger = _RowMerge(db, table, row_id, shape, clocks.get(row_id, {}))
        for change in only if len(only) == 1 else sorted(only, key=_BY_KEY):
            conflicts += merger.take(change)
        if merger.write(rows.get(row_id), batch):
            changed += 1
            fields = merger.changed_fields
            if bulk_index.reads_any(table, fields):
                indexed.add(row_id)
            if fields is None or not MATCHED_ON.isdisjoint(fields):
                candidates.add(row_id)
    report.records_changed += changed
    report.new_conflicts += conflicts


_BY_KEY = attrgetter("key")


# How an insert with these field names becomes a row: (the list its rows go to, the field
# values in column order, the required columns it gives, whether it gives every required
# column). Made once per table and set of field names (a big import has a handful).
_Values = Callable[[dict[str, Any]], tuple[Any, ...]]
_Plan = tuple[list[Sequence[Any]], _Values, tuple[str, ...], bool]
_STAMPS = ("created_at", "updated_at", "created_by", "updated_by", "device_id", "row_version")


def _values_of(keep: tuple[str, ...]) -> _Values:
    """A change's values of these fields as a tuple (itemgetter: no Python loop per row)."""
    if len(keep) > 1:
        return itemgetter(*keep)
    if keep:
        only = keep[0]
        return lambda fields: (fields[only],)
    return lambda fields: ()


@dataclass
class _Batch:
    """A merge's writes, made with one executemany per kind (and per table's columns)."""

    orphans: bool
    inserts: dict[tuple[str, tuple[str, ...]], list[Sequence[Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    updates: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    clocks: list[tuple[str, str, str, str, str, int]] = field(default_factory=list)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)
    placed_orphans: list[tuple[str, str]] = field(default_factory=list)
    plans: dict[tuple[str, tuple[str, ...]], _Plan] = field(default_factory=dict)
    layouts: dict[tuple[str, tuple[str, ...]], tuple[list[Sequence[Any]], _Values]] = field(
        default_factory=dict
    )

    def layout(self, table: str, given: tuple[str, ...]) -> tuple[list[Sequence[Any]], _Values]:
        """Where a merged new record with these columns (in this order) goes, and how its
        values are read in the insert's column order (sorted): worked out once per set."""
        found = self.layouts.get((table, given))
        if found is None:
            names = tuple(sorted(given))
            found = self.layouts[(table, given)] = (
                self.inserts[(table, names)],
                _values_of(names),
            )
        return found

    def new_record(
        self, table: str, shape: tuple[frozenset[str], frozenset[str]], change: Change
    ) -> bool:
        """The common case of a big import, without the general merge: a record's insert,
        alone, for a record this laptop has never seen. False when it is not that case."""
        if change.op != "insert" or self.orphans:
            return False
        fields = change.fields
        plan_key = (table, tuple(fields))
        plan = self.plans.get(plan_key)
        if plan is None:
            plan = self.plans[plan_key] = self._insert_plan(table, shape, plan_key[1])
        rows, values_of, required, complete = plan
        if not complete:
            return False
        for name in required:
            if fields[name] is None:
                return False
        at = change.at or _iso(change.hlc)
        worker = change.worker
        row_id = change.row_id
        rows.append((row_id, *values_of(fields), at, at, worker, worker, change.origin, 1))
        self.clocks.append((table, row_id, "*", change.hlc, change.origin, change.seq))
        return True

    def _insert_plan(
        self, table: str, shape: tuple[frozenset[str], frozenset[str]], given: tuple[str, ...]
    ) -> _Plan:
        columns, required = shape
        keep = tuple(k for k in given if k in columns and k not in BOOKKEEPING and k != "id")
        complete = all(c in keep for c in required if c != "id")
        needed = tuple(k for k in keep if k in required)
        # (An incomplete plan never takes a row: no empty list of inserts made for it.)
        rows = self.inserts[(table, ("id", *keep, *_STAMPS))] if complete else []
        return rows, _values_of(keep), needed, complete

    def flush(self, db: Store) -> None:
        tables = {t for t, _ in self.inserts} | {t for t, _ in self.updates}
        for table in sorted(tables):
            new = sum(len(v) for (t, _), v in self.inserts.items() if t == table)
            with sync_log.indexes_built_after(db, table, new):
                for (t, names), values in self.inserts.items():
                    if t == table:
                        sync_log.insert_rows(db, table, names, values)
                for (t, names), changes in self.updates.items():
                    if t == table:
                        sync_log.update_rows(db, table, names, changes)
        sync_log.drop_clock_rows(db, self.dropped)
        # In key order (a stable sort: a later clock of one field still comes later): the
        # clock table's B-tree then fills page by page.
        self.clocks.sort(key=itemgetter(0, 1, 2))
        sync_log.set_clock_rows(db, self.clocks)
        if self.orphans:
            sync_log.forget_orphans(db, self.placed_orphans)


@dataclass(slots=True)
class _RowMerge:
    """The merge of one record's incoming changes (in key order) into what is stored."""

    db: Store
    table: str
    row_id: str
    shape: tuple[frozenset[str], frozenset[str]]
    clocks: dict[str, ClockKey]
    winners: dict[str, Any] = field(default_factory=dict)
    newest: Change | None = None
    first: Change | None = None
    _star_fields: frozenset[str] | None = None
    # The fields an update of a stored record changed (None: a new record, or none yet).
    changed_fields: frozenset[str] | None = None
    _history: list[Change] | None = None
    _dropped: set[str] = field(default_factory=set, init=False)
    _set: dict[str, ClockKey] = field(default_factory=dict, init=False)

    # -- clocks ------------------------------------------------------------------------
    def base_clock(self, name: str) -> ClockKey | None:
        """The clock a local writer would record as this field's base (as write_row does)."""
        return self.clocks.get(name, self.clocks.get("*"))

    def winner_clock(self, name: str) -> ClockKey | None:
        """The clock of the change that wrote this field's current value (None: unwritten)."""
        if name in self.clocks:
            return self.clocks[name]
        star = self.clocks.get("*")
        if star is None:
            return None
        if self._star_fields is None:
            found = sync_log.change_fields(self.db, star.origin, star.seq)
            self._star_fields = frozenset(found or ())
        return star if name in self._star_fields else None

    # -- one change ----------------------------------------------------------------------
    def take(self, change: Change) -> int:
        """Merge one change; returns the number of new conflicts it raised."""
        conflicts = 0
        checked = self.table not in APPEND_ONLY and change.bases and change.hlc != HLC_ZERO
        if checked and not self._follows(change):
            conflicts = self._find_conflicts(change)
        if change.op == "resolve" and "_resolves" in change.bases:
            self._mark_resolved(change)
        won = self._take_fields(change)
        key = change.key
        if change.op == "insert" and "*" not in self.clocks:
            # The first insert's clock covers every field it won; older explicit clocks of
            # those fields go (the same clocks as on a laptop that had the insert first).
            for name in won:
                if name in self.clocks:
                    del self.clocks[name]
                    self._set.pop(name, None)
                    self._dropped.add(name)
            self.clocks["*"] = key
            self._set["*"] = key
            self._star_fields = frozenset(change.fields)
        if won and (self.newest is None or key > self.newest.key):
            self.newest = change
        if change.op == "insert" and self.first is None:
            self.first = change
        return conflicts

    def _take_fields(self, change: Change) -> list[str]:
        """The fields where the change wins, written into `winners` (and their clocks)."""
        key = change.key
        columns = self.shape[0]
        explicit = change.op != "insert" or "*" in self.clocks
        won = []
        for name, value in change.fields.items():
            if name not in columns or name in BOOKKEEPING:
                continue  # a field this version does not know is kept in the log only
            current = self.winner_clock(name)
            if current is None or key > current:
                self.winners[name] = value
                won.append(name)
                if explicit:
                    self.clocks[name] = key
                    self._set[name] = key
        return won

    def _mark_resolved(self, change: Change) -> None:
        names = [f for f in change.fields if f != "id"]
        sync_log.resolve_conflict_row(
            self.db,
            change.bases["_resolves"],
            (self.table, self.row_id, names[0] if names else ""),
            change.worker,
            _iso(change.hlc),
            change.key.text(),
        )

    def _follows(self, change: Change) -> bool:
        """Whether the change was made on top of exactly what is here (the common case: no
        sibling can be known, as a sibling's key is above the base it shares)."""
        for name in change.fields:
            base = change.bases.get(name)
            here = self.base_clock(name)
            if (here.text() if here else None) != base:
                return False
        row_base = change.bases.get("*")
        newest = max(self.clocks.values()) if self.clocks else None
        return (newest.text() if newest else None) == row_base

    def _find_conflicts(self, change: Change) -> int:
        if self._history is None:
            self._history = [
                Change.from_log(r) for r in sync_log.row_history(self.db, self.table, self.row_id)
            ]
        found = 0
        for name in change.fields:
            base = change.bases.get(name)
            if base is None or name in BOOKKEEPING or name == "id":
                continue
            sides = [
                c
                for c in self._history
                if name in c.fields and c.bases.get(name) == base and c.hlc != HLC_ZERO
            ]
            if len({json.dumps(c.fields[name], sort_keys=True) for c in sides}) > 1:
                found += self._record(name, "field", base, sides, name)
        row_base = change.bases.get("*")
        if row_base is not None:
            found += self._delete_conflict(row_base)
        return found

    def _delete_conflict(self, row_base: str) -> int:
        assert self._history is not None
        siblings = [c for c in self._history if c.bases.get("*") == row_base and c.hlc != HLC_ZERO]
        deletes = [c for c in siblings if c.fields.get(DELETED)]
        edits = [
            c
            for c in siblings
            if DELETED not in c.fields and any(f not in BOOKKEEPING for f in c.fields)
        ]
        if deletes and edits:
            return self._record(DELETED, "delete", row_base, deletes + edits, DELETED)
        return 0

    def _record(self, name: str, kind: str, base: str, sides: list[Change], show: str) -> int:
        sides = sorted(sides, key=lambda c: c.key, reverse=True)
        conflict_id = conflict_id_for(
            self.table, self.row_id, name if kind == "field" else kind, base
        )
        new = not sync_log.conflict_exists(self.db, conflict_id)
        best = sides[0]
        other = next(
            (c for c in sides[1:] if c.fields.get(show) != best.fields.get(show)), sides[-1]
        )
        sync_log.save_conflict(
            self.db,
            {
                "id": conflict_id,
                "tbl": self.table,
                "row_id": self.row_id,
                "field": name,
                "kind": kind,
                "base": base,
                "sides": json.dumps(
                    [
                        {
                            "key": c.key.text(),
                            "value": c.fields.get(show),
                            "worker": c.worker,
                            "origin": c.origin,
                            "at": _iso(c.hlc),
                            "fields": sorted(c.fields),
                        }
                        for c in sides
                    ],
                    ensure_ascii=False,
                    sort_keys=True,
                ),
                "local_value": _text(best.fields.get(show)),
                "remote_value": _text(other.fields.get(show)),
                "remote_origin": other.origin,
                "remote_seq": other.seq,
            },
        )
        return 1 if new else 0

    # -- writing the record ----------------------------------------------------------------
    def write(self, row: dict[str, Any] | None, batch: _Batch) -> bool:
        """Write the winners (and the clocks) into `batch`, or now when the record exists;
        True when the record's values changed."""
        t, r = self.table, self.row_id
        if self._dropped:
            batch.dropped.extend((t, r, f) for f in self._dropped)
        clocks = batch.clocks
        for f, (hlc, origin, seq) in self._set.items():
            clocks.append((t, r, f, hlc, origin, seq))
        if not self.winners:
            return False
        newest = self.newest
        assert newest is not None
        stamp = {
            "updated_at": newest.at or _iso(newest.hlc),
            "updated_by": newest.worker,
            "device_id": newest.origin,
        }
        if row is not None:
            changed = {k: v for k, v in self.winners.items() if row.get(k) != v}
            if not changed:
                return False
            self.changed_fields = frozenset(changed)
            values = {**changed, **stamp}
            batch.updates[(t, tuple(values))].append([*values.values(), r])
            return True
        kept = sync_log.orphan(self.db, t, r) if batch.orphans else {}
        values = {**kept, **self.winners, "id": r}
        for c in self.shape[1]:
            if values.get(c) is None:
                sync_log.set_orphan(self.db, t, r, values)
                return False
        first = self.first or newest
        values.update(
            created_at=first.at or _iso(first.hlc),
            created_by=first.worker,
            row_version=1,
            **stamp,
        )
        rows, values_of = batch.layout(t, tuple(values))
        rows.append(values_of(values))
        if kept:
            batch.placed_orphans.append((t, r))
        return True


def conflict_id_for(table: str, row_id: str, name: str, base: str) -> str:
    """The conflict's id: the same on every laptop (record, field, the base both replaced)."""
    digest = hashlib.sha256(f"{table}|{row_id}|{name}|{base}".encode()).hexdigest()
    return digest[:32]


def _iso(hlc: str) -> str:
    ms = wall_of(hlc)
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def reindex(db: Store, touched: dict[str, set[str]]) -> None:
    """Search rows for the records a merge changed, in the same transaction: built by SQLite
    from the stored rows (store/bulk_index.py), the same text a local save indexes."""
    if touched.get("areas") or touched.get("service_types"):
        touched["providers"] = set(sync_log.all_ids(db, "providers"))
    if touched.get("providers"):
        bulk_index.reindex_providers(db, touched["providers"])
    if touched.get("enquiries"):
        bulk_index.reindex_enquiries(db, touched["enquiries"])
