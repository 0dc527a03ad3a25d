"""Who an action writes to and the letters it offers (plugins/campaign/targets.py)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest

from campaign.targets import (
    Target,
    action_view,
    build_letter,
    language_list,
    language_name,
    letter_languages,
    targets_from,
    typeset_text,
)


def test_targets_to_write_to_come_first_by_priority_then_copies():
    targets = targets_from([
        {"name": "Copy", "role": "cc", "priority": 1},
        {"name": "Unnumbered"},
        {"name": "Second", "priority": 2},
        {"name": "First", "priority": 1},
        {"name": "Also unnumbered", "role": "target"},
    ])
    assert [t.name for t in targets] == ["First", "Second", "Unnumbered", "Also unnumbered", "Copy"]
    assert [t.is_copy for t in targets] == [False, False, False, False, True]


def test_the_envelope_is_name_title_organisation_and_address_without_repeats():
    target = Target.from_data({"name": "Zhang Rui", "title": "Director", "organization": "Bureau",
                               "address": ["No. 200, Qiyi Road", "Guangzhou"]})
    assert target.envelope == ["Zhang Rui", "Director", "Bureau", "No. 200, Qiyi Road", "Guangzhou"]
    same = Target.from_data({"name": "Amnesty International", "organization": "amnesty international", "address": ["Postbus 1968"]})
    assert same.envelope == ["Amnesty International", "Postbus 1968"]


def test_email_href_is_a_bare_mailto():
    assert Target.from_data({"name": "X", "email": "a+b@example.org"}).email_href == "mailto:a+b@example.org"
    assert Target.from_data({"name": "X"}).email_href == ""


@pytest.mark.parametrize(
    "display, expected",
    [("en", "English or Chinese"), ("nl", "Engels of Chinees"), ("zh", "英语或中文")],
)
def test_preferred_languages_are_named_in_the_pages_language(display, expected):
    assert language_list(["en", "zh"], display) == expected
    assert language_list([], display) == ""


def test_language_names_come_from_cldr():
    assert (language_name("zh", "nl"), language_name("nl", "zh"), language_name("en", "en")) == ("Chinees", "荷兰语", "English")


def test_the_pages_language_comes_first_then_the_preferred_ones():
    assert letter_languages("nl", ["en", "zh"]) == ["nl", "en", "zh"]
    assert letter_languages("zh", ["en", "zh"]) == ["zh", "en"]
    assert letter_languages("en", None) == ["en"]
    assert letter_languages("en", ["fr", "en"]) == ["en"]


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("en", 'for "inciting subversion" -- it\'s & <that>...', "for “inciting subversion” — it’s & <that>…"),
        ("nl", "'s Nachts \"thuis\"", "’s Nachts “thuis”"),
        ("zh", '“煽动颠覆国家政权"', '“煽动颠覆国家政权"'),
    ],
)
def test_letters_get_the_pages_typography_as_plain_text(lang, text, expected):
    assert typeset_text(text, lang) == expected


LETTER = {"subject": "Release them", "salutation": "Dear officials,", "body": "Please release them.\n\nYours sincerely,",
          "short_body": "Release them.\n\nYours sincerely,"}
PAGE_TARGETS = targets_from([
    {"name": "Zhang Rui", "address": ["Guangzhou"], "priority": 1},
    {"name": "Xie Fang", "organization": "Embassy", "address": ["Washington"], "email": "embassy@example.org",
     "salutation": "Dear Ambassador,", "role": "cc"},
])


def test_an_open_letter_has_an_email_link_per_recipient_with_their_own_salutation():
    letter = build_letter("en", LETTER, PAGE_TARGETS, PAGE_TARGETS, kind="action", is_open=True, current=True)
    (link,) = letter.links
    assert (link.name, link.organization, link.email, link.is_copy, link.complete) == ("Xie Fang", "Embassy", "embassy@example.org", True, True)
    assert unquote(link.href.partition("body=")[2]) == "Dear Ambassador,\r\n\r\nPlease release them.\r\n\r\nYours sincerely,"
    assert letter.paragraphs == [["Please release them."], ["Yours sincerely,"]]
    assert letter.addressees == [["Zhang Rui", "Guangzhou"]] and letter.return_to == []


def test_a_closed_letter_has_no_links_and_no_sheet_to_sign():
    letter = build_letter("en", LETTER, PAGE_TARGETS, PAGE_TARGETS, kind="petition", is_open=False, current=True, signing=True)
    assert letter.links == [] and not letter.signing
    assert letter.return_to == [] and letter.addressees == []  # nothing says where to post it once ended
    opened = build_letter("en", LETTER, PAGE_TARGETS, PAGE_TARGETS, kind="petition", is_open=True, current=True, signing=True)
    assert opened.signing and opened.return_to == [["Zhang Rui", "Guangzhou"]]
    translation = build_letter("nl", LETTER, PAGE_TARGETS, PAGE_TARGETS, kind="petition", is_open=True, current=True, signing=False)
    assert translation.return_to == [], "only the sheet people sign says where to post it"


def test_the_salutation_of_the_letters_language_and_the_fallback_message():
    chinese_targets = targets_from([{"name": "Xie Fang", "address": ["Washington"], "email": "EMBASSY@example.org", "salutation": "尊敬的大使：", "role": "cc"}])
    chinese = {"subject": "释放他们", "body": "请释放他们。" * 120}
    letter = build_letter("zh", chinese, chinese_targets, PAGE_TARGETS, kind="action", is_open=True, current=False,
                          fallback=lambda lang, subject: f"[{lang}] {subject}")
    (link,) = letter.links
    assert not link.complete and letter.shortened
    assert unquote(link.href.partition("body=")[2]) == "尊敬的大使：\r\n\r\n[zh] 释放他们"
    assert link.name == "Xie Fang" and link.organization == "Embassy"  # named as the page names them


def test_a_single_addressee_lends_the_letter_their_salutation():
    single = targets_from([{"name": "A", "address": ["x"], "salutation": "Dear A,"}])
    letter = build_letter("en", {"subject": "S", "body": "B"}, single, single, kind="action", is_open=True, current=True)
    assert letter.salutation == "Dear A,"


def test_the_action_view_on_either_side_of_the_deadline():
    data = {"deadline": dt.date(2025, 3, 18), "preferred_languages": ["en", "zh"], "targets": [{"name": "A", "address": ["x"]}],
            "letter": LETTER, "report_url": "https://example.org/report"}
    chinese = dict(data, letter={"subject": "主题", "body": "正文"})
    translations = {"en": data, "nl": dict(data, letter=dict(LETTER, subject="Onderwerp")), "zh": chinese}
    open_view = action_view("action", "nl", translations["nl"], translations, dt.date(2025, 3, 18), url="/nl/urgent-action/", ics_url="/nl/urgent-action/deadline.ics")
    assert open_view.is_open and open_view.ics_url == "/nl/urgent-action/deadline.ics" and open_view.letters_url == "/nl/urgent-action/#letters"
    assert [(letter.lang, letter.subject, letter.current) for letter in open_view.letters] == [("nl", "Onderwerp", True), ("en", "Release them", False), ("zh", "主题", False)]
    assert open_view.preferred == "Engels of Chinees" and open_view.language_names["zh"] == "Chinees"
    closed = action_view("action", "nl", translations["nl"], translations, dt.date(2025, 3, 19), ics_url="/x.ics")
    assert not closed.is_open and closed.ics_url == "" and all(letter.links == [] for letter in closed.letters)
