"""Targets as real urgent actions give them (the Burundi UA of the editor trial): an official
with no postal address, reached by e-mail, phone, social media and a contact form; and a
letter too long for an e-mail link, with no shorter one. A real build of a copy of the
fixture site, changed as an editor would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from campaign import check
from campaign.i18n import load_translations
from conftest import CONTENT, LANGS, ROOT, WRITTEN, page_path, run_pelican

POSTAL = """    address:
      - "No. 200, Qiyi Road"
      - "Guangzhou, Guangdong Sheng, 510030"
      - "People's Republic of China"
"""
# Invented contact details: this is a test fixture, not the campaign's content.
CONTACTS = """    email: director@example.org
    phone: "+86 20 8311 5000"
    social: ["Weibo: @example_bureau"]
    contact_form: https://example.org/contact?office=director&lang=en
"""


def squeeze(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> tuple[Path, Path, str]:
    """The content, with the first official's address replaced by contacts in every language
    and the Chinese letter's short_body deleted; and the site built from it."""
    base = tmp_path_factory.mktemp("real-targets")
    content = Path(shutil.copytree(CONTENT, base / "content"))
    for lang in WRITTEN:
        path = content / "pages" / f"urgent-action.{lang}.md"
        text = path.read_text(encoding="utf-8")
        assert POSTAL in text
        text = text.replace(POSTAL, CONTACTS, 1)
        if "short_body: |" in text:
            head, _, rest = text.partition("  short_body: |\n")
            text = head + rest[rest.index("\n---\n") + 1 :]
        path.write_text(text, encoding="utf-8")
    result = run_pelican(base / "output", content=content)
    assert result.returncode == 0, result.stderr
    return content, base / "output", result.stderr


def official(site: Path, lang: str, number: int) -> BeautifulSoup:
    soup = BeautifulSoup(page_path(site, "urgent-action", lang).read_text(encoding="utf-8"), "html.parser")
    return soup.find(id=f"to-{number}")


@pytest.mark.parametrize("lang", LANGS)
def test_an_official_with_no_postal_address_and_phone_and_social_contacts(changed, lang):
    _, site, _ = changed
    _ = load_translations(ROOT / "translations")[lang].gettext
    first = official(site, lang, 1)
    contacts = first.select_one("ul.cs-contacts")
    assert [squeeze(li.get_text()) for li in contacts.find_all("li")] == [
        squeeze(_("Phone: %(number)s") % {"number": "+86 20 8311 5000"}),
        squeeze(_("Social media: %(account)s") % {"account": "Weibo: @example_bureau"}),
        squeeze(_("Contact form: %(address)s") % {"address": "https://example.org/contact?office=director&lang=en"}),
    ]
    assert contacts.find("a", href="tel:+862083115000").get_text() == "+86 20 8311 5000"
    assert contacts.find("a", href="https://example.org/contact?office=director&lang=en")
    # The envelope has no address lines it was not given; the second official's is whole.
    envelope = squeeze(first.select_one(".cs-letter__addressee").get_text(" "))
    assert "Qiyi Road" not in envelope and "Guangzhou Public Security Bureau" in envelope
    assert "Huangpu Dadao Xi" in official(site, lang, 2).select_one(".cs-letter__addressee").get_text()
    assert official(site, lang, 2).select_one(".cs-contacts") is None
    # Readers can e-mail the director now, and the page says how else to reach them.
    assert first.find("a", href=lambda href: href and href.startswith("mailto:director@example.org"))
    panel = BeautifulSoup(page_path(site, "urgent-action", lang).read_text(encoding="utf-8"), "html.parser")
    ways = [_(name) for name in ("e-mail", "phone", "social media", "web form")]
    sentence = next(p for p in panel.select(".cs-panel__intro p") if all(way in p.get_text() for way in ways))
    assert _("fax") not in sentence.get_text() and "%(" not in sentence.get_text()


@pytest.mark.parametrize("lang", LANGS)
def test_the_fixture_site_names_no_way_it_has_no_details_for(built_site, lang):
    soup = BeautifulSoup(page_path(built_site, "urgent-action", lang).read_text(encoding="utf-8"), "html.parser")
    assert soup.select(".cs-contacts") == []
    _ = load_translations(ROOT / "translations")[lang].gettext
    assert _("phone") not in squeeze(soup.select_one(".cs-panel__intro").get_text())
    text = soup.find("main").get_text()
    assert "tweet" not in text and "推特" not in text


def test_a_letter_too_long_for_an_e_mail_link_goes_as_no_letter_and_both_checks_warn(changed, capsys):
    content, site, stderr = changed
    zh_file = "urgent-action.zh.md"
    assert "Warnings" in stderr and zh_file in stderr and "the Chinese letter is too long" in stderr
    warning = next(line for line in stderr.splitlines() if zh_file in line)
    assert ": letter.body: " in warning and "add letter.short_body" in warning
    # The Chinese letter's e-mail links carry no part of the letter, and the page says to copy it.
    for lang in LANGS:
        soup = BeautifulSoup(page_path(site, "urgent-action", lang).read_text(encoding="utf-8"), "html.parser")
        letter = soup.find(id="letter-1-zh")
        links = [a["href"] for a in letter.select(".cs-letter__links a")]
        assert links and all("body=" not in href for href in links)
        note = squeeze(letter.select_one(".cs-letter__note").get_text())
        _ = load_translations(ROOT / "translations")[lang].gettext
        assert note == squeeze(
            _(
                "This letter is too long for an e-mail link, so the e-mail opens with only the subject. "
                "Copy the letter and paste it into your e-mail."
            )
        )
    assert check.main([str(content)]) == 0
    printed = capsys.readouterr().out
    assert "Warnings" in printed and f"{zh_file}:" in printed and "the Chinese letter is too long" in printed
