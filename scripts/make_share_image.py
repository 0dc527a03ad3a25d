"""Render the share-card images: theme/static/images/<share_image of each language>, 1200×630.

Social networks show this image when someone shares a link to the site. Each
language gets its own card with the campaign's name in that language and the people's
names below it, both taken from the case's declaration (CAMPAIGN_CASE in pelicanconf.py,
plugins/campaign/case.py), set in the site's own stylesheet (colours, font stacks), so
the card looks like the site and needs no other artwork.

Run it again after CAMPAIGN_CASE changes (a new case's site runs it once):

    .venv/bin/python scripts/make_share_image.py          # every language's card
    .venv/bin/python scripts/make_share_image.py zh-hant  # only these languages'

It drives Debian's Chromium (/usr/bin/chromium) through Playwright, as the
browser tests do; the PNGs are committed, so builds and CI never run it.
"""

from __future__ import annotations

import html
import runpy
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from campaign import traditional  # noqa: E402
from campaign.case import Case, case_from  # noqa: E402
from campaign.languages import LANGUAGES  # noqa: E402

WIDTH, HEIGHT = 1200, 630  # Open Graph's recommended size (1.91:1)
MAX_BYTES = 60_000  # a card must stay cheap for readers on slow networks
OUTPUT = ROOT / "theme" / "static" / "images"
STYLESHEET = ROOT / "theme" / "static" / "css" / "site.css"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

CARD_CSS = """
html, body { margin: 0; width: %(width)dpx; height: %(height)dpx; overflow: hidden; }
body {
  display: flex; flex-direction: column; justify-content: center;
  box-sizing: border-box; padding: 0 96px;
  background: var(--cs-panel);
  border-top: 24px solid var(--cs-accent);
  border-bottom: 24px solid var(--cs-highlight);
}
.card__name { margin: 0; font-size: 84px; line-height: 1.12; font-weight: 700; color: var(--cs-ink); }
.card__name:lang(zh) { font-size: 104px; line-height: 1.3; }
.card__names { margin: 40px 0 0; font-size: 44px; line-height: 1.3; color: var(--cs-accent); }
"""


def card_html(lang: str, case: Case) -> str:
    """Under the name, the people's names in the other script (Case.card_names)."""
    language = LANGUAGES[lang]
    name = case.name(lang)
    names, names_lang = case.card_names(lang)
    names_attribute = f' lang="{names_lang}"' if names_lang else ""
    return (
        f'<!doctype html><html lang="{language.html_lang}"><head><meta charset="utf-8">'
        f"<style>{STYLESHEET.read_text(encoding='utf-8')}</style>"
        f"<style>{CARD_CSS % {'width': WIDTH, 'height': HEIGHT}}</style></head>"
        f'<body><p class="card__name">{html.escape(name)}</p>'
        f'<p class="card__names"{names_attribute}>{html.escape(names)}</p></body></html>'
    )


def main(argv: list[str] | None = None) -> int:
    langs = (sys.argv[1:] if argv is None else argv) or list(LANGUAGES)
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown:
        print(f"not a language of the site: {', '.join(unknown)} (use {', '.join(LANGUAGES)})", file=sys.stderr)
        return 2
    converters = {code: conversion.convert for code, conversion in traditional.load(ROOT / "translations").items()}
    case = case_from(runpy.run_path(str(ROOT / "pelicanconf.py")).get("CAMPAIGN_CASE"), converters)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for lang in langs:
            page.set_content(card_html(lang, case))
            target = OUTPUT / LANGUAGES[lang].share_image
            page.screenshot(path=str(target), type="png")
            size = target.stat().st_size
            print(f"{target.relative_to(ROOT)}: {size} bytes")
            if size > MAX_BYTES:
                print(f"{target.relative_to(ROOT)}: larger than {MAX_BYTES} bytes — simplify the card", file=sys.stderr)
                return 1
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
