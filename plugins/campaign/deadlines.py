"""The build's clock and whether an action is still open.

The site is static, so "today" is the day of the build: SOURCE_DATE_EPOCH when it is
set (reproducible builds, and tests that build the site as of any day), else the
current day in UTC. An action is open up to and including its deadline day.

This module holds the deadline rule: a document's `deadline` is the last day to act,
inclusive, as a calendar day in UTC (TIMEZONE in pelicanconf.py, the daily rebuild's
schedule in .github/workflows/publish.yml and the reader's-clock check in
theme/static/js/campaign.js follow it). An action is open, then in its last days
(the final LAST_DAYS days, which say how many are left), then ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


class ClockError(ValueError):
    pass


def build_clock(environ: Mapping[str, str]) -> dt.datetime:
    """The build's moment, in UTC."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise ClockError(
            f"SOURCE_DATE_EPOCH: '{value}' is not a time in seconds since 1970-01-01 — "
            "set it to a whole number such as $(date +%s), or unset it to build as of today"
        ) from None


def build_day(environ: Mapping[str, str]) -> dt.date:
    """The build's day in UTC: the site depends on it, never on the time of day, so a
    build later the same day writes the same bytes (and last_build.py keys on the day)."""
    return build_clock(environ).date()


LAST_DAYS = 7  # the final week counts the days left to act


class Phase:
    OPEN = "open"
    LAST_DAYS = "last-days"
    ENDED = "ended"


@dataclass(frozen=True)
class DeadlineState:
    deadline: dt.date
    today: dt.date

    @property
    def is_open(self) -> bool:
        return self.today <= self.deadline

    @property
    def is_closed(self) -> bool:
        return not self.is_open

    @property
    def is_last_day(self) -> bool:
        return self.today == self.deadline

    @property
    def days_to_act(self) -> int:
        """Days on which readers can still act, today included: 1 on the last day, 0 once ended."""
        return max((self.deadline - self.today).days + 1, 0)

    @property
    def phase(self) -> str:
        if self.is_closed:
            return Phase.ENDED
        return Phase.LAST_DAYS if self.days_to_act <= LAST_DAYS else Phase.OPEN

    @property
    def is_last_days(self) -> bool:
        return self.phase == Phase.LAST_DAYS

    @property
    def days_left(self) -> int:
        """Days after today up to the deadline: 0 on the deadline day and after it."""
        return max((self.deadline - self.today).days, 0)
