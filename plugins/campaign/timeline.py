"""content/timeline.yaml: its events, checked."""

from __future__ import annotations

from dataclasses import dataclass

from .checker import LANG_CODES, PLACEHOLDER, shorten, yaml_surprise
from .dates import DateFormatError, PartialDate
from .languages import LANGUAGES, written
from .problems import Problem

TIMELINE_EVENT_FIELDS = ("date", "end", "text", "translation_of")  # translation_of: see status.py


@dataclass(frozen=True)
class TimelineEvent:
    date: PartialDate
    end: PartialDate | None
    text: dict[str, str]
    position: int  # order in the file, to keep events on the same date as written

    @property
    def sort_key(self):
        return (self.date.last_day, self.position)


def validate_timeline(data: object, lines_of, path: str) -> tuple[list[TimelineEvent], list[Problem]]:
    """lines_of(key) gives a field's line. Returns events in date order and the problems."""
    problems: list[Problem] = []

    def add(key: str, message: str, fix: str) -> None:
        problems.append(Problem(path, lines_of(key), key, message, fix))

    events_data = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events_data, list):
        add("events", "is missing or not a list", "start the file with 'events:' and one '- date: ...' per event")
        return [], problems
    events: list[TimelineEvent] = []
    for index, item in enumerate(events_data):
        key = f"events[{index}]"
        if not isinstance(item, dict):
            add(key, "should be an event with date and text", "write '- date: YYYY-MM-DD' with 'text:' below it")
            continue
        dates = {}
        for name in ("date", "end"):
            value = item.get(name)
            if value is None:
                if name == "date":
                    add(
                        f"{key}.date",
                        "is missing",
                        "add 'date: YYYY-MM-DD' (or YYYY-MM, or YYYY if only the year is known)",
                    )
                continue
            try:
                dates[name] = PartialDate.parse(value)
            except DateFormatError as error:
                add(
                    f"{key}.{name}",
                    str(error),
                    "write YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known",
                )
        if "date" in dates and "end" in dates and dates["end"].last_day < dates["date"].first_day:
            add(f"{key}.end", "is before the event's date", "swap 'date' and 'end', or correct one of them")
        text = item.get("text")
        if not isinstance(text, dict):
            add(f"{key}.text", "is missing", f"add 'text:' with one line per language ({LANG_CODES})")
            text = {}
        for lang in written():  # a generated language's line is converted from its source's
            value = text.get(lang)
            if not isinstance(value, str) or not value.strip():
                add(
                    f"{key}.text.{lang}" if lang in text else f"{key}.text",
                    f"has no {LANGUAGES[lang].name} text ({lang})",
                    f"add '{lang}: \"...\"' under 'text:'",
                )
        for lang in text:
            if lang not in LANGUAGES:
                add(f"{key}.text.{lang}", f"'{lang}' is not one of the site's languages", f"use {LANG_CODES}")
            elif LANGUAGES[lang].generated_from:
                add(
                    f"{key}.text.{lang}",
                    f"is made from the '{LANGUAGES[lang].generated_from}' line at every build, not written",
                    f"delete this line; correct the conversion in translations/{lang}/overrides.txt",
                )
            elif isinstance(text[lang], str) and PLACEHOLDER.search(text[lang]):
                add(
                    f"{key}.text.{lang}",
                    f"still has the placeholder '{shorten(text[lang])}'",
                    f"write the event's {LANGUAGES[lang].name} text in its place",
                )
        for name in item:
            if name not in TIMELINE_EVENT_FIELDS:
                add(
                    f"{key}.{name}",
                    "is not a field of a timeline event",
                    f"use only {', '.join(TIMELINE_EVENT_FIELDS)}",
                )
        translation_of = item.get("translation_of")
        if translation_of is not None and not isinstance(translation_of, str):
            add(
                f"{key}.translation_of",
                f"{yaml_surprise(translation_of) or 'is not text'} ({translation_of!r})",
                f'put the value in quotes: translation_of: "{translation_of}"',
            )
        if "date" in dates:
            events.append(
                TimelineEvent(
                    dates["date"], dates.get("end"), {k: v for k, v in text.items() if isinstance(v, str)}, index
                )
            )
    return sorted(events, key=lambda event: event.sort_key), problems


# --- The case's present status: the day it was last known to be true ---------------------------

STATUS_FIX = "write the day the case's status (held, health, appeals) was last confirmed: status_as_of: YYYY-MM-DD (or YYYY-MM, YYYY)"


def read_status_as_of(data: object, lines_of, path: str) -> tuple[PartialDate | None, list[Problem]]:
    """timeline.yaml's `status_as_of`: when what the pages say about the two people's present
    situation was last known to be true. The pages that say it (`case_status: true`) show it."""
    value = data.get("status_as_of") if isinstance(data, dict) else None
    if value is None:
        return None, []
    try:
        return PartialDate.parse(value), []
    except DateFormatError as error:
        return None, [Problem(path, lines_of("status_as_of"), "status_as_of", str(error), STATUS_FIX)]


def status_warning(as_of: PartialDate | None, today, max_age_days: int, path: str) -> str:
    """A line for the editor once the status is older than max_age_days (a warning: the site is built)."""
    if as_of is None:
        return ""
    age = (today - as_of.last_day).days
    if age <= max_age_days:
        return ""
    return (
        f"{path}: status_as_of: the case's status was last confirmed {as_of.iso}, {age} days ago "
        f"(more than {max_age_days} days) — check the pages marked case_status with Amnesty International, "
        "update what has changed in every language, then set status_as_of to the day it was confirmed"
    )
