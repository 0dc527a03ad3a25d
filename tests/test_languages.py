"""The languages table (plugins/campaign/languages.py) is the one place a language is
declared: everything that differs between languages follows from it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from campaign.languages import CJK, DEFAULT_CODE, LANGUAGES, LATIN, english_name, written
from campaign.scaffold import render
from campaign.typography import typeset, typeset_text
from conftest import ROOT

STYLESHEET = ROOT / "theme" / "static" / "css" / "site.css"
IMAGES = ROOT / "theme" / "static" / "images"


def test_the_default_language_is_declared_and_served_at_the_root():
    assert LANGUAGES[DEFAULT_CODE].prefix == ""
    assert all(language.prefix == f"{code}/" for code, language in LANGUAGES.items() if code != DEFAULT_CODE)


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_declares_a_script_and_a_share_card_that_exists(code):
    language = LANGUAGES[code]
    assert language.code == code
    assert language.script in (LATIN, CJK)
    assert language.share_image, f"{code}: no share_image (an existing card, e.g. share-en.png, until its own is made)"
    assert (IMAGES / language.share_image).is_file(), (
        f"{code}: theme/static/images/{language.share_image} does not exist"
    )


def test_the_stylesheet_keys_fonts_on_cjk_languages_only():
    """A CJK language has its own font stack; a Latin-script one needs no rule (issue 14)."""
    css = STYLESHEET.read_text(encoding="utf-8")
    named = {name.lower() for name in re.findall(r":lang\(([\w-]+)\)", css)}
    assert named == {code for code, language in LANGUAGES.items() if language.script == CJK}


def test_messages_name_languages_in_english():
    assert [english_name(code) for code in ("en", "nl", "zh")] == ["English", "Dutch", "Chinese"]


def test_typography_follows_the_table():
    text = "'s Avonds zei ze \"ja\" -- en 't bleef zo"
    for code, language in LANGUAGES.items():
        html = typeset(f"<p>{text}</p>", code)
        plain = typeset_text(text, code)
        if not language.smartypants:
            assert (html, plain) == (f"<p>{text}</p>", text)
            continue
        assert "\u201cja\u201d" in plain and "&#8220;ja&#8221;" in html
        elision = "\u2019s Avonds" if language.dutch_elisions else "\u2018s Avonds"
        assert plain.startswith(elision)


@pytest.mark.parametrize("code", written())
def test_make_new_ends_each_letter_with_its_language_s_closing(code):
    text = render("action", "free-them-now", code, dt.date(2025, 1, 10))
    assert LANGUAGES[code].closing.strip()
    assert f"    {LANGUAGES[code].closing}\n" in text
    comment = next(line for line in text.split("\n") if line.startswith("lang:")).partition("#")[2]
    listed = re.split(r", | or ", comment.partition("(")[2].partition(")")[0])
    assert listed == written(), "the comment on lang: lists the languages editors write"
