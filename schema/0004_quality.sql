-- Quality assurance (issue 9): which evidence applies to whom, QA checklists, actions and
-- concerns. Written as one migration so the register's parts share the same tables.

-- Which evidence applies, as data a council can change (Settings), not code.
-- condition: always | has_staff | regulated_activity | offers_services | per_person_one_to_one
-- (per_person_one_to_one: one item per provider person who works one-to-one, e.g. DBS).
CREATE TABLE evidence_rules (
    id TEXT PRIMARY KEY,
    evidence_type_code TEXT NOT NULL,
    condition TEXT NOT NULL DEFAULT 'always',
    services TEXT NOT NULL DEFAULT '[]',             -- JSON [service code] for offers_services
    mandatory INTEGER NOT NULL DEFAULT 1,
    min_cover_pence INTEGER,                         -- e.g. public liability GBP 5m
    note TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX evidence_rules_type ON evidence_rules(evidence_type_code);

-- A regulated activity may be exempt from CQC registration (e.g. an introductory agency).
ALTER TABLE providers ADD COLUMN cqc_exempt INTEGER NOT NULL DEFAULT 0;

-- Evidence metadata only, never a copy of a certificate.
ALTER TABLE evidence_items ADD COLUMN cover_pence INTEGER;
ALTER TABLE evidence_items ADD COLUMN verified_how TEXT;   -- seen original | online check | update service

-- One line of a QA check's checklist, built from the evidence that applies.
CREATE TABLE qa_check_items (
    id TEXT PRIMARY KEY,
    qa_check_id TEXT NOT NULL,
    evidence_type_code TEXT NOT NULL,
    person_id TEXT,
    result TEXT NOT NULL,                            -- met | not_met | not_applicable
    note TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX qa_check_items_check ON qa_check_items(qa_check_id);

-- Actions with due dates, from a visit, a QA check or a concern; Home lists the ones due.
CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL,
    source TEXT NOT NULL,                            -- visit | qa_check | concern | other
    source_id TEXT,
    description TEXT NOT NULL,
    due_on TEXT,
    done_on TEXT,
    worker TEXT,                                     -- who will do it
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX actions_provider ON actions(provider_id);
CREATE INDEX actions_due ON actions(due_on) WHERE done_on IS NULL;
CREATE INDEX actions_source ON actions(source, source_id);

-- Concerns, complaints and compliments about a provider. An open safeguarding concern
-- suspends good standing; upheld complaints and compliments are the track record.
CREATE TABLE concerns (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL,
    kind TEXT NOT NULL,                              -- safeguarding | complaint | compliment
    raised_on TEXT NOT NULL,
    raised_by TEXT,                                  -- a role or relationship, not a member of the public's name
    severity TEXT,                                   -- low | medium | high
    summary TEXT NOT NULL,
    referred_on TEXT,                                -- to the council's safeguarding team
    status TEXT NOT NULL DEFAULT 'open',             -- open | closed
    outcome TEXT,                                    -- upheld | partly_upheld | not_upheld | no_further_action
    closed_on TEXT,
    restricted_notes TEXT,                           -- shown only on request, never exported in reports
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX concerns_provider ON concerns(provider_id);
CREATE INDEX concerns_open ON concerns(provider_id) WHERE status = 'open';
