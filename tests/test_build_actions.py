"""The actions as built: real Pelican builds of the real content with the clock before, on
and after a deadline (conftest's build / run_pelican with clock=...)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import icalendar
import pytest
from bs4 import BeautifulSoup

from campaign.frontmatter import parse
from campaign.mailto import MAX_LENGTH
from campaign.targets import typeset_text
from conftest import (
    CONTENT,
    DEFAULT_CLOCK,
    HTML_LANG,
    LANGS,
    build,
    page_path,
    require_node_module,
    run_pelican,
    serve,
    site_path,
)

UA_DEADLINE = dt.date(2025, 3, 18)
EMBASSY = "chinaembpress_us@mfa.gov.cn"
SERVICE_CENTRE = "servicecenter@amnesty.nl"


def front_matter(slug: str, lang: str) -> dict:
    path = CONTENT / "pages" / f"{slug}.{lang}.md"
    parsed, problems = parse(path.read_text(encoding="utf-8"), str(path))
    assert problems == []
    return parsed.data


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
    "en": ["Open until 18 March 2025, the last day to act.", ""],
    "nl": ["Loopt tot en met 18 maart 2025, de laatste dag om in actie te komen.", ""],
    "zh": ["行动开放至2025年3月18日（含当日）。", ""],
}


@pytest.mark.parametrize("lang", LANGS)
def test_an_open_action_says_its_last_day_and_counts_no_days_before_the_last_week(built_site, lang):
    assert DEFAULT_CLOCK == dt.date(2025, 1, 15)
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
    assert vevent.decoded("DTSTAMP") == dt.datetime(2025, 1, 15, 0, tzinfo=dt.timezone.utc)
    assert str(vevent["UID"]).startswith("urgent-action-deadline-20250318@")
    assert str(vevent["SUMMARY"]) == squeeze(soup.find("h1").get_text())


@pytest.mark.parametrize("lang", LANGS)
def test_the_targets_in_the_order_the_action_asks_for(built_site, lang):
    cards = page(built_site, "urgent-action", lang).select(".cs-targets article.cs-target")
    assert [card.find("h3").get_text() for card in cards] == ["Zhang Rui", "Zhang Jian", "Xie Fang"]
    assert [("cs-target--copy" in card["class"]) for card in cards] == [False, False, True]
    first_note = {"en": "Priority 1: write to this official first.", "nl": "Prioriteit 1: schrijf eerst naar deze functionaris.", "zh": "第一优先：请首先致信这位官员。"}
    assert cards[0].select_one(".cs-target__note").get_text() == first_note[lang]
    targets = front_matter("urgent-action", lang)["targets"]
    for card, target in zip(cards, targets):
        envelope = card.select_one("address .cs-target__envelope")
        expected = [target["name"], target["title"], target["organization"], *target["address"]]
        assert list(envelope.stripped_strings) == expected
    emails = [a["href"] for a in page(built_site, "urgent-action", lang).select(".cs-targets address a")]
    assert emails == [f"mailto:{EMBASSY}"]


PREFERRED = {
    "en": "Write in English or Chinese, or in your own language.",
    "nl": "Schrijf in het Engels of Chinees, of in je eigen taal.",
    "zh": "请用英语或中文写信，也可以用你自己的语言。",
}
LETTER_ORDER = {"en": ["en", "zh"], "nl": ["nl", "en", "zh"], "zh": ["zh", "en"]}


@pytest.mark.parametrize("lang", LANGS)
def test_letters_in_the_pages_language_and_the_preferred_ones(built_site, lang):
    letters = page(built_site, "urgent-action", lang).select_one("section#letters")
    assert letters.select_one("p:not([hidden])").get_text() == PREFERRED[lang]
    sections = letters.select("section.cs-letter")
    assert [section["id"] for section in sections] == [f"letter-{code}" for code in LETTER_ORDER[lang]]
    for section in sections:
        code = section["id"].removeprefix("letter-")
        letter = letter_of("urgent-action", code)
        text = section.select_one(".cs-letter__text")
        assert text["lang"] == HTML_LANG[code]
        paragraphs = [squeeze(p.get_text()) for p in text.find_all("p")]
        opening = [letter["salutation"]] if letter.get("salutation") else []  # no joint salutation in the content
        expected = opening + [squeeze(p) for p in letter["body"].split("\n\n") if p.strip()]
        assert paragraphs == expected
        assert squeeze(section.select_one(".cs-letter__subject span").get_text()) == letter["subject"]
    if lang == "en":
        assert "for “inciting subversion of state power”" in squeeze(letters.select_one("#letter-en-text").get_text())


@pytest.mark.parametrize("lang", LANGS)
def test_each_letter_has_an_email_link_to_the_embassy_within_the_limit(built_site, lang):
    html = page_path(built_site, "urgent-action", lang).read_text(encoding="utf-8")
    assert "&amp;body=" in html and "&body=" not in html
    soup = BeautifulSoup(html, "html.parser")
    for section in soup.select("section.cs-letter"):
        code = section["id"].removeprefix("letter-")
        data = dict(front_matter("urgent-action", code), letter=letter_of("urgent-action", code))
        (href,) = [a["href"] for a in section.select("a.cs-mailto")]
        assert len(href) <= MAX_LENGTH
        to, fields = mailto_parts(href)
        assert to == EMBASSY and set(fields) == {"subject", "body"}
        assert fields["subject"] == data["letter"]["subject"]
        embassy = next(t for t in data["targets"] if t.get("email") == EMBASSY)
        opening = [embassy["salutation"]] if embassy.get("salutation") else []  # a copy: no salutation of its own
        paragraphs = fields["body"].split("\r\n\r\n")
        assert paragraphs[:len(opening)] == opening
        paragraphs = paragraphs[len(opening):]
        full = [p.strip() for p in data["letter"]["body"].split("\n\n") if p.strip()]
        short = [p.strip() for p in data["letter"]["short_body"].split("\n\n") if p.strip()]
        if code == "zh":  # nine characters per Han character: too long whole
            assert paragraphs == short
            assert section.select_one(".cs-letter__note") is not None
        else:
            assert paragraphs == full
            assert section.select_one(".cs-letter__note") is None


@pytest.mark.parametrize("lang", LANGS)
def test_copy_buttons_come_from_the_sites_script_loaded_only_while_an_action_is_open(built_site, lang):
    action = page(built_site, "urgent-action", lang)
    (script,) = scripts(action)
    assert script["src"] == "/theme/js/campaign.js" and script.has_attr("defer")
    assert action.find("button") is None  # the script makes the buttons
    holders = action.select(".cs-copy[data-copy-target]")
    assert [h["data-copy-target"] for h in holders] == [f"letter-{code}-text" for code in LETTER_ORDER[lang]]
    assert all(h["data-copy-label"] and h["data-copy-copied"] and h["data-copy-failed"] for h in holders)
    for slug in ("home", "press-release", "petition"):  # the reader's-clock check, while the urgent action is open
        assert [s["src"] for s in scripts(page(built_site, slug, lang))] == ["/theme/js/campaign.js"]
    assert (built_site / "theme" / "js" / "campaign.js").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_headings_go_in_order(built_site, lang):
    for slug in ("urgent-action", "petition", "home"):
        levels = [int(h.name[1]) for h in page(built_site, slug, lang).find("main").find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (slug, levels)


CLOSED_PETITION = {
    "en": "This petition has ended. The last day to sign it was 18 February 2024.",
    "nl": "Deze petitie is afgelopen. De laatste dag om te tekenen was 18 februari 2024.",
    "zh": "本次请愿已结束，最后签名日为2024年2月18日。",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_closed_petition_keeps_its_letter_as_a_record_and_offers_nothing_to_send(built_site, lang):
    soup = page(built_site, "petition", lang)
    notice = soup.select_one("main .cs-deadline")
    assert "cs-deadline--ended" in notice["class"] and squeeze(notice.select_one(".cs-deadline__when").get_text()) == CLOSED_PETITION[lang]
    assert notice.find("a") is None and not notice.has_attr("hidden")
    assert not ics_path(built_site, "petition", lang).exists()
    assert main_mailtos(soup) == [] and soup.select(".cs-copy, .cs-letter__actions, .cs-letter--signing") == []
    letter = letter_of("petition", lang)
    assert squeeze(letter["body"].split("\n\n")[0]) in squeeze(soup.select_one(f"#letter-{lang}-text").get_text())


@pytest.mark.parametrize("lang", LANGS)
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
}


@pytest.mark.parametrize("lang", LANGS)
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
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_day_after_the_deadline_the_action_is_closed(day_after, lang):
    soup = page(day_after, "urgent-action", lang)
    notice = soup.select_one("main .cs-deadline")
    assert "cs-deadline--ended" in notice["class"] and squeeze(notice.select_one(".cs-deadline__when").get_text()) == CLOSED_ACTION[lang]
    assert not ics_path(day_after, "urgent-action", lang).exists(), "the earlier build's .ics was left behind"
    assert main_mailtos(soup) == [] and scripts(soup) == [] and soup.select(".cs-copy, .cs-letter__actions") == []
    assert soup.select(".cs-targets address a") == []  # the e-mail address stays, as text
    assert EMBASSY in soup.select_one(".cs-targets").get_text()
    assert [s["id"] for s in soup.select("section.cs-letter")] == [f"letter-{code}" for code in LETTER_ORDER[lang]]
    home = page(day_after, "home", lang)
    assert [squeeze(n.get_text()) for n in home.select(".cs-actions--past .cs-deadline__when")][0] == CLOSED_ACTION[lang]
    assert home.select(".cs-actions a[href$='.ics'], .cs-actions a[href$='#letters']") == []


# --- The petition while it was open: a sheet to sign and post ---------------------------------


@pytest.fixture(scope="module")
def petition_open(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("petition") / "output", clock=dt.date(2024, 2, 1))


@pytest.mark.parametrize("lang", LANGS)
def test_an_open_petition_is_a_sheet_to_sign_and_post(petition_open, lang):
    soup = page(petition_open, "petition", lang)
    letters = soup.select("section.cs-letter")
    assert [s["id"] for s in letters] == (["letter-en"] if lang == "en" else [f"letter-{lang}", "letter-en"])
    (sheet,) = soup.select("section.cs-letter--signing")
    assert sheet["id"] == "letter-en"  # the petition is signed in English
    assert len(sheet.select(".cs-sign.cs-print-only .cs-sign__field")) == 4
    back = list(sheet.select_one(".cs-letter__return.cs-print-only .cs-letter__return-address").stripped_strings)
    (target,) = front_matter("petition", lang)["targets"]  # the reader posts it: the address as the page writes it
    assert back == [target["name"], *target["address"]]
    if lang == "nl":
        assert back == ["Amnesty International", "t.a.v. het Servicecenter", "Postbus 1968", "1000 BZ Amsterdam"]
    assert main_mailtos(soup) == []  # the petition is posted: nothing offers to e-mail it to Xi Jinping via Amnesty
    assert SERVICE_CENTRE not in soup.get_text()
    assert ics_path(petition_open, "petition", lang).is_file() and scripts(soup)
    first = sentences(soup.select_one("main .cs-deadline__when"))[0]
    assert first == {"en": "Open until 18 February 2024, the last day to act.", "nl": "Loopt tot en met 18 februari 2024, de laatste dag om in actie te komen.", "zh": "行动开放至2024年2月18日（含当日）。"}[lang]


# --- In a browser: the copy button, the print stylesheet, axe on the other states -------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture()
def open_in_browser(browser):
    """open(site, path) -> a Playwright page on a local server over that built site."""
    servers, contexts = [], []

    def open_page(site: Path, path: str, **context_options):
        server = serve(site)
        servers.append(server)
        context = browser.new_context(**context_options)
        contexts.append(context)
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        page = context.new_page()
        page.goto(origin + path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    for server in servers:
        server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("lang, letter", [("nl", "zh"), ("en", "en")])
def test_the_copy_button_copies_the_letter_and_announces_it(open_in_browser, built_site, lang, letter):
    page = open_in_browser(built_site, f"{'' if lang == 'en' else '/' + lang}/urgent-action/")
    holder = page.locator(f"#letter-{letter} .cs-copy")
    button = holder.locator("button")
    assert button.get_attribute("type") == "button"
    assert button.inner_text() == holder.get_attribute("data-copy-label")
    status = holder.locator("[role=status]")
    assert status.inner_text() == ""
    button.click()
    page.wait_for_function("(el) => el.textContent !== ''", arg=status.element_handle())
    assert status.inner_text() == holder.get_attribute("data-copy-copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    data = letter_of("urgent-action", letter)
    expected = ([data["salutation"]] if data.get("salutation") else []) + [p.strip() for p in data["body"].split("\n\n") if p.strip()]
    assert copied == "\n\n".join(expected)


@pytest.mark.browser
def test_an_open_petition_prints_as_a_sheet_to_sign(open_in_browser, petition_open):
    page = open_in_browser(petition_open, "/nl/petition/")
    assert not page.locator("#letter-en .cs-sign").is_visible()  # on screen the sheet's lines are hidden
    page.emulate_media(media="print")
    visible = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter((el) => el.checkVisibility() && el.children.length === 0 && el.textContent.trim())
        .map((el) => el.closest('[id]') ? el.closest('[id]').id : el.className)""")
    assert page.locator("h1").is_visible()
    assert page.locator("#letter-en .cs-letter__text").is_visible()
    assert page.locator("#letter-en .cs-sign").is_visible() and page.locator("#letter-en .cs-letter__return").is_visible()
    for hidden in (".cs-prose", ".cs-targets", "#letter-nl", ".cs-deadline", ".cs-letter__actions", ".cs-document__summary"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert set(visible) <= {"letter-en-text", "letter-en", "cs-document__title", "main"}, visible


@pytest.mark.browser
def test_letters_print_with_their_addressees(open_in_browser, built_site):
    page = open_in_browser(built_site, "/urgent-action/")
    assert not page.locator(".cs-letter__addressee").first.is_visible()
    page.emulate_media(media="print")
    assert page.locator("#letter-zh .cs-letter__addressee").first.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#letter-zh')).breakBefore") == "page"
    assert not page.locator(".cs-letter__actions").first.is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("state, path", [("petition_open", "/zh/petition/"), ("petition_open", "/petition/"), ("day_after", "/nl/urgent-action/"), ("day_after", "/")])
def test_axe_finds_no_violations_in_the_other_states(open_in_browser, request, state, path):
    page = open_in_browser(request.getfixturevalue(state), path)
    page.evaluate(require_node_module("axe-core/axe.min.js").read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))
           .violations.map((v) => `${v.id}: ${v.help} ` + v.nodes.map((n) => n.target.join(' ')).join(', '))""",
        AXE_TAGS,
    )
    assert violations == []
