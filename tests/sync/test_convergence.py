"""Convergence, property-tested: 3-8 laptops edit at random and exchange changes at random
(lost bundles, duplicates, reordering, chains, skewed and backward clocks, a copied file);
after a full exchange every laptop holds the same records, field clocks and conflicts, each
field holds the value of its last writer, and no delete is undone except by a later edit.

MICROCARE_SYNC_EXAMPLES sets the number of examples (default 25 here: the suite's share stays
under ~40 s on a loaded 2-core machine; the long run is `MICROCARE_SYNC_EXAMPLES=10000`).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from microcare_tui.domain import hlc
from microcare_tui.domain.hlc import ClockKey
from microcare_tui.sync.conflicts import conflicts, resolve_conflict
from tests.sync.replicas import (
    Laptop,
    conflict_state,
    content,
    effective_clocks,
    exchange,
    log_keys,
    skewed_wall,
    sync_all,
    template,
)

EXAMPLES = int(os.environ.get("MICROCARE_SYNC_EXAMPLES", "25"))
DAY = 86_400_000
NAMES = ["Oak Tree", "Birch Lane", "Cedar Help", "Elm Care"]
PHONES: list[str | None] = ["+441233000001", "+441233000002", None]
NOTES: list[str | None] = ["keys under mat", "ring twice", None, "moved"]
FIELDS: dict[str, list[str | None]] = {"name": [*NAMES], "phone": PHONES, "notes": NOTES}
MAX_LAPTOPS = 8


class Team(RuleBasedStateMachine):
    """Laptops, the providers they know of, and the bundles in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="mc-sync-"))
        self.laptops: list[Laptop] = []
        self.ids: list[str] = []
        self.rnd = random.Random(0)

    @initialize(count=st.integers(3, 5), seed=st.integers(0, 2**32 - 1))
    def start(self, count: int, seed: int) -> None:
        self.rnd = random.Random(seed)
        for i in range(count):
            self.laptops.append(Laptop.fresh(self.folder, f"L{i}"))

    def teardown(self) -> None:
        for laptop in self.laptops:
            laptop.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _pick(self, i: int) -> Laptop:
        return self.laptops[i % len(self.laptops)]

    def _known(self, laptop: Laptop, i: int) -> str | None:
        here = [pid for pid in self.ids if laptop.live("providers", pid) is not None]
        return here[i % len(here)] if here else None

    # -- edits ---------------------------------------------------------------------------
    @rule(who=st.integers(0, 7), name=st.sampled_from(NAMES))
    def create(self, who: int, name: str) -> None:
        self.ids.append(self._pick(who).write("providers", {"name": name}))

    @rule(who=st.integers(0, 7), which=st.integers(0, 50), field=st.sampled_from(sorted(FIELDS)),
          value=st.integers(0, 3))  # fmt: skip
    def update(self, who: int, which: int, field: str, value: int) -> None:
        laptop = self._pick(who)
        pid = self._known(laptop, which)
        if pid is not None:
            choices = FIELDS[field]
            laptop.write("providers", {"id": pid, field: choices[value % len(choices)]})

    @rule(who=st.integers(0, 7), which=st.integers(0, 50), undelete=st.booleans())
    def delete(self, who: int, which: int, undelete: bool) -> None:
        laptop = self._pick(who)
        pid = self._known(laptop, which)
        if pid is not None:
            stamp = None if undelete else f"2026-11-{which % 28 + 1:02d}T09:00:00.000+00:00"
            laptop.write("providers", {"id": pid, "deleted_at": stamp})

    @rule(who=st.integers(0, 7), which=st.integers(0, 50))
    def visit(self, who: int, which: int) -> None:
        laptop = self._pick(who)
        pid = self._known(laptop, which)
        if pid is not None:
            laptop.write("visits", {"provider_id": pid, "visited_on": "2026-11-30"})

    @rule(
        who=st.integers(0, 7),
        which=st.integers(0, 20),
        keep=st.sampled_from(["local", "remote", "x"]),
    )
    def resolve(self, who: int, which: int, keep: str) -> None:
        laptop = self._pick(who)
        open_ = conflicts(laptop.store)
        if open_:
            item = open_[which % len(open_)]
            value: Any = keep
            if keep == "x":
                value = "Settled Name" if item.field == "name" else None
            with laptop.acting() as db:
                resolve_conflict(db, item.id, value)

    @rule(who=st.integers(0, 7), days=st.integers(-400, 400))
    def skew(self, who: int, days: int) -> None:
        """A laptop's clock jumps (backwards too): HLC keeps its changes in order."""
        self._pick(who).skew_ms = days * DAY

    @precondition(lambda self: len(self.laptops) < MAX_LAPTOPS)
    @rule(who=st.integers(0, 7))
    def copy(self, who: int) -> None:
        """A file copied to another laptop: a new device, the same history."""
        source = self._pick(who)
        self.laptops.append(source.copy_to(self.folder, f"L{len(self.laptops)}"))

    # -- exchanges -----------------------------------------------------------------------
    @rule(src=st.integers(0, 7), dst=st.integers(0, 7), fate=st.sampled_from(
        ["deliver", "deliver", "lose", "partial", "twice"]))  # fmt: skip
    def send(self, src: int, dst: int, fate: str) -> None:
        a, b = self._pick(src), self._pick(dst)
        if a is b or fate == "lose":
            return
        changes, vector = a.bundle_for(b)
        if fate == "partial" and changes:  # part of a bundle: a gap the next one fills
            changes = self.rnd.sample(changes, k=self.rnd.randint(0, len(changes)))
        self.rnd.shuffle(changes)
        b.receive(a.store.device_id, changes, vector)
        if fate == "twice":
            report = b.receive(a.store.device_id, changes, vector)
            assert report.new_changes == 0 and report.duplicates == len(changes)

    @rule(path=st.lists(st.integers(0, 7), min_size=3, max_size=5))
    def chain(self, path: list[int]) -> None:
        """A -> B -> C ...: changes are forwarded with their origin."""
        for x, y in zip(path, path[1:], strict=False):
            a, b = self._pick(x), self._pick(y)
            if a is not b:
                exchange(a, b, self.rnd)

    @invariant()
    def no_two_files_share_a_device(self) -> None:
        ids = [laptop.store.device_id for laptop in self.laptops]
        assert len(set(ids)) == len(ids)

    # -- the end -------------------------------------------------------------------------
    def check_converged(self) -> None:
        sync_all(self.laptops)
        first = self.laptops[0].store
        want = content(first)
        clocks = effective_clocks(first)
        queue = conflict_state(first)
        keys = log_keys(first)
        for laptop in self.laptops[1:]:
            assert log_keys(laptop.store) == keys
            assert content(laptop.store) == want, laptop.name
            assert effective_clocks(laptop.store) == clocks, laptop.name
            assert conflict_state(laptop.store) == queue, laptop.name
        last_writer_wins(first)


def last_writer_wins(store: Any) -> None:
    """Each provider field holds the value of the change with the highest key that wrote it
    (so no edit is lost except to a later one, and a delete stays unless a later change
    undid it)."""
    best: dict[tuple[str, str], tuple[ClockKey, Any]] = {}
    for origin, seq, h, row_id, fields in store.conn.execute(
        "SELECT origin, seq, hlc, row_id, fields FROM _change_log WHERE tbl = 'providers'"
    ):
        key = ClockKey(h, origin, seq)
        for name, value in json.loads(fields).items():
            if (row_id, name) not in best or key > best[(row_id, name)][0]:
                best[(row_id, name)] = (key, value)
    rows = {r["id"]: r for r in store.query("SELECT * FROM providers")}
    for (row_id, name), (_, value) in best.items():
        assert rows[row_id][name] == value, (row_id, name)


class Converging(Team):
    def teardown(self) -> None:
        try:
            self.check_converged()
        finally:
            super().teardown()


@pytest.fixture(autouse=True)
def skewable_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hlc, "wall_ms_now", skewed_wall)


def test_laptops_converge() -> None:
    template()
    run_state_machine_as_test(
        Converging,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
