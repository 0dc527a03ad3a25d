"""The build's clock and whether an action is still open.

The site is static, so "today" is the day of the build: SOURCE_DATE_EPOCH when it is
set (reproducible builds, and tests that build the site as of any day), else now.

This module holds the one day rule of the site, anywhere on Earth: a day is over only
when it has ended in every time zone, that is in UTC-12, the last one ("anywhere on
Earth"). So the site's day is the calendar day in UTC-12 (`site_day`): an action is open
up to and including its `deadline`, until 12:00 UTC the day after; a document is
published from its issue day (`date`), which by then has begun everywhere. No reader
sees an action end before their own last day is over, nor a document before its day.
The daily rebuild's schedule (.github/workflows/publish.yml, just after 12:00 UTC), the
reader's-clock check (theme/static/js/campaign.js, DAY_ENDS_AT_UTC_HOUR) and the wording
("anywhere on Earth") follow it. An action is open, then in its last days (the final
LAST_DAYS days, which say how many are left), then ended.
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


# UTC-12, the last time zone on Earth: a day has ended everywhere when it has ended there.
LAST_TIME_ZONE = dt.timezone(dt.timedelta(hours=-12))
# So a day ends everywhere at 12:00 UTC the next day (campaign.js has the same figure).
DAY_ENDS_AT_UTC_HOUR = 12


def site_day(moment: dt.datetime) -> dt.date:
    """The day a moment belongs to for the site: its calendar day in UTC-12."""
    return moment.astimezone(LAST_TIME_ZONE).date()


def day_ends(day: dt.date) -> dt.datetime:
    """The moment a day has ended everywhere on Earth (the start of the next day in UTC-12)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), LAST_TIME_ZONE).astimezone(dt.UTC)


def build_day(environ: Mapping[str, str]) -> dt.date:
    """The build's day (site_day): the site depends on it, never on the time of day, so a
    build later the same day writes the same bytes (and last_build.py keys on the day)."""
    return site_day(build_clock(environ))


def is_issued(issue_day: dt.date, today: dt.date) -> bool:
    """A document is published from its issue day (its `date`) on, never before."""
    return issue_day <= today


LAST_DAYS = 7  # the final week counts the days left to act


class Phase:
    OPEN = "open"
    LAST_DAYS = "last-days"
    ENDED = "ended"


@dataclass(frozen=True)
class DeadlineState:
    deadline: dt.date
    today: dt.date
    # The day an editor recorded an outcome (released, charges dropped, closed early...):
    # the document ends that day. Not yet come on the build's day, it changes nothing.
    outcome_day: dt.date | None = None

    @property
    def has_outcome(self) -> bool:
        return self.outcome_day is not None and self.today >= self.outcome_day

    @property
    def is_open(self) -> bool:
        return self.today <= self.deadline and not self.has_outcome

    @property
    def is_closed(self) -> bool:
        return not self.is_open

    @property
    def ended_on(self) -> dt.date:
        """The first day the action is ended: the day after its deadline, or its outcome's day."""
        after = self.deadline + dt.timedelta(days=1)
        return min(after, self.outcome_day) if self.has_outcome else after

    @property
    def changed_on(self) -> dt.date:
        """Once ended, the day its state last changed: its end, or a later outcome."""
        return max(self.ended_on, self.outcome_day) if self.has_outcome else self.ended_on

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
