"""What a list is narrowed to: plain values that screens build and the store turns into SQL."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class EnquiryFilter(NamedTuple):
    """The enquiry list's filters; all optional."""

    text: str = ""
    open_only: bool = False
    follow_up_due: bool = False
    kind: str | None = None
    area_id: str | None = None
    outcome: str | None = None
    date_from: date | None = None
    date_to: date | None = None
