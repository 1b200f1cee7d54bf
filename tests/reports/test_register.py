"""The public register: `microcare report register` in every format through the real entry
point, its shape, no personal data, who is in it (the standing rule), and whole-or-nothing
writes."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from microcare_tui.cli import main
from microcare_tui.domain.enums import Stage, Standing
from microcare_tui.reports import register as reg
from microcare_tui.services import enquiries as es
from microcare_tui.services import providers as ps
from microcare_tui.services.database import open_database
from microcare_tui.services.provider_record import provider_standing
from microcare_tui.store import providers as provider_repo
from tests.test_cli import run
from tests.training_helpers import add_person

PLANTED = {
    "dbs": "DBS-001234567890",  # an evidence reference
    "person": "Quentin Workerperson",  # a provider's worker (not the public contact)
    "caller": "Zelda Callerperson",  # a member of the public who rang
    "notes": "Team note: do not publish",  # the provider's notes for the team
    "postcode": "TN23 4AB",  # a sole trader's home: the district only is public
}


def _seed(path: Path) -> None:
    store = open_database(path, worker="Sam Tester")
    try:
        oak = ps.save_provider(store, {
            "name": "Oak Tree Companions", "lead_contact": "Olive Oak", "phone": "01233 629000",
            "email": "hello@oaktree.example", "postcode": PLANTED["postcode"],
            "services": ["companionship", "shopping"], "days": ["mon", "tue"],
            "hourly_rate_pence": "£18.50", "notes": PLANTED["notes"],
            "description": "=cmd|' /C calc'!A0 friendly visits"})  # fmt: skip
        for stage in (Stage.DEVELOPING, Stage.CHECKS, Stage.REGISTERED):
            ps.move_stage(store, oak.id, stage)
        add_person(store, oak.id, PLANTED["person"])
        store.write_row("evidence_items", {
            "provider_id": oak.id, "evidence_type_code": "dbs_enhanced",
            "reference": PLANTED["dbs"], "expires_on": "2099-01-01"})  # fmt: skip
        ps.save_provider(store, {"name": "Birch Home Help", "postcode": "CT1 1AA"})  # not listed
        enquiry = es.log_enquiry(store, {"enquirer_kind": "seeking_support",
                                         "caller_name": PLANTED["caller"],
                                         "needs": ["companionship"]}, [oak.id])  # fmt: skip
        assert enquiry.id
    finally:
        store.close()


@pytest.fixture
def seeded(db_path: Path) -> Path:
    _seed(db_path)
    return db_path


def _no_personal_data(text: str) -> None:
    for what, planted in PLANTED.items():
        assert planted not in text, what


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The console script's own function, in this process (a subprocess per format costs
    seconds on a busy machine; one test below runs the real command)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_format_through_the_command(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = {}
    for fmt in ("csv", "json", "xlsx", "html"):
        out = tmp_path / f"register.{fmt}"
        if fmt == "xlsx":  # the installed command, end to end
            done = run("report", "register", "--db", str(seeded), "--out", str(out))
            code, err = done.returncode, done.stderr
        else:
            code, _, err = _main(capsys, "report", "register", "--db", str(seeded), "--out",
                                 str(out))  # fmt: skip
        assert code == 0, err
        assert "1 provider in good standing" in err
        outputs[fmt] = out.read_bytes()
    assert not [p.name for p in tmp_path.iterdir() if ".partial" in p.name]

    # CSV: a BOM for Excel, the note first, then headings and one provider.
    assert outputs["csv"].startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(outputs["csv"].decode("utf-8-sig"))))
    assert "not a recommendation" in rows[0][0]
    table = [dict(zip(rows[2], r, strict=True)) for r in rows[3:]]
    assert [r["Name"] for r in table] == ["Oak Tree Companions"]
    oak = table[0]
    assert (oak["Postcode district"], oak["Based in"], oak["Phone"]) == ("TN23", "Ashford",
                                                                       "01233 629000")  # fmt: skip
    assert (oak["Hourly rate (GBP)"], oak["Taking new clients"]) == ("18.50", "yes")
    assert oak["About"].startswith("'=cmd")  # stays text in a spreadsheet
    _no_personal_data(outputs["csv"].decode("utf-8-sig"))

    # JSON: Open Referral UK services with their organization, location, phone and terms.
    page = json.loads(outputs["json"])
    assert "not a recommendation" in page["note"]
    assert (page["total_items"], page["standard"]) == (1, "Open Referral UK (HSDS-UK 3.0)")
    [service] = page["contents"]
    assert {"id", "organization", "service_at_locations", "contacts", "attributes", "status",
            "url", "schedules", "cost_options", "service_areas"} <= set(service)  # fmt: skip
    assert service["organization"]["name"] == "Oak Tree Companions"
    assert service["organization_id"] == service["organization"]["id"]
    location = service["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "TN23"
    assert service["contacts"][0]["phones"][0]["number"] == "01233 629000"
    terms = [a["taxonomy_term"]["code"] for a in service["attributes"]]
    assert terms == ["companionship", "shopping"]
    assert service["schedules"][0]["byday"] == "MO,TU"
    assert service["cost_options"][0]["amount"] == 18.5
    _no_personal_data(outputs["json"].decode())

    # XLSX: a workbook whose sheet holds the provider (checked with openpyxl if installed).
    with zipfile.ZipFile(io.BytesIO(outputs["xlsx"])) as book:
        names = set(book.namelist())
        assert {"xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"} <= names
        strings = book.read("xl/sharedStrings.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "Oak Tree Companions" in strings and "not a recommendation" in strings
    assert 't="b"' in sheet  # taking new clients is a boolean cell
    _no_personal_data(strings + sheet)
    try:
        import openpyxl
    except ImportError:
        pass
    else:
        ws = openpyxl.load_workbook(io.BytesIO(outputs["xlsx"]))["Register"]
        assert ws.cell(4, 12).value == 18.5

    # HTML: printable, escaped, with the note.
    page_html = outputs["html"].decode()
    assert "@media print" in page_html and "Not a recommendation" in page_html
    assert "Oak Tree Companions" in page_html and "Birch" not in page_html
    _no_personal_data(page_html)


def test_standard_output_and_refusals(seeded: Path, tmp_path: Path) -> None:
    printed = run("report", "register", "--db", str(seeded), "--format", "json")
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["total_items"] == 1
    db = ["report", "register", "--db", str(seeded)]
    missing = run(*db, "--out", str(tmp_path / "no" / "r.csv"))
    assert missing.returncode == 1
    assert missing.stderr.strip().endswith("does not exist.") and "Traceback" not in missing.stderr


def test_refusals_say_why(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["report", "register", "--db", str(seeded)]
    code, _, err = _main(capsys, *db, "--out", str(tmp_path))
    assert code == 1 and "it is a folder; give a file name" in err
    code, _, err = _main(capsys, *db, "--format", "xlsx")
    assert code == 2 and "needs --out" in err


def test_a_failed_write_keeps_the_old_file_whole(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "register.csv"
    out.write_bytes(b"the previous register")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reg.os, "fsync", full_disk)
    with pytest.raises(reg.ExportFailed, match="the disk is full"):
        reg.write_atomically(out, b"half a new register")
    assert out.read_bytes() == b"the previous register"
    assert [p.name for p in tmp_path.iterdir()] == ["register.csv"]


def test_the_register_is_who_the_standing_rule_says(tmp_path: Path) -> None:
    """On the demo, the register holds exactly the providers whose record says good."""
    from microcare_tui.demo import generate_demo

    store = open_database(tmp_path / "demo.db", worker="test")
    try:
        today = date(2026, 3, 2)
        generate_demo(store, "small", today=today)
        register = reg.load_register(store, today)
        good = {
            p.id
            for p in (provider_repo.get_provider(store, r["id"])
                      for r in store.query("SELECT id FROM providers WHERE deleted_at IS NULL"))
            if provider_standing(store, p, today).standing is Standing.GOOD
        }  # fmt: skip
        assert good and {e.id for e in register.entries} == good
        assert [e.name for e in register.entries] == sorted(
            (e.name for e in register.entries), key=str.lower
        )
    finally:
        store.close()
