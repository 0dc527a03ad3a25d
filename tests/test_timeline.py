"""The case's timeline: partial dates, order, validation, the component and the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from campaign.dates import DateFormatError, PartialDate
from campaign.sources import read_timeline
from campaign.timeline import validate_timeline
from conftest import CONTENT, LANGS, WRITTEN, component_env, page_path, render


def events_data(*items):
    """Events with a text in every language of the site, unless an item gives its own."""
    return {
        "events": [dict(item, text=item.get("text", {lang: f"Text ({lang})" for lang in WRITTEN})) for item in items]
    }


def check(data):
    return validate_timeline(data, lambda key: 1, "content/timeline.yaml")


def test_partial_dates_sort_at_the_end_of_their_month_or_year():
    events, problems = check(
        events_data(
            {"date": "2022"},
            {"date": "2021-09"},
            {"date": "2022-12-31"},
            {"date": "2021-10-01"},
            {"date": "2021-09-19"},
        )
    )
    assert problems == []
    assert [event.date.iso for event in events] == ["2021-09-19", "2021-09", "2021-10-01", "2022", "2022-12-31"]


def test_events_on_the_same_day_keep_the_order_they_were_written_in():
    events, _ = check(
        events_data(
            {"date": "2023-09-22", "text": {"en": "second", "nl": "n", "zh": "z"}},
            {"date": "2023-09-22", "text": {"en": "third", "nl": "n", "zh": "z"}},
            {"date": "2023-09-21", "text": {"en": "first", "nl": "n", "zh": "z"}},
        )
    )
    assert [event.text["en"] for event in events] == ["first", "second", "third"]


def test_partial_date_bounds_and_iso():
    assert PartialDate.parse("2019-10").first_day == dt.date(2019, 10, 1)
    assert PartialDate.parse("2019-10").last_day == dt.date(2019, 10, 31)
    assert PartialDate.parse("2024").last_day == dt.date(2024, 12, 31)
    assert PartialDate.parse("2024-02").last_day == dt.date(2024, 2, 29)
    assert PartialDate.parse(2022).iso == "2022"  # YAML reads an unquoted year as a number


@pytest.mark.parametrize("value", ["2019-13", "2023-02-29", "19-10", "October 2019", "2019/10/01"])
def test_bad_partial_dates_are_refused(value):
    with pytest.raises(DateFormatError):
        PartialDate.parse(value)


@pytest.mark.parametrize(
    "value, lang, shown",
    [
        ("2019-10", "en", "October 2019"),
        ("2019-10", "nl", "oktober 2019"),
        ("2019-10", "zh", "2019年10月"),
        ("2022", "en", "2022"),
        ("2022", "zh", "2022年"),
        ("2024-06-14", "en", "14 June 2024"),
        ("2024-06-14", "nl", "14 juni 2024"),
        ("2024-06-14", "zh", "2024年6月14日"),
    ],
)
def test_partial_dates_are_shown_as_precisely_as_known_in_each_language(value, lang, shown):
    assert PartialDate.parse(value).format(lang) == shown


def test_an_end_before_the_start_is_a_problem():
    _, problems = check(events_data({"date": "2020-01", "end": "2019-10"}))
    assert [(p.field, p.message) for p in problems] == [("events[0].end", "is before the event's date")]


def test_the_fixture_timeline_is_valid_and_in_date_order():
    timeline = read_timeline(CONTENT / "timeline.yaml")  # the fixture site's
    assert timeline.problems == []
    days = [event.date.last_day for event in timeline.events]
    assert len(days) >= 9 and days == sorted(days)
    assert all(set(event.text) == set(WRITTEN) for event in timeline.events)


def test_the_component_renders_an_ordered_list_of_time_elements():
    events, _ = check(
        events_data(
            {"date": "2019-10", "end": "2020-01", "text": {"en": "Detained", "nl": "Vastgezet", "zh": "被关押"}},
            {"date": "2024-06-14", "text": {"en": "Sentenced", "nl": "Veroordeeld", "zh": "被判刑"}},
        )
    )
    env = component_env()
    html = render(env, "timeline.html", "timeline", {"events": events}, lang="nl")
    soup = BeautifulSoup(html, "html.parser")
    items = soup.select("ol.cs-timeline > li.cs-timeline__event")
    assert [item.select_one(".cs-timeline__text").get_text() for item in items] == ["Vastgezet", "Veroordeeld"]
    times = [(t["datetime"], t.get_text()) for t in soup.find_all("time")]
    assert times == [("2019-10", "oktober 2019"), ("2020-01", "januari 2020"), ("2024-06-14", "14 juni 2024")]
    english = BeautifulSoup(render(env, "timeline.html", "timeline", {"events": events}, lang="en"), "html.parser")
    assert english.select_one(".cs-timeline__date").get_text(" ", strip=True) == "October 2019 to January 2020"


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_shows_the_whole_timeline_in_order(built_site, lang):
    soup = BeautifulSoup(page_path(built_site, "home", lang).read_text(encoding="utf-8"), "html.parser")
    timeline = soup.select_one("ol.cs-timeline")
    assert timeline is not None
    starts = [item.find("time")["datetime"] for item in timeline.find_all("li")]
    expected = [event.date.iso for event in read_timeline(CONTENT / "timeline.yaml").events]
    assert starts == expected
    heading = soup.find(id=timeline.find_parent("section")["aria-labelledby"])
    assert heading.name == "h2"
