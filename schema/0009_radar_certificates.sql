-- Home's expiry radar, read after every start (issue 9: Home <= 100 ms on a county register):
-- the latest training certificate of each attendee of a provider with one expiring in the
-- window, grouped in this index's order and read from it alone; it looked up each of those
-- providers' attendance rows in the table (the county demo: 8.5 -> 2.4 ms).
CREATE INDEX training_attendance_certs
    ON training_attendance(provider_id, attendee_name, certificate_expires_on, deleted_at)
 WHERE certificate_expires_on IS NOT NULL AND deleted_at IS NULL;
