"""Forgiving entry, strict storage: parse what a worker types into normalised values.

Each parser raises ValueError with a message fit to show under the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_DAY_ALIASES = {
    "monday": "mon",
    "mon": "mon",
    "mo": "mon",
    "tuesday": "tue",
    "tues": "tue",
    "tue": "tue",
    "tu": "tue",
    "wednesday": "wed",
    "weds": "wed",
    "wed": "wed",
    "we": "wed",
    "thursday": "thu",
    "thurs": "thu",
    "thur": "thu",
    "thu": "thu",
    "th": "thu",
    "friday": "fri",
    "fri": "fri",
    "fr": "fri",
    "saturday": "sat",
    "sat": "sat",
    "sa": "sat",
    "sunday": "sun",
    "sun": "sun",
    "su": "sun",
}


def day_code(word: str) -> str | None:
    """Map 'Tuesday', 'tues', 'tue' to 'tue'; None if the word is not a day."""
    w = word.strip().lower()
    if w not in _DAY_ALIASES and len(w) > 4 and w.endswith("s"):
        w = w[:-1]  # "tuesdays"
    return _DAY_ALIASES.get(w)


def parse_date(text: str, today: date | None = None) -> date:
    """Parse '22/11/2026', '22/11', '2026-11-22', 'today', 'tomorrow', '+3d', '+2w', 'tue'."""
    today = today or date.today()
    raw = text.strip().lower()
    if not raw:
        raise ValueError("Enter a date, e.g. 22/11/2026, today, +3d or tue")
    if raw in ("today", "now", "t"):
        return today
    if raw in ("tomorrow", "tom", "tmrw"):
        return today + timedelta(days=1)
    if raw == "yesterday":
        return today - timedelta(days=1)
    m = re.fullmatch(r"([+-])\s*(\d{1,3})\s*([dwm]?)", raw)
    if m:
        n = int(m.group(2)) * (-1 if m.group(1) == "-" else 1)
        unit = m.group(3) or "d"
        if unit == "d":
            return today + timedelta(days=n)
        if unit == "w":
            return today + timedelta(weeks=n)
        month = today.month - 1 + n
        year = today.year + month // 12
        month = month % 12 + 1
        day = min(today.day, _days_in_month(year, month))
        return date(year, month, day)
    code = _DAY_ALIASES.get(raw)
    if code:
        target = _DAY_NAMES.index(code)
        delta = (target - today.weekday()) % 7 or 7
        return today + timedelta(days=delta)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})(?:[/.\- ](\d{2}|\d{4}))?", raw)
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            year = int(m.group(3))
            if year < 100:
                year += 2000
        else:
            year = today.year
        return _make_date(year, month, day, text)
    raise ValueError(f"'{text}' is not a date: try 22/11/2026, 22/11, today, +3d, +2w or tue")


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None


def format_date(value: date | str | None) -> str:
    """Show an ISO date in UK style (22/11/2026); empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def format_datetime(value: str | None) -> str:
    """Show a stored UTC ISO timestamp as local UK-style date and time."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")


def parse_money(text: str) -> int:
    """Parse '15.68', '£15.68', '£1,016', '15' into pence."""
    raw = text.strip().replace(",", "").replace(" ", "")
    raw = raw.removeprefix("£").removeprefix("GBP").removeprefix("gbp")
    m = re.fullmatch(r"(\d+)(?:\.(\d{1,2}))?", raw)
    if not m:
        raise ValueError(f"'{text}' is not an amount of money: try 15.68 or £1,016")
    pence = int(m.group(1)) * 100
    if m.group(2):
        pence += int(m.group(2).ljust(2, "0"))
    return pence


def format_money(pence: int | None) -> str:
    """Show pence as GBP: 1568 -> '£15.68'."""
    if pence is None:
        return ""
    return f"£{pence // 100:,}.{pence % 100:02d}"


def parse_phone(text: str) -> str:
    """Parse a UK phone number in any common form into E.164 (+441233123456)."""
    import phonenumbers  # imported on first use: not needed to paint the first screen

    raw = text.strip()
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        raise ValueError(f"'{text}' is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"'{text}' is not a valid UK phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str | None) -> str:
    """Show an E.164 number the way people in the UK write it: 01233 123456."""
    if not e164:
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# The UK postcode shape: outward code (area letters + district), inward code (digit + 2 letters).
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")


def parse_postcode(text: str) -> str:
    """Normalise a full UK postcode: 'tn234ab' -> 'TN23 4AB'."""
    raw = re.sub(r"\s+", "", text.strip().upper())
    m = _POSTCODE.match(raw)
    if not m:
        raise ValueError(f"'{text}' is not a UK postcode (e.g. TN23 4AB)")
    return f"{m.group(1)} {m.group(2)}"


def is_postcode_district(text: str) -> bool:
    """True for an outward code such as 'TN23' or 'ME1'."""
    return bool(_DISTRICT.match(text.strip().upper()))


def postcode_district(postcode: str) -> str:
    """The outward code of a postcode or district: 'TN23 4AB' -> 'TN23'."""
    raw = re.sub(r"\s+", "", postcode.strip().upper())
    m = _POSTCODE.match(raw)
    if m:
        return m.group(1)
    if _DISTRICT.match(raw):
        return raw
    raise ValueError(f"'{postcode}' is not a UK postcode or postcode district")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def parse_email(text: str) -> str:
    """Check an email address looks deliverable and lower-case its domain."""
    raw = text.strip()
    if not _EMAIL.match(raw):
        raise ValueError(f"'{text}' is not an email address")
    local, _, domain = raw.rpartition("@")
    return f"{local}@{domain.lower()}"


def parse_whole_number(text: str, minimum: int = 0, maximum: int = 100_000) -> int:
    """Parse a whole number within bounds."""
    raw = text.strip().replace(",", "")
    if not re.fullmatch(r"\d+", raw):
        raise ValueError(f"'{text}' is not a whole number")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise ValueError(f"Enter a number from {minimum} to {maximum}")
    return value


def split_list(text: str) -> list[str]:
    """Split 'Polish, Urdu; BSL' into ['Polish', 'Urdu', 'BSL'] without duplicates."""
    seen: dict[str, str] = {}
    for part in re.split(r"[,;\n]", text):
        word = part.strip()
        if word and word.lower() not in seen:
            seen[word.lower()] = word
    return list(seen.values())
