"""The public register as files: CSV (UTF-8 with a BOM, for Excel), JSON (Open Referral UK,
HSDS-UK 3.0 field names where they fit), XLSX (typed cells) and a printable HTML page.

Every format opens with the note that inclusion is not a recommendation. Text that a
spreadsheet would run as a formula (=, +, -, @ first) is written so it stays text.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import uuid
import zlib
from collections.abc import Callable
from datetime import date
from typing import Any

from microcare_tui.domain.parse import format_date
from microcare_tui.reports.register import Register, RegisterEntry

_ID_SPACE = uuid.UUID("6f1d7a52-2c0b-4a8e-9a31-5b3c1e0d9f47")  # microcare register ids
_DAY_RRULE = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA",
              "sun": "SU"}  # fmt: skip
TAXONOMY = "microcare service types"

Cell = str | bool | float | date | None


def _money(pence: int | None) -> float | None:
    return None if pence is None else round(pence / 100, 2)


# (heading, value, Excel width) for CSV and XLSX, in order.
COLUMNS: list[tuple[str, Callable[[RegisterEntry], Cell], int]] = [
    ("Name", lambda e: e.name, 32),
    ("Services", lambda e: "; ".join(words for _, words in e.services), 36),
    ("Based in", lambda e: e.based_in, 16),
    ("Postcode district", lambda e: e.district, 10),
    ("Areas served", lambda e: "; ".join(e.areas_served), 30),
    ("Phone", lambda e: e.phone_text, 16),
    ("Email", lambda e: e.email, 28),
    ("Contact", lambda e: e.contact, 20),
    ("Days", lambda e: e.days_words, 18),
    ("Times", lambda e: ", ".join(e.times), 22),
    ("Taking new clients", lambda e: e.taking_new_clients, 10),
    ("Hourly rate (GBP)", lambda e: _money(e.hourly_rate_pence), 10),
    ("Funding accepted", lambda e: "; ".join(e.funding), 26),
    ("Languages", lambda e: "; ".join(e.languages), 16),
    ("Legal form", lambda e: e.legal_form, 18),
    ("Last checked", lambda e: e.last_checked, 12),
    ("About", lambda e: e.description, 60),
]


def _safe_text(text: str) -> str:
    """Text a spreadsheet must not run as a formula gets a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return _safe_text(value)


