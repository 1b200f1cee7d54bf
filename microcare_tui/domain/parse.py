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
    """Parse a date the way people say or write it.

    '22/11/2026', '22/11', '2026-11-22', '29 nov', '29 November 2026', 'Nov 29', 'mon 1 dec',
    'today', 'tomorrow', '+3d', '+2w', 'tue', 'next tue'. A date without a year is in this year
    (as '22/11' always was); a day name alone is the next such day after today.
    """
    today = today or date.today()
    raw = " ".join(text.strip().lower().replace(",", " ").split())
    if not raw:
        raise ValueError("Enter a date, e.g. 22/11/2026, today, +3d or tue")
    for reader in (_named_day, _offset, _weekday, _calendar_date):
        found = reader(raw, today, text)
        if found is not None:
            return found
    raise ValueError(f"'{text}' is not a date: try 22/11/2026, 29 nov, today, +3d, +2w or tue")


_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# The patterns below are text, compiled on first use (and kept) by re's own cache: compiled
# at import they cost every process ~2 ms, and `microcare search` uses none of them.
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(\d{4}|\d{2})"
_ISO = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_NUMERIC = rf"(\d{{1,2}})[/.\- ](\d{{1,2}})(?:[/.\- ]{_YEAR})?"
_DAY_MONTH = rf"(\d{{1,2}}){_ORDINAL}[ /.\-]?([a-z]+)\.?(?:[ /.\-]{_YEAR})?"
_MONTH_DAY = rf"([a-z]+)\.? ?(\d{{1,2}}){_ORDINAL}(?: (\d{{4}}))?"
_WEEKDAY_FIRST = r"([a-z]+)\.? (.*\d.*)"


def _named_day(raw: str, today: date, text: str) -> date | None:
    """'today', 'tomorrow', 'yesterday' and their short forms."""
    shift = {"today": 0, "now": 0, "t": 0, "tomorrow": 1, "tom": 1, "tmrw": 1, "yesterday": -1}
    return today + timedelta(days=shift[raw]) if raw in shift else None


def _offset(raw: str, today: date, text: str) -> date | None:
    """'+3d', '+2w', '+1m', '-1d': days, weeks or months from today."""
    m = re.fullmatch(r"([+-])\s*(\d{1,3})\s*([dwm]?)", raw)
    if not m:
        return None
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


def _weekday(raw: str, today: date, text: str) -> date | None:
    """'tue' is the next Tuesday after today; so is 'next tue' when that cannot mislead.

    'next tue' said on a Monday could mean tomorrow or the Tuesday of next week: refused with
    both dates rather than guessed. On any other day both readings are the same date.
    """
    words = raw.split(" ")
    if len(words) > 2 or (len(words) == 2 and words[0] != "next"):
        return None
    code = _DAY_ALIASES.get(words[-1])
    if code is None:
        return None
    target = _DAY_NAMES.index(code)
    coming = today + timedelta(days=(target - today.weekday()) % 7 or 7)
    if len(words) == 2 and target > today.weekday():
        week_after = coming + timedelta(weeks=1)
        raise ValueError(
            f"'{text.strip()}' could be {_spoken(coming)} or {_spoken(week_after)}: "
            f"type the date, e.g. {coming:%d/%m}"
        )
    return coming


def _calendar_date(raw: str, today: date, text: str) -> date | None:
    """A written date, optionally after its day name ('mon 1 dec'), which must then agree."""
    m = re.fullmatch(_WEEKDAY_FIRST, raw)
    code = _DAY_ALIASES.get(m.group(1)) if m else None
    if m is None or code is None:
        return _written_date(raw, today, text)
    found = _written_date(m.group(2), today, text)
    if found is None:
        return None
    said = _DAY_NAMES.index(code)
    if found.weekday() != said:
        raise ValueError(
            f"{found.day} {_MONTH_NAMES[found.month - 1][:3].title()} {found.year} is a "
            f"{_WEEKDAY_NAMES[found.weekday()]}, not a {_WEEKDAY_NAMES[said]}: check the date"
        )
    return found


def _written_date(raw: str, today: date, text: str) -> date | None:
    """'2026-11-22', '22/11/2026', '22/11', '29 nov 2026', 'nov 29'; None if none of these."""
    m = re.fullmatch(_ISO, raw)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = re.fullmatch(_NUMERIC, raw)
    if m:
        year = _year(m.group(3), today)
        return _make_date(year, int(m.group(2)), int(m.group(1)), text)
    m = re.fullmatch(_DAY_MONTH, raw)
    if m and _month(m.group(2)):
        return _make_date(_year(m.group(3), today), _month(m.group(2)), int(m.group(1)), text)
    m = re.fullmatch(_MONTH_DAY, raw)
    if m and _month(m.group(1)):
        return _make_date(_year(m.group(3), today), _month(m.group(1)), int(m.group(2)), text)
    return None


def _month(word: str) -> int:
    """1-12 for 'nov', 'November', 'sept'; 0 if the word is not a month."""
    if len(word) < 3:
        return 0
    return next((i for i, name in enumerate(_MONTH_NAMES, 1) if name.startswith(word)), 0)


