"""The build's clock, open and closed actions (deadlines.py) and the deadline's .ics file (ics.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import yaml

from campaign.deadlines import (
    DAY_ENDS_AT_UTC_HOUR,
    ClockError,
    DeadlineState,
    build_clock,
    build_day,
    day_ends,
    is_issued,
)
from campaign.ics import DeadlineEvent, deadline_calendar, escape_text, fold

DEADLINE = dt.date(2025, 3, 18)


def test_the_day_before_the_deadline_is_open_with_one_day_left():
    state = DeadlineState(DEADLINE, dt.date(2025, 3, 17))
    assert state.is_open and not state.is_closed and not state.is_last_day
    assert state.days_left == 1


def test_the_deadline_day_itself_is_open_and_the_last_day():
    state = DeadlineState(DEADLINE, DEADLINE)
    assert state.is_open and state.is_last_day
    assert state.days_left == 0


def test_the_day_after_the_deadline_is_closed():
    state = DeadlineState(DEADLINE, dt.date(2025, 3, 19))
    assert state.is_closed and not state.is_open and not state.is_last_day
    assert state.days_left == 0


def test_days_left_count_the_days_after_today():
    assert DeadlineState(DEADLINE, dt.date(2025, 1, 15)).days_left == 62
    assert DeadlineState(dt.date(2024, 3, 1), dt.date(2024, 2, 1)).days_left == 29  # a leap year's February


def test_the_clock_is_source_date_epoch_in_utc():
    # 2025-03-18 23:30 UTC is already the 19th in Amsterdam, still the 18th for the build.
    moment = dt.datetime(2025, 3, 18, 23, 30, tzinfo=dt.UTC)
    clock = build_clock({"SOURCE_DATE_EPOCH": str(int(moment.timestamp()))})
    assert clock == moment and clock.date() == DEADLINE


def test_without_source_date_epoch_the_clock_is_now_in_utc():
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    clock = build_clock({})
    assert clock.tzinfo is not None and before <= clock <= dt.datetime.now(dt.UTC)
    assert build_clock({"SOURCE_DATE_EPOCH": ""}).date() == dt.datetime.now(dt.UTC).date()


@pytest.mark.parametrize("value", ["yesterday", "2025-03-18", "1.5", "99999999999999999999"])
def test_a_bad_source_date_epoch_says_what_to_do(value):
    with pytest.raises(ClockError) as error:
        build_clock({"SOURCE_DATE_EPOCH": value})
    message = str(error.value)
    assert message.startswith("SOURCE_DATE_EPOCH: ") and f"'{value}'" in message and "—" in message
    assert "\n" not in message


# --- The .ics file -----------------------------------------------------------------------

STAMP = dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC)


def event(**changes) -> DeadlineEvent:
    values = dict(
        uid="urgent-action-deadline-20250318@example.org",
        deadline=DEADLINE,
        summary="紧急行动：两名活动人士在中国遭不公正定罪",
        description="黄雪琴和王建兵因和平倡导于2024年6月14日被判刑, 请在2025年3月18日前致信; 谢谢\n\nhttps://example.org/zh/urgent-action/",
        stamp=STAMP,
        language="zh-Hans",
        url="https://example.org/zh/urgent-action/",
    )
    values.update(changes)
    return DeadlineEvent(**values)


def test_the_calendar_parses_as_one_all_day_event_on_the_deadline():
    text = deadline_calendar(event())
    calendar = icalendar.Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert len(events) == 1
    vevent = events[0]
    assert vevent.decoded("DTSTART") == DEADLINE  # a date, not a date-time: all day
    assert vevent.decoded("DTEND") == DEADLINE + dt.timedelta(days=1)
    assert vevent.decoded("DTSTAMP") == STAMP
    assert str(vevent["UID"]) == "urgent-action-deadline-20250318@example.org"
    assert str(vevent["SUMMARY"]) == "紧急行动：两名活动人士在中国遭不公正定罪"
    assert vevent["SUMMARY"].params["LANGUAGE"] == "zh-Hans"
    assert str(vevent["DESCRIPTION"]) == event().description
    assert str(vevent["URL"]) == "https://example.org/zh/urgent-action/"


def test_every_line_ends_in_crlf_and_is_at_most_75_octets():
    text = deadline_calendar(event())
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75, line


def test_dtstamp_comes_from_the_build_clock_so_builds_repeat():
    assert deadline_calendar(event()) == deadline_calendar(event())
    assert "DTSTAMP:20250115T120000Z\r\n" in deadline_calendar(event())
    later = deadline_calendar(event(stamp=STAMP + dt.timedelta(days=1)))
    assert "DTSTAMP:20250116T120000Z\r\n" in later


def test_a_relative_url_is_left_out():
    text = deadline_calendar(event(url="/urgent-action/"))
    assert "\r\nURL:" not in text
    assert "URL" not in icalendar.Calendar.from_ical(text).walk("VEVENT")[0]


def test_text_values_are_escaped():
    assert escape_text("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne"


def test_folding_never_splits_a_character_and_unfolds_to_the_line():
    line = "SUMMARY:" + "黄雪琴" * 20 + "abc" * 20
    folded = fold(line)
    pieces = folded.split("\r\n ")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces[:1])
    assert all(len(piece.encode("utf-8")) <= 74 for piece in pieces[1:])  # plus the leading space
    assert "".join(pieces) == line
    assert fold("short") == "short"


# --- One day rule anywhere on Earth (UTC-12) ----------------------------------------------------


@pytest.mark.parametrize(
    "moment, day",
    [
        (dt.datetime(2025, 3, 19, 11, 59, 59, tzinfo=dt.UTC), dt.date(2025, 3, 18)),  # still the 18th in UTC-12
        (dt.datetime(2025, 3, 19, 12, 0, tzinfo=dt.UTC), dt.date(2025, 3, 19)),  # the 18th has ended everywhere
        (dt.datetime(2025, 3, 18, 23, 30, tzinfo=dt.UTC), dt.date(2025, 3, 18)),  # 00:30 on the 19th in Amsterdam
    ],
)
def test_the_sites_day_is_the_day_in_utc_minus_12(moment, day):
    assert build_day({"SOURCE_DATE_EPOCH": str(int(moment.timestamp()))}) == day
    assert DeadlineState(DEADLINE, day).is_open == (day <= DEADLINE)


def test_a_day_ends_everywhere_at_noon_utc_the_next_day():
    assert day_ends(DEADLINE) == dt.datetime(2025, 3, 19, DAY_ENDS_AT_UTC_HOUR, tzinfo=dt.UTC)


def test_the_script_and_the_daily_rebuild_follow_the_rule():
    root = Path(__file__).resolve().parent.parent
    script = (root / "theme" / "static" / "js" / "campaign.js").read_text(encoding="utf-8")
    assert f"var DAY_ENDS_AT_UTC_HOUR = {DAY_ENDS_AT_UTC_HOUR};" in script
    publish = yaml.safe_load((root / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    minute, hour, *_ = publish[True]["schedule"][0]["cron"].split()
    # The first run after a day has ended everywhere: within the hour after it.
    assert int(hour) == DAY_ENDS_AT_UTC_HOUR and 0 < int(minute) < 60


def test_a_document_is_issued_from_its_day_on():
    assert not is_issued(dt.date(2024, 6, 14), dt.date(2024, 6, 13))
    assert is_issued(dt.date(2024, 6, 14), dt.date(2024, 6, 14))
