-- The development pipeline and visits (issue 9).

-- The stages of the development pipeline, as data: a council renames and reorders them in
-- Settings. Codes are fixed (stored on providers and stage moves, shared by every laptop);
-- `listed`: a provider at this stage can be in good standing (registered, active);
-- `closed`: off the pipeline board unless asked for (ceased, not proceeding).
CREATE TABLE pipeline_stages (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    listed INTEGER NOT NULL DEFAULT 0,
    closed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL, updated_by TEXT NOT NULL,
    device_id TEXT NOT NULL, deleted_at TEXT, row_version INTEGER NOT NULL DEFAULT 1
);

-- Who moved a provider (the worker's name as they gave it; `note` says why).
ALTER TABLE stage_moves ADD COLUMN moved_by TEXT;

-- The worker who owns the provider: the board's cards and the caseload per worker.
ALTER TABLE providers ADD COLUMN lead_worker TEXT;
CREATE INDEX providers_lead_worker ON providers(lead_worker);

-- Visits are append-only: a correction is a new row pointing at the visit it corrects,
-- and the original stays in the history.
ALTER TABLE visits ADD COLUMN duration_minutes INTEGER;
ALTER TABLE visits ADD COLUMN corrects_visit_id TEXT;
CREATE INDEX visits_corrects ON visits(corrects_visit_id) WHERE corrects_visit_id IS NOT NULL;
CREATE INDEX visits_next ON visits(next_visit_on) WHERE next_visit_on IS NOT NULL;
