"""The site model: what the build decided about the site on its day, in one typed place.

The site-model stage (stages/site_model.py) builds one `Site` once every file is read,
and nothing changes it after: the templates read it as `site` (and a page's own model as
`site.page(page)`), and site_files.py writes the feeds, the sitemap and the calendar
files from it. Forked workers (parallel.py) inherit it whole.

What the editor's file says (title, summary, body, front matter) stays on Pelican's page,
which each `PageModel` wraps (`.page`); what the build decides (the page's language and
its alternates, its addresses, its action on the day, the day its text last changed)
and what spans pages (navigation, the actions' lists, the feeds) is here. A new fact
about a page goes in `PageModel`, one about the site in `Site`; the stage fills it in,
the template reads it (docs/architecture.md, "The site model").

Nothing here imports Pelican.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .languages import Language
from .schema import KINDS

if TYPE_CHECKING:
    from .actions import ActionView
    from .dates import PartialDate
    from .deadlines import DeadlineState
    from .ics import DeadlineEvent
    from .timeline import TimelineEvent


@dataclass(frozen=True)
class Alternate:
    """The page in one of the site's languages (hreflang links, the language switcher)."""

    language: Language
    url: str  # absolute
    current: bool  # the page itself


@dataclass(frozen=True, eq=False)  # one model per page: compared (`is sameas`) and hashed as itself
class PageModel:
    """A page as the build decided it on its day."""

    page: Any  # Pelican's page: what the file says (title, summary, content, date, front matter)
    slug: str
    lang: str
    kind: str
    title: str
    url: str  # relative to the site, as links in the templates write it ({{ SITEURL }}/{{ url }})
    issued: dt.date  # its issue day (`date`)
    language: Language
    absolute_url: str
    x_default_url: str  # its default language's address (hreflang="x-default")
    alternates: tuple[Alternate, ...]  # one per site language, in the table's order
    changed_on: dt.date  # the day its text last changed by the calendar (feeds' `updated`, sitemap's `lastmod`)
    action: ActionView | None = None  # an action's or petition's state, letters and officials on the day
    deadline: dt.date | None = None


@dataclass(frozen=True)
class Calendar:
    """The calendar file next to an action's page: its event while the action is open, none once it is closed."""

    save_as: str  # its path in the output
    event: DeadlineEvent | None


@dataclass(frozen=True)
class Feed:
    """One language's Atom feed: its documents, newest first."""

    lang: str
    home: PageModel | None  # the feed's title and description are the home page's
    entries: tuple[PageModel, ...]


@dataclass(frozen=True)
class Site:
    """The whole site on the build's day: every template and site_files.py read this."""

    day: dt.date  # the build's day (deadlines.build_day)
    pages: Mapping[str, Mapping[str, PageModel]]  # by slug, then by language
    navigation: Mapping[str, tuple[PageModel, ...]]  # per language: the home page and the newest of each kind
    documents: Mapping[str, tuple[PageModel, ...]]  # per language: every document but the home page, newest first
    open_actions: Mapping[str, tuple[PageModel, ...]]  # per language: the nearest deadline first
    past_actions: Mapping[str, tuple[PageModel, ...]]  # per language: the latest deadline first
    action_states: Mapping[str, DeadlineState]  # by slug: what `::: open`/`::: ended` blocks follow
    timeline: tuple[TimelineEvent, ...]
    status_as_of: PartialDate | None  # when the case's present status was last known true
    calendars: tuple[Calendar, ...]
    feeds: Mapping[str, Feed]  # per language

    def page(self, page) -> PageModel:
        """The model of a page: Pelican's page (or anything with its slug and lang)."""
        return self.pages[page.slug][page.lang]


def navigation(pages: Iterable[PageModel]) -> tuple[PageModel, ...]:
    """The home page and the newest document of each kind, in the campaign's order (schema.py).

    One link per kind keeps every page's header the same size however many documents
    the site holds (linking them all made each page's work grow with the site's size);
    the home page lists every action and petition with its deadline.
    """
    newest = {}
    for page in sorted(pages, key=lambda p: (-p.issued.toordinal(), p.slug)):
        newest.setdefault(page.kind, page)
    return tuple(newest[kind] for kind in KINDS if kind in newest)


def newest_first(pages: Iterable[PageModel], home_slug: str) -> tuple[PageModel, ...]:
    """Every document but the home page, the latest issued first."""
    return tuple(sorted((p for p in pages if p.slug != home_slug), key=lambda p: p.issued, reverse=True))


def open_actions(pages: Iterable[PageModel]) -> tuple[PageModel, ...]:
    """The actions open on the day, the nearest deadline first."""
    return tuple(sorted((p for p in pages if p.action and p.action.is_open), key=lambda p: (p.deadline, p.slug)))


def past_actions(pages: Iterable[PageModel]) -> tuple[PageModel, ...]:
    """The actions closed on the day, the latest deadline first."""
    closed = (p for p in pages if p.action and not p.action.is_open)
    return tuple(sorted(closed, key=lambda p: (p.deadline, p.slug), reverse=True))
