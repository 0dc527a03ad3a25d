"""The actions as built: real Pelican builds of the real content with the clock before, on
and after a deadline (conftest's build / run_pelican with clock=...)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import icalendar
import pytest
from bs4 import BeautifulSoup

from campaign.i18n import load_translations
from campaign.languages import LANGUAGES
from campaign.mailto import MAX_LENGTH, SIGN_OFF_ROOM
from campaign.typography import typeset_text
from conftest import (
    CONTENT,
    DEFAULT_CLOCK,
    HTML_LANG,
    LANGS,
    REAL_CONTENT,
    ROOT,
    WRITTEN,
    build,
    page_path,
    page_source,
    require_node_module,
    run_pelican,
    site_path,
    worded,
)

UA_DEADLINE = dt.date(2025, 3, 18)
PETITION_DAY = dt.date(2024, 2, 1)  # the petition open
EMBASSY = "chinaembpress_us@mfa.gov.cn"
SERVICE_CENTRE = "servicecenter@amnesty.nl"


def front_matter(slug: str, lang: str) -> dict:
    source = page_source(slug, lang)  # Traditional Chinese: the Simplified file, converted
    assert source.problems == []
    return source.parsed.data


def letter_of(slug: str, lang: str) -> dict:
    """The document's letter in one language, with the site's typography (curly quotes)."""
    letter = front_matter(slug, lang)["letter"]
    return {name: typeset_text(value, lang) for name, value in letter.items()}


def page(site: Path, slug: str, lang: str) -> BeautifulSoup:
    return BeautifulSoup(page_path(site, slug, lang).read_text(encoding="utf-8"), "html.parser")


def squeeze(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def ics_path(site: Path, slug: str, lang: str) -> Path:
    return page_path(site, slug, lang).parent / "deadline.ics"


def mailto_parts(href: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(href)
    fields = dict(pair.split("=", 1) for pair in parts.query.split("&"))
    return unquote(parts.path), {name: unquote(value) for name, value in fields.items()}


def main_mailtos(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.find("main").find_all("a", href=True) if a["href"].startswith("mailto:")]


def scripts(soup: BeautifulSoup) -> list:
    return soup.find_all("script", src=True)


# --- The default clock (2025-01-15): the urgent action is open, the petition closed ----------


def sentences(when) -> list[str]:
    """A deadline notice's two sentences: the first is <strong>, a <br> comes before the second."""
    strong = squeeze(when.strong.get_text())
    return [strong, squeeze(when.get_text().replace(when.strong.get_text(), "", 1))]


OPEN_NOTICE = {
    # The last day lasts until it has ended everywhere on Earth (deadlines.py).
    "en": ["Open until 18 March 2025, the last day to act, wherever you are in the world.", ""],
    "nl": ["Loopt tot en met 18 maart 2025, de laatste dag om in actie te komen, waar ter wereld je ook bent.", ""],
    "zh": ["行动开放至2025年3月18日（含当日，无论你身在世界何处）。", ""],
    "zh-hant": ["行動開放至2025年3月18日（含當日，無論你身在世界何處）。", ""],
}


@pytest.mark.parametrize("lang", worded(OPEN_NOTICE))
def test_an_open_action_says_its_last_day_and_counts_no_days_before_the_last_week(built_site, lang):
    assert dt.date(2025, 1, 15) == DEFAULT_CLOCK
    notice = page(built_site, "urgent-action", lang).select_one("main .cs-deadline")
    assert "cs-deadline--open" in notice["class"]
    when = notice.select_one(".cs-deadline__when")
    assert sentences(when) == OPEN_NOTICE[lang]
    assert when.find("br") is None
    assert notice.find("time")["datetime"] == "2025-03-18"


@pytest.mark.parametrize("lang", LANGS)
def test_an_open_action_offers_its_deadline_as_a_calendar_file(built_site, lang):
    soup = page(built_site, "urgent-action", lang)
    link = soup.select_one(".cs-deadline a[href$='deadline.ics']")
    assert link["href"] == f"{site_path('urgent-action', lang)}deadline.ics"
    data = ics_path(built_site, "urgent-action", lang).read_bytes()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    vevent = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert vevent.decoded("DTSTART") == UA_DEADLINE
    assert vevent.decoded("DTEND") == UA_DEADLINE + dt.timedelta(days=1)
    # the start of the build's day (the build runs at 12:00): never the time of day (R13)
    assert vevent.decoded("DTSTAMP") == dt.datetime(2025, 1, 15, 0, tzinfo=dt.UTC)
    assert str(vevent["UID"]).startswith("urgent-action-deadline-20250318@")
    # A calendar shows the title alone: it says what the day is.
    title = squeeze(soup.find("h1").get_text())
    assert str(vevent["SUMMARY"]) == CATALOGS[lang].gettext("Last day to act: %(title)s") % {"title": title}


