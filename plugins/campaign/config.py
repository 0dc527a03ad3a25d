"""The site's own settings (CAMPAIGN_*), their defaults, and what one build shares between
its stages.

Like Pelican's DEFAULT_CONFIG: every CAMPAIGN_* setting the plugin reads is here, with
its default; pelicanconf.py sets only those it changes. Nothing here imports Pelican,
so `make check` reads the same defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULTS = {
    # The case's timeline, relative to the content folder (PATH).
    "CAMPAIGN_TIMELINE": "timeline.yaml",
    # The folder of the interface-string catalogs (translations/<lang>/LC_MESSAGES/messages.po).
    "CAMPAIGN_TRANSLATIONS": "translations",
    # The case the site is for: its name in each language and its people (case.py).
    "CAMPAIGN_CASE": {"name": {}, "people": []},
    # How old timeline.yaml's status_as_of may be before the build and `make check` warn
    # that the case's status needs checking (days).
    "CAMPAIGN_STATUS_MAX_AGE_DAYS": 120,
    # Processes that read and write the pages (parallel.py): None, one per core; 1, this one only.
    "CAMPAIGN_PROCESSES": None,
    # Pages each process must have for sharing them to pay (`make bench` measures it); fewer: one process.
    "CAMPAIGN_PARALLEL_MIN_PAGES": 40,
    # Where compiled templates and the templates' strings are kept between builds, under a key
    # of everything that decides them (build_cache.py); relative to the project folder.
    "CAMPAIGN_CACHE": "cache",
}

PROJECT = Path(__file__).resolve().parents[2]  # where pelicanconf.py, content/, theme/ and plugins/ live
BUILD_STATE = "CAMPAIGN_BUILD"  # the settings entry that holds one build's BuildState


def setting(settings, name: str):
    return settings.get(name, DEFAULTS[name])


def cache_folder(settings) -> Path:
    return PROJECT / setting(settings, "CAMPAIGN_CACHE")  # an absolute setting stays as it is


def apply_defaults(settings) -> None:
    """Every CAMPAIGN_* setting the settings file leaves out gets its default (the templates read them too)."""
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)


@dataclass
class BuildState:
    """What the stages of one build hand to each other (stages/*.py), in one place rather
    than in private keys: made when the build starts, filled as it goes."""

    output: str = ""  # the output folder the build replaces when it succeeds
    protected: dict = field(default_factory=dict)  # what the output must not be, hold or be inside (staging.refusal)
    number: int = 0  # the build's number, in the order builds started (staging.take_number)
    day: object = None  # the build's day (deadlines.build_day), the only clock the site sees
    catalogs: dict = field(default_factory=dict)  # each language's catalog bytes, read once
    translations: dict = field(default_factory=dict)  # each language's gettext translations
    conversions: dict = field(default_factory=dict)  # each generated language's traditional.Conversion
    timeline: object = None  # sources.TimelineFile
    page_files: list[Path] = field(default_factory=list)  # what the build must make a page of
    calendars_written: bool = False  # by the processes that wrote the pages (stages/writing.py)
    problems: list = field(default_factory=list)  # problems found before the pages are checked
