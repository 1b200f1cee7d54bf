-- Home's figures and expiry radar are read after every start (issue 9: Home <= 100 ms on a
-- county register). Each index lets one of its queries read only what it needs.

-- The radar's training certificates: the latest certificate of each attendee of a provider
-- with one expiring in the window, grouped in this index's order and read from it alone; it
-- looked up each of those providers' attendance rows in the table (county demo: 8.5 -> 2.4 ms).
CREATE INDEX training_attendance_certs
    ON training_attendance(provider_id, attendee_name, certificate_expires_on, deleted_at)
 WHERE certificate_expires_on IS NOT NULL AND deleted_at IS NULL;

-- Standing's "actions of the latest QA check overdue", asked of every listed provider (Home's
-- good-standing count, the lists, the lookup): most providers have no open QA action past its
-- date, and this index says so in one seek, before the latest check is looked for (the
-- county demo's 18,000 actions: 4.9 -> 0.9 ms). Its condition is standing's (STANDING_SQL),
-- word for word: SQLite uses a partial index only when the query names its condition.
CREATE INDEX actions_open_qa ON actions(provider_id, due_on)
 WHERE done_on IS NULL AND source = 'qa_check' AND deleted_at IS NULL;