def write_to(targets: list[dict]) -> list[dict]:
    """Those written to, the first to write to first (targets.ordered), without the copies."""
    chosen = [t for t in targets if t.get("role", "target") != "cc"]
    return sorted(chosen, key=lambda t: (t.get("priority") is None, t.get("priority") or 0))


CATALOGS = load_translations(ROOT / "translations")


def copy_line(lang: str, official: dict) -> str:
    """The first line of the e-mail to the copy address, as the catalogs word it."""
    message = "Copy of my letter to %(official)s:"  # as a sentence in the letter's language names them
    return CATALOGS[lang].gettext(message) % {"official": official["known_as"]}


FIRST_NOTE = {
    "en": "Priority 1: write to this official first.",
    "nl": "Prioriteit 1: schrijf eerst naar deze functionaris.",
    "zh": "优先致信这位官员。",
    "zh-hant": "優先致信這位官員。",
}


@pytest.mark.parametrize("lang", worded(FIRST_NOTE))
def test_the_panel_comes_before_the_story_with_the_officials_as_choices_the_first_first(built_site, lang):
    soup = page(built_site, "urgent-action", lang)
    main = str(soup.find("main"))
    assert main.index('class="cs-deadline') < main.index('id="letters"') < main.index('id="case"')
    panel = soup.select_one("#letters.cs-panel")
    targets = write_to(front_matter("urgent-action", lang)["targets"])
    choices = panel.select(".cs-choices a")
    # Named as a sentence in the page's language names them (known_as): no English title in Dutch or Chinese.
    assert [squeeze(a.get_text()) for a in choices] == [t["known_as"] for t in targets]
    assert [t["name"] for t in targets] == ["Zhang Rui", "Zhang Jian"]
    assert [a["href"] for a in choices] == ["#to-1", "#to-2"]
    note = squeeze(panel.select_one(".cs-choices__note").get_text())
    assert note.startswith(FIRST_NOTE[lang]) and targets[0]["reason"] in note  # and why
    assert len(panel.select(".cs-choices__note")) == 1
    copy = panel.select_one(".cs-panel__copy")
    assert EMBASSY in copy.get_text() and "3505 International Place, NW" in copy.get_text()


PREFERRED = {
    "en": "Write in English or Chinese, or in your own language.",
    "nl": "Schrijf in het Engels of Chinees, of in je eigen taal.",
    "zh": "请用英文或中文写信，也可以用你自己的语言。",
    "zh-hant": "請用英文或簡體中文寫信，也可以用你自己的語言。",
}
# On a Traditional page the letter sent is the Simplified (the officials' script), the
# Traditional folded below it for reading (languages.py: letters_in).
LETTER_ORDER = {"en": ["en", "zh"], "nl": ["nl", "en", "zh"], "zh": ["zh", "en"], "zh-hant": ["zh", "zh-hant", "en"]}
FOR_READING = {"zh-hant"}  # letters shown for reading only, not to send


