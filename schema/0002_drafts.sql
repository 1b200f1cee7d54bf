-- Drafts of calls not saved yet: the call screen keeps one every few seconds and whenever a
-- field is left, so a crash loses at most the field being typed.
-- Device-local, like every table whose name starts with an underscore: sync never exports
-- it. A draft is not a record: it is written in its own small transaction, not through the
-- change log, and has none of the bookkeeping columns. It lives in the database (not in a
-- file beside it) so that encryption at rest covers the caller's details it holds.
CREATE TABLE _draft (
    id TEXT PRIMARY KEY,                 -- one per call being taken (UUIDv7)
    kind TEXT NOT NULL DEFAULT 'call',
    body TEXT NOT NULL,                  -- JSON as the call session wrote it
    written_at TEXT NOT NULL,            -- UTC ISO 8601
    set_aside INTEGER NOT NULL DEFAULT 0 -- 1: could not be read; kept, never offered again
);
