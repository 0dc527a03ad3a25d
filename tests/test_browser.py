"""Every page, in every language, in Debian's Chromium at a phone and a desktop size.

Each page is loaded once per viewport with JavaScript (requests, console, scrolling,
axe-core, a screenshot, then the keyboard) and once without; the tests below assert on
what those visits saw. Screenshots are saved in build/screenshots/ (JPEG) for people to look at.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import DEFAULT_CLOCK, LANGS, SLUGS, VIEWPORTS, jpeg_width, require_node_module, screenshot, site_path

# The missing-page screen is checked where GitHub Pages shows it: at a deep missing path.
PAGES = [(lang, slug) for lang in LANGS for slug in SLUGS] + [("all", "404")]
MISSING_PATH = "/some/deep/missing/"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGE_IDS = [f"{lang}-{slug}" for lang, slug in PAGES]


def page_path(lang: str, slug: str) -> str:
    if slug == "404":
        return MISSING_PATH
    return site_path(slug, lang)


# --- What a visit records --------------------------------------------------------------

# Readable text and actions of a page: text a reader can reach (visible, or hidden only
# visually for screen readers), with controls, live messages and the sign-off fields left
# out since they exist to be used with JavaScript; and the mailto links.
READING = r"""() => {
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const controls = 'button, [role=button], [aria-live], [role=status], [role=alert], template, script, style, noscript, [data-cs-signoff]';
  const chunks = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent.replace(/\s+/g, ' ').trim();
    if (text && !element.closest(controls) && shown(element)) chunks.push(text);
  }
  for (const field of document.querySelectorAll('textarea')) {
    if (shown(field)) chunks.push(field.value.replace(/\s+/g, ' ').trim());
  }
  const mailtos = [...document.querySelectorAll('a[href]')]
    .filter((a) => a.href.toLowerCase().startsWith('mailto:') && shown(a))
    .map((a) => a.href);
  const letters = [...document.querySelectorAll('.cs-letter')].filter(shown)
    .map((letter) => [letter.id, (letter.querySelector('.cs-letter__text') || letter).innerText.replace(/\s+/g, ' ').trim()]);
  return {chunks, mailtos, letters, headings: document.querySelectorAll('h1').length};
}"""

# Where focus is now, and whether a sighted keyboard user can see it.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const first = el.getClientRects()[0] || box;
  const x = Math.min(Math.max(first.left + first.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(first.top + first.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  return {
    index: [...document.querySelectorAll('*')].indexOf(el),
    name: (el.tagName.toLowerCase() + ' "' + (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 50) + '"'),
    href: el.getAttribute('href'),
    focusVisible: el.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== 'none',
    inViewport: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
    unobscured: !!hit && (hit === el || el.contains(hit) || hit.contains(el)),
  };
}"""

# Back to the top, with the next Tab going to the page's first stop, as after loading it:
# blur() alone leaves Chromium's starting point for Tab at the element it blurs.
FROM_THE_TOP = """() => {
  window.scrollTo(0, 0);
  const body = document.body;
  body.tabIndex = -1;
  body.focus({preventScroll: true});
  body.blur();
  body.removeAttribute('tabindex');
}"""

# Every element the Tab key should reach, in document order.
TABBABLE = """() => {
  const all = [...document.querySelectorAll('*')];
  return [...document.querySelectorAll('a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable=""], [contenteditable=true]')]
    .filter((el) => !el.disabled && el.tabIndex >= 0 && !el.closest('[inert]')
      && el.checkVisibility({visibilityProperty: true}))
    .map((el) => all.indexOf(el));
}"""


@dataclasses.dataclass
class Visit:
    url: str
    status: int = 0
    requests: list = dataclasses.field(default_factory=list)  # (url, resource type)
    foreign_requests: list = dataclasses.field(default_factory=list)
    console_errors: list = dataclasses.field(default_factory=list)
    scroll_width: int = 0
    inner_width: int = 0
    web_fonts: int = 0
    violations: list = dataclasses.field(default_factory=list)
    reading: dict = dataclasses.field(default_factory=dict)
    positive_tabindex: list = dataclasses.field(default_factory=list)
    tab_stops: list = dataclasses.field(default_factory=list)
    tabbable: list = dataclasses.field(default_factory=list)
    after_skip: dict = dataclasses.field(default_factory=dict)
    screenshot: Path | None = None


