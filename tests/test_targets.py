"""Who an action writes to and the letters it offers (plugins/campaign/targets.py)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest

from campaign.actions import action_view
from campaign.languages import language_list, language_name
from campaign.letters import build_letter, letter_languages
from campaign.mailto import MAX_LENGTH
from campaign.targets import Target, targets_from
from campaign.typography import typeset_text


def test_targets_to_write_to_come_first_by_priority_then_copies():
    targets = targets_from(
        [
            {"name": "Copy", "role": "cc", "priority": 1},
            {"name": "Unnumbered"},
            {"name": "Second", "priority": 2},
            {"name": "First", "priority": 1},
            {"name": "Also unnumbered", "role": "target"},
        ]
    )
    assert [t.name for t in targets] == ["First", "Second", "Unnumbered", "Also unnumbered", "Copy"]
    assert [t.is_copy for t in targets] == [False, False, False, False, True]


def test_the_envelope_is_name_title_organisation_and_address_without_repeats():
    target = Target.from_data(
        {
            "name": "Zhang Rui",
            "title": "Director",
            "organization": "Bureau",
            "address": ["No. 200, Qiyi Road", "Guangzhou"],
        }
    )
    assert target.envelope == ["Zhang Rui", "Director", "Bureau", "No. 200, Qiyi Road", "Guangzhou"]
    same = Target.from_data(
        {"name": "Amnesty International", "organization": "amnesty international", "address": ["Postbus 1968"]}
    )
    assert same.envelope == ["Amnesty International", "Postbus 1968"]


def test_email_href_is_a_bare_mailto():
    assert Target.from_data({"name": "X", "email": "a+b@example.org"}).email_href == "mailto:a+b@example.org"
    assert Target.from_data({"name": "X"}).email_href == ""


@pytest.mark.parametrize(
    "display, expected",
    [("en", "English or Chinese"), ("nl", "Engels of Chinees"), ("zh", "英文或中文")],
)
def test_preferred_languages_are_named_in_the_pages_language(display, expected):
    assert language_list(["en", "zh"], display) == expected
    assert language_list([], display) == ""


def test_language_names_come_from_cldr():
    assert (language_name("zh", "nl"), language_name("nl", "zh"), language_name("en", "en")) == (
        "Chinees",
        "荷兰语",
        "English",
    )


def test_the_pages_language_comes_first_then_the_preferred_ones():
    assert letter_languages("nl", ["en", "zh"]) == ["nl", "en", "zh"]
    assert letter_languages("zh", ["en", "zh"]) == ["zh", "en"]
    assert letter_languages("en", None) == ["en"]
    assert letter_languages("en", ["fr", "en"]) == ["en"]


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("en", 'for "inciting subversion" -- it\'s & <that>...', "for “inciting subversion” — it’s & <that>…"),
        ("nl", '\'s Nachts "thuis"', "’s Nachts “thuis”"),
        ("zh", '“煽动颠覆国家政权"', '“煽动颠覆国家政权"'),
    ],
)
def test_letters_get_the_pages_typography_as_plain_text(lang, text, expected):
    assert typeset_text(text, lang) == expected


LETTER = {
    "subject": "Release them",
    "salutation": "Dear officials,",
    "body": "Please release them.\n\nYours sincerely,",
    "short_body": "Release them.\n\nYours sincerely,",
}
PAGE_TARGETS = targets_from(
    [
        {"name": "Zhang Rui", "address": ["Guangzhou"], "priority": 1},
        {
            "name": "Xie Fang",
            "organization": "Embassy",
            "address": ["Washington"],
            "email": "embassy@example.org",
            "salutation": "Dear Ambassador,",
            "role": "cc",
        },
    ]
)


def test_an_open_letter_has_an_email_link_per_recipient_with_their_own_salutation():
    letter = build_letter("en", LETTER, PAGE_TARGETS, PAGE_TARGETS, kind="action", is_open=True, current=True)
    (link,) = letter.links
    assert (link.name, link.organization, link.email, link.is_copy, link.complete) == (
        "Xie Fang",
        "Embassy",
        "embassy@example.org",
        True,
        True,
    )
    assert (
        unquote(link.href.partition("body=")[2])
        == "Dear Ambassador,\r\n\r\nPlease release them.\r\n\r\nYours sincerely,"
    )
    assert letter.paragraphs == [["Please release them."], ["Yours sincerely,"]]
    assert letter.addressees == [["Zhang Rui", "Guangzhou"]] and letter.return_to == []


def test_a_closed_letter_has_no_links_and_no_sheet_to_sign():
    letter = build_letter(
        "en", LETTER, PAGE_TARGETS, PAGE_TARGETS, kind="petition", is_open=False, current=True, signing=True
    )
    assert letter.links == [] and not letter.signing
    assert letter.return_to == [] and letter.addressees == []  # nothing says where to post it once ended
    opened = build_letter(
        "en", LETTER, PAGE_TARGETS, PAGE_TARGETS, kind="petition", is_open=True, current=True, signing=True
    )
    assert opened.signing and opened.return_to == [["Zhang Rui", "Guangzhou"]]
    translation = build_letter(
        "nl", LETTER, PAGE_TARGETS, PAGE_TARGETS, kind="petition", is_open=True, current=True, signing=False
    )
    assert translation.return_to == [], "only the sheet people sign says where to post it"


def test_a_letter_too_long_for_its_link_goes_as_its_short_body_or_not_at_all():
    chinese_targets = targets_from(
        [
            {
                "name": "Xie Fang",
                "address": ["Washington"],
                "email": "EMBASSY@example.org",
                "salutation": "尊敬的大使：",
                "role": "cc",
            }
        ]
    )
    chinese = {"subject": "释放他们", "body": "请释放他们。" * 120}
    letter = build_letter(
        "zh",
        chinese,
        chinese_targets,
        PAGE_TARGETS,
        kind="action",
        is_open=True,
        current=False,
    )
    (link,) = letter.links
    assert not link.complete and letter.shortened and letter.uncarried and not link.carries_letter
    assert "body=" not in link.href  # never a part of the letter: the page says to copy it
    assert link.name == "Xie Fang" and link.organization == "Embassy"  # named as the page names them
    chinese["short_body"] = "请释放他们。\n\n此致\n\n敬礼！"
    letter = build_letter("zh", chinese, chinese_targets, PAGE_TARGETS, kind="action", is_open=True, current=False)
    (link,) = letter.links
    assert link.carries_letter and not link.complete and not letter.uncarried
    assert unquote(link.href.partition("body=")[2]) == "尊敬的大使：\r\n\r\n请释放他们。\r\n\r\n此致\r\n\r\n敬礼！"


def test_a_single_addressee_lends_the_letter_their_salutation():
    single = targets_from([{"name": "A", "address": ["x"], "salutation": "Dear A,"}])
    letter = build_letter(
        "en", {"subject": "S", "body": "B"}, single, single, kind="action", is_open=True, current=True
    )
    assert letter.salutation == "Dear A,"


def test_the_action_view_on_either_side_of_the_deadline():
    data = {
        "deadline": dt.date(2025, 3, 18),
        "preferred_languages": ["en", "zh"],
        "targets": [{"name": "A", "address": ["x"]}],
        "letter": LETTER,
        "report_url": "https://example.org/report",
    }
    chinese = dict(data, letter={"subject": "主题", "body": "正文"})
    translations = {"en": data, "nl": dict(data, letter=dict(LETTER, subject="Onderwerp")), "zh": chinese}
    open_view = action_view(
        "action",
        "nl",
        translations["nl"],
        translations,
        dt.date(2025, 3, 18),
        url="/nl/urgent-action/",
        ics_url="/nl/urgent-action/deadline.ics",
    )
    assert (
        open_view.is_open
        and open_view.ics_url == "/nl/urgent-action/deadline.ics"
        and open_view.letters_url == "/nl/urgent-action/#letters"
    )
    assert [(letter.lang, letter.subject, letter.current) for letter in open_view.letters] == [
        ("nl", "Onderwerp", True),
        ("en", "Release them", False),
        ("zh", "主题", False),
    ]
    assert open_view.preferred == "Engels of Chinees" and open_view.language_names["zh"] == "Chinees"
    closed = action_view("action", "nl", translations["nl"], translations, dt.date(2025, 3, 19), ics_url="/x.ics")
    assert not closed.is_open and closed.ics_url == "" and all(letter.links == [] for letter in closed.letters)


# --- One letter per official -------------------------------------------------------------------

UA_TARGETS = [
    {
        "name": "Zhang Rui",
        "title": "Director",
        "address": ["Guangzhou 510030"],
        "salutation": "Dear Director Zhang Rui,",
        "priority": 1,
        "reason": "Letters to him come first.",
    },
    {
        "name": "Zhang Jian",
        "title": "Chief Procurator",
        "address": ["Guangzhou 510600"],
        "salutation": "Dear Chief Procurator Zhang Jian,",
        "priority": 2,
    },
    {
        "name": "Xie Fang",
        "organization": "Embassy",
        "address": ["Washington"],
        "email": "embassy@example.org",
        "salutation": "Dear Ambassador Xie Fang,",
        "role": "cc",
    },
]


def copy_line(lang, official):
    return f"[{lang}] Copy of my letter to {official.name}, {official.title}:"


def ua_view(lang="en", today=dt.date(2025, 1, 15), letter=LETTER):
    data = {
        "deadline": dt.date(2025, 3, 18),
        "preferred_languages": ["en", "zh"],
        "targets": UA_TARGETS,
        "letter": letter,
    }
    chinese = dict(
        data,
        letter={"subject": "释放他们", "body": "请释放他们。\n\n此致\n\n敬礼！"},
        targets=[dict(t, salutation=f"尊敬的{t['name']}：") for t in UA_TARGETS],
    )
    translations = {"en": data, "nl": dict(data, letter=dict(letter, subject="Onderwerp")), "zh": chinese}
    return action_view("action", lang, translations[lang], translations, today, copy_line=copy_line)


def test_each_official_has_a_letter_of_their_own_in_each_language_the_first_to_write_to_first():
    view = ua_view("nl")
    assert [(o.number, o.id, o.target.name, o.target.reason) for o in view.officials] == [
        (1, "to-1", "Zhang Rui", "Letters to him come first."),
        (2, "to-2", "Zhang Jian", ""),
    ]
    for official in view.officials:
        assert [letter.id for letter in official.letters] == [
            f"letter-{official.number}-{code}" for code in ("nl", "en", "zh")
        ]
        (envelope,) = {tuple(letter.addressees[0]) for letter in official.letters}
        assert envelope[0] == official.target.name
    assert [letter.salutation for letter in view.officials[0].letters] == [
        "Dear Director Zhang Rui,",
        "Dear Director Zhang Rui,",
        "尊敬的Zhang Rui：",
    ]
    assert [letter.salutation for letter in view.officials[1].letters][0] == "Dear Chief Procurator Zhang Jian,"
    assert view.letters == view.officials[0].letters + view.officials[1].letters
    assert [t.name for t in view.copies] == ["Xie Fang"]


def test_a_joint_salutation_gives_way_to_each_officials_own():
    view = ua_view(letter=dict(LETTER, salutation="Dear Director Zhang Rui / Chief Procurator Zhang Jian,"))
    assert [o.letters[0].salutation for o in view.officials] == [
        "Dear Director Zhang Rui,",
        "Dear Chief Procurator Zhang Jian,",
    ]


def test_the_email_to_the_copy_address_carries_the_officials_letter_marked_as_a_copy():
    view = ua_view("en")
    for official in view.officials:
        for letter in official.letters:
            (link,) = letter.links  # the officials have no e-mail address: the copy to the embassy only
            assert link.is_copy and link.email == "embassy@example.org" and len(link.href) <= MAX_LENGTH
            body = unquote(link.href.partition("body=")[2]).split("\r\n\r\n")
            assert body[0] == f"[{letter.lang}] Copy of my letter to {official.target.name}, {official.target.title}:"
            assert body[1] == letter.salutation and "Ambassador" not in body[1]
            assert unquote(link.href.partition("subject=")[2].partition("&")[0]) == letter.subject


def test_an_official_with_an_email_address_gets_their_own_letter_and_no_one_elses():
    targets = [
        dict(UA_TARGETS[0], email="rui@example.org"),
        dict(UA_TARGETS[1], email="jian@example.org"),
        UA_TARGETS[2],
    ]
    data = {"deadline": dt.date(2025, 3, 18), "targets": targets, "letter": LETTER}
    view = action_view("action", "en", data, {"en": data}, dt.date(2025, 1, 15), copy_line=copy_line)
    first, second = (o.letters[0] for o in view.officials)
    assert [(link.email, link.is_copy) for link in first.links] == [
        ("rui@example.org", False),
        ("embassy@example.org", True),
    ]
    assert [(link.email, link.is_copy) for link in second.links] == [
        ("jian@example.org", False),
        ("embassy@example.org", True),
    ]
    assert unquote(first.links[0].href.partition("body=")[2]).startswith("Dear Director Zhang Rui,\r\n\r\n")


def test_once_ended_each_officials_letters_stay_as_a_record_without_links():
    view = ua_view("zh", today=dt.date(2025, 3, 19))
    assert [letter.id for letter in view.letters] == ["letter-1-zh", "letter-1-en", "letter-2-zh", "letter-2-en"]
    assert all(letter.links == [] for letter in view.letters)


def test_a_petition_keeps_one_letter_per_language_with_its_addressee_line():
    letter = dict(LETTER, addressee="To: President of the People's Republic of China, Xi Jinping")
    data = {
        "deadline": dt.date(2024, 2, 18),
        "preferred_languages": ["en"],
        "targets": [{"name": "Amnesty", "address": ["Postbus 1968"]}],
        "letter": letter,
    }
    view = action_view("petition", "en", data, {"en": data}, dt.date(2024, 2, 1))
    (sheet,) = view.letters
    assert view.officials == [] and sheet.id == "letter-en" and sheet.signing
    assert sheet.addressee_line == "To: President of the People’s Republic of China, Xi Jinping"