@pytest.mark.parametrize("lang", worded(PREFERRED))
def test_one_letter_per_official_in_the_pages_language_and_the_preferred_ones(built_site, lang):
    panel = page(built_site, "urgent-action", lang).select_one("section#letters")
    assert PREFERRED[lang] in [p.get_text() for p in panel.select(".cs-panel__intro p")]
    officials = panel.select("section.cs-official")
    assert [o["id"] for o in officials] == ["to-1", "to-2"]
    for number, official in enumerate(officials, start=1):
        letters = official.select(".cs-letter")
        assert [letter["id"] for letter in letters] == [f"letter-{number}-{code}" for code in LETTER_ORDER[lang]]
        assert [letter.name for letter in letters] == ["section"] + ["details"] * (
            len(letters) - 1
        )  # other languages folded
        for section in letters:
            code = section["id"].split("-", 2)[2]
            letter = letter_of("urgent-action", code)
            target = write_to(front_matter("urgent-action", code)["targets"])[number - 1]
            text = section.select_one(".cs-letter__text")
            assert text["lang"] == {"en": "en", "nl": "nl", "zh": "zh-Hans", "zh-hant": "zh-Hant"}[code]
            paragraphs = [squeeze(p.get_text()) for p in text.find_all("p")]
            expected = [typeset_text(target["salutation"], code)] + [
                squeeze(p) for p in letter["body"].split("\n\n") if p.strip()
            ]
            assert paragraphs == expected
            addressee = list(section.select_one(".cs-letter__addressee").stripped_strings)
            assert addressee == [target["name"], target["title"], target["organization"], *target["address"]]
            assert squeeze(section.select_one(".cs-letter__subject span").get_text()) == letter["subject"]
            if code in FOR_READING:  # nothing to send, copy or date
                assert section.select(".cs-letter__actions, .cs-letter__date, .cs-letter__signoff, a.cs-mailto") == []
                assert section.select_one(".cs-letter__heading").get_text() == "繁體中文版本（僅供閱讀）"
                continue
            assert (
                section.select_one(".cs-letter__date").get_text()
                == {"en": "15 January 2025", "nl": "15 januari 2025", "zh": "2025年1月15日"}[code]
            )
    if lang == "zh-hant":
        assert (
            "收信官員使用簡體中文，因此寄出的信件均為簡體中文；每封信下方的繁體中文版本僅供閱讀。"
            "如果你自己寫信，也可以用繁體中文。" in [p.get_text() for p in panel.select(".cs-panel__intro p")]
        )
        assert (
            "尊敬的 Zhang Rui 局长" in panel.select_one("#letter-1-zh-text").get_text()
        )  # sent as written, Simplified
    if lang == "en":
        assert "for “inciting subversion of state power”" in squeeze(panel.select_one("#letter-1-en-text").get_text())


@pytest.mark.parametrize("lang", worded(LETTER_ORDER))
def test_each_letter_is_emailed_to_the_embassy_as_a_copy_of_the_letter_to_its_official(built_site, lang):
    html = page_path(built_site, "urgent-action", lang).read_text(encoding="utf-8")
    assert "&amp;body=" in html and "&body=" not in html
    soup = BeautifulSoup(html, "html.parser")
    letters = soup.select("#letters .cs-letter")
    assert len(letters) == 2 * len(LETTER_ORDER[lang])
    for section in [s for s in letters if s["id"].split("-", 2)[2] not in FOR_READING]:
        number, code = section["id"].removeprefix("letter-").split("-", 1)
        data = dict(front_matter("urgent-action", code), letter=letter_of("urgent-action", code))
        official = write_to(data["targets"])[int(number) - 1]
        (link,) = section.select("a.cs-mailto")
        href = link["href"]
        assert len(href) <= MAX_LENGTH and int(link["data-cs-limit"]) == MAX_LENGTH
        if link.has_attr("data-cs-roomy"):
            assert len(link["data-cs-roomy"]) <= MAX_LENGTH - SIGN_OFF_ROOM
        to, fields = mailto_parts(href)
        assert to == EMBASSY and list(fields) == ["subject", "body"]
        assert fields["subject"] == data["letter"]["subject"]
        paragraphs = fields["body"].split("\r\n\r\n")
        # Marked as a copy of the letter to the official, in the letter's language; never "Dear Ambassador".
        assert paragraphs[0] == copy_line(code, official)
        assert paragraphs[1] == typeset_text(official["salutation"], code)
        assert not any("Ambassador" in p or "大使" in p or "ambassadeur" in p.lower() for p in paragraphs[:2])
        full = [p.strip() for p in data["letter"]["body"].split("\n\n") if p.strip()]
        short = [p.strip() for p in data["letter"]["short_body"].split("\n\n") if p.strip()]
        if code == "zh":  # nine characters per Han character: too long whole
            assert paragraphs[2:] == short
            assert section.select_one(".cs-letter__note") is not None
        else:
            assert paragraphs[2:] == full
            assert section.select_one(".cs-letter__note") is None


