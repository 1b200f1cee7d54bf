"""Reference data (areas, service catalogue, legal forms, evidence types) and settings."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from microcare_tui.domain.ids import seed_id
from microcare_tui.store.db import Store

if TYPE_CHECKING:
    from microcare_tui.domain import models as m
    from microcare_tui.domain.query import Vocabulary

# Model classes (pydantic) and the record helpers are imported inside the functions that
# build models: the home screen's counts need only SQL, so the first frame paints without
# pydantic (about 100 ms of start-up). The app imports them in the background once ready.
# The defaults (and through them the enums) are imported by the functions that seed them:
# `microcare search` reads settings and the vocabulary without them.

SEED_WORKER = "microcare defaults"


def seed_defaults(store: Store) -> None:
    """Fill an empty database with the default reference data and settings (idempotent).

    Defaults get fixed ids and are recorded as written by "microcare defaults", so they
    are the same rows on every laptop and are not counted as the worker's own changes.
    """
    if _seeded(store) and _quality_seeded(store):
        return
    worker = store.worker
    store.worker = SEED_WORKER
    try:
        _seed(store)
        _seed_quality(store)
    finally:
        store.worker = worker


def _seeded(store: Store) -> bool:
    from microcare_tui.domain import defaults

    keys = list(defaults.DEFAULT_SETTINGS)
    row = store.conn.execute(
        f"""SELECT (SELECT COUNT(*) FROM areas) > 0 AND (SELECT COUNT(*) FROM service_types) > 0
              AND (SELECT COUNT(*) FROM legal_forms) > 0
              AND (SELECT COUNT(*) FROM evidence_types) > 0
              AND (SELECT COUNT(*) FROM pipeline_stages) > 0
              AND (SELECT COUNT(*) FROM settings WHERE id IN ({",".join("?" * len(keys))}))
                  = {len(keys)}""",
        keys,
    ).fetchone()
    return bool(row[0])


def _quality_seeded(store: Store) -> bool:
    """Every default evidence type and some evidence rule exist (deleted ones count: a
    council that removed a default keeps it removed)."""
    from microcare_tui.domain import defaults

    codes = [code for code, *_ in defaults.EVIDENCE_TYPES]
    row = store.conn.execute(
        f"""SELECT (SELECT COUNT(*) FROM evidence_rules) > 0
              AND (SELECT COUNT(DISTINCT code) FROM evidence_types
                   WHERE code IN ({",".join("?" * len(codes))})) = {len(codes)}""",
        codes,
    ).fetchone()
    return bool(row[0])


def _seed_quality(store: Store) -> None:
    """Add the evidence types a database made before issue 9 lacks, and the default
    evidence rules (domain.applicability.DEFAULT_RULES) when it has none: databases upgrade
    in place, with the same fixed ids on every laptop."""
    from microcare_tui.domain import defaults
    from microcare_tui.domain.applicability import DEFAULT_RULES

    with store.transaction():
        have = {r["code"] for r in store.query("SELECT code FROM evidence_types")}
        for order, (code, label, months, when) in enumerate(defaults.EVIDENCE_TYPES):
            if code not in have:
                store.write_row(
                    "evidence_types",
                    {
                        "id": seed_id("evidence_type", code),
                        "code": code,
                        "label": label,
                        "validity_months": months,
                        "mandatory_when": when,
                        "sort_order": order,
                    },
                )
        if not store.scalar("SELECT COUNT(*) FROM evidence_rules"):
            for rule in DEFAULT_RULES:
                store.write_row(
                    "evidence_rules",
                    {
                        "id": seed_id("evidence_rule", rule.type_code),
                        "evidence_type_code": rule.type_code,
                        "condition": rule.condition,
                        "services": json.dumps(list(rule.services)),
                        "mandatory": int(rule.mandatory),
                        "min_cover_pence": rule.min_cover_pence,
                        "note": rule.note or None,
                    },
                )


def _seed(store: Store) -> None:
    from microcare_tui.domain import defaults
    from microcare_tui.domain import models as m
    from microcare_tui.store import pipeline, records

    with store.transaction():
        if not store.scalar("SELECT COUNT(*) FROM areas"):
            ids = {name: seed_id("area", name) for name, _, _ in defaults.KENT_AREAS}
            for order, (name, districts, near) in enumerate(defaults.KENT_AREAS):
                records.save(
                    store,
                    m.Area(
                        id=ids[name],
                        name=name,
                        postcode_districts=districts,
                        neighbours=[ids[n] for n in near if n in ids],
                        sort_order=order,
                    ),
                )
        if not store.scalar("SELECT COUNT(*) FROM service_types"):
            for order, (code, label, regulated, synonyms) in enumerate(defaults.SERVICE_CATALOGUE):
                records.save(
                    store,
                    m.ServiceType(
                        id=seed_id("service_type", code),
                        code=code,
                        label=label,
                        regulated=regulated,
                        synonyms=synonyms,
                        sort_order=order,
                    ),
                )
        if not store.scalar("SELECT COUNT(*) FROM legal_forms"):
            for order, (code, label) in enumerate(defaults.legal_forms()):
                records.save(
                    store,
                    m.LegalFormRow(
                        id=seed_id("legal_form", code), code=code, label=label, sort_order=order
                    ),
                )
        if not store.scalar("SELECT COUNT(*) FROM evidence_types"):
            for order, (code, label, months, when) in enumerate(defaults.EVIDENCE_TYPES):
                records.save(
                    store,
                    m.EvidenceType(
                        id=seed_id("evidence_type", code),
                        code=code,
                        label=label,
                        validity_months=months,
                        mandatory_when=when,
                        sort_order=order,
                    ),
                )
        if not pipeline.stages_seeded(store):
            pipeline.seed_stages(store)
        for key, value in defaults.DEFAULT_SETTINGS.items():
            if get_setting(store, key) is None:
                set_setting(store, key, value)


# This laptop's own settings: who uses it, whether it is the demo. They live in
# _local_settings, never in the synced settings table (a colleague's bundle must not rename
# the worker on this laptop).
LOCAL_SETTINGS = frozenset({"worker_name", "is_demo"})


def get_setting(store: Store, key: str, default: Any = None) -> Any:
    """A setting's value, or `default` when unset."""
    if key in LOCAL_SETTINGS:
        from microcare_tui.store import sync_log  # not on `microcare search`'s path

        raw = sync_log.local_setting(store, key)
    else:
        raw = store.scalar("SELECT value FROM settings WHERE id = ? AND deleted_at IS NULL", (key,))
    return default if raw is None else json.loads(raw)


