"""The plugin's pure modules on their own: front matter, languages, dates, typography."""

from __future__ import annotations

import datetime as dt

import pytest

from campaign.dates import DateFormatError, PartialDate, long_date, parse_date
from campaign.frontmatter import parse
from campaign.languages import absolute, page_save_as, page_url
from campaign.typography import fix_dutch_elisions, typeset


def test_front_matter_keeps_field_lines_and_dates_as_text():
    text = "---\ntitle: Hello\ndate: 2024-06-14\ntargets:\n  - name: A\n    email: a@example.org\n---\nBody line\n"
    parsed, problems = parse(text, "x.en.md")
    assert problems == []
    assert parsed.data["date"] == "2024-06-14"
    assert parsed.line("title") == 2
    assert parsed.line("targets[0].email") == 6
    assert parsed.line("targets[0].nonexistent") == 5
    assert parsed.body_line == 8 and parsed.body.startswith("Body line")


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("---\ntitle: a: b\n---\n", 2, "cannot be read"),
        ("title: x\n", 1, "does not start with front matter"),
        ("---\ntitle: x\n", 1, "never closed"),
        ("---\n- a\n- b\n---\n", 2, "not a list of 'field: value' lines"),
    ],
)
def test_front_matter_problems_name_the_line(text, line, words):
    _, problems = parse(text, "content/pages/x.en.md")
    assert len(problems) == 1
    assert problems[0].line == line and words in problems[0].message
    assert str(problems[0]).startswith(f"content/pages/x.en.md:{line}:")
    assert " — " in str(problems[0])


def test_urls_per_language():
    assert page_url("home", "en") == "" and page_save_as("home", "en") == "index.html"
    assert page_url("home", "zh") == "zh/" and page_save_as("home", "nl") == "nl/index.html"
    assert page_url("petition", "nl") == "nl/petition/"
    assert absolute("", "nl/petition/") == "/nl/petition/"
    assert absolute("https://example.org/repo/", "nl/") == "https://example.org/repo/nl/"


def test_long_dates_per_language():
    day = dt.date(2024, 6, 14)
    assert [long_date(day, lang) for lang in ("en", "nl", "zh")] == ["14 June 2024", "14 juni 2024", "2024年6月14日"]


def test_partial_dates():
    assert PartialDate.parse("2019-10").format("nl") == "oktober 2019"
    assert PartialDate.parse("2022").iso == "2022"
    assert PartialDate.parse("2024").last_day == dt.date(2024, 12, 31)
    with pytest.raises(DateFormatError, match="not a real day"):
        parse_date("2023-02-29")
    with pytest.raises(DateFormatError, match="YYYY-MM-DD"):
        parse_date("2024-06")
    with pytest.raises(DateFormatError, match="no month 13"):
        parse_date("2024-13-01")


def test_dutch_elisions_are_apostrophes_not_opening_quotes():
    assert fix_dutch_elisions("'s avonds en 't huis") == "\u2019s avonds en \u2019t huis"
    html = typeset("<p>Om 's nachts verhoord, zei ze 'nee'.</p>", "nl")
    assert "\u2019s nachts" in html or "&#8217;s nachts" in html
    assert "&#8216;s" not in html and "\u2018s" not in html
    assert "&#8216;nee&#8217;" in html


def test_chinese_is_left_as_written():
    html = '<p>她说："释放她们"。</p>'
    assert typeset(html, "zh") == html


def test_english_quotes_are_curled():
    assert "&#8220;free&#8221;" in typeset('<p>They said "free" now.</p>', "en")
