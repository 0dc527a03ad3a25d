"""Each campaign component, rendered from its own file with example params in a plain Jinja
environment set up as the build sets up Pelican's (templating.install), and its HTML checked."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from campaign.deadlines import DeadlineState
from campaign.letters import EmailLink
from campaign.mailto import mailto_url
from campaign.targets import Target
from conftest import component_env, render


@pytest.fixture(scope="module")
def env():
    return component_env()


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


# --- deadline_notice ------------------------------------------------------------------------

DEADLINE = dt.date(2025, 3, 18)


def notice(today: dt.date, **extra) -> dict:
    state = DeadlineState(DEADLINE, today)
    params = {
        "deadline": DEADLINE,
        "today": today,
        "phase": state.phase,
        "days_to_act": state.days_to_act,
        "kind": "action",
        "ics_url": "/urgent-action/deadline.ics",
    }
    params.update(extra)
    return params


def visible(node):
    for hidden in node.select("[hidden]"):
        hidden.decompose()
    return node


def test_open_notice_says_the_last_day_and_carries_the_ended_notice_hidden(env):
    page = soup(render(env, "deadline_notice.html", "deadline_notice", notice(dt.date(2025, 1, 15))))
    box = page.select_one(".cs-deadline.cs-deadline--open")
    assert box["data-cs-when"] == "open" and box["data-cs-deadline"] == "2025-03-18"
    when = box.select_one(".cs-deadline__when")
    # No count before the last week; the last day lasts until it has ended everywhere on Earth.
    assert when.get_text() == "Open until 18 March 2025, the last day to act, wherever you are in the world."
    assert [(t["datetime"], t.get_text()) for t in box.find_all("time")] == [("2025-03-18", "18 March 2025")]
    calendar = box.find("a", href="/urgent-action/deadline.ics")
    assert calendar.get_text() == "Add the deadline to your calendar" and calendar["type"] == "text/calendar"
    ended = page.select_one(".cs-deadline--ended")
    assert ended.has_attr("hidden") and ended["data-cs-when"] == "ended" and ended["data-cs-deadline"] == "2025-03-18"
    assert text(ended) == "This action has ended. The last day to act was 18 March 2025 ."


@pytest.mark.parametrize(
    "lang, today, expected",
    [
        ("en", dt.date(2025, 3, 17), "2 days left to act, today included (as of 17 March 2025)."),
        ("en", dt.date(2025, 3, 12), "7 days left to act, today included (as of 12 March 2025)."),
        (
            "nl",
            dt.date(2025, 3, 17),
            "Nog 2 dagen om in actie te komen, vandaag meegerekend (stand per 17 maart 2025).",
        ),
        ("zh", dt.date(2025, 3, 15), "还剩4天可以行动，含今天（截至2025年3月15日）。"),
        ("en", DEADLINE, "Today, 18 March 2025, is the last day."),
        ("nl", DEADLINE, "Vandaag, 18 maart 2025, is de laatste dag."),
        ("zh", DEADLINE, "今天（2025年3月18日）是最后一天。"),
    ],
)
def test_the_last_week_counts_the_days_left_today_included(env, lang, today, expected):
    page = soup(render(env, "deadline_notice.html", "deadline_notice", notice(today), lang=lang))
    when = page.select_one(".cs-deadline--open .cs-deadline__when")
    assert when.strong.next_sibling.name == "br"  # not a space: Chinese has none between sentences
    assert when.get_text().endswith(expected)


def test_eight_days_before_the_deadline_no_days_are_counted(env):
    page = soup(render(env, "deadline_notice.html", "deadline_notice", notice(dt.date(2025, 3, 11))))
    assert page.select_one(".cs-deadline--open .cs-deadline__when br") is None


def test_open_notice_offers_the_letters_and_the_report_link(env):
    params = notice(
        dt.date(2025, 1, 15),
        report_url="https://example.org/report?ua=44.22&x=1",
        reference="UA 44.22",
        letters_url="/urgent-action/#letters",
        letters_text="Write a letter",
    )
    html = render(env, "deadline_notice.html", "deadline_notice", params)
    primary = soup(html).select_one(".cs-deadline__primary a.cs-button")
    assert (primary["href"], primary.get_text()) == ("/urgent-action/#letters", "Write a letter")
    links = [(a["href"], a.get_text()) for a in soup(html).select(".cs-deadline__links a")]
    assert links == [
        ("https://example.org/report?ua=44.22&x=1", "Tell Amnesty International what you did, quoting UA 44.22"),
        ("/urgent-action/deadline.ics", "Add the deadline to your calendar"),
    ]
    assert 'href="https://example.org/report?ua=44.22&amp;x=1"' in html


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("action", "本次行动已结束，最后行动日为 2025年3月18日 。 感谢所有写信的人。"),
        ("petition", "本次请愿已结束，最后签名日为 2025年3月18日 。 感谢所有写信的人。"),
    ],
)
def test_ended_notice_says_the_last_day_and_offers_nothing(env, kind, expected):
    params = notice(
        dt.date(2025, 3, 19),
        report_url="https://example.org/r",
        kind=kind,
        ended_text="感谢所有写信的人。",
        letters_url="/urgent-action/#letters",
        letters_text="x",
    )
    html = render(env, "deadline_notice.html", "deadline_notice", params, lang="zh")
    (box,) = soup(html).select(".cs-deadline")
    assert "cs-deadline--ended" in box["class"] and not box.has_attr("hidden") and not box.has_attr("data-cs-when")
    assert text(box) == expected
    assert box.find("a") is None and box.find("time")["datetime"] == "2025-03-18"


# --- target_card ----------------------------------------------------------------------------

TARGET = {
    "id": "target-3",
    "name": "Xie Fang",
    "envelope": [
        "Xie Fang",
        "Ambassador",
        "Chinese Embassy in the United States",
        "3505 International Place, NW",
        "Washington DC 20008",
        "United States",
    ],
    "notes": ["Send a copy of your letter to this address (CC)."],
    "email": "chinaembpress_us@mfa.gov.cn",
    "email_href": "mailto:chinaembpress_us@mfa.gov.cn",
    "is_copy": True,
}


def test_target_card_is_an_article_with_its_envelope_in_an_address(env):
    card = soup(render(env, "target_card.html", "target_card", TARGET)).find("article")
    assert card["class"] == ["cs-target", "cs-target--copy"] and card["aria-labelledby"] == "target-3"
    heading = card.find(id="target-3")
    assert heading.name == "h3" and heading.get_text() == "Xie Fang"
    assert card.select_one(".cs-target__note").get_text() == "Send a copy of your letter to this address (CC)."
    envelope = card.select_one("address .cs-target__envelope")
    assert [line for line in envelope.stripped_strings] == TARGET["envelope"]
    assert len(envelope.find_all("br")) == len(TARGET["envelope"]) - 1
    email = card.select_one("address .cs-target__email a")
    assert email["href"] == "mailto:chinaembpress_us@mfa.gov.cn" and email.get_text() == "chinaembpress_us@mfa.gov.cn"


def test_target_card_in_dutch_and_without_a_link_once_closed(env):
    params = dict(TARGET, email_href="", is_copy=False, notes=[])
    card = soup(render(env, "target_card.html", "target_card", params, lang="nl")).find("article")
    assert card["class"] == ["cs-target"] and card.select(".cs-target__note") == []
    assert card.find("a") is None
    assert text(card.select_one(".cs-target__email")) == "E-mail: chinaembpress_us@mfa.gov.cn"


def test_target_card_escapes_what_editors_write(env):
    params = dict(TARGET, name="<b>Zhang</b>", envelope=["People's <Republic>"])
    html = render(env, "target_card.html", "target_card", params)
    assert "<b>" not in html and "&lt;b&gt;Zhang&lt;/b&gt;" in html and "&lt;Republic&gt;" in html


# --- contact_details --------------------------------------------------------------------------

MINISTER = Target.from_data(
    {
        "name": "Domine Banyankimbona",
        "email": "minister@example.org",
        "phone": "+257 22 22 22 22",
        "fax": "+257 22 22 22 23",
        "social": ["X: @MinJustice", "Facebook: Ministère de la Justice"],
        "contact_form": "https://example.org/contact?to=minister&lang=fr",
    }
)


def test_contact_details_list_phone_fax_social_media_and_contact_form(env):
    html = render(env, "contact_details.html", "contact_details", {"target": MINISTER, "links": True})
    items = soup(html).select("ul.cs-contacts > li.cs-contacts__item")
    assert [text(item) for item in items] == [
        "Phone: +257 22 22 22 22",
        "Fax: +257 22 22 22 23",
        "Social media: X: @MinJustice",
        "Social media: Facebook: Ministère de la Justice",
        "Contact form: https://example.org/contact?to=minister&lang=fr",
    ]
    phone, fax, _, _, form = items
    assert phone.a["href"] == "tel:+25722222222" and fax.a is None  # a phone cannot send a fax
    assert form.a["href"] == "https://example.org/contact?to=minister&lang=fr"
    assert "?to=minister&amp;lang=fr" in html


def test_contact_details_in_chinese_as_text_once_closed_and_nothing_without_them(env):
    html = render(env, "contact_details.html", "contact_details", {"target": MINISTER, "links": False}, lang="zh")
    items = soup(html).select("li")
    assert soup(html).find("a") is None
    assert text(items[0]) == "电话：+257 22 22 22 22" and text(items[-1]).startswith("联系表单：")
    envelope_only = Target.from_data({"name": "Zhang Rui", "address": ["No. 200, Qiyi Road"]})
    assert render(env, "contact_details.html", "contact_details", {"target": envelope_only}).strip() == ""


def test_target_card_shows_the_contacts_and_no_envelope_lines_it_does_not_have(env):
    params = dict(TARGET, name=MINISTER.name, envelope=MINISTER.envelope, target=MINISTER, links=True, is_copy=False)
    card = soup(render(env, "target_card.html", "target_card", params)).find("article")
    assert [line for line in card.select_one(".cs-target__envelope").stripped_strings] == ["Domine Banyankimbona"]
    assert card.select_one("address .cs-contacts a[href^='tel:']")["href"] == "tel:+25722222222"


# --- mailto_link and copy_button ----------------------------------------------------------------


def test_mailto_link_writes_ampersands_as_entities(env):
    href = mailto_url(["a@example.org"], "Tom & Jerry", "1 + 1 = 2\n")
    html = render(env, "mailto_link.html", "mailto_link", {"href": href, "text": "E-mail this letter to A"})
    assert html.count("&amp;") == 1 and "&body=" not in html
    link = soup(html).find("a")
    assert link["href"] == href and link["class"] == ["cs-mailto"]
    assert unquote(href.partition("subject=")[2].partition("&")[0]) == "Tom & Jerry"


def test_copy_button_may_leave_its_messages_to_the_element_around_it(env):
    holder = soup(render(env, "copy_button.html", "copy_button", {"target": "t", "label": "Kopieer"})).find("div")
    assert holder.attrs == {"class": ["cs-copy"], "data-copy-target": "t", "data-copy-label": "Kopieer"}


def test_copy_button_is_only_a_placeholder_with_translated_strings(env):
    params = {
        "target": "letter-zh-text",
        "label": "Kopieer de brief",
        "copied": "Gekopieerd.",
        "failed": 'Niet gelukt: "kopieer" zelf.',
    }
    html = render(env, "copy_button.html", "copy_button", params, lang="nl")
    holder = soup(html).find("div")
    assert holder["class"] == ["cs-copy"] and holder.get_text() == "" and soup(html).find("button") is None
    assert holder["data-copy-target"] == "letter-zh-text"
    assert (holder["data-copy-label"], holder["data-copy-copied"], holder["data-copy-failed"]) == (
        "Kopieer de brief",
        "Gekopieerd.",
        'Niet gelukt: "kopieer" zelf.',
    )
    assert "&#34;kopieer&#34;" in html or "&quot;kopieer&quot;" in html


# --- letter ------------------------------------------------------------------------------------

LONG_LINK = EmailLink(
    "Xie Fang",
    "Chinese Embassy in the United States",
    "chinaembpress_us@mfa.gov.cn",
    mailto_url(["chinaembpress_us@mfa.gov.cn"], "主题 & 标题", "尊敬的大使：\n\n短信。"),
    False,
    True,
)


def letter_params(**changes) -> dict:
    params = {
        "id": "letter-zh",
        "heading": "Letter in Chinese",
        "lang": "zh-Hans",
        "language_name": "Chinese",
        "subject": "请立即无条件释放黄雪琴和王建兵",
        "salutation": "尊敬的 Zhang Rui 局长：",
        "paragraphs": [["我谨致信。"], ["此致", "敬礼！"]],
        "addressees": [["Zhang Rui", "广州市公安局局长", "No. 200, Qiyi Road"]],
        "signing": False,
        "return_to": [],
        "links": [LONG_LINK],
        "copyable": True,
    }
    params.update(changes)
    return params


def test_letter_is_a_section_with_its_text_in_the_letters_language(env):
    html = render(env, "letter.html", "letter", letter_params(level=4, date="2025年1月15日"))
    section = soup(html).find("section")
    assert section["id"] == "letter-zh" and section["aria-labelledby"] == "letter-zh-heading"
    assert section.find("h4", id="letter-zh-heading").get_text() == "Letter in Chinese"
    body = section.find(id="letter-zh-text")
    assert body["lang"] == "zh-Hans"
    assert [p.get_text("|") for p in body.find_all("p")] == ["尊敬的 Zhang Rui 局长：", "我谨致信。", "此致|敬礼！"]
    subject = section.select_one(".cs-letter__subject")
    assert text(subject) == "Subject: 请立即无条件释放黄雪琴和王建兵" and subject.find("span")["lang"] == "zh-Hans"
    # As on paper: the official's address, then the date, above the subject.
    addressee = section.select_one(".cs-letter__addressee")
    assert list(addressee.stripped_strings) == ["Zhang Rui", "广州市公安局局长", "No. 200, Qiyi Road"]
    assert section.select_one(".cs-letter__date").get_text() == "2025年1月15日"
    order = [p["class"][0] for p in section.select(".cs-letter__sheet > p")]
    assert order.index("cs-letter__addressee") < order.index("cs-letter__date") < order.index("cs-letter__subject")


def test_a_letter_in_another_language_is_folded_under_its_heading(env):
    details = soup(render(env, "letter.html", "letter", letter_params(folded=True))).find("details")
    assert details["id"] == "letter-zh" and not details.has_attr("open")
    assert details.summary.get_text(strip=True) == "Letter in Chinese" and details.summary.find(id="letter-zh-heading")


def test_letter_offers_a_copy_button_and_an_email_link_per_recipient(env):
    html = render(env, "letter.html", "letter", letter_params())
    section = soup(html).find("section")
    holder = section.select_one(".cs-copy")
    assert holder["data-copy-target"] == "letter-zh-text"
    assert holder["data-copy-label"] == "Copy the letter in Chinese"
    links = section.select(".cs-letter__links a.cs-mailto")
    assert [(a["href"], a.get_text()) for a in links] == [
        (LONG_LINK.href, "E-mail a copy of this letter to Xie Fang, Chinese Embassy in the United States"),
    ]
    assert LONG_LINK.href.replace("&", "&amp;") in html
    assert "shorter version" in section.select_one(".cs-letter__note").get_text()
    # The controls come before the letter: a reader finds them without scrolling through it.
    assert html.index("cs-letter__actions") < html.index("cs-letter__text")


def test_the_messages_of_the_copy_and_print_buttons_are_said_once_for_all_letters(env):
    html = env.from_string(
        '{% from "components/letter.html" import letter_messages with context %}<div{{ letter_messages() }}></div>'
    ).render(lang="nl")
    holder = soup(html).find("div")
    assert holder["data-copy-copied"] == "De brief is gekopieerd. Plak hem in je e-mail of brief."
    assert holder["data-copy-failed"].startswith("Je browser heeft de brief niet gekopieerd.")
    assert holder["data-print-label"] == "Print deze brief"


def test_a_letter_to_sign_ends_with_a_line_to_sign_by_hand_and_the_readers_name(env):
    link = EmailLink(
        "Xie Fang",
        "Embassy",
        "e@example.org",
        "mailto:e@example.org?subject=S&body=B",
        True,
        True,
        "mailto:e@example.org?subject=S&body=b",
    )
    html = render(env, "letter.html", "letter", letter_params(signoff=True, links=[link], mailto_limit=1800), lang="nl")
    section = soup(html).find("section")
    signoff = section.select_one(".cs-letter__signoff")
    assert signoff.select_one(".cs-letter__sign-here").get_text() == "Je handtekening"
    assert [span["data-cs-fill"] for span in signoff.select("[data-cs-fill]")] == ["name", "city"]
    assert all(span.get_text() == "" for span in section.select("[data-cs-fill]"))  # filled in the browser only
    sender = section.select_one(".cs-letter__sender.cs-print-only")
    assert [span["data-cs-fill"] for span in sender.select("[data-cs-fill]")] == ["name", "city"]
    (a,) = section.select("a.cs-mailto")
    assert a["data-cs-limit"] == "1800" and a["data-cs-roomy"] == link.roomy_href
    # Without a sign-off (a record, a petition) the links are left as they are.
    plain = soup(render(env, "letter.html", "letter", letter_params(links=[link]))).find("section")
    assert plain.select(".cs-letter__signoff, [data-cs-fill], [data-cs-limit]") == []


def test_letter_link_texts_for_a_recipient_to_write_to_in_dutch(env):
    link = EmailLink(
        "Amnesty International",
        "",
        "servicecenter@amnesty.nl",
        "mailto:servicecenter@amnesty.nl?subject=x",
        True,
        False,
    )
    params = letter_params(links=[link], language_name="Chinees")
    section = soup(render(env, "letter.html", "letter", params, lang="nl")).find("section")
    assert [a.get_text() for a in section.select("a.cs-mailto")] == ["Mail deze brief naar Amnesty International"]
    assert section.select(".cs-letter__note") == []
    assert section.select_one(".cs-copy")["data-copy-label"] == "Kopieer de brief in het Chinees"


def test_a_closed_letter_is_a_record_with_nothing_to_send(env):
    html = render(env, "letter.html", "letter", letter_params(links=[], copyable=False))
    section = soup(html).find("section")
    assert section.select(".cs-letter__actions") == [] and section.find("a") is None and "data-copy" not in html
    assert section.find(id="letter-zh-text") is not None


def test_a_petition_sheet_has_rows_to_sign_and_the_return_address(env):
    params = letter_params(
        signing=True,
        addressees=[],
        return_to=[["Amnesty International", "Postbus 1968", "1000 BZ Amsterdam"]],
        lang="en",
        id="letter-en",
        addressee_line="To: President of the People's Republic of China, Xi Jinping",
    )
    section = soup(render(env, "letter.html", "letter", params, lang="nl")).find("section")
    assert "cs-letter--signing" in section["class"]
    assert (
        section.select_one(".cs-letter__to").get_text() == "To: President of the People's Republic of China, Xi Jinping"
    )
    table = section.select_one("table.cs-sign.cs-print-only")
    # The e-mail column the privacy text speaks of (seed 003): optional.
    assert [th.get_text() for th in table.select("thead th")] == [
        "Naam",
        "Woonplaats",
        "E-mailadres (niet verplicht)",
        "Handtekening",
    ]
    assert len(table.select("tbody tr")) >= 5
    back = section.select_one(".cs-letter__return.cs-print-only")
    assert back.p.get_text() == "Stuur de ondertekende petitie naar:"
    assert list(back.select_one(".cs-letter__return-address").stripped_strings) == [
        "Amnesty International",
        "Postbus 1968",
        "1000 BZ Amsterdam",
    ]


def test_letter_escapes_what_editors_write(env):
    html = render(
        env, "letter.html", "letter", letter_params(subject="<script>x</script>", paragraphs=[["a & b <i>c</i>"]])
    )
    assert "<script>" not in html and "<i>" not in html
    assert "a &amp; b &lt;i&gt;c&lt;/i&gt;" in html
