"""Dates as readers see them, written out here rather than taken from the locale: the output never
depends on the machine that builds it."""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def format_date(value: dt.datetime | dt.date | None, style: str = "long") -> str:
    """'long': 4 March 2026; 'short': Mar 2026; 'iso': ISO 8601; 'time': 16:00 UTC (or UTC+01:00)."""
    if value is None:
        return ""
    if style == "iso":
        return value.isoformat()
    if style == "short":
        return f"{MONTHS[value.month - 1][:3]} {value.year}"
    if style == "time":
        if not isinstance(value, dt.datetime):
            return ""
        offset = value.utcoffset()
        zone = "UTC" if not offset else "UTC" + value.strftime("%z")[:3] + ":" + value.strftime("%z")[3:]
        return f"{value:%H:%M} {zone}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def end_of_day(moment: dt.datetime) -> dt.datetime:
    """Midnight after `moment`, in its own time zone: the end of the day it falls on."""
    return (moment + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
