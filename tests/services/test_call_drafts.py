"""Drafts of unsaved calls live in the database (issue 7): not in a world-readable file, not
in the change log, one per call, set aside (and said) when unreadable, deleted only by an
explicit choice or a save."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from microcare_tui.services import drafts
from microcare_tui.services.call import CallSession
from microcare_tui.services.drafts import load_drafts
from microcare_tui.store import drafts as draft_store
from microcare_tui.store.db import Store
from tests.services.call_helpers import new_call

OLD_DRAFT = {
    "values": {"enquirer_kind": "family_carer", "caller_name": "Rita Patel",
               "caller_phone": "01233 777888"},
    "signposts": [], "elapsed": 12, "contact_id": None, "area": None, "lookup": "",
    "written_at": "2026-11-21T14:05:00",
}  # fmt: skip


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def a_call_with_something_to_lose(store: Store, name: str = "Rita Patel") -> CallSession:
    call = new_call(store)
    call.mark_clean()
    call.update({"enquirer_kind": "family_carer", "caller_name": name})
    return call


def test_a_draft_is_kept_in_the_database_not_in_a_file(store: Store, isolated_env: Path) -> None:
    changes_before = store.scalar("SELECT COUNT(*) FROM _change_log")
    unexported_before = store.unexported_changes()
    generation_before = store.data_generation()
    call = new_call(store)
    call.mark_clean()
    call.update({"enquirer_kind": "family_carer", "caller_name": "Rita Patel"})
    assert call.keep_draft("shopping") is True
    assert files_under(isolated_env) == []  # nothing in the user data folder
    (draft,) = load_drafts(store).drafts
    assert draft.id == call.draft_id
    assert draft.data["values"]["caller_name"] == "Rita Patel"
    assert draft.lookup_text == "shopping"
    # Not user data: not in the change log, nothing to export, and no cache goes stale.
    assert store.scalar("SELECT COUNT(*) FROM _change_log") == changes_before
    assert store.unexported_changes() == unexported_before
    assert store.data_generation() == generation_before


def test_an_old_draft_file_is_moved_into_the_database_once(
    store: Store, isolated_env: Path
) -> None:
    folder = drafts.old_drafts_folder()
    folder.mkdir(parents=True)
    (folder / "call.json").write_text(json.dumps(OLD_DRAFT), encoding="utf-8")
    kept = load_drafts(store)
    assert [d.data["values"]["caller_name"] for d in kept.drafts] == ["Rita Patel"]
    assert kept.notice is None
    assert files_under(isolated_env) == []  # the plain-text file (and its folder) are gone
    again = load_drafts(store)
    assert [d.id for d in again.drafts] == [kept.drafts[0].id]  # moved once, not twice


def test_a_damaged_draft_is_kept_aside_and_the_worker_is_told(
    store: Store, isolated_env: Path
) -> None:
    folder = drafts.old_drafts_folder()
    folder.mkdir(parents=True)
    (folder / "call.json").write_bytes(b'{"values": {"caller_name": "Rita \xff')
    draft_store.save(store, "in-the-table", "[1, 2", "2026-11-21T10:00:00+00:00")
    kept = load_drafts(store)
    assert kept.drafts == []
    assert kept.set_aside == 2
    assert kept.notice is not None
    assert (
        kept.notice.text == "2 saved calls could not be read and were kept aside "
        "(nothing else was lost)."
    )
    assert files_under(isolated_env) == []
    assert draft_store.count_set_aside(store) == 2  # kept, never dropped
    assert load_drafts(store).notice is None  # told once, not at every new call

    draft_store.save(store, "another", "not json", "2026-11-21T11:00:00+00:00")
    notice = load_drafts(store).notice
    assert notice is not None
    assert (
        notice.text == "A saved call could not be read and was kept aside (nothing else was lost)."
    )


def test_a_draft_answered_later_is_not_overwritten_by_the_next_call(store: Store) -> None:
    first = a_call_with_something_to_lose(store, "Rita Patel")
    assert first.keep_draft() is True
    second = a_call_with_something_to_lose(store, "Tom Jones")
    assert second.keep_draft() is True
    names = [d.data["values"]["caller_name"] for d in load_drafts(store).drafts]
    assert sorted(names) == ["Rita Patel", "Tom Jones"]
    second.discard_draft()
    names = [d.data["values"]["caller_name"] for d in load_drafts(store).drafts]
    assert names == ["Rita Patel"]


def test_a_restored_draft_is_the_calls_own_and_goes_when_it_is_saved(store: Store) -> None:
    first = a_call_with_something_to_lose(store)
    assert first.keep_draft() is True
    (draft,) = load_drafts(store).drafts
    again = new_call(store)
    again.restore(draft)
    again.set("caller_phone", "01233 777888")
    assert again.keep_draft() is True
    assert [d.id for d in load_drafts(store).drafts] == [draft.id]  # updated, not a second
    again.save()
    assert load_drafts(store).drafts == []


def test_discarding_a_kept_draft_is_an_explicit_call(store: Store) -> None:
    first = a_call_with_something_to_lose(store)
    assert first.keep_draft() is True
    (draft,) = load_drafts(store).drafts
    now = new_call(store)
    now.discard_draft()  # this call's own draft (none yet) leaves the kept one alone
    assert [d.id for d in load_drafts(store).drafts] == [draft.id]
    now.discard_kept(draft)
    assert load_drafts(store).drafts == []


def test_a_busy_database_does_not_hold_up_the_draft(store: Store, db_path: Path) -> None:
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        call = a_call_with_something_to_lose(store)
        started = time.monotonic()
        assert call.keep_draft() is False
        assert time.monotonic() - started < 1.0  # not the 5 s busy timeout
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert call.keep_draft() is True  # tried again: kept now
    assert int(store.scalar("PRAGMA busy_timeout")) == 5000  # the usual wait is back


def test_the_draft_table_is_device_local(store: Store) -> None:
    sql = store.scalar("SELECT sql FROM sqlite_master WHERE name = '_draft'")
    assert sql is not None
    assert "created_by" not in sql  # none of the bookkeeping of synced tables


def test_typing_in_the_lookup_alone_writes_no_draft(store: Store) -> None:
    """Each draft is a commit that makes the lookup's reader rebuild its caches, so the
    lookup's line (typed key by key) is kept only with the next change to the call."""
    call = a_call_with_something_to_lose(store)
    assert call.keep_draft("s") is True
    assert call.keep_draft("shopping") is False
    call.set("caller_phone", "01233 777888")
    assert call.keep_draft("shopping ashford") is True
    (draft,) = load_drafts(store).drafts
    assert draft.lookup_text == "shopping ashford"