@pytest.mark.parametrize("lang", worded(LETTER_ORDER))
def test_copy_buttons_come_from_the_sites_script_loaded_only_while_an_action_is_open(built_site, lang):
    action = page(built_site, "urgent-action", lang)
    (script,) = scripts(action)
    assert script["src"] == "/theme/js/campaign.js" and script.has_attr("defer")
    assert action.find("button") is None  # the script makes the buttons
    holders = action.select(".cs-copy[data-copy-target]")
    assert [h["data-copy-target"] for h in holders] == [
        f"letter-{n}-{code}-text" for n in (1, 2) for code in LETTER_ORDER[lang] if code not in FOR_READING
    ]
    assert all(h["data-copy-label"] for h in holders)
    panel = action.select_one("#letters")
    assert panel["data-copy-copied"] and panel["data-copy-failed"] and panel["data-print-label"]
    for slug in ("home", "press-release", "petition"):  # the reader's-clock check, while the urgent action is open
        assert [s["src"] for s in scripts(page(built_site, slug, lang))] == ["/theme/js/campaign.js"]
    assert (built_site / "theme" / "js" / "campaign.js").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_the_sign_off_fields_are_in_no_form_and_hold_only_while_open(built_site, lang):
    action = page(built_site, "urgent-action", lang)
    assert action.find("form") is None
    fieldset = action.select_one("#letters details.cs-signoff")
    assert fieldset.parent["data-cs-when"] == "open"  # shown only where scripts run: tests/test_action_first.py
    inputs = fieldset.find_all("input")
    assert [(i["data-cs-field"], i["autocomplete"]) for i in inputs] == [("name", "name"), ("city", "address-level2")]
    assert all(fieldset.find("label", attrs={"for": i["id"]}) for i in inputs)
    # Without the script, every letter to send ends with a line to sign by hand.
    to_send = [s for s in action.select("#letters .cs-letter") if s["id"].split("-", 2)[2] not in FOR_READING]
    assert len(action.select("#letters .cs-letter__sign-here")) == len(to_send)


