"""Where the action starts on a phone: one measurement for the tests and `make bench`.

On a page at 390×844 in Debian's Chromium, read on the day the site was built (the
reader's clock would otherwise end an action the build left open):

- act: the top, in CSS px from the top of the page, of the first control that leads to
  acting: the primary control (`.cs-button`) or an in-page link to the action panel
  (`#letters`). Goal: within the first screen, 844 px.
- send: on an action's or petition's page, the top of the first control that e-mails,
  copies or prints a letter (a link or button in `.cs-letter__actions`). Goal: within
  the second screen, 1,688 px.

tests/test_action_first.py asserts the goals; scripts/bench.py prints the figures.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from dataclasses import dataclass
from pathlib import Path

PHONE = {"width": 390, "height": 844}
FIRST_SCREEN = PHONE["height"]
SECOND_SCREEN = 2 * PHONE["height"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

POSITIONS = r"""() => {
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const top = (els) => {
    const found = [...els].filter(shown).map((el) => el.getBoundingClientRect().top + window.scrollY);
    return found.length ? Math.round(Math.min(...found)) : null;
  };
  const main = document.querySelector('main');
  return {
    act: top(main.querySelectorAll('a.cs-button, a[href$="#letters"]')),
    send: top(main.querySelectorAll('.cs-letter__actions a[href], .cs-letter__actions button')),
    scroll_width: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
  };
}"""


@dataclass(frozen=True)
class Positions:
    path: str
    javascript: bool
    act: int | None  # px from the top of the page; None: no such control
    send: int | None
    scroll_width: int


def measure(page, url: str, day: dt.date, path: str = "", javascript: bool = True) -> Positions:
    """Load `url` in a Playwright page (390×844) with the reader's clock on `day`, and measure."""
    page.clock.set_fixed_time(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC))
    page.goto(url, wait_until="load")
    found = page.evaluate(POSITIONS)
    return Positions(path or url, javascript, found["act"], found["send"], found["scroll_width"])


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def measure_site(site: Path, paths: list[str], day: dt.date) -> list[Positions]:
    """Serve a built site locally and measure each path, with and without JavaScript."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for javascript in (True, False):
                    context = browser.new_context(
                        viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript
                    )
                    page = context.new_page()  # one tab for every path: a new one costs Chromium more than a load
                    for path in paths:
                        results.append(measure(page, origin + path, day, path, javascript))
                    context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
    return results
