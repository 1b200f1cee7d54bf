-- A provider's people: the owner and each worker. Evidence such as an enhanced DBS check
-- and training certificates apply per person, so they need a row to hang on.
-- Personal data: the fewest fields that do the job (no date of birth, no address, no copy of
-- any certificate). `works_one_to_one` decides whether DBS evidence applies to the person.
CREATE TABLE provider_people (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'worker',             -- owner | worker | volunteer
    works_one_to_one INTEGER NOT NULL DEFAULT 1,
    phone TEXT,                                      -- E.164; only if they are a contact
    email TEXT,
    left_on TEXT,                                    -- no longer with the provider
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX provider_people_provider ON provider_people(provider_id);

-- Evidence and training attendance may belong to one person of the provider.
ALTER TABLE evidence_items ADD COLUMN person_id TEXT;
CREATE INDEX evidence_items_person ON evidence_items(person_id);
ALTER TABLE training_attendance ADD COLUMN person_id TEXT;
CREATE INDEX training_attendance_person ON training_attendance(person_id);