@pytest.mark.parametrize("lang", LANGS)
def test_headings_go_in_order(built_site, lang):
    for slug in ("urgent-action", "petition", "home"):
        levels = [int(h.name[1]) for h in page(built_site, slug, lang).find("main").find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (slug, levels)


CLOSED_PETITION = {
    "en": "This petition has ended. The last day to sign it was 18 February 2024.",
    "nl": "Deze petitie is afgelopen. De laatste dag om te tekenen was 18 februari 2024.",
    "zh": "本次请愿已结束，最后签名日为2024年2月18日。",
    "zh-hant": "本次請願已結束，最後簽名日為2024年2月18日。",
}


@pytest.mark.parametrize("lang", worded(CLOSED_PETITION))
def test_a_closed_petition_keeps_its_letter_as_a_record_and_offers_nothing_to_send(built_site, lang):
    soup = page(built_site, "petition", lang)
    notice = soup.select_one("main .cs-deadline")
    assert (
        "cs-deadline--ended" in notice["class"]
        and squeeze(notice.select_one(".cs-deadline__when").get_text()) == CLOSED_PETITION[lang]
    )
    assert notice.find("a") is None and not notice.has_attr("hidden")
    assert not ics_path(built_site, "petition", lang).exists()
    assert main_mailtos(soup) == [] and soup.select(".cs-copy, .cs-letter__actions, .cs-letter--signing") == []
    letter = letter_of("petition", lang)
    assert squeeze(letter["body"].split("\n\n")[0]) in squeeze(soup.select_one(f"#letter-{lang}-text").get_text())


@pytest.mark.parametrize("lang", worded(OPEN_NOTICE))
def test_the_home_page_lists_open_actions_to_take_and_past_ones_as_a_record(built_site, lang):
    home = page(built_site, "home", lang)
    prefix = site_path("home", lang).rstrip("/")  # /nl, or nothing for the default language
    (ua,) = home.select("#take-action .cs-actions__item")
    assert ua.find("h3").a["href"] == f"{prefix}/urgent-action/"
    assert sentences(ua.select_one(".cs-deadline__when")) == OPEN_NOTICE[lang]
    assert ua.select_one(".cs-deadline__primary a")["href"] == f"{prefix}/urgent-action/#letters"
    assert [a["href"] for a in ua.select(".cs-deadline__links a")] == [f"{prefix}/urgent-action/deadline.ics"]
    past = [item for item in home.select(".cs-actions--past .cs-actions__item") if not item.has_attr("hidden")]
    assert [item.find("h3").a["href"] for item in past] == [f"{prefix}/petition/"]
    assert squeeze(past[0].select_one(".cs-deadline__when").get_text()) == CLOSED_PETITION[lang]


def test_a_bad_source_date_epoch_stops_the_build_with_one_line(tmp_path):
    result = run_pelican(tmp_path / "output", clock=None, SOURCE_DATE_EPOCH="next Tuesday")
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert "SOURCE_DATE_EPOCH: 'next Tuesday' is not a time in seconds since 1970-01-01 — " in result.stderr


# --- The deadline day (open), then the day after (closed), built into one output folder -------


@pytest.fixture(scope="module")
def output_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("deadline") / "output"


@pytest.fixture(scope="module")
def last_day(output_folder) -> dict:
    """What the build on the deadline day wrote (read before the next build replaces it)."""
    build(output_folder, clock=UA_DEADLINE)
    return {
        lang: {
            "html": page_path(output_folder, "urgent-action", lang).read_text(encoding="utf-8"),
            "home": page_path(output_folder, "home", lang).read_text(encoding="utf-8"),
            "ics": ics_path(output_folder, "urgent-action", lang).is_file(),
        }
        for lang in LANGS
    }


@pytest.fixture(scope="module")
def day_after(last_day, output_folder) -> Path:
    return build(output_folder, clock=UA_DEADLINE + dt.timedelta(days=1))


LAST_DAY = {
    "en": "Today, 18 March 2025, is the last day.",
    "nl": "Vandaag, 18 maart 2025, is de laatste dag.",
    "zh": "今天（2025年3月18日）是最后一天。",
    "zh-hant": "今天（2025年3月18日）是最後一天。",
}


@pytest.mark.parametrize("lang", worded(LAST_DAY))
def test_the_deadline_day_itself_is_open(last_day, lang):
    built = last_day[lang]
    soup = BeautifulSoup(built["html"], "html.parser")
    assert sentences(soup.select_one("main .cs-deadline--open .cs-deadline__when"))[1] == LAST_DAY[lang]
    assert built["ics"] and main_mailtos(soup) and scripts(soup)
    home = BeautifulSoup(built["home"], "html.parser")
    assert sentences(home.select_one("#take-action .cs-actions__item .cs-deadline__when"))[1] == LAST_DAY[lang]


CLOSED_ACTION = {
    "en": "This action has ended. The last day to act was 18 March 2025.",
    "nl": "Deze actie is afgelopen. De laatste dag om in actie te komen was 18 maart 2025.",
    "zh": "本次行动已结束，最后行动日为2025年3月18日。",
    "zh-hant": "本次行動已結束，最後行動日為2025年3月18日。",
}


@pytest.mark.parametrize("lang", worded(CLOSED_ACTION))
def test_the_day_after_the_deadline_the_action_is_closed(day_after, lang):
    soup = page(day_after, "urgent-action", lang)
    notice = soup.select_one("main .cs-deadline")
    assert (
        "cs-deadline--ended" in notice["class"]
        and squeeze(notice.select_one(".cs-deadline__when").get_text()) == CLOSED_ACTION[lang]
    )
    assert not ics_path(day_after, "urgent-action", lang).exists(), "the earlier build's .ics was left behind"
    assert main_mailtos(soup) == [] and scripts(soup) == [] and soup.select(".cs-copy, .cs-letter__actions") == []
    assert soup.select(".cs-targets address a") == []  # the e-mail address stays, as text
    assert EMBASSY in soup.select_one(".cs-targets").get_text()
    assert [s["id"] for s in soup.select(".cs-letter")] == [
        f"letter-{n}-{code}" for n in (1, 2) for code in LETTER_ORDER[lang]
    ]
    main = str(soup.find("main"))
    assert main.index('id="case"') < main.index(
        'id="letters"'
    )  # once ended, the story leads; the letters are the record
    assert soup.select(".cs-signoff, .cs-choices, .cs-letter__signoff, [data-cs-fill]") == []
    home = page(day_after, "home", lang)
    assert [squeeze(n.get_text()) for n in home.select(".cs-actions--past .cs-deadline__when")][0] == CLOSED_ACTION[
        lang
    ]
    assert home.select(".cs-actions a[href$='.ics'], .cs-actions a[href$='#letters']") == []


# --- Letters in their own language ---------------------------------------------------------------

ENGLISH_TITLES = ("Director", "Chief Procurator", "Ambassador", "Embassy", "Public Security Bureau", "Procuratorate")


def letter_language(section_id: str) -> str:
    """The language code a letter's id ends with (letter-<official>-<code>; a code may hold a
    hyphen itself, as zh-hant does)."""
    return max((code for code in LANGS if section_id.endswith("-" + code)), key=len)


@pytest.mark.parametrize("lang", LANGS)
def test_every_word_printed_on_a_letter_is_in_the_letters_language(real_site, lang):
    soup = page(real_site, "urgent-action", lang)
    letters = soup.select("#letters .cs-letter")
    assert {letter_language(section["id"]) for section in letters} == {lang, "en", "zh"}
    for section in letters:
        code = letter_language(section["id"])
        html_lang = HTML_LANG[code]
        catalog = CATALOGS[code]
        subject = section.select_one(".cs-letter__subject")
        label = catalog.gettext("Subject: %(subject)s").split("%(subject)s")[0]
        assert subject["lang"] == html_lang and squeeze(subject.get_text()).startswith(label.strip()), (lang, code)
        sign_here = section.select_one(".cs-letter__sign-here")
        # A letter shown only for reading (its language's letters_in sends another) has no
        # signature, date or sign-off.
        reading = code == lang and bool(LANGUAGES[code].letters_in)
        assert (sign_here is None) == reading, (lang, code)
        assert reading or sign_here["lang"] == html_lang and sign_here.get_text() == catalog.gettext("Your signature")
        for part in (".cs-letter__text",) if reading else (".cs-letter__date", ".cs-letter__text", ".cs-letter__from"):
            assert section.select_one(part)["lang"] == html_lang, (lang, code, part)
        # The envelope is as it goes to China: in English, whatever the letter's language.
        for envelope in section.select(".cs-letter__addressee"):
            assert envelope["lang"] == "en" and "People’s Republic of China" in envelope.get_text()
        assert reading or section.select_one(".cs-letter__date time")["data-cs-today"].startswith(code)


@pytest.mark.parametrize("lang", [code for code in LANGS if code != "en"])
def test_no_dutch_or_chinese_sentence_switches_to_an_english_title(real_site, lang):
    soup = page(real_site, "urgent-action", lang)
    main = soup.find("main")
    for english in main.select("[lang='en']"):  # English letters and envelopes say it in English, rightly
        english.decompose()
    for letter_text in main.select(".cs-letter__text, .cs-letter__subject"):
        letter_text.decompose()
    interface = squeeze(main.get_text(" "))
    for title in ENGLISH_TITLES:
        assert title not in interface, (lang, title)
    # The e-mail that sends the embassy a copy says whose letter it is in the letter's own words.
    copies = [a for a in soup.select("#letters .cs-letter a.cs-mailto") if EMBASSY in a["href"]]
    assert copies
    for link in copies:
        code = letter_language(link.find_parent(class_="cs-letter")["id"])
        first_line = mailto_parts(link["href"])[1]["body"].split("\r\n")[0]
        if code != "en":
            assert not any(title in first_line for title in ENGLISH_TITLES), (lang, code, first_line)
        button = squeeze(link.get_text())
        assert not any(title in button for title in ENGLISH_TITLES), (lang, button)


def test_the_ended_record_marks_the_ambassador_as_a_copy(tmp_path):
    site = build(tmp_path / "output", content=REAL_CONTENT, clock=dt.date(2026, 12, 6))
    for lang in LANGS:
        soup = page(site, "urgent-action", lang)
        cards = soup.select(".cs-targets--record .cs-target")
        copies = [card for card in cards if "cs-target--copy" in card["class"]]
        assert [squeeze(card.h3.get_text()) for card in copies] == ["Xie Fang"]
        note = CATALOGS[lang].gettext("Readers sent this official a copy (CC) of their letters.")
        assert squeeze(copies[0].select_one(".cs-target__note").get_text()) == note
        for card in cards:
            assert card.select_one(".cs-target__envelope")["lang"] == "en"
        petition = page(site, "petition", lang)
        record = petition.select("#letters .cs-letter")
        # The English text people signed comes first; a translation says it is one.
        assert record[0]["id"] == "letter-en" and record[0].name == "section"
        for translation in record[1:]:
            assert translation.name == "details"
            heading = squeeze(translation.select_one(".cs-letter__heading").get_text())
            label = CATALOGS[lang].gettext("The petition letter in %(language)s, a translation for reading")
            assert heading.startswith(label.split("%(language)s")[0].strip()), (lang, heading)
        ended = CATALOGS[lang].ngettext(
            "This petition has ended: the letter below is kept as a record.",
            "This petition has ended: the letters below are kept as a record.",
            len(record),
        )
        assert squeeze(petition.select_one(".cs-letters__record").get_text()) == ended
        home = page(site, "home", lang)
        assert squeeze(home.select_one("#take-action-heading").get_text()) == CATALOGS[lang].gettext("Actions")


# --- The petition while it was open: a sheet to sign and post ---------------------------------


@pytest.fixture(scope="module")
def petition_open(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("petition") / "output", clock=PETITION_DAY)


OPEN_PETITION = {
    "en": "Open until 18 February 2024: signed petitions must arrive by that day.",
    "nl": "Loopt tot en met 18 februari 2024: ondertekende petities moeten uiterlijk die dag binnen zijn.",
    "zh": "请愿开放至2024年2月18日：签名的请愿信须在当日或之前寄达。",
    "zh-hant": "請願開放至2024年2月18日：簽名的請願信須在當日或之前寄達。",
}


@pytest.mark.parametrize("lang", worded(OPEN_PETITION))
def test_an_open_petition_is_a_sheet_to_sign_and_post(petition_open, lang):
    soup = page(petition_open, "petition", lang)
    main = str(soup.find("main"))
    assert main.index('id="letters"') < main.index('id="case"')  # the sheet and where it goes come first
    letters = soup.select("#letters .cs-letter")
    assert [s["id"] for s in letters] == (["letter-en"] if lang == "en" else ["letter-en", f"letter-{lang}"])
    (sheet,) = soup.select("section.cs-letter--signing")
    assert sheet["id"] == "letter-en"  # the petition is signed in English
    assert (
        squeeze(sheet.select_one(".cs-letter__to").get_text())
        == "To: President of the People’s Republic of China, Xi Jinping"
    )
    table = sheet.select_one("table.cs-sign.cs-print-only")
    # names, places, e-mail addresses (optional, as the privacy text says) and signatures
    assert len(table.select("thead th")) == 4 and len(table.select("tbody tr")) >= 5
    (target,) = front_matter("petition", lang)["targets"]
    intro = soup.select_one("#letters .cs-panel__intro")
    assert list(intro.select_one("address").stripped_strings) == [target["name"], *target["address"]]
    back = list(sheet.select_one(".cs-letter__return.cs-print-only .cs-letter__return-address").stripped_strings)
    assert back == [target["name"], *target["address"]]  # the reader posts it: the address as the page writes it
    if lang == "nl":
        assert back == ["Amnesty International", "t.a.v. het Servicecenter", "Postbus 1968", "1000 BZ Amsterdam"]
    assert main_mailtos(soup) == []  # the petition is posted: nothing offers to e-mail it to Xi Jinping via Amnesty
    assert SERVICE_CENTRE not in soup.get_text()
    assert ics_path(petition_open, "petition", lang).is_file() and scripts(soup)
    assert sentences(soup.select_one("main .cs-deadline__when"))[0] == OPEN_PETITION[lang]


# --- In a browser: the copy button, the print stylesheet, axe on the other states -------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.mark.browser
@pytest.mark.parametrize("lang, letter", [("nl", "2-zh"), ("en", "1-en"), ("zh-hant", "1-zh")])
def test_the_copy_button_copies_the_letter_and_announces_it(opened, built_site, lang, letter):
    page = opened(built_site, f"{'' if lang == 'en' else '/' + lang}/urgent-action/")
    page.clock.set_fixed_time(dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC))  # read on the build's day
    page.reload()
    if page.locator(f"#letter-{letter} > summary").count():
        page.locator(f"#letter-{letter} > summary").click()  # a letter in another language is folded
    holder = page.locator(f"#letter-{letter} .cs-copy")
    button = holder.locator("button").first
    assert button.get_attribute("type") == "button"
    assert button.inner_text() == holder.get_attribute("data-copy-label")
    status = holder.locator("[role=status]")
    assert status.inner_text() == ""
    button.click()
    page.wait_for_function("(el) => el.textContent !== ''", arg=status.element_handle())
    assert status.inner_text() == page.locator("#letters").get_attribute("data-copy-copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    number, code = letter.split("-", 1)
    data = letter_of("urgent-action", code)
    official = write_to(front_matter("urgent-action", code)["targets"])[int(number) - 1]
    expected = [typeset_text(official["salutation"], code)] + [
        p.strip() for p in data["body"].split("\n\n") if p.strip()
    ]
    assert copied == "\n\n".join(expected)


@pytest.mark.browser
def test_an_open_petition_prints_as_a_sheet_to_sign(opened, petition_open):
    page = opened(petition_open, "/nl/petition/", PETITION_DAY)
    assert not page.locator("#letter-en .cs-sign").is_visible()  # on screen the sheet's lines are hidden
    page.emulate_media(media="print")
    visible = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter((el) => el.checkVisibility() && el.children.length === 0 && el.textContent.trim())
        .map((el) => el.closest('[id]') ? el.closest('[id]').id : el.className)""")
    assert page.locator("h1").is_visible()
    assert page.locator("#letter-en .cs-letter__text").is_visible()
    assert (
        page.locator("#letter-en .cs-sign").is_visible() and page.locator("#letter-en .cs-letter__return").is_visible()
    )
    for hidden in (
        ".cs-prose",
        ".cs-targets",
        "#letter-nl",
        ".cs-deadline",
        ".cs-letter__actions",
        ".cs-document__summary",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert set(visible) <= {"letter-en-text", "letter-en", "cs-document__title", "main"}, visible


@pytest.mark.browser
def test_letters_print_with_their_addressees(opened, built_site):
    page = opened(built_site, "/urgent-action/")
    page.emulate_media(media="print")
    assert page.locator("#letter-2-en .cs-letter__addressee").first.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#letter-2-en')).breakBefore") == "page"
    assert not page.locator(".cs-letter__actions").first.is_visible()
    assert not page.locator("#letter-1-zh").is_visible()  # folded: not printed


@pytest.mark.browser
@pytest.mark.parametrize(
    "state, path",
    [
        ("petition_open", "/zh/petition/"),
        ("petition_open", "/petition/"),
        ("day_after", "/nl/urgent-action/"),
        ("day_after", "/"),
        ("petition_open", "/zh-hant/petition/"),
        ("day_after", "/zh-hant/urgent-action/"),
        ("day_after", "/zh-hant/"),
    ],
)
def test_axe_finds_no_violations_in_the_other_states(opened, request, state, path):
    day = PETITION_DAY if state == "petition_open" else UA_DEADLINE + dt.timedelta(days=1)
    page = opened(request.getfixturevalue(state), path, day)  # read on its build's day
    page.evaluate(require_node_module("axe-core/axe.min.js").read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))
           .violations.map((v) => `${v.id}: ${v.help} ` + v.nodes.map((n) => n.target.join(' ')).join(', '))""",
        AXE_TAGS,
    )
    assert violations == []


