"""Shared fixtures. Tests never touch the user's real data folder or the network."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from weakref import WeakKeyDictionary

import pytest

from microcare_tui.services.database import initialise, open_database
from microcare_tui.store.db import Store

TODAY = date(2026, 11, 22)  # a Sunday; fixed so dates in tests and snapshots never drift


def pytest_configure(config: pytest.Config) -> None:
    """Compile the package once, before the tests (in the controller, not each xdist
    worker). With PYTHONDONTWRITEBYTECODE set, as on these machines, nothing imported is
    cached, and every `microcare` process a CLI test starts compiled each module it imports
    again (~0.05-0.5 s each).

    Also, in every process: pytest rewrites the asserts of every module in a plugin's
    distribution, hypothesis included (for its small pytest plugin), and with
    PYTHONDONTWRITEBYTECODE set nothing rewritten is cached, so each xdist worker parsed and
    compiled all of hypothesis from source (~1.5 s of CPU). Its own asserts need no pytest
    messages; the tests' asserts are rewritten as before."""
    hook = getattr(config.pluginmanager, "rewrite_hook", None)
    marked = getattr(hook, "_must_rewrite", None)
    if isinstance(marked, set) and "hypothesis" in marked:
        marked.discard("hypothesis")
        getattr(hook, "_marked_for_rewrite_cache", {}).clear()
    if hasattr(config, "workerinput"):
        return
    import compileall

    import microcare_tui

    compileall.compile_dir(str(Path(microcare_tui.__file__).parent), quiet=1)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every data path at a temp folder; drop any developer overrides."""
    data = tmp_path / "userdata"
    monkeypatch.setenv("MICROCARE_DATA_DIR", str(data))
    monkeypatch.delenv("MICROCARE_DB", raising=False)
    monkeypatch.delenv("MICROCARE_EXIT_ON_READY", raising=False)
    monkeypatch.setenv("MICROCARE_THEME", "textual-dark")
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "off")  # no call screen composed mid-test
    monkeypatch.setenv("MICROCARE_MACHINE_ID", "test-machine")  # never the real config folder
    return data


@pytest.fixture(autouse=True)
def fast_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot waits for the app to go idle after every key and pause, in 20 ms sleeps until
    one passes with under 1 ms of CPU; 4 ms sleeps (under 0.2 ms of CPU: the same share)
    are enough (workers are awaited explicitly) and make the keyboard tests ~3x faster.
    For every test (it was only the call, lookup, enquiries and palette tests): on 34 Pilot
    and snapshot tests that waited in 20 ms steps, summed wall 181 s -> 108 s, CPU 70 -> 62 s."""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 1 / 250)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 1 / 250 / 20)


@pytest.fixture(autouse=True)
def forget_closed_apps() -> Iterator[None]:
    """After each test, empty the UI's per-app registries (module-level WeakKeyDictionaries
    keyed by the app, such as the kept call screen, provider form and record: `_KEPT`).

    A kept screen refers back to its app, so the weak key never dies: every app a test
    started stayed in memory with all its widgets (19 apps and ~1M objects after
    tests/ui/test_call.py in one process). The app's warm-up collects garbage in full, so
    each later start scanned them all: a Pilot test late in a worker cost ~1 s more CPU
    than alone (tests/ui/test_call, test_forms, test_providers, test_enquiries in one
    process: 92 -> 66 s of CPU). One app runs per process outside the tests, so the app
    keeps its registries as they are; every app is closed by the time a test ends."""
    yield
    for name, module in list(sys.modules.items()):
        if not name.startswith("microcare_tui.ui.") or module is None:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, WeakKeyDictionary):
                value.clear()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database set up for worker 'Sam Tester', made once per test process: making
    one (migrations, seeding, their fsyncs) took ~0.1 s, and 400 tests make one each. Its
    file identity is cleared, so each copy takes its own on first open and keeps the
    device id, as a database made in place would (store/identity.py)."""
    path = tmp_path_factory.mktemp("template") / "test.db"
    with pytest.MonkeyPatch.context() as env:  # never the real data or config folder
        env.setenv("MICROCARE_DATA_DIR", str(path.parent / "userdata"))
        env.setenv("MICROCARE_MACHINE_ID", "test-machine")
        env.delenv("MICROCARE_DB", raising=False)
        store = open_database(path, worker="Sam Tester")
        initialise(store, "Sam Tester", "Test Council")
        with store.transaction():
            store.conn.execute("UPDATE _device SET file_identity = NULL")
        store.close()
    assert not Path(f"{path}-wal").exists()  # all of it in the file copied
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    """A new database, set up for worker 'Sam Tester' (a copy of the template)."""
    path = tmp_path / "test.db"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_database(db_path, worker="Sam Tester")
    yield s
    s.close()
