-- Sync core (issue 10): a clock on every change, who wrote each field's current value, what
-- each laptop has and knows its colleagues have, conflicts to review, this laptop's own
-- settings kept out of sync. Existing databases upgrade in place: every change already
-- logged keeps its (origin, seq) and gets a clock from the time it was written.

-- The hybrid logical clock of each change ('wall ms-counter', see domain/hlc.py), and the
-- clock of the value each changed field replaced (JSON {field: 'hlc|origin|seq'}, '*' for
-- the row's newest change seen), which tells concurrent edits from later ones.
ALTER TABLE _change_log ADD COLUMN hlc TEXT NOT NULL DEFAULT '000000000000000-000000';
ALTER TABLE _change_log ADD COLUMN bases TEXT NOT NULL DEFAULT '{}';
-- Changes made before this migration: the time they were written. The defaults keep the
-- zero clock, so a colleague's edit of a seeded row always wins over a laptop's seed.
UPDATE _change_log
   SET hlc = printf('%015d-000000', CAST(round((julianday(at) - 2440587.5) * 86400000) AS INTEGER))
 WHERE worker != 'microcare defaults' AND julianday(at) IS NOT NULL;

-- The clock's last value on this laptop (one row), so it never goes back, even when the
-- laptop's own clock does.
CREATE TABLE _hlc (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last TEXT NOT NULL
);
INSERT INTO _hlc (id, last)
SELECT 1, COALESCE(MAX(hlc), '000000000000000-000000') FROM _change_log;

-- Which change wrote each field's current value: per field last-writer-wins compares an
-- incoming change with this. field '*' is the row's insert: it covers every field that has
-- no row of its own (one row per record for a plain insert, not one per column).
CREATE TABLE _field_clock (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    hlc TEXT NOT NULL,
    origin TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (tbl, row_id, field)
) WITHOUT ROWID;
INSERT OR REPLACE INTO _field_clock (tbl, row_id, field, hlc, origin, seq)
SELECT tbl, row_id, '*', hlc, origin, seq FROM _change_log
 WHERE op = 'insert' ORDER BY hlc, origin, seq;
INSERT OR REPLACE INTO _field_clock (tbl, row_id, field, hlc, origin, seq)
SELECT c.tbl, c.row_id, j.key, c.hlc, c.origin, c.seq
  FROM _change_log c, json_each(c.fields) j
 WHERE c.op != 'insert' ORDER BY c.hlc, c.origin, c.seq;

-- What this laptop has from each other origin: ranges of sequence numbers (a gap between two
-- ranges is changes not received yet). This laptop's own changes run 1..MAX(seq) and are read
-- from the change log's key, not kept here.
CREATE TABLE _sync_range (
    origin TEXT NOT NULL,
    lo INTEGER NOT NULL,
    hi INTEGER NOT NULL,
    PRIMARY KEY (origin, lo)
) WITHOUT ROWID;
INSERT INTO _sync_range (origin, lo, hi)
SELECT origin, MIN(seq), MAX(seq) FROM (
    SELECT origin, seq, seq - ROW_NUMBER() OVER (PARTITION BY origin ORDER BY seq) AS g
      FROM _change_log
) WHERE origin NOT IN (SELECT id FROM _device) GROUP BY origin, g;

-- What each colleague's laptop is known to have (from the vector in its last bundle): an
-- export for it holds everything not covered here. Exporting never adds to it.
CREATE TABLE _sync_peer (
    peer TEXT NOT NULL,
    origin TEXT NOT NULL,
    lo INTEGER NOT NULL,
    hi INTEGER NOT NULL,
    PRIMARY KEY (peer, origin, lo)
) WITHOUT ROWID;

-- Exports: which of this laptop's origins the mark counts (a copied database gets a new one).
ALTER TABLE _sync_export ADD COLUMN origin TEXT;
UPDATE _sync_export SET origin = (SELECT id FROM _device LIMIT 1);

-- Conflicts: the same id on every laptop (from the row, the field and the value both sides
-- replaced); `sides` is every concurrent value with who wrote it and when.
ALTER TABLE _sync_conflict ADD COLUMN kind TEXT NOT NULL DEFAULT 'field';  -- field | delete
ALTER TABLE _sync_conflict ADD COLUMN base TEXT;
ALTER TABLE _sync_conflict ADD COLUMN sides TEXT NOT NULL DEFAULT '[]';
ALTER TABLE _sync_conflict ADD COLUMN resolved_key TEXT;
CREATE INDEX _sync_conflict_status ON _sync_conflict(status);

-- Field values of records whose first change has not arrived yet (a bundle was lost or comes
-- later): kept here until the record can be written.
CREATE TABLE _sync_orphan (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;

-- Device identity: the file this database was last opened as (path, inode and a per-machine
-- id). A copy or a restore elsewhere opens under another identity and gets a new device id,
-- so no two files log the same (origin, seq).
ALTER TABLE _device ADD COLUMN file_identity TEXT;
CREATE TABLE _device_retired (
    id TEXT PRIMARY KEY,
    retired_at TEXT NOT NULL,
    reason TEXT NOT NULL
);

-- This laptop's own values (who is using it, whether it is the demo): never synced.
CREATE TABLE _local_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO _local_settings (key, value)
SELECT id, value FROM settings
 WHERE id IN ('worker_name', 'is_demo') AND deleted_at IS NULL AND value IS NOT NULL;
DELETE FROM settings WHERE id IN ('worker_name', 'is_demo');
DELETE FROM _field_clock WHERE tbl = 'settings' AND row_id IN ('worker_name', 'is_demo');

-- A provider registered twice (on two laptops before they synced) is merged by a person: the
-- duplicate points at the record kept (and is withdrawn), a field like any other, so the
-- merge converges on every laptop and can be undone.
ALTER TABLE providers ADD COLUMN merged_into TEXT;