def test_a_press_release_lists_the_three_nearest_open_actions_and_links_to_the_rest(tmp_path):
    """Its cost and size stay the same however many actions the site holds; the home page
    lists them all; the link holds until the last of them ends (the reader's clock)."""
    content = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    deadlines = {}
    for number in range(1, 5):
        slug = f"urgent-action-{number}"
        deadlines[slug] = UA_DEADLINE + dt.timedelta(days=number)
        for lang in WRITTEN:
            text = (CONTENT / "pages" / f"urgent-action.{lang}.md").read_text(encoding="utf-8")
            text = re.sub(r"(?m)^slug: .*$", f"slug: {slug}", text, count=1)
            text = re.sub(r"(?m)^deadline: .*$", f"deadline: {deadlines[slug].isoformat()}", text, count=1)
            (content / "pages" / f"{slug}.{lang}.md").write_text(text, encoding="utf-8")
    site = build(tmp_path / "output", content=content)
    for lang in LANGS:
        press = page(site, "press-release", lang).select_one("#take-action")
        listed = [urlsplit(a["href"]).path for a in press.select(".cs-actions__item .cs-actions__title a")]
        assert listed == [site_path(slug, lang) for slug in ("urgent-action", "urgent-action-1", "urgent-action-2")]
        more = press.select_one(".cs-actions__more")
        assert more["data-cs-when"] == "open" and more["data-cs-deadline"] == deadlines["urgent-action-4"].isoformat()
        assert more.a["href"] == site_path("home", lang) + "#take-action"
        home = page(site, "home", lang).select("#take-action .cs-actions__item")
        assert len(home) == 5
    assert page(site, "press-release", "nl").select_one(".cs-actions__more").a.text == "Bekijk alle lopende acties"
