-- microcare initial schema.
-- Every user table carries the same bookkeeping columns so that sync and audit can be
-- built on it: a text UUIDv7 id minted on the device, timestamps (UTC ISO 8601), who and
-- on which device, a soft-delete marker and a row version bumped on every write.
-- Lists (areas served, services, days) are JSON arrays in one column: they merge as one
-- field in sync and are queried with json_each().
-- References between synced tables are soft (no FOREIGN KEY enforcement): a visit may
-- arrive from a colleague's bundle before its provider does.

CREATE TABLE settings (
    id TEXT PRIMARY KEY,            -- the setting's key, e.g. 'worker_name'
    value TEXT,                     -- JSON-encoded value
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE areas (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'district',
    code TEXT,
    postcode_districts TEXT NOT NULL DEFAULT '[]',   -- JSON ["TN23", "TN24", ...]
    neighbours TEXT NOT NULL DEFAULT '[]',           -- JSON [area id, ...]: "nearby areas" in ranking
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE service_types (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    regulated INTEGER NOT NULL DEFAULT 0,            -- a CQC regulated activity (personal care)
    synonyms TEXT NOT NULL DEFAULT '[]',             -- JSON words a caller might use
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE legal_forms (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE evidence_types (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    validity_months INTEGER,                         -- NULL: does not lapse
    mandatory_when TEXT NOT NULL DEFAULT 'always',   -- always | staff | personal_care | food | personal_data | never
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE providers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    legal_form TEXT NOT NULL DEFAULT 'sole_trader',
    lead_contact TEXT,
    phone TEXT,                                      -- E.164
    email TEXT,
    postcode TEXT,                                   -- normalised 'TN23 4AB'
    area_id TEXT,                                    -- base area, from the postcode district
    areas_served TEXT NOT NULL DEFAULT '[]',         -- JSON [area id]
    services TEXT NOT NULL DEFAULT '[]',             -- JSON [service code]
    staff_count INTEGER NOT NULL DEFAULT 1,
    size_band TEXT NOT NULL DEFAULT 'micro',
    ownership_model TEXT,
    approach TEXT,
    regulated_activity INTEGER NOT NULL DEFAULT 0,
    funding_accepted TEXT NOT NULL DEFAULT '[]',     -- JSON [self_funded, direct_payment, ...]
    hourly_rate_pence INTEGER,
    accepting_new_clients INTEGER NOT NULL DEFAULT 1,
    days TEXT NOT NULL DEFAULT '[]',                 -- JSON ["mon", ...]
    times TEXT NOT NULL DEFAULT '[]',                -- JSON ["morning", "afternoon", "evening", "night"]
    languages TEXT NOT NULL DEFAULT '[]',
    specialisms TEXT NOT NULL DEFAULT '[]',
    stage TEXT NOT NULL DEFAULT 'enquiry',
    stage_changed_on TEXT,
    description TEXT,
    notes TEXT,
    enquiry_id TEXT,                                 -- the enquiry it grew from, if any
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX providers_name ON providers(name COLLATE NOCASE);
CREATE INDEX providers_stage ON providers(stage);
CREATE INDEX providers_updated ON providers(updated_at);

CREATE TABLE stage_moves (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL,
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    moved_on TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX stage_moves_provider ON stage_moves(provider_id);

CREATE TABLE enquiries (
    id TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT 'phone',
    enquirer_kind TEXT NOT NULL,
    caller_name TEXT,
    caller_phone TEXT,                               -- E.164 when it parsed
    relationship TEXT,
    postcode TEXT,
    area_id TEXT,
    needs TEXT NOT NULL DEFAULT '[]',                -- JSON [service code]
    days TEXT NOT NULL DEFAULT '[]',
    times TEXT NOT NULL DEFAULT '[]',
    summary TEXT,
    urgency TEXT NOT NULL DEFAULT 'routine',
    outcome TEXT,
    follow_up_on TEXT,
    follow_up_done_at TEXT,
    follow_up_note TEXT,
    worker TEXT,
    duration_seconds INTEGER,
    contact_enquiry_id TEXT,                         -- an earlier enquiry from the same caller
    provider_id TEXT,                                -- the provider record it became
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX enquiries_received ON enquiries(received_at);
CREATE INDEX enquiries_follow_up ON enquiries(follow_up_on) WHERE follow_up_done_at IS NULL;
CREATE INDEX enquiries_phone ON enquiries(caller_phone);
CREATE INDEX enquiries_outcome ON enquiries(outcome);

CREATE TABLE signposts (
    id TEXT PRIMARY KEY,
    enquiry_id TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    signposted_at TEXT NOT NULL,
    reported_outcome TEXT NOT NULL DEFAULT 'unknown',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX signposts_enquiry ON signposts(enquiry_id);
CREATE INDEX signposts_provider ON signposts(provider_id);

CREATE TABLE unmet_needs (
    id TEXT PRIMARY KEY,
    enquiry_id TEXT NOT NULL,
    service_code TEXT NOT NULL,
    area_id TEXT,
    recorded_on TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX unmet_needs_area_service ON unmet_needs(area_id, service_code);

CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL,
    visited_on TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'development',
    notes TEXT,
    actions TEXT,
    next_visit_on TEXT,
    worker TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX visits_provider ON visits(provider_id, visited_on);

CREATE TABLE training_courses (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    topic TEXT,
    evidence_type_code TEXT,                         -- the certificate it confers, if any
    validity_months INTEGER,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE training_sessions (
    id TEXT PRIMARY KEY,
    course_id TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    venue TEXT,
    trainer TEXT,
    capacity INTEGER,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX training_sessions_course ON training_sessions(course_id);

CREATE TABLE training_attendance (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    provider_id TEXT,
    attendee_name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'booked',           -- invited | booked | attended | no_show | cancelled
    certificate_expires_on TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX training_attendance_session ON training_attendance(session_id);
CREATE INDEX training_attendance_provider ON training_attendance(provider_id);

CREATE TABLE evidence_items (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL,
    evidence_type_code TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'met',              -- met | not_met | not_applicable
    reference TEXT,
    issued_on TEXT,
    expires_on TEXT,
    seen_by TEXT,
    seen_on TEXT,
    note TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX evidence_items_provider ON evidence_items(provider_id);
CREATE INDEX evidence_items_expires ON evidence_items(expires_on);

CREATE TABLE qa_checks (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'initial',
    outcome TEXT NOT NULL,                           -- approved | approved_with_actions | not_approved
    next_review_on TEXT,
    notes TEXT,
    checked_by TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX qa_checks_provider ON qa_checks(provider_id, checked_on);

CREATE TABLE grants (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    amount_requested_pence INTEGER NOT NULL DEFAULT 0,
    amount_awarded_pence INTEGER,
    status TEXT NOT NULL DEFAULT 'applied',
    applied_on TEXT,
    decided_on TEXT,
    paid_on TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX grants_provider ON grants(provider_id);

CREATE TABLE provider_returns (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    people_supported INTEGER NOT NULL DEFAULT 0,
    hours_per_week REAL NOT NULL DEFAULT 0,
    people_on_direct_payments INTEGER NOT NULL DEFAULT 0,
    hourly_rate_pence INTEGER,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX provider_returns_provider ON provider_returns(provider_id, period_end);

-- Sync and audit. Local tables start with an underscore and are never exported as user data.
CREATE TABLE _device (
    id TEXT PRIMARY KEY,                             -- this laptop's device id (one row)
    created_at TEXT NOT NULL
);

-- The change log: one row per row write, in the same transaction as the write.
-- (origin, seq) is the change's identity across laptops; seq is contiguous per device.
CREATE TABLE _change_log (
    origin TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    worker TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    op TEXT NOT NULL,                                -- insert | update | delete
    fields TEXT NOT NULL,                            -- JSON {field: new value}
    PRIMARY KEY (origin, seq)
);
CREATE INDEX _change_log_row ON _change_log(tbl, row_id);

-- What has been exported and imported (filled by the sync issue).
CREATE TABLE _sync_export (
    bundle_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    up_to_seq INTEGER NOT NULL,
    target TEXT
);
CREATE TABLE _sync_import (
    bundle_id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    sender TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE _sync_conflict (
    id TEXT PRIMARY KEY,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    local_value TEXT,
    remote_value TEXT,
    remote_origin TEXT,
    remote_seq INTEGER,
    status TEXT NOT NULL DEFAULT 'open',
    resolved_by TEXT,
    resolved_at TEXT
);

-- Full-text indexes, kept in step by the store (not triggers: the text indexed is
-- built from reference data, e.g. service labels and synonyms, area names, districts).
-- Each index row's rowid is its provider's (enquiry's) rowid: updates and joins use it.
CREATE VIRTUAL TABLE provider_fts USING fts5(
    provider_id UNINDEXED, name, services, areas, extra,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
CREATE VIRTUAL TABLE enquiry_fts USING fts5(
    enquiry_id UNINDEXED, caller, summary, needs,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
