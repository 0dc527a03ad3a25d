"""The build's clock and whether an action is still open.

The site is static, so "today" is the day of the build: SOURCE_DATE_EPOCH when it is
set (reproducible builds, and tests that build the site as of any day), else the
current day in UTC. An action is open up to and including its deadline day.
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
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ClockError(
            f"SOURCE_DATE_EPOCH: '{value}' is not a time in seconds since 1970-01-01 — "
            "set it to a whole number such as $(date +%s), or unset it to build as of today"
        ) from None


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
    def days_left(self) -> int:
        """Days after today up to the deadline: 0 on the deadline day and after it."""
        return max((self.deadline - self.today).days, 0)