def _year(written: str | None, today: date) -> int:
    """The year as written ('27' is 2027), or this year when none was given."""
    if not written:
        return today.year
    year = int(written)
    return year + 2000 if year < 100 else year


def _spoken(day: date) -> str:
    """'Tue 24 Nov', for a message."""
    return (
        f"{_WEEKDAY_NAMES[day.weekday()][:3]} {day.day} {_MONTH_NAMES[day.month - 1][:3].title()}"
    )


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


# An amount: pounds, either plain (1016) or grouped in thousands by commas or spaces used the
# same way throughout (1,016 / 12,345,678 / 1 016), then optionally a point and pence.
_AMOUNT = r"(?P<pounds>\d{1,3}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*|\d+)(?:\.(?P<pence>\d{1,2}))?"
# A decimal comma ("15,68", "1.016,50"): pounds, maybe grouped by points, commas or spaces.
_DECIMAL_COMMA = r"(?P<pounds>\d{1,3}(?P<sep>[., ])\d{3}(?:(?P=sep)\d{3})*|\d*),(?P<pence>\d{1,2})"


def parse_money(text: str) -> int:
    """Parse '15.68', '£15.68', '£1,016', '£1,016.50', '15' (pounds) into pence.

    A comma separates thousands only before exactly three digits. A decimal comma ('15,68')
    is refused with the amount written the stored way, never read as thousands (1,568.00).
    """
    raw = re.sub(r"^(?:£|gbp)\s*", "", text.strip(), flags=re.IGNORECASE)
    m = re.fullmatch(_AMOUNT, raw)
    if m:
        pence = m.group("pence") or ""
        return int(re.sub(r"\D", "", m.group("pounds"))) * 100 + int(pence.ljust(2, "0"))
    m = re.fullmatch(_DECIMAL_COMMA, raw)
    if m:
        pounds = int(re.sub(r"\D", "", m.group("pounds")) or "0")
        raise ValueError(f"Use a point for pence: {pounds:,}.{m.group('pence').ljust(2, '0')}")
    raise ValueError(
        f"'{text}' is not an amount of money: try 15.68 or £1,016 "
        "(a comma only separates thousands)"
    )


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
    from microcare_tui.domain.uk_phone import national

    shown = national(e164)  # the usual case, without importing phonenumbers
    if shown is not None:
        return shown
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# The UK postcode format, with the letters Royal Mail uses in each position: the first
# letter is never Q, V or X; a second letter never I, J or Z; a letter after the district
# digit is one of ABCDEFGHJKPSTUW (A9A, as W1A) or ABEHMNPRVWXY (AA9A, as EC1A); the inward
# code is a digit and two letters other than C, I, K, M, O and V. GIR 0AA is the one exception.
_OUTWARD = (
    r"(?:[A-PR-UWYZ]\d{1,2}"  # A9, A99
    r"|[A-PR-UWYZ]\d[A-HJKPSTUW]"  # A9A
    r"|[A-PR-UWYZ][A-HK-Y]\d{1,2}"  # AA9, AA99
    r"|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY])"  # AA9A
)
_INWARD = r"\d[ABD-HJLNP-UW-Z]{2}"
_POSTCODE = rf"({_OUTWARD})({_INWARD})|(GIR)(0AA)"
_DISTRICT = re.compile(rf"{_OUTWARD}|GIR")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text.strip().upper())


def _outward_inward(raw: str) -> tuple[str, str] | None:
    """Split a compact postcode into its outward and inward codes; None if it is not one."""
    m = re.fullmatch(_POSTCODE, raw)
    if not m:
        return None
    return (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))


def parse_postcode(text: str) -> str:
    """Normalise a full UK postcode: 'tn234ab' -> 'TN23 4AB'."""
    parts = _outward_inward(_compact(text))
    if parts is None:
        raise ValueError(f"'{text}' is not a UK postcode (e.g. TN23 4AB)")
    return " ".join(parts)


def is_postcode_district(text: str) -> bool:
    """True for an outward code such as 'TN23', 'ME1' or 'EC1A' (by the rules above)."""
    return bool(_DISTRICT.fullmatch(text.strip().upper()))


def postcode_district(postcode: str) -> str:
    """The outward code of a postcode or district: 'TN23 4AB' -> 'TN23'."""
    raw = _compact(postcode)
    parts = _outward_inward(raw)
    if parts is not None:
        return parts[0]
    if _DISTRICT.fullmatch(raw):
        return raw
    raise ValueError(f"'{postcode}' is not a UK postcode or postcode district")


_EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"


def parse_email(text: str) -> str:
    """Check an email address looks deliverable and lower-case its domain."""
    raw = text.strip()
    if not re.match(_EMAIL, raw):
        raise ValueError(f"'{text}' is not an email address")
    local, _, domain = raw.rpartition("@")
    return f"{local}@{domain.lower()}"


def parse_whole_number(text: str, minimum: int = 0, maximum: int = 100_000) -> int:
    """Parse a whole number within bounds ('12', '1,016'; a comma only separates thousands)."""
    raw = text.strip()
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", raw):
        raise ValueError(f"'{text}' is not a whole number")
    value = int(raw.replace(",", ""))
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
