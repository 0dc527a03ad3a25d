"""E-mail links (plugins/campaign/mailto.py): RFC 6068 encoding, round trips, the length limit."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

import pytest

from campaign.mailto import (
    MAX_LENGTH,
    SIGN_OFF_ROOM,
    encode_address,
    encode_value,
    form_encode,
    letter_length,
    letter_link,
    letter_text,
    mailto_url,
    paragraphs,
    percent_encode,
)

CHINESE_BODY = (
    "我谨致信，表达我对 #MeToo 活动人士黄雪琴和劳工活动人士王建兵的关切。2024年6月14日，两人以“煽动颠覆国家政权”罪被判刑。\n\n"
    "我也十分担心他们的健康状况。王建兵患有严重的心脏和肠胃疾病，却一直未能得到及时、适当的治疗。\n\n"
) * 3 + "此致\n\n敬礼！"


def decode(url: str) -> tuple[list[str], dict[str, str]]:
    """An independent reading of a mailto URL: split first, then percent-decode each part."""
    assert url.startswith("mailto:")
    parts = urlsplit(url)
    assert parts.fragment == "", f"a '#' ended the link early: {url}"
    to = [unquote(address) for address in parts.path.split(",") if address]
    fields = {}
    for pair in parts.query.split("&") if parts.query else []:
        name, separator, value = pair.partition("=")
        assert separator, f"{pair!r} has no '='"
        assert name not in fields, f"{name} appears twice: a reserved character split a value"
        fields[name] = unquote(value, encoding="utf-8", errors="strict")
    return to, fields


@pytest.mark.parametrize(
    "text",
    [
        "Tom & Jerry # 1? 2 + 2 = 4, 100% sure",
        "a=b&body=evil&subject=also evil",
        "%20 is not a space, %0D%0A is not a line break, %E9 is not é",
        "黄雪琴和王建兵：立即无条件释放！",
        "Line one\nLine two\r\nLine three\rLine four",
        "Émigré naïve ‘quotes’ “double” — dash… 😀",
        "trailing spaces   ",
    ],
)
def test_subject_and_body_survive_a_round_trip(text):
    url = mailto_url(["someone@example.org"], subject=text, body=text)
    to, fields = decode(url)
    expected = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    assert to == ["someone@example.org"]
    assert fields == {"subject": expected, "body": expected}


def test_reserved_characters_are_percent_encoded():
    value = encode_value("& # ? + % = / ; : @ ,")
    assert value == "%26%20%23%20%3F%20%2B%20%25%20%3D%20%2F%20%3B%20%3A%20%40%20%2C"


def test_spaces_are_percent_20_never_plus():
    url = mailto_url(["a@example.org"], subject="two words", body="three small words")
    assert "+" not in url
    assert "subject=two%20words" in url and "body=three%20small%20words" in url


def test_line_breaks_are_crlf_whatever_the_editor_typed():
    assert encode_value("a\nb") == "a%0D%0Ab"
    assert encode_value("a\r\nb") == "a%0D%0Ab"
    assert encode_value("a\rb") == "a%0D%0Ab"
    assert encode_value("a\n\nb") == "a%0D%0A%0D%0Ab"


def test_chinese_is_utf8_percent_encoded():
    assert encode_value("黄") == "%E9%BB%84"
    assert encode_value("：") == "%EF%BC%9A"


def test_recipients_are_in_the_path_separated_by_commas():
    url = mailto_url(["a@example.org", "b.c+d@example.org"], subject="Hi")
    assert url == "mailto:a@example.org,b.c+d@example.org?subject=Hi"


def test_characters_rfc_6068_reserves_are_encoded_in_addresses():
    # RFC 6068 section 2: "%", "/", "?", "#", "[", "]", "&", ";" and "=" must be encoded.
    assert encode_address("odd%name?&=#@example.org") == "odd%25name%3F%26%3D%23@example.org"
    to, fields = decode(mailto_url(["odd%name?&=#@example.org"], subject="x"))
    assert to == ["odd%name?&=#@example.org"] and fields == {"subject": "x"}


def test_cc_comes_before_subject_and_body():
    url = mailto_url(["a@example.org"], subject="S", body="B", cc=["c@example.org"])
    assert url == "mailto:a@example.org?cc=c@example.org&subject=S&body=B"


def test_paragraphs_keep_lines_and_drop_blank_runs():
    assert paragraphs("One\ntwo\n\n\n\nThree\n") == [["One", "two"], ["Three"]]
    assert paragraphs("") == [] and paragraphs(None) == []


def test_letter_text_puts_the_salutation_first_and_blank_lines_between_paragraphs():
    text = letter_text("Dear Ambassador Xie Fang,", "First.\n\nSecond\nline.\n\nYours sincerely,\n")
    assert text == "Dear Ambassador Xie Fang,\r\n\r\nFirst.\r\n\r\nSecond\r\nline.\r\n\r\nYours sincerely,"


def test_a_letter_that_fits_goes_whole():
    link = letter_link(["a@example.org"], "Release them", "Dear Sir,", "Please release them.\n\nYours sincerely,")
    assert link.complete
    to, fields = decode(link.url)
    assert fields["body"] == "Dear Sir,\r\n\r\nPlease release them.\r\n\r\nYours sincerely,"


def test_a_chinese_letter_too_long_for_a_link_carries_the_short_body():
    full = mailto_url(["a@example.org"], "请立即无条件释放黄雪琴和王建兵", letter_text("尊敬的大使：", CHINESE_BODY))
    assert len(full) > MAX_LENGTH  # nine characters per Han character
    link = letter_link(
        ["a@example.org"],
        "请立即无条件释放黄雪琴和王建兵",
        "尊敬的大使：",
        CHINESE_BODY,
        ["我敦促您立即无条件释放他们。\n\n此致\n\n敬礼！"],
    )
    assert not link.complete and len(link.url) <= MAX_LENGTH
    assert decode(link.url)[1]["body"] == "尊敬的大使：\r\n\r\n我敦促您立即无条件释放他们。\r\n\r\n此致\r\n\r\n敬礼！"


def test_without_a_short_body_the_link_carries_no_letter_rather_than_part_of_one():
    link = letter_link(["a@example.org"], "主题", "尊敬的大使：", CHINESE_BODY, [None])
    assert not link.complete and not link.carries_letter
    assert link.url == "mailto:a@example.org?subject=" + quote("主题", safe="")
    short = letter_link(["a@example.org"], "主题", "尊敬的大使：", CHINESE_BODY, ["请释放他们。\n\n此致\n\n敬礼！"])
    assert short.carries_letter and not short.complete
    assert letter_length(["a@example.org"], "主题", "尊敬的大使：", CHINESE_BODY) > MAX_LENGTH


def test_a_short_body_that_is_itself_too_long_gives_way_to_the_next():
    link = letter_link(["a@example.org"], "S", None, CHINESE_BODY, [CHINESE_BODY, "Short."])
    assert decode(link.url)[1]["body"] == "Short."


def test_when_nothing_fits_the_link_keeps_the_subject_or_just_the_address():
    link = letter_link(["a@example.org"], "S", None, CHINESE_BODY, [CHINESE_BODY])
    assert link.url == "mailto:a@example.org?subject=S" and not link.complete
    link = letter_link(["a@example.org"], "黄" * 300, None, CHINESE_BODY)
    assert link.url == "mailto:a@example.org"


@pytest.mark.parametrize("size", [10, 100, 150, 190, 199, 200, 201, 250, 1000])
def test_no_link_is_ever_longer_than_the_limit(size):
    body = "黄" * size
    link = letter_link(["a@example.org"], "Subject", "Dear Sir,", body, ["短" * (size // 2)])
    assert len(link.url) <= MAX_LENGTH
    assert link.complete == (
        len(mailto_url(["a@example.org"], "Subject", letter_text("Dear Sir,", body))) <= MAX_LENGTH
    )


def test_encoded_values_contain_only_unreserved_characters_and_escapes():
    value = encode_value("Any text: ‘quotes’, & # ? + % = 黄\n")
    assert re.fullmatch(r"(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*", value)


def test_a_preface_line_comes_before_the_salutation():
    text = letter_text("Dear Director Zhang Rui,", "Release them.", preface="Copy of my letter to Zhang Rui, Director:")
    assert text == "Copy of my letter to Zhang Rui, Director:\r\n\r\nDear Director Zhang Rui,\r\n\r\nRelease them."


def test_a_link_with_little_room_left_offers_a_shorter_letter_with_room_for_the_readers_name():
    to, subject, short = ["a@example.org"], "S", "Release them.\n\nYours sincerely,"
    roomy_body = "x" * (MAX_LENGTH - SIGN_OFF_ROOM - 200)
    link = letter_link(to, subject, "Dear Sir,", roomy_body, [short])
    assert link.complete and link.roomy_url == ""  # room enough already
    tight_body = "x" * (MAX_LENGTH - 100)
    link = letter_link(to, subject, "Dear Sir,", tight_body, [short])
    assert link.complete and len(link.url) > MAX_LENGTH - SIGN_OFF_ROOM
    assert len(link.roomy_url) <= MAX_LENGTH - SIGN_OFF_ROOM
    assert decode(link.roomy_url)[1]["body"].endswith("Release them.\r\n\r\nYours sincerely,")
    # The body ends every link, so that the reader's name can follow the closing.
    assert link.url.rsplit("&", 1)[1].startswith("body=") and link.roomy_url.rsplit("&", 1)[1].startswith("body=")


def test_percent_encoding_is_what_the_standard_library_and_jinja_write():
    """mailto.percent_encode and form_encode encode runs at once; what they write must be
    byte for byte what urllib.parse.quote and Jinja's urlencode filter write."""
    import random

    from jinja2 import Environment

    alphabet = "aZ09-._~ !\"#$%&'()*+,/:;<=>?@[\\]^`{|}\r\n\t\x00\x7féü€黄雪琴「」“”\u00a0\u3000😀"
    rng = random.Random(22)
    texts = [CHINESE_BODY, "", "plain", "a b", "黄雪琴 https://example.org/zh/?a=1&b=2#x"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40))) for _ in range(500)]
    urlencode = Environment().filters["urlencode"]
    for text in texts:
        for safe in ("", "/", "@!$'*+-._~", "]^\\"):
            assert percent_encode(text, safe) == quote(text, safe=safe), (text, safe)
        assert form_encode({"text": text, text or "x": "url"}) == urlencode({"text": text, text or "x": "url"})
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate cannot be UTF-8, as in quote()
        percent_encode("\ud800")