class Browsing:
    """Visits each page at most once per viewport with JavaScript and once without.

    Each (viewport, JavaScript) pair has one context and one tab, which goes from page to
    page by way of about:blank: opening a tab costs more than loading one of these pages.
    Nothing is carried from page to page: the site stores nothing in the browser, and the
    routing of every request turns the browser's cache off, so every visit is a first visit.
    """

    def __init__(self, browser, site_url: str):
        self.browser = browser
        self.site_url = site_url
        self.host = urlsplit(site_url).netloc
        self.axe = require_node_module("axe-core/axe.min.js").read_text(encoding="utf-8")
        self.contexts = {}
        self.tabs = {}
        self.visits = {}
        self.current: tuple[Visit, str] | None = None  # the visit under way, and its page's slug

    def context(self, viewport: str, javascript: bool):
        key = (viewport, javascript)
        if key not in self.contexts:
            phone = viewport == "phone"
            self.contexts[key] = self.browser.new_context(
                viewport=VIEWPORTS[viewport],
                is_mobile=phone,
                has_touch=phone,
                java_script_enabled=javascript,
                reduced_motion="reduce",
            )
        return self.contexts[key]

    def close(self):
        for context in self.contexts.values():
            context.close()

    def foreign(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and parts.netloc != self.host

    def tab(self, viewport: str, javascript: bool):
        """The pair's one tab, its handlers adding what they see to the visit under way."""
        key = (viewport, javascript)
        if key in self.tabs:
            return self.tabs[key]
        page = self.context(viewport, javascript).new_page()

        def request(request):
            if self.current:
                visit = self.current[0]
                visit.requests.append((request.url, request.resource_type))
                if self.foreign(request.url):
                    visit.foreign_requests.append(request.url)

        def route(route):
            # Nothing may leave the machine; routing also turns the HTTP cache off, so
            # every visit is a first visit.
            route.abort() if self.foreign(route.request.url) else route.continue_()

        def console(message):
            if not self.current:
                return
            visit, slug = self.current
            # The missing-page screen comes with status 404, which Chromium logs.
            if message.type == "error" and not (
                slug == "404" and message.location.get("url") == visit.url and "404" in message.text
            ):
                visit.console_errors.append(
                    f"{message.text} ({message.location.get('url')}:{message.location.get('lineNumber')})"
                )

        def failed(request):
            if self.current and request.url not in self.current[0].foreign_requests:  # those were stopped on purpose
                self.current[0].console_errors.append(f"request failed: {request.url} ({request.failure})")

        def uncaught(error):
            if self.current:
                self.current[0].console_errors.append(f"uncaught: {error}")

        # Read on the day the site was built (conftest.DEFAULT_CLOCK), so that the pages are
        # seen, axe-checked and photographed as built: by today's clock the reader's-clock
        # check would end the urgent action (tests/test_lifecycle.py tests that).
        page.clock.set_fixed_time(dt.datetime.combine(DEFAULT_CLOCK, dt.time(12), tzinfo=dt.UTC))
        page.route("**/*", route)
        page.on("request", request)
        page.on("requestfailed", failed)
        page.on("console", console)
        page.on("pageerror", uncaught)
        self.tabs[key] = page
        return page

    def open(self, lang: str, slug: str, viewport: str, javascript: bool):
        visit = Visit(self.site_url + page_path(lang, slug))
        page = self.tab(viewport, javascript)
        self.current = None  # what the last page still does as it is left is not this visit's
        page.goto("about:blank")
        self.current = (visit, slug)
        response = page.goto(visit.url, wait_until="load")
        visit.status = response.status if response else 0
        page.evaluate("document.fonts.ready.then(() => true)")
        visit.reading = page.evaluate(READING)
        return page, visit

    def visit(self, lang: str, slug: str, viewport: str) -> Visit:
        key = (lang, slug, viewport, True)
        if key in self.visits:
            return self.visits[key]
        page, visit = self.open(lang, slug, viewport, javascript=True)
        try:
            visit.scroll_width, visit.inner_width, visit.web_fonts = page.evaluate(
                "[Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), innerWidth, document.fonts.size]"
            )
            visit.screenshot = screenshot(page, f"{lang}-{slug}-{viewport}")
            page.evaluate(self.axe)
            visit.violations = page.evaluate(
                """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))
                   .violations.map((v) => `${v.id} (${v.impact}): ${v.help}\\n` + v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\\s+/g, ' ')}`).join('\\n'))""",
                AXE_TAGS,
            )
            self.keyboard(page, visit)
        finally:
            self.current = None
        self.visits[key] = visit
        return visit

    def keyboard(self, page, visit: Visit) -> None:
        visit.positive_tabindex = page.evaluate(
            "[...document.querySelectorAll('[tabindex]')].filter((el) => el.tabIndex > 0).map((el) => el.outerHTML.slice(0, 80))"
        )
        visit.tabbable = page.evaluate(TABBABLE)
        page.evaluate(FROM_THE_TOP)
        for _ in range(len(visit.tabbable) + 5):
            page.keyboard.press("Tab")
            stop = page.evaluate(FOCUS)
            if stop is None or (visit.tab_stops and stop["index"] == visit.tab_stops[0]["index"]):
                break
            visit.tab_stops.append(stop)
        # Follow the skip link: focus moves to the main content, and Tab goes on from there.
        page.evaluate(FROM_THE_TOP)
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        visit.after_skip["focus_in_main"] = page.evaluate("!!document.activeElement.closest('main')")
        page.keyboard.press("Tab")
        visit.after_skip["next"] = page.evaluate(FOCUS)
        visit.after_skip["first_in_main"] = page.evaluate(
            "(stops) => stops.find((i) => document.querySelectorAll('*')[i].closest('main')) ?? null", visit.tabbable
        )

    def visit_without_javascript(self, lang: str, slug: str, viewport: str) -> Visit:
        key = (lang, slug, viewport, False)
        if key not in self.visits:
            _, visit = self.open(lang, slug, viewport, javascript=False)
            self.current = None
            self.visits[key] = visit
        return self.visits[key]


@pytest.fixture(scope="session")
def browsing(browser, site_url):
    browsing = Browsing(browser, site_url)
    yield browsing
    browsing.close()


def each_page_and_viewport(test):
    test = pytest.mark.parametrize("viewport", list(VIEWPORTS))(test)
    return pytest.mark.browser(pytest.mark.parametrize(("lang", "slug"), PAGES, ids=PAGE_IDS)(test))


# --- Network, console, layout -------------------------------------------------------------


@each_page_and_viewport
def test_page_loads_with_the_right_status(browsing, lang, slug, viewport):
    visit = browsing.visit(lang, slug, viewport)
    assert visit.status == (404 if slug == "404" else 200), visit.url


@each_page_and_viewport
def test_no_request_leaves_the_site(browsing, lang, slug, viewport):
    visit = browsing.visit(lang, slug, viewport)
    assert visit.foreign_requests == [], f"{visit.url} asked other hosts for: {visit.foreign_requests}"


@each_page_and_viewport
def test_no_console_errors(browsing, lang, slug, viewport):
    visit = browsing.visit(lang, slug, viewport)
    assert visit.console_errors == [], f"{visit.url}:\n" + "\n".join(visit.console_errors)


@each_page_and_viewport
def test_no_horizontal_scrolling(browsing, lang, slug, viewport):
    visit = browsing.visit(lang, slug, viewport)
    width = VIEWPORTS[viewport]["width"]
    assert visit.inner_width == width, f"{visit.url}: the layout viewport is {visit.inner_width}px wide, not {width}px"
    assert visit.scroll_width <= width, f"{visit.url}: the page is {visit.scroll_width}px wide in a {width}px viewport"


@each_page_and_viewport
def test_first_visit_needs_at_most_three_requests_and_no_web_fonts(browsing, lang, slug, viewport):
    visit = browsing.visit(lang, slug, viewport)
    requested = [url for url, _ in visit.requests if not url.startswith("data:")]
    assert len(requested) <= 3, f"{visit.url} made {len(requested)} requests: {requested}"
    assert [url for url, kind in visit.requests if kind == "font"] == [] and visit.web_fonts == 0, (
        f"{visit.url} loads web fonts"
    )


@each_page_and_viewport
def test_screenshot_is_saved(browsing, lang, slug, viewport):
    shot = browsing.visit(lang, slug, viewport).screenshot
    assert jpeg_width(shot) == VIEWPORTS[viewport]["width"], f"{shot} is not {viewport}-wide"


# --- Accessibility ------------------------------------------------------------------------


@each_page_and_viewport
def test_axe_finds_no_violations(browsing, lang, slug, viewport):
    visit = browsing.visit(lang, slug, viewport)
    assert visit.violations == [], f"axe-core ({', '.join(AXE_TAGS)}) on {visit.url}:\n" + "\n".join(visit.violations)


@each_page_and_viewport
def test_skip_link_comes_first_is_visible_and_works(browsing, lang, slug, viewport):
    visit = browsing.visit(lang, slug, viewport)
    assert visit.tab_stops, f"{visit.url}: Tab reaches nothing"
    first = visit.tab_stops[0]
    assert first["href"] == "#main", f"{visit.url}: the first Tab stop is {first['name']}, not the skip link"
    assert first["inViewport"] and first["unobscured"], f"{visit.url}: the focused skip link cannot be seen"
    assert visit.after_skip["focus_in_main"], (
        f"{visit.url}: following the skip link does not move focus to the main content"
    )
    expected = visit.after_skip["first_in_main"]
    if expected is not None:
        landed = visit.after_skip["next"]
        assert landed and landed["index"] == expected, (
            f"{visit.url}: after the skip link, Tab goes to {landed and landed['name']}, not the main content's first link"
        )


@each_page_and_viewport
def test_tab_order_follows_the_page_and_reaches_everything(browsing, lang, slug, viewport):
    visit = browsing.visit(lang, slug, viewport)
    assert visit.positive_tabindex == [], (
        f"{visit.url}: a positive tabindex breaks the reading order: {visit.positive_tabindex}"
    )
    reached = [stop["index"] for stop in visit.tab_stops]
    names = [stop["name"] for stop in visit.tab_stops]
    assert reached == sorted(reached), f"{visit.url}: Tab jumps back in the page: {names}"
    assert reached == visit.tabbable, (
        f"{visit.url}: Tab reaches {len(reached)} of {len(visit.tabbable)} links and controls: {names}"
    )


@each_page_and_viewport
def test_focus_is_always_visible(browsing, lang, slug, viewport):
    visit = browsing.visit(lang, slug, viewport)
    hidden = [
        stop["name"] for stop in visit.tab_stops if not (stop["focusVisible"] and (stop["outline"] or stop["shadow"]))
    ]
    assert hidden == [], f"{visit.url}: no visible focus indicator on {hidden}"
    off_screen = [stop["name"] for stop in visit.tab_stops if not (stop["inViewport"] and stop["unobscured"])]
    assert off_screen == [], f"{visit.url}: focused but out of sight or covered: {off_screen}"


# --- Without JavaScript ---------------------------------------------------------------------


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@each_page_and_viewport
def test_without_javascript_every_letter_and_mailto_link_is_still_there(browsing, lang, slug, viewport):
    with_js = browsing.visit(lang, slug, viewport).reading
    without_js = browsing.visit_without_javascript(lang, slug, viewport)
    assert without_js.status == (404 if slug == "404" else 200)
    plain = without_js.reading
    assert plain["headings"] == 1 and plain["chunks"], f"{without_js.url} shows no content without JavaScript"
    if slug == "urgent-action":  # open on the test build's clock (conftest.DEFAULT_CLOCK)
        assert plain["letters"] and plain["mailtos"], (
            f"{without_js.url}: the open action shows no letter or e-mail link"
        )
    missing_letters = [letter_id for letter_id, text in with_js["letters"] if [letter_id, text] not in plain["letters"]]
    assert missing_letters == [], (
        f"{without_js.url}: without JavaScript these letters are gone or different: {missing_letters}"
    )
    missing_links = sorted(set(with_js["mailtos"]) - set(plain["mailtos"]))
    assert missing_links == [], f"{without_js.url}: without JavaScript these e-mail links are gone: {missing_links}"
    text = squeeze(" ".join(plain["chunks"]))
    missing_text = [chunk for chunk in with_js["chunks"] if squeeze(chunk) not in text]
    assert missing_text == [], f"{without_js.url}: without JavaScript this text is gone: {missing_text}"


@each_page_and_viewport
def test_without_javascript_nothing_errs_or_leaves_the_site(browsing, lang, slug, viewport):
    visit = browsing.visit_without_javascript(lang, slug, viewport)
    assert visit.foreign_requests == [] and visit.console_errors == [], (
        f"{visit.url}: {visit.foreign_requests} {visit.console_errors}"
    )
