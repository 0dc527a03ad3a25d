"""An iCalendar file (RFC 5545) with one all-day event: an action's deadline.

Readers add it to their calendar from the action's page. DTSTAMP is the start of the
build's day, not the wall clock, so two builds on one day give the same file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CRLF = "\r\n"
PRODUCT = "-//Campaign site//Deadline calendar//EN"  # the same for every case's site
_MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as \\n."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space,
    never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size, limit = "", 0, _MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, _MAX_OCTETS - 1  # the leading space counts
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class DeadlineEvent:
    uid: str
    deadline: dt.date
    summary: str
    description: str
    stamp: dt.datetime  # the start of the build's day
    language: str | None = None  # BCP 47 tag of summary and description
    url: str | None = None  # only an absolute URL is written (URL is a URI property)


def deadline_calendar(event: DeadlineEvent) -> str:
    language = f";LANGUAGE={event.language}" if event.language else ""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_stamp(event.stamp)}",
        f"DTSTART;VALUE=DATE:{event.deadline:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.deadline + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY{language}:{escape_text(event.summary)}",
        f"DESCRIPTION{language}:{escape_text(event.description)}",
    ]
    if event.url and event.url.startswith(("https://", "http://")):
        lines.append(f"URL:{event.url}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
