"""The action first (issue 12), in Debian's Chromium on real builds of the real content:
where a phone reader finds the controls, the reader's sign-off in the page, the e-mail
links and on paper, and the print view (one A4 sheet per letter, the official's address
where a DL window envelope's window is)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from campaign.languages import LANGUAGES
from campaign.mailto import MAX_LENGTH
from conftest import DEFAULT_CLOCK, LANGS, ROOT, VIEWPORTS, build, jpeg_width, screenshot

sys.path.insert(0, str(ROOT / "scripts"))
from action_positions import FIRST_SCREEN, PHONE, SECOND_SCREEN, measure  # noqa: E402

PETITION_OPEN = dt.date(2024, 2, 1)  # both actions open: the petition until 18/19 February 2024
MM = 96 / 25.4  # CSS px per millimetre


def prefix(lang: str) -> str:
    return "" if lang == "en" else f"/{lang}"


@pytest.fixture(scope="module")
def both_open(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("both-open") / "output", clock=PETITION_OPEN)


# --- The first screens of a phone ---------------------------------------------------------------

PAGES = [
    (state, lang, slug)
    for state, slugs in (("default", ("home", "urgent-action")), ("both_open", ("home", "petition")))
    for lang in LANGS
    for slug in slugs
]


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("state, lang, slug", PAGES, ids=[f"{s}-{lang}-{slug}" for s, lang, slug in PAGES])
def test_on_a_phone_the_action_starts_in_the_first_screen_and_the_letter_controls_in_the_second(
    tabs, request, built_site, state, lang, slug, javascript
):
    site, day = (
        (built_site, DEFAULT_CLOCK) if state == "default" else (request.getfixturevalue("both_open"), PETITION_OPEN)
    )
    page = tabs.page(day, viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript)
    path = f"{prefix(lang)}/{'' if slug == 'home' else slug + '/'}"
    found = measure(page, tabs.origin(site) + path, day, path, javascript)
    assert found.act is not None and found.act < FIRST_SCREEN, (
        f"{path}: the first control to act starts at {found.act} px"
    )
    # A petition is printed and posted, never e-mailed (content review I3): without JavaScript it
    # has no control that e-mails, copies or prints (the browser's own print prints the sheet).
    if slug != "home" and (javascript or slug != "petition"):
        assert found.send is not None and found.send < SECOND_SCREEN, (
            f"{path}: the first e-mail, copy or print control starts at {found.send} px"
        )
    elif slug == "petition":
        assert found.send is None, f"{path}: a control to send the petition without JavaScript?"
    assert found.scroll_width <= PHONE["width"]


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
def test_nothing_moves_when_the_script_starts(tabs, built_site, lang, viewport):
    """The sign-off and the copy and print buttons take their room before the script runs,
    so that what a reader sees first does not jump when it does (layout shift)."""
    phone = viewport == "phone"
    page = tabs.page(DEFAULT_CLOCK, viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone)
    held = []
    page.route("**/campaign.js", lambda route: held.append(route))  # held back until the page is laid out
    page.goto(f"{tabs.origin(built_site)}{prefix(lang)}/urgent-action/", wait_until="commit")
    page.wait_for_selector("footer", state="attached")
    # Laid out with the stylesheet (a loaded machine can parse the page before it arrives).
    page.wait_for_function("() => [...document.styleSheets].some((sheet) => sheet.href && sheet.cssRules.length)")
    where = "() => [...document.querySelectorAll('#letters .cs-letter__sheet, .cs-official')].map((el) => Math.round(el.getBoundingClientRect().top))"
    before = page.evaluate(where)
    assert page.locator(".cs-copy button").count() == 0 and held
    held[0].continue_()
    page.locator(".cs-copy button").first.wait_for(state="attached")
    assert page.evaluate(where) == before


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_no_horizontal_scrolling_at_320_px(opened, built_site, lang):
    for path in (f"{prefix(lang)}/urgent-action/", f"{prefix(lang)}/"):
        page = opened(built_site, path, viewport={"width": 320, "height": 640}, is_mobile=True)
        width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        assert width <= 320, f"{path} is {width}px wide at 320px"


# --- The sign-off -------------------------------------------------------------------------------

NAMES = {
    "en": ("Anna O'Brien & Co", "Leeds"),
    "nl": ("Jan de Vries", "’s-Hertogenbosch"),
    "zh": ("王小明", "香港"),
    "zh-hant": ("陳大文", "臺北"),
}


def sent_in(lang: str) -> str:
    """The language of the letters a page sends: its own, or the officials' script where the
    table says so (a Traditional page sends the Simplified letter, its own is for reading)."""
    return LANGUAGES[lang].letters_in or lang


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_the_sign_off_fills_every_letter_on_the_page_in_its_email_and_on_paper(opened, built_site, lang):
    page = opened(built_site, f"{prefix(lang)}/urgent-action/")
    name, city = NAMES.get(lang, NAMES["en"])  # a language declared later: the English reader's
    sent = sent_in(lang)
    before = page.evaluate("[...document.querySelectorAll('#letters a.cs-mailto')].map((a) => a.href)")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    assert (
        page.locator(".cs-signoff").is_visible() and not page.locator("#cs-name").is_visible()
    )  # folded: it is optional
    page.locator(".cs-signoff summary").click()
    page.fill("#cs-name", name)
    page.fill("#cs-city", city)
    # On the page: under the line to sign, in every letter.
    froms = page.evaluate(
        "[...document.querySelectorAll('#letters .cs-letter__from')].map((p) => [...p.querySelectorAll('[data-cs-fill]')].map((s) => s.textContent))"
    )
    to_send = page.locator("#letters .cs-letter:has(.cs-letter__actions)").count()
    assert len(froms) == to_send and all(lines == [name, city] for lines in froms)
    assert page.locator(f"#letter-1-{sent} .cs-letter__from").inner_text().split("\n") == [name, city]
    # In the e-mail: the name and city end the letter, and no link is longer than the limit.
    after = page.evaluate("[...document.querySelectorAll('#letters a.cs-mailto')].map((a) => a.getAttribute('href'))")
    assert len(after) == len(before)
    for href in after:
        assert len(href) <= MAX_LENGTH
        body = unquote(href.partition("body=")[2])
        assert body.endswith(f"\r\n{name}\r\n{city}"), body[-80:]
    # In the copied text.
    page.locator("#letter-1-" + sent + " .cs-copy button").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"\n{name}\n{city}")
    # On paper: the sender's lines and the closing.
    page.emulate_media(media="print")
    sender = page.locator(f"#letter-1-{sent} .cs-letter__sender")
    assert sender.is_visible() and sender.inner_text().split("\n") == [name, city]
    assert page.locator(f"#letter-1-{sent} .cs-letter__from").inner_text().split("\n") == [name, city]
    # Nothing left the page or stayed behind.
    assert requests == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0 and page.evaluate("document.cookie") == ""
    # Emptied again, the links are as the build wrote them.
    page.emulate_media(media="screen")
    page.fill("#cs-name", "")
    page.fill("#cs-city", "")
    assert page.evaluate("[...document.querySelectorAll('#letters a.cs-mailto')].map((a) => a.href)") == before


@pytest.mark.browser
def test_a_sign_off_too_long_for_a_link_is_left_out_of_it_rather_than_break_the_limit(opened, built_site):
    page = opened(built_site, "/zh/urgent-action/")
    page.locator(".cs-signoff summary").click()
    page.fill("#cs-name", "黄" * 60)
    page.fill("#cs-city", "城" * 60)
    hrefs = page.evaluate("[...document.querySelectorAll('#letters a.cs-mailto')].map((a) => a.getAttribute('href'))")
    assert hrefs and all(len(href) <= MAX_LENGTH for href in hrefs)
    assert page.locator("#letter-1-zh .cs-letter__from").inner_text().startswith("黄" * 60)


@pytest.mark.browser
def test_without_javascript_there_are_no_fields_and_a_line_to_sign_by_hand(opened, built_site):
    page = opened(built_site, "/nl/urgent-action/", java_script_enabled=False)
    assert not page.locator(".cs-signoff").is_visible()
    line = page.locator("#letter-1-nl .cs-letter__sign-here")
    assert line.is_visible() and line.inner_text() == "Je handtekening"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#letter-1-nl .cs-letter__sign-here')).borderTopStyle")
        == "solid"
    )


# --- Paper ------------------------------------------------------------------------------------

BOX = """(selector) => [...document.querySelectorAll(selector)].filter((el) => el.checkVisibility()).map((el) => {
  const sheet = el.closest('.cs-letter').getBoundingClientRect();
  const box = el.getBoundingClientRect();
  return {id: el.closest('.cs-letter').id, top: box.top - sheet.top, left: box.left - sheet.left, width: box.width, height: box.height,
          sheetWidth: sheet.width, sheetLeft: sheet.left, pageTop: sheet.top + scrollY};
})"""


def printed_letters(page) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('.cs-letter')].filter((el) => el.checkVisibility()).map((el) => el.id)"
    )


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_each_letter_prints_on_its_own_a4_sheet_with_the_address_in_the_envelope_window(opened, built_site, lang):
    page = opened(built_site, f"{prefix(lang)}/urgent-action/", java_script_enabled=False)
    page.emulate_media(media="print")
    lang = sent_in(lang)  # the letters printed are those sent
    # Without the script: every letter shown (the page's language; the others are folded), a sheet each.
    assert printed_letters(page) == [f"letter-1-{lang}", f"letter-2-{lang}"]
    for hidden in ("h1", ".cs-deadline", "#case", ".cs-choices", ".cs-letter__actions", ".cs-site-nav", ".cs-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.evaluate(f"getComputedStyle(document.querySelector('#letter-2-{lang}')).breakBefore") == "page"
    boxes = page.evaluate(BOX, ".cs-letter__addressee")
    assert [box["id"] for box in boxes] == [f"letter-1-{lang}", f"letter-2-{lang}"]
    for box in boxes:
        # DIN 5008 form B / DL window: 85 × 45 mm, 45 mm from the top and 20 mm from the left edge.
        assert box["sheetLeft"] == pytest.approx(0, abs=1) and box["sheetWidth"] == pytest.approx(210 * MM, abs=2)
        assert box["top"] == pytest.approx(45 * MM, abs=2) and box["left"] == pytest.approx(20 * MM, abs=2)
        assert box["width"] == pytest.approx(85 * MM, abs=2) and box["height"] == pytest.approx(45 * MM, abs=2)
    lines = page.evaluate(
        """(lang) => [...document.querySelectorAll(`#letter-1-${lang} .cs-letter__addressee`)].map((el) => {
        const range = document.createRange(); range.selectNodeContents(el);
        const outer = el.getBoundingClientRect(), inner = range.getBoundingClientRect();
        return {inside: inner.top >= outer.top && inner.bottom <= outer.bottom && inner.right <= outer.right, text: el.innerText};
    })""",
        lang,
    )
    assert lines[0]["inside"], "the address does not fit its window"
    assert lines[0]["text"].split("\n")[0] == "Zhang Rui"
    # The date, the letter and the room to sign follow below the window.
    date = page.evaluate(BOX, f"#letter-1-{lang} .cs-letter__date")[0]
    sign = page.evaluate(BOX, f"#letter-1-{lang} .cs-letter__sign-here")[0]
    assert date["top"] > (45 + 45) * MM and sign["top"] > date["top"]
    # As printed: one A4 page per letter.
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 2
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert sizes and all(
        float(w) == pytest.approx(595.3, abs=1) and float(h) == pytest.approx(841.9, abs=1) for w, h in sizes
    )  # A4 in points


@pytest.mark.browser
def test_the_print_button_prints_its_letter_alone(opened, built_site):
    page = opened(built_site, "/nl/urgent-action/")
    page.locator("#letter-2-en summary").click()  # a folded letter, opened
    button = page.locator("#letter-2-en .cs-copy button", has_text="Print deze brief")
    assert button.is_visible()
    page.evaluate(
        "window.print = () => { window.__printed = [...document.querySelectorAll('.cs-letter')].filter((el) => el.checkVisibility()).map((el) => el.id); }"
    )
    page.emulate_media(media="print")
    page.evaluate("document.querySelector('#letter-2-en .cs-copy button:nth-of-type(2)').click()")
    assert page.evaluate("window.__printed") == ["letter-2-en"]
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate("document.documentElement.classList.contains('cs-printing')") is False
    assert printed_letters(page) == ["letter-1-nl", "letter-2-nl", "letter-2-en"]  # again every letter shown


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_an_open_petition_prints_its_sheet_with_the_addressee_line_and_rows_to_sign(opened, both_open, lang):
    page = opened(both_open, f"{prefix(lang)}/petition/", PETITION_OPEN)
    page.emulate_media(media="print")
    assert printed_letters(page) == ["letter-en"]
    sheet = page.locator("#letter-en")
    assert (
        page.locator("#letter-en .cs-letter__to").inner_text()
        == "To: President of the People’s Republic of China, Xi Jinping"
    )
    assert (
        page.locator("#letter-en table.cs-sign").is_visible()
        and page.locator("#letter-en .cs-sign tbody tr").count() >= 5
    )
    assert page.locator("#letter-en .cs-letter__return").is_visible()
    assert sheet.is_visible() and page.locator("h1").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1, "the petition sheet is one page"


# --- Screenshots of the open petition (the default build's are taken by test_browser.py) ---------


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
def test_screenshots_of_the_open_petition(opened, both_open, lang, viewport):
    phone = viewport == "phone"
    page = opened(
        both_open,
        f"{prefix(lang)}/petition/",
        PETITION_OPEN,
        viewport=VIEWPORTS[viewport],
        is_mobile=phone,
        has_touch=phone,
    )
    shot = screenshot(page, f"{lang}-petition-open-{viewport}")
    assert jpeg_width(shot) == VIEWPORTS[viewport]["width"], f"{shot} is not {viewport}-wide"
