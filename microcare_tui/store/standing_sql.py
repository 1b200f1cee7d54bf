"""Standing and listing in SQL (the rule of domain.rules.standing), shared by the provider
lists, the lookup, the register and the figures.

Its own module so the lookup (`microcare search`) reads it without importing the rest of
store.providers (its row classes and write paths).
"""

from __future__ import annotations

# The latest QA check is the newest by date, then the last recorded that day; the record page
# (qa_checks_for) and STANDING_SQL pick it the same way.
QA_NEWEST_FIRST = ("-checked_on", "-rowid")

# Which stages list a provider. Stages are becoming data (a `listed` flag per stage): when
# they are, this becomes a lookup of that flag; the rule below takes it as a whole.
LISTED_SQL = "p.stage IN ('registered', 'active')"

# A rule's condition holds for provider p (domain.applicability.rule_holds, in SQL).
_RULE_HOLDS = """CASE r.condition
    WHEN 'always' THEN 1
    WHEN 'per_person_one_to_one' THEN 1
    WHEN 'has_staff' THEN p.staff_count > 1
    WHEN 'regulated_activity' THEN p.regulated_activity = 1 AND p.cqc_exempt = 0
    WHEN 'sole_trader' THEN p.legal_form = 'sole_trader'
    WHEN 'offers_services' THEN EXISTS (
        SELECT 1 FROM json_each(p.services) s JOIN json_each(r.services) w ON s.value = w.value)
    ELSE 0 END"""


_VALID = """SELECT 1 FROM evidence_items v WHERE v.provider_id = p.id
    AND v.evidence_type_code = e.evidence_type_code AND v.deleted_at IS NULL
    AND v.status = 'met' AND (v.expires_on IS NULL OR v.expires_on >= :today)"""

# Mandatory evidence that applies has lapsed: some expired met item whose slot holds no valid
# met item. Starting from the provider's expired items (few; most providers have none) keeps
# it cheap for a whole register. A slot is the type (provider-wide rules) or the type and a
# current one-to-one person (per-person rules); an item for no one is the owner's, or the
# provider's own while no people are recorded (domain.applicability.in_slot). The unary +
# keeps SQLite on the provider index: most items name no person, so the person index is slow.
_EVIDENCE_LAPSED = f"""EXISTS (
  SELECT 1 FROM evidence_items e JOIN evidence_rules r
    ON r.evidence_type_code = e.evidence_type_code
  WHERE e.provider_id = p.id AND e.deleted_at IS NULL AND e.status = 'met'
    AND e.expires_on < :today
    AND r.deleted_at IS NULL AND r.mandatory = 1 AND ({_RULE_HOLDS})
    AND CASE WHEN r.condition != 'per_person_one_to_one' THEN NOT EXISTS ({_VALID})
        ELSE EXISTS (SELECT 1 FROM provider_people pp WHERE pp.provider_id = p.id
                       AND pp.deleted_at IS NULL AND pp.left_on IS NULL
                       AND pp.works_one_to_one = 1
                       AND (pp.id = e.person_id OR (e.person_id IS NULL AND pp.role = 'owner'))
                       AND NOT EXISTS ({_VALID} AND (+v.person_id = pp.id
                           OR (pp.role = 'owner' AND +v.person_id IS NULL))))
          OR (e.person_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM provider_people pp WHERE pp.provider_id = p.id
                                AND pp.deleted_at IS NULL AND pp.left_on IS NULL)
              AND NOT EXISTS ({_VALID} AND +v.person_id IS NULL))
        END)"""

_LATEST_QA = """(SELECT q.{col} FROM qa_checks q WHERE q.provider_id = p.id AND q.deleted_at IS NULL
        ORDER BY q.checked_on DESC, q.rowid DESC LIMIT 1)"""

# Standing in SQL for lists and the lookup: the same rule as domain.rules.standing, which is
# the source (and gives the reasons). tests/test_store.py checks the two agree on every
# combination of stage, latest QA outcome, evidence, people, QA actions and concerns, and
# tests/services/test_standing.py on a generated register.
# The overdue-actions test names schema 0009's partial index actions_open_qa's condition
# (done_on IS NULL, source = 'qa_check', deleted_at IS NULL): keep them word for word.
STANDING_SQL = f"""
CASE
  WHEN NOT ({LISTED_SQL}) THEN 'not_listed'
  WHEN EXISTS (SELECT 1 FROM concerns c WHERE c.provider_id = p.id AND c.deleted_at IS NULL
               AND c.kind = 'safeguarding' AND c.status = 'open') THEN 'suspended'
  WHEN {_LATEST_QA.format(col="outcome")} = 'not_approved' THEN 'not_listed'
  WHEN {_EVIDENCE_LAPSED} THEN 'lapsed'
  WHEN EXISTS (SELECT 1 FROM actions a WHERE a.provider_id = p.id AND a.deleted_at IS NULL
               AND a.source = 'qa_check' AND a.source_id = {_LATEST_QA.format(col="id")}
               AND a.done_on IS NULL AND a.due_on < :today) THEN 'lapsed'
  ELSE 'good'
END
"""
