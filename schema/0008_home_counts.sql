-- Home counts the open enquiries on every visit to it: with 100,000 enquiries that read the
-- whole table (~25 ms). The open ones are a few thousand; this index holds only them, so
-- the count reads the index alone (~2 ms). Its condition is the open filter's, word for word
-- (store/enquiries.py OPEN_SQL): SQLite uses a partial index only when the query's
-- condition names the index's.
CREATE INDEX enquiries_open ON enquiries(received_at)
 WHERE deleted_at IS NULL
   AND (outcome IS NULL OR outcome = 'follow_up'
        OR (follow_up_on IS NOT NULL AND follow_up_done_at IS NULL));

-- Home's expiry radar takes each slot's best evidence item (a provider's, or a person's, of
-- one type); this index holds exactly the items that count (live, met), so the best of a
-- slot is read from the index alone instead of every item the provider has (24 -> 16 ms).
CREATE INDEX evidence_items_slot ON evidence_items(provider_id, evidence_type_code, person_id, expires_on)
 WHERE deleted_at IS NULL AND status = 'met';
