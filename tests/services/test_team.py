"""Teams: making one, the enrolment file, joining (one team per laptop)."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.services import team as service
from microcare_tui.store.db import Store
from microcare_tui.sync.envelope import BundleError


@pytest.fixture(scope="module")
def kent_east(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, service.NewTeam]:
    """A team made once for the module's tests, which only read its enrolment file: making
    one runs age's scrypt (~1.5 s of CPU), and two tests each made one."""
    folder = tmp_path_factory.mktemp("team")
    return folder, service.create_team("Kent East", folder, "correct horse")


def test_make_and_join_a_team(kent_east: tuple[Path, service.NewTeam], store: Store) -> None:
    folder, made = kent_east
    assert made.file == folder / "kent-east.mcteam"
    assert made.file.stat().st_mode & 0o777 == 0o600  # it holds the team key
    raw = made.file.read_bytes()
    assert raw.startswith(b"MCTEAM/1\nage-encryption.org/v1\n-> scrypt")
    assert b"Kent" not in raw and b"AGE-SECRET" not in raw
    # A wrong passphrase is one plain line, and nothing joins.
    with pytest.raises(BundleError) as wrong:
        service.read_enrolment(made.file, "wrong horse")
    assert wrong.value.code == "passphrase"
    team = service.read_enrolment(made.file, "correct horse")
    assert team["name"] == "Kent East" and team["team_id"] == made.id
    assert service.current_team(store) is None
    view, changed = service.join_team(store, team)
    assert changed and view.name == "Kent East"
    assert service.join_team(store, team) == (view, False)  # again: nothing changes
    # The key is in a device-local table the change log never mentions.
    logged = store.scalar("SELECT COUNT(*) FROM _change_log WHERE tbl LIKE '%team%'")
    assert logged == 0
    other = {**team, "team_id": "another", "name": "Kent West"}
    with pytest.raises(service.TeamError, match="already in the team 'Kent East'"):
        service.join_team(store, other)
    # Never overwrites an enrolment file.
    with pytest.raises(service.TeamError, match="already exists"):
        service.create_team("Kent East", made.file, "correct horse")


def test_a_busy_laptop_is_not_told_its_passphrase_is_wrong(
    kent_east: tuple[Path, service.NewTeam], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyrage import passphrase as age_passphrase

    _, made = kent_east

    def too_much_work(body: bytes, passphrase: str) -> bytes:
        # What age says when the file's scrypt work is above what this machine does in about
        # a second, measured as it decrypts (so a loaded machine may say it of a right one).
        raise Exception("Excessive work parameter for passphrase.")  # noqa: TRY002

    monkeypatch.setattr(age_passphrase, "decrypt", too_much_work)
    with pytest.raises(BundleError) as busy:
        service.read_enrolment(made.file, "correct horse")
    assert busy.value.code == "work"
    assert "too busy to check the passphrase" in str(busy.value)


def test_bad_names_and_passphrases_are_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed):
        service.create_team("", tmp_path / "t.mcteam", "correct horse")
    with pytest.raises(ValidationFailed):
        service.create_team("Kent", tmp_path / "t.mcteam", "short")
    assert list(tmp_path.iterdir()) == []
    not_ours = tmp_path / "notes.txt"
    not_ours.write_text("hello\n")
    with pytest.raises(BundleError, match="not a microcare team enrolment file"):
        service.read_enrolment(not_ours, "correct horse")


def test_slug_names_files() -> None:
    assert service.slug("Kent East") == "kent-east"
    assert service.slug("  ** ") == "team"
    assert service.slug("Ashford & Shepway (North)") == "ashford-shepway-north"