def to_csv(register: Register) -> bytes:
    """The note on the first line, the headings on the third, a provider per line after."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([register.note])
    writer.writerow([])
    writer.writerow([heading for heading, _, _ in COLUMNS])
    for entry in register.entries:
        writer.writerow([_csv_cell(value(entry)) for _, value, _ in COLUMNS])
    return out.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8


# -- JSON: Open Referral UK ----------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _base_id(provider_id: str) -> int:
    return uuid.uuid5(_ID_SPACE, provider_id).int


def _id(entry: RegisterEntry, part: str) -> str:
    """A stable UUID for one part of a provider's entry: the provider's own (uuid5) with its
    low 32 bits mixed with the part's checksum (version and variant bits untouched); one
    uuid5 per provider rather than per part (a county register has ~8,000 parts)."""
    return str(uuid.UUID(int=_base_id(entry.id) ^ zlib.crc32(part.encode())))


def _service(entry: RegisterEntry) -> dict[str, Any]:
    """One provider as an HSDS service with its organization, location, contact, phone,
    service areas, schedule, cost and taxonomy terms (attributes)."""
    service_id = _id(entry, "service")
    location_id = _id(entry, "location")
    phones = [{"id": _id(entry, "phone"), "number": entry.phone_text, "type": "voice"}]
    return {
        "id": service_id,
        "organization_id": entry.id,
        "name": entry.name,
        "description": entry.description,
        "url": None,
        "email": entry.email or None,
        "status": "active",
        "assured_date": entry.last_checked.isoformat() if entry.last_checked else None,
        "last_modified": entry.updated_at or None,
        "organization": {
            "id": entry.id,
            "name": entry.name,
            "description": entry.description,
            "email": entry.email or None,
            "website": None,
            "legal_status": entry.legal_form or None,
        },  # fmt: skip
        "contacts": [
            {
                "id": _id(entry, "contact"),
                "name": entry.contact or None,
                "phones": phones if entry.phone_text else [],
            }  # fmt: skip
        ],
        "phones": phones if entry.phone_text else [],
        "service_at_locations": [
            {
                "id": _id(entry, "service_at_location"),
                "service_id": service_id,
                "location_id": location_id,
                "location": {
                    "id": location_id,
                    "location_type": "physical",
                    "name": f"Based in {entry.based_in or entry.district}",
                    "addresses": [
                        {
                            "id": _id(entry, "address"),
                            "location_id": location_id,
                            "address_1": "",
                            "city": entry.based_in,
                            "postal_code": entry.district,
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ]
                    if entry.district or entry.based_in
                    else [],
                },
            }
        ],  # fmt: skip
        "service_areas": [
            {"id": _id(entry, f"area:{name}"), "service_id": service_id, "name": name}
            for name in entry.areas_served
        ],
        "schedules": [
            {
                "id": _id(entry, "schedule"),
                "service_id": service_id,
                "freq": "WEEKLY",
                "byday": ",".join(_DAY_RRULE[d] for d in entry.days),
                "description": ", ".join(x for x in [entry.days_words, *entry.times] if x),
            }
        ]
        if entry.days
        else [],  # fmt: skip
        "cost_options": [
            {
                "id": _id(entry, "cost"),
                "service_id": service_id,
                "currency": "GBP",
                "amount": _money(entry.hourly_rate_pence),
                "amount_description": "per hour",
            }
        ]
        if entry.hourly_rate_pence is not None
        else [],  # fmt: skip
        "languages": [
            {"id": _id(entry, f"language:{lang}"), "service_id": service_id, "name": lang}
            for lang in entry.languages
        ],
        "attributes": [
            _attribute(entry, service_id, code, words) for code, words in entry.services
        ],  # fmt: skip
        # Not in HSDS: what a caller asks first, kept under x_ names.
        "x_accepting_new_clients": entry.taking_new_clients,
        "x_funding_accepted": entry.funding,
    }


@functools.lru_cache(maxsize=512)
def _term_id(code: str) -> str:
    return str(uuid.uuid5(_ID_SPACE, f"taxonomy:{code}"))


def _attribute(entry: RegisterEntry, service_id: str, code: str, words: str) -> dict[str, Any]:
    term_id = _term_id(code)
    return {
        "id": _id(entry, f"attribute:{code}"),
        "link_id": service_id,
        "link_type": "service_type",
        "link_entity": "service",
        "taxonomy_term_id": term_id,
        "taxonomy_term": {"id": term_id, "code": code, "name": words, "taxonomy": TAXONOMY},
    }


def to_json(register: Register) -> bytes:
    """An Open Referral UK page of services (HSDA's paged shape), the note and as-at date
    first."""
    contents = [_service(e) for e in register.entries]
    page = {
        "note": register.note,
        "as_of": register.as_of.isoformat(),
        "generated_at": register.generated_at,
        "publisher": register.team or None,
        "standard": "Open Referral UK (HSDS-UK 3.0)",
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
    # No indent: json uses its C encoder only without one (county: 1.4 s -> 0.15 s).
    return (json.dumps(page, ensure_ascii=False) + "\n").encode("utf-8")


# -- XLSX ----------------------------------------------------------------------------------------


def to_xlsx(register: Register) -> bytes:
    """A workbook with the register as typed cells (yes/no as booleans, the rate as money,
    the last check as a date), the note above the headings, headings frozen and filtered."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})  # fmt: skip
    bold = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
    note = book.add_format({"text_wrap": True, "valign": "top", "italic": True})
    money = book.add_format({"num_format": "£#,##0.00"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet("Register")
    last = len(COLUMNS) - 1
    sheet.merge_range(0, 0, 0, min(last, 8), register.note, note)
    sheet.set_row(0, 48)
    header = 2
    for col, (heading, _, width) in enumerate(COLUMNS):
        sheet.write_string(header, col, heading, bold)
        sheet.set_column(col, col, width)
    for r, entry in enumerate(register.entries, start=header + 1):
        for col, (_, value, _) in enumerate(COLUMNS):
            _write_cell(sheet, r, col, value(entry), money, day)
    sheet.freeze_panes(header + 1, 1)
    sheet.autofilter(header, 0, header + max(1, len(register.entries)), last)
    about = book.add_worksheet("About")
    about.set_column(0, 0, 100)
    about.write_string(0, 0, register.note, note)
    about.write_string(1, 0, f"As at {format_date(register.as_of)}; "
                             f"{len(register.entries)} providers.")  # fmt: skip
    book.close()
    return buffer.getvalue()


def _write_cell(sheet: Any, row: int, col: int, value: Cell, money: Any, day: Any) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, float):
        sheet.write_number(row, col, value, money)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, day)
    else:
        sheet.write_string(row, col, value)


# -- HTML ----------------------------------------------------------------------------------------

_CSS = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; margin: 1.5em; }
h1 { font-size: 16pt; margin: 0 0 .3em 0; }
.note { border: 2px solid #333; padding: .5em .8em; margin: .6em 0 1em 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .25em .4em; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { page-break-inside: avoid; }
.muted { color: #444; font-size: 9.5pt; }
@page { size: A4 landscape; margin: 12mm; }
@media print { body { margin: 0; } thead { display: table-header-group; } }
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _row(e: RegisterEntry) -> str:
    where = ", ".join(x for x in [e.based_in, e.district] if x)
    serves = f"<br><span class=muted>serves {_h(', '.join(e.areas_served))}</span>" \
        if e.areas_served else ""  # fmt: skip
    contact = "<br>".join(_h(x) for x in [e.contact, e.phone_text, e.email] if x)
    when = "<br>".join(_h(x) for x in [e.days_words, ", ".join(e.times)] if x)
    rate = f"£{e.hourly_rate_pence / 100:,.2f} an hour" if e.hourly_rate_pence is not None else ""
    about = f"<br><span class=muted>{_h(e.description)}</span>" if e.description else ""
    checked = format_date(e.last_checked) if e.last_checked else "not yet"
    cells = [
        f"<b>{_h(e.name)}</b>{about}",
        _h(", ".join(words for _, words in e.services)),
        _h(where) + serves,
        contact,
        when,
        "yes" if e.taking_new_clients else "no",
        _h(rate),
        _h(checked),
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def to_html(register: Register) -> bytes:
    """A page to print (A4 landscape, headings repeated on each page) or put online."""
    title = "Register of care micro-providers in good standing"
    heads = ["Provider", "Services", "Where", "Contact", "When", "Taking new clients",
             "Rate", "Last checked"]  # fmt: skip
    rows = "\n".join(_row(e) for e in register.entries) or (
        f'<tr><td colspan="{len(heads)}">No provider is in good standing today.</td></tr>'
    )
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{_h(title)}</title><style>{_CSS}</style></head>
<body>
<h1>{_h(title)}</h1>
<p class="muted">{_h(register.team)} · as at {format_date(register.as_of)} ·
{len(register.entries)} providers</p>
<p class="note"><b>Not a recommendation.</b> {_h(register.note)}</p>
<table>
<thead><tr>{"".join(f"<th>{_h(h)}</th>" for h in heads)}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""
    return page.encode("utf-8")