def set_setting(store: Store, key: str, value: Any) -> None:
    """Store a setting (logged like any other change; this laptop's own ones are not)."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    if key in LOCAL_SETTINGS:
        with store.transaction():
            from microcare_tui.store import sync_log

            sync_log.set_local_setting(store, key, json.dumps(value, ensure_ascii=False))
        return
    records.save(store, m.Setting(id=key, value=value))


def areas(store: Store) -> list[m.Area]:
    """The council's areas in display order."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.find(store, m.Area, order=("sort_order", "name"))


def service_types(store: Store) -> list[m.ServiceType]:
    """The service catalogue in display order."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.find(store, m.ServiceType, order=("sort_order", "label"))


def legal_forms(store: Store) -> list[m.LegalFormRow]:
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.find(store, m.LegalFormRow, order=("sort_order", "label"))


def evidence_types(store: Store) -> list[m.EvidenceType]:
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.find(store, m.EvidenceType, order=("sort_order", "label"))


def area_for_postcode(store: Store, postcode: str | None) -> str | None:
    """The area whose postcode districts include this postcode's district, if any."""
    if not postcode:
        return None
    from microcare_tui.domain.parse import postcode_district

    try:
        district = postcode_district(postcode)
    except ValueError:
        return None
    return district_map(store).get(district)


def district_map(store: Store) -> dict[str, str]:
    """Postcode district -> area id (first area listing a district wins)."""
    mapping: dict[str, str] = {}
    rows = store.query(
        "SELECT id, postcode_districts FROM areas WHERE deleted_at IS NULL"
        " ORDER BY sort_order, name"
    )
    for row in rows:
        for district in json.loads(row["postcode_districts"]):
            mapping.setdefault(district.upper(), row["id"])
    return mapping


def service_labels(store: Store) -> dict[str, str]:
    """Service code -> label, for showing lists (plain SQL: no models needed)."""
    rows = store.query("SELECT code, label FROM service_types WHERE deleted_at IS NULL")
    return {r["code"]: r["label"] for r in rows}


def load_vocabulary(store: Store) -> Vocabulary:
    """Everything the lookup understands, from this council's reference data.

    Plain SQL, no models: `microcare search` and the app's first lookup would otherwise
    import pydantic and build the models (~100-250 ms) for two small tables."""
    # Imported here: opening the database (the app's start-up) needs the rest of this module,
    # and the query parser's patterns cost the first frame ~10 ms to compile.
    from microcare_tui.domain.query import Vocabulary

    services: dict[str, str] = {}
    labels: dict[str, str] = {}
    for st in store.query(
        "SELECT code, label, synonyms FROM service_types WHERE deleted_at IS NULL"
        " ORDER BY sort_order, label"
    ):
        code, label = str(st["code"]), str(st["label"])
        labels[code] = label
        services[label.lower()] = code
        services[code.replace("_", " ")] = code
        for word in json.loads(st["synonyms"] or "[]"):
            services.setdefault(str(word).lower(), code)
    area_list = area_names(store)
    return Vocabulary(
        services=services,
        service_labels=labels,
        areas={name.lower(): area_id for area_id, name in area_list.items()},
        area_names=area_list,
        districts=district_map(store),
        languages=frozenset(w.lower() for w in get_setting(store, "languages", []) or []),
        specialisms=frozenset(w.lower() for w in get_setting(store, "specialisms", []) or []),
    )


def area_names(store: Store) -> dict[str, str]:
    """Area id -> name, in display order (plain SQL: no models needed)."""
    rows = store.query(
        "SELECT id, name FROM areas WHERE deleted_at IS NULL ORDER BY sort_order, name"
    )
    return {str(r["id"]): str(r["name"]) for r in rows}
