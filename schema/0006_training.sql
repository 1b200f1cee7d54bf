-- Training (issue 9, section 5): the course catalogue says for whom a course is mandatory,
-- a session can be cancelled, and an attendance remembers the certificate it created.
-- A course gives a certificate when it names the evidence type it confers
-- (evidence_type_code); validity_months NULL means the certificate does not lapse.

-- JSON ["all"] or [service code, ...]: the providers offering one of those services (or
-- every provider) should send someone on it. '[]': nobody has to.
ALTER TABLE training_courses ADD COLUMN mandatory_for TEXT NOT NULL DEFAULT '[]';

-- Set when the session was called off: no more bookings, no attendance.
ALTER TABLE training_sessions ADD COLUMN cancelled_on TEXT;
CREATE INDEX training_sessions_starts ON training_sessions(starts_at);

-- The evidence item (certificate) this attendance created, so marking it back to booked or
-- no-show withdraws that certificate and saving twice never makes two.
ALTER TABLE training_attendance ADD COLUMN evidence_item_id TEXT;
CREATE INDEX training_attendance_certificate ON training_attendance(certificate_expires_on)
    WHERE certificate_expires_on IS NOT NULL;
