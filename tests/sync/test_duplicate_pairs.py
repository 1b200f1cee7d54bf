"""The possible-duplicates query gives the pairs of its plain definition (every pair compared),
fast enough for a big import (it runs after every import)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from microcare_tui.store import duplicates
from microcare_tui.store.duplicates import duplicate_pairs, duplicate_pairs_with
from tests.sync.helpers import laptop

# The definition: every pair of live, unmerged providers compared (quadratic).
_PLAIN = """
WITH live AS (
    SELECT id, name, phone, postcode FROM providers
     WHERE deleted_at IS NULL AND merged_into IS NULL
)
SELECT a.id AS first_id, b.id AS second_id,
       CASE WHEN a.phone IS NOT NULL AND a.phone = b.phone THEN 'phone'
            ELSE 'name_postcode' END AS reason
  FROM live a JOIN live b ON a.id < b.id
 WHERE (a.phone IS NOT NULL AND a.phone = b.phone)
    OR (a.postcode IS NOT NULL AND a.postcode = b.postcode
        AND lower(trim(a.name)) = lower(trim(b.name)))
 ORDER BY a.id, b.id
"""


def test_pairs_match_the_definition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = laptop(tmp_path, "Ann", None)
    rnd = random.Random(5)
    with store.transaction():
        for i in range(300):
            store.write_row(
                "providers",
                {
                    "id": f"p{i:04d}",
                    "name": rnd.choice(["Oak", "oak ", " OAK", "Ash", "Birch", "Elm"]),
                    "phone": rnd.choice([None, "+441233000001", "+441233000002", "+44300"]),
                    "postcode": rnd.choice([None, "TN23 1AA", "TN24 2BB"]),
                    "deleted_at": rnd.choice([None] * 9 + ["2026-11-01"]),
                    "merged_into": rnd.choice([None] * 9 + ["p0000"]),
                },
            )
    expected = store.query(_PLAIN)
    assert len({p["reason"] for p in expected}) == 2  # both reasons occur
    assert duplicate_pairs(store) == expected
    # An import's pairs: those with a side among the providers it brought (any subset),
    # looked up one by one or (many providers) all found and filtered.
    for whole_from in (2000, 30):
        monkeypatch.setattr(duplicates, "WHOLE_FROM", whole_from)
        for size in (1, 5, 40, 300):
            ids = {f"p{i:04d}" for i in rnd.sample(range(300), size)}
            wanted = [p for p in expected if p["first_id"] in ids or p["second_id"] in ids]
            assert duplicate_pairs_with(store, ids) == wanted
            if size >= 5:
                assert wanted  # the subsets of 5 and more do meet a pair
        assert duplicate_pairs_with(store, []) == []
    store.close()


def test_many_providers_at_one_postcode_are_quick(tmp_path: Path) -> None:
    store = laptop(tmp_path, "Ann", None)
    with store.transaction():
        store.insert_many(
            "providers",
            [
                {"id": f"p{i:05d}", "name": f"Provider {i}", "postcode": "TN23 1AA"}
                for i in range(8000)
            ],
        )
        store.write_row(
            "providers", {"id": "p99999", "name": "provider 7 ", "postcode": "TN23 1AA"}
        )
    started = time.process_time()
    pairs = duplicate_pairs(store)
    spent = time.process_time() - started
    assert pairs == [{"first_id": "p00007", "second_id": "p99999", "reason": "name_postcode"}]
    assert spent < 2.0  # every pair compared: 32 million comparisons, tens of seconds
    store.close()
