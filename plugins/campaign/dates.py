"""Dates as editors write them (YYYY-MM-DD, YYYY-MM or YYYY) and as readers read them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import format_date, format_skeleton

from .languages import LANGUAGES

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Dates a campaign can mean: a typo such as 9999 or 0202 is refused here, with its line,
# rather than overflowing later (the calendar file's end is the day after a deadline).
YEARS = range(1900, 2101)


class DateFormatError(ValueError):
    pass


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object, allow_partial: bool = True) -> PartialDate:
        text = str(value).strip()
        match = _PATTERN.match(text)
        if not match or (not allow_partial and match.group(3) is None):
            wanted = "YYYY-MM-DD, YYYY-MM or YYYY" if allow_partial else "YYYY-MM-DD"
            raise DateFormatError(f"'{text}' is not a date in the form {wanted}")
        year, month, day = (int(g) if g else None for g in match.groups())
        if year not in YEARS:
            raise DateFormatError(f"'{text}' is not a year this site can mean (from {YEARS[0]} to {YEARS[-1]})")
        if month is not None and not 1 <= month <= 12:
            raise DateFormatError(f"'{text}' has no month {month}")
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise DateFormatError(
                f"'{text}' is not a real day "
                f"({calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days)"
            )
        return cls(year, month, day)

    @property
    def iso(self) -> str:
        """The value for <time datetime>: as precise as known."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    # The timeline's dates are on many pages, in every language. The cache holds the dates
    # it has seen (B019): a few dozen small frozen values for the build's lifetime.
    @lru_cache(maxsize=4096)  # noqa: B019
    def format(self, lang: str) -> str:
        locale = LANGUAGES[lang].locale
        if self.month is None:
            return format_skeleton("y", self.first_day, locale=locale)
        if self.day is None:
            return format_skeleton("yMMMM", self.first_day, locale=locale)
        return long_date(self.first_day, lang)


def parse_date(value: object) -> dt.date:
    """A full date (YYYY-MM-DD), or DateFormatError saying what is wrong."""
    return PartialDate.parse(value, allow_partial=False).first_day


def long_date(value: dt.date | dt.datetime, lang: str) -> str:
    """'14 June 2024', '14 juni 2024', '2024年6月14日'."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return _long_date(value, lang)


@lru_cache(maxsize=4096)  # Babel takes ~70 µs a date, and a site shows the same few dates on every page
def _long_date(day: dt.date, lang: str) -> str:
    return format_date(day, "long", locale=LANGUAGES[lang].locale)
