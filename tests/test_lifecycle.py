"""Every page true on the day it is read: real builds of the real content as of today, as of
a day inside each action's window and as of a day in the urgent action's last week, in
every language, and of a document made with `make new`; the '::: open' / '::: ended'
blocks; and, in Chromium, a page built while open read after its deadline."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from babel.support import Translations
from bs4 import BeautifulSoup

from campaign import lifecycle
from campaign.dates import PartialDate
from campaign.deadlines import DeadlineState, build_day
from campaign.frontmatter import parse
from campaign.i18n import load_translations
from campaign.languages import LANGUAGES
from campaign.scaffold import create
from campaign.sources import page_files
from conftest import (
    CONTENT,
    LANGS,
    REAL_CONTENT,
    ROOT,
    build,
    fill_in,
    page_path,
    page_source,
    run_pelican,
    site_path,
    worded,
)

TODAY = build_day({})  # the site's day (deadlines.py)


def documents(content: Path = REAL_CONTENT) -> dict[str, dict[str, dict]]:
    """slug -> lang -> {"data": front matter, "body": Markdown} of every page file."""
    found: dict[str, dict[str, dict]] = {}
    for path in page_files(content / "pages"):
        parsed, problems = parse(path.read_text(encoding="utf-8"), str(path))
        assert problems == []
        found.setdefault(parsed.data["slug"], {})[parsed.data["lang"]] = {"data": parsed.data, "body": parsed.body}
    for code, language in LANGUAGES.items():  # a generated language (zh-hant): its source's files, converted
        for slug, langs in found.items():
            if language.generated_from in langs:
                page = page_source(slug, code, content)
                langs[code] = {"data": page.parsed.data, "body": page.parsed.body}
    return found


def deadlines(content: Path = REAL_CONTENT) -> dict[str, dt.date]:
    return {
        slug: dt.date.fromisoformat(str(langs["en"]["data"]["deadline"]))
        for slug, langs in documents(content).items()
        if "deadline" in langs["en"]["data"]
    }


def as_read(path: Path) -> BeautifulSoup:
    """The page as a reader sees it without JavaScript: hidden elements left out."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for hidden in soup.select("[hidden], script"):
        hidden.decompose()
    return soup


# What an ended document says first where it is shared and in its feed (partials/status.html), by kind.
ENDED = {
    "action": "This action has ended. The last day to act was %(date)s.",
    "petition": "This petition has ended. The last day to sign it was %(date)s.",
}


def ended_lead(lang: str, kind: str) -> str:
    """The ended sentence up to its date, in the language's catalog."""
    return CATALOGS[lang].gettext(ENDED[kind]).split("%(date)s")[0]


def status_lead(lang: str) -> str:
    """What a claim about their situation starts with: when it was last known (timeline.yaml's status_as_of)."""
    return CATALOGS[lang].gettext("As of %(date)s: %(summary)s").split("%(summary)s")[0] % {
        "date": STATUS_AS_OF.format(lang)
    }


def words(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def bare(text: str) -> str:
    """Text without spaces or quotation marks, as typography and markup may change them."""
    return re.sub(r"[\s'\"\u2018\u2019\u201c\u201d]", "", text)


def calls_to_act(lang: str) -> list[str]:
    """The interface's words that ask a reader to act, in the page's language."""
    messages = [
        "Write a letter",
        "Sign the petition",
        "Add the deadline to your calendar",
        "Take action",
        "Who to write to",
        "Where to send the petition",
        "Priority 1: write to this official first.",
        "Post the signed petition to this address.",
        "Send a copy of your letter to this address (CC).",
        "Write to the officials",
        "Sign the petition and post it",
        "Sign your letters (optional)",
        "Your signature",
    ]
    if lang == "en":
        return messages
    catalog = Translations.load(str(ROOT / "translations"), [lang])
    return [catalog.gettext(message) for message in messages]


def block_texts(body: str, condition: str, slug: str, own: str) -> list[str]:
    """The plain text of each block of the body with that condition and deadline."""
    blocks, _ = lifecycle.split(body)
    texts = []
    for block in blocks:
        if block.condition == condition and (block.slug or own) == slug:
            text = re.sub(r"[*_`#>\[\]]|\(\{filename\}[^)]*\)|^\s*(?:[-+]|\d+\.)\s", "", block.text, flags=re.M)
            texts.extend(words(line) for line in text.split("\n") if len(words(line)) > 12)
    return texts


def issue_days(content: Path = REAL_CONTENT) -> dict[str, dt.date]:
    """Each document's issue day: the latest `date` of its translations."""
    return {
        slug: max(dt.date.fromisoformat(str(doc["data"]["date"])) for doc in langs.values())
        for slug, langs in documents(content).items()
    }


def is_issued(slug: str, today: dt.date, content: Path = REAL_CONTENT) -> bool:
    return slug == "home" or issue_days(content)[slug] <= today  # the home page is the site's front door


def check_every_page(site: Path, today: dt.date, content: Path = REAL_CONTENT) -> dict[str, str]:
    """Asserts each page's state as of `today`, and the feeds', sitemap's and calendar
    files'; returns each issued action's phase by slug."""
    issued = {slug for slug in documents(content) if is_issued(slug, today, content)}
    states = {slug: DeadlineState(deadline, today) for slug, deadline in deadlines(content).items() if slug in issued}
    docs = {slug: langs for slug, langs in documents(content).items() if slug in issued}
    check_not_yet_issued(site, today, content)
    check_feeds_and_sitemap(site, today, states, content)
    for slug, langs in docs.items():
        for lang, doc in langs.items():
            path = page_path(site, slug, lang)
            soup = as_read(path)
            main = soup.find("main")
            text = words(main.get_text(" "))
            raw = path.read_text(encoding="utf-8")
            for other, state in states.items():
                link = f"/{other}/#letters"
                if state.is_closed:
                    # Nothing asks to act on an action that has ended: no link to its letters, no calendar,
                    # no passage written for while it was open, anywhere.
                    assert not [a for a in main.find_all("a", href=True) if a["href"].endswith(link)], (path, other)
                    assert f"/{other}/deadline.ics" not in raw, (path, other)
                    for passage in block_texts(doc["body"], "open", other, slug):
                        assert passage not in words(soup.get_text(" ")), (path, passage)
                else:
                    for passage in block_texts(doc["body"], "ended", other, slug):
                        assert passage not in text, (path, passage)  # kept hidden for the reader's clock
            check_metadata(path, doc, lang, today)
            if slug in states:
                check_action_page(site, slug, lang, states[slug], main, text)
            if slug == "home":
                check_home(site, lang, states, main)
    return {slug: state.phase for slug, state in states.items()}


STATUS_AS_OF = PartialDate.parse(
    yaml.safe_load((REAL_CONTENT / "timeline.yaml").read_text(encoding="utf-8"))["status_as_of"]
)
CATALOGS = load_translations(ROOT / "translations")


def check_metadata(path: Path, doc: dict, lang: str, today: dt.date) -> None:
    """The status's 'as of' day on the page, in its meta description and share cards; the
    JSON-LD as the page says; no typographic no-break space in share links or metadata."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    descriptions = [
        soup.find("meta", attrs={"name": "description"})["content"],
        soup.find("meta", attrs={"property": "og:description"})["content"],
        soup.find("meta", attrs={"name": "twitter:description"})["content"],
    ]
    titles = [soup.find("meta", attrs={"property": "og:title"})["content"]]
    for text in descriptions + titles:
        assert "\xa0" not in text and "\u202f" not in text, (path, text)
    for link in soup.select(".cs-share a[href]"):
        assert "%C2%A0" not in link["href"] and "%E2%80%AF" not in link["href"], (path, link["href"])
    deadline = doc["data"].get("deadline")
    ended = (
        deadline is not None
        and DeadlineState(dt.date.fromisoformat(str(deadline)), today).is_closed
        and not doc["data"].get("outcome")
    )
    if ended:  # it says so first
        sentence = ended_lead(lang, doc["data"]["kind"])
        assert all(text.startswith(sentence) for text in descriptions), (path, descriptions)
    if doc["data"].get("case_status"):
        lead, date = status_lead(lang), STATUS_AS_OF.format(lang)
        assert all((lead in text) if ended else text.startswith(lead) for text in descriptions), (path, descriptions)
        note = soup.select_one("main .cs-document__status")
        assert note is not None and date in note.get_text() and note.time["datetime"] == STATUS_AS_OF.iso
    for block in soup.select('script[type="application/ld+json"]'):
        data = json.loads(block.string)
        assert "\xa0" not in json.dumps(data, ensure_ascii=False), path
        assert data["author"]["name"] == doc["data"].get("issued_by", "Amnesty International"), path  # as the page says
        assert dt.date.fromisoformat(data["datePublished"]) <= today


def check_not_yet_issued(site: Path, today: dt.date, content: Path) -> None:
    """A document is offered nowhere before its issue day: no page, link, feed entry,
    sitemap entry or calendar file."""
    waiting = [slug for slug in documents(content) if not is_issued(slug, today, content)]
    outputs = [p for p in site.rglob("*") if p.suffix in (".html", ".xml", ".ics")]
    for slug in waiting:
        for lang in LANGS:
            assert not page_path(site, slug, lang).parent.exists(), (slug, lang, today)
        for path in outputs:
            assert f"/{slug}/" not in path.read_text(encoding="utf-8"), (path, slug, today)


def changed_on(slug: str, langs: dict, states: dict[str, DeadlineState], issued: dt.date) -> dt.date:
    """The day a document's text last changed: its issue day, or the day after the last day
    of an action it follows (its own, or one its blocks name) once that has ended."""
    followed = {slug} | {block.slug or slug for block in lifecycle.split(langs["en"]["body"])[0] if block.condition}
    if slug == "home":
        followed = set(states)
    ended = [states[s].deadline + dt.timedelta(days=1) for s in followed if s in states and states[s].is_closed]
    return max([issued, *ended])


ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed_entries(site: Path, lang: str) -> dict[str, dict[str, str]]:
    """The entries of a language's Atom feed, by slug: {field: text}."""
    prefix = "" if lang == "en" else f"{lang}/"
    feed = ElementTree.parse(site / prefix / "feed.xml").getroot()
    return {
        entry.find(f"{ATOM}id").text.rstrip("/").rsplit("/", 1)[-1]: {
            name: entry.find(f"{ATOM}{name}").text or "" for name in ("published", "updated", "content", "summary")
        }
        for entry in feed.iter(f"{ATOM}entry")
    }


def check_feeds_and_sitemap(site: Path, today: dt.date, states: dict[str, DeadlineState], content: Path) -> None:
    docs = {slug: langs for slug, langs in documents(content).items() if is_issued(slug, today, content)}
    days = issue_days(content)
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    lastmod = {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text for url in sitemap.iter(f"{SITEMAP}url")
    }
    assert len(lastmod) == len(docs) * len(LANGS), "the sitemap lists the issued pages only"
    for lang in LANGS:
        entries = feed_entries(site, lang)
        assert set(entries) == set(docs) - {"home"}, (lang, today)
        for slug, entry in entries.items():
            langs = docs[slug]
            changed = changed_on(slug, langs, states, days[slug])
            assert entry["published"].startswith(days[slug].isoformat()), (lang, slug)
            assert entry["updated"].startswith(changed.isoformat()), (lang, slug, today)
            summary, outcome = entry["summary"], langs[lang]["data"].get("outcome")
            ended = slug in states and states[slug].is_closed and not outcome
            if ended:  # it says so first
                sentence = ended_lead(lang, langs[lang]["data"]["kind"])
                assert summary.startswith(sentence), (lang, slug, today)
            if langs[lang]["data"].get("case_status"):  # a claim about their situation says when it held
                lead = status_lead(lang)
                assert (lead in summary) if ended else (summary.startswith(lead) or outcome), (lang, slug)
            assert "\xa0" not in entry["summary"], (lang, slug)
            html = entry["content"]
            assert "cs-when" not in html and ":::" not in html and "hidden" not in html, (lang, slug)
            text = words(BeautifulSoup(html, "html.parser").get_text(" "))
            for other, state in states.items():
                gone = "open" if state.is_closed else "ended"
                for passage in block_texts(langs[lang]["body"], gone, other, slug):
                    assert passage not in text, (lang, slug, passage, today)
                for passage in block_texts(langs[lang]["body"], "ended" if gone == "open" else "open", other, slug):
                    assert bare(passage) in bare(text), (lang, slug, passage, today)
        for slug in docs:
            (loc,) = [url for url in lastmod if urlsplit(url).path == site_path(slug, lang)]
            assert lastmod[loc] == changed_on(slug, docs[slug], states, days[slug]).isoformat(), (loc, today)
    for slug, state in states.items():
        for lang in LANGS:
            ics = page_path(site, slug, lang).parent / "deadline.ics"
            assert ics.is_file() == state.is_open, (slug, lang, today)


def check_action_page(site: Path, slug: str, lang: str, state: DeadlineState, main, text: str) -> None:
    notice = main.select_one(".cs-deadline")
    mailtos = [a for a in main.find_all("a", href=True) if a["href"].startswith("mailto:")]
    if state.is_closed:
        assert "cs-deadline--ended" in notice["class"] and notice.find("a") is None
        assert (
            main.select(".cs-deadline--open, .cs-copy, .cs-letter__actions, .cs-letter--signing, [data-cs-when]") == []
        )
        assert mailtos == [] and not (page_path(site, slug, lang).parent / "deadline.ics").exists()
        assert main.select_one("details.cs-targets--record:not([open])") is not None  # those written to, folded away
        assert main.select("section.cs-letter"), "the letters stay as a record"
        for call in calls_to_act(lang):
            assert call not in text, (slug, lang, call)
        return
    assert "cs-deadline--open" in notice["class"]
    assert notice.select_one(".cs-deadline__primary a")["href"].endswith(f"/{slug}/#letters")
    assert (page_path(site, slug, lang).parent / "deadline.ics").is_file()
    when = words(notice.select_one(".cs-deadline__when").get_text(" "))
    counts = re.findall(r"\d+", re.split(r"[.。]", when, maxsplit=1)[1])
    if state.phase == "last-days" and state.days_to_act > 1:
        assert str(state.days_to_act) in counts, when
    elif state.phase == "open":
        assert notice.select_one(".cs-deadline__when br") is None, "no count before the last week"


def check_home(site: Path, lang: str, states: dict[str, DeadlineState], main) -> None:
    take = main.select_one("#take-action")
    listed = [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in take.select(".cs-actions__item h3 a")]
    open_ones = sorted((s for s, state in states.items() if state.is_open), key=lambda s: (states[s].deadline, s))
    assert listed == open_ones, "Take action lists the open actions only, the nearest deadline first"
    none = take.select_one(".cs-actions__none")
    assert (none is not None) == (not open_ones)
    if not open_ones:
        assert {a["href"] for a in none.find_all("a")} == {"#case", "#share"}
        assert main.select_one("#case") is not None and as_read(page_path(site, "home", lang)).select_one("#share")
    past = [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in main.select(".cs-actions--past .cs-actions__item h3 a")]
    ended = sorted(
        (s for s, state in states.items() if state.is_closed), key=lambda s: states[s].deadline, reverse=True
    )
    assert past == ended
    for item in main.select(".cs-actions--past .cs-actions__item"):
        assert item.select_one(".cs-deadline--ended time")["datetime"]
        assert item.select(".cs-deadline__primary, .cs-deadline__links") == []


@pytest.mark.parametrize(
    "day, expected",
    [
        (TODAY, None),  # as of today
        (dt.date(2026, 12, 6), {"petition": "ended", "urgent-action": "ended"}),
        (dt.date(2024, 2, 1), {"petition": "open"}),  # the urgent action is not issued yet
        (dt.date(2024, 2, 18), {"petition": "last-days"}),  # the petition's last day
        (dt.date(2025, 1, 10), {"petition": "ended", "urgent-action": "open"}),
        (dt.date(2025, 3, 15), {"petition": "ended", "urgent-action": "last-days"}),
        (dt.date(2025, 3, 18), {"petition": "ended", "urgent-action": "last-days"}),
        (dt.date(2025, 3, 19), {"petition": "ended", "urgent-action": "ended"}),
    ],
)
def test_every_page_in_every_language_is_true_on_the_day(tmp_path, day, expected):
    site = build(tmp_path / "output", content=REAL_CONTENT, clock=day)
    phases = check_every_page(site, day)
    if expected is not None:
        assert phases == expected
    else:
        assert set(phases) == {slug for slug in deadlines() if is_issued(slug, day)}


def test_the_last_week_says_how_many_days_are_left_in_each_language(tmp_path):
    site = build(tmp_path / "output", content=REAL_CONTENT, clock=dt.date(2025, 3, 15))
    expected = {
        "en": "4 days left to act, today included (as of 15 March 2025).",
        "nl": "Nog 4 dagen om in actie te komen, vandaag meegerekend (stand per 15 maart 2025).",
        "zh": "还剩4天可以行动，含今天（截至2025年3月15日）。",
        "zh-hant": "還剩4天可以行動，含今天（截至2025年3月15日）。",
    }
    for lang in worded(expected):
        for slug in ("urgent-action", "home"):
            when = as_read(page_path(site, slug, lang)).select_one("main .cs-deadline--open .cs-deadline__when")
            assert words(when.get_text()).endswith(words(expected[lang])), (slug, lang)


# --- A document made with `make new` ------------------------------------------------------------


@pytest.fixture(scope="module")
def new_action_site(tmp_path_factory) -> Path:
    """The real content plus an action made by `make new`, filled in (deadline 2025-02-28)."""
    root = tmp_path_factory.mktemp("new-action")
    content = root / "content"
    import shutil

    shutil.copytree(CONTENT, content)
    for path in create(content / "pages", "action", "free-them-now", today=dt.date(2025, 1, 1)):
        fill_in(path)
        text = path.read_text(encoding="utf-8")
        text = text.replace(
            "::: open\nFilled in by the editor.",
            "::: open\nWrite to the authorities before the deadline, every letter counts.",
            1,
        )
        text = text.replace(
            "::: ended\nFilled in by the editor.",
            "::: ended\nThank you for writing, the deadline for this action has passed now.",
            1,
        )
        path.write_text(text, encoding="utf-8")
    return content


@pytest.mark.parametrize(
    "day, phase", [(dt.date(2025, 1, 10), "open"), (dt.date(2025, 2, 25), "last-days"), (dt.date(2025, 3, 1), "ended")]
)
def test_a_document_made_with_make_new_follows_its_deadline(new_action_site, tmp_path, day, phase):
    site = build(tmp_path / "output", content=new_action_site, clock=day)
    assert check_every_page(site, day, new_action_site)["free-them-now"] == phase
    for lang in LANGS:
        text = words(as_read(page_path(site, "free-them-now", lang)).find("main").get_text(" "))
        assert ("every letter counts" in text) == (phase != "ended")
        assert ("the deadline for this action has passed now" in text) == (phase == "ended")


# --- Editors' mistakes stop the build with one line ---------------------------------------------


def edited_copy(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for name, (old, new) in edits.items():
        path = content / "pages" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return content


def problem_lines(result) -> list[str]:
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    return [line for line in result.stderr.splitlines() if re.match(r"^\S+:\d+: ", line)]


def test_a_translation_whose_deadline_differs_stops_the_build_naming_both_files(tmp_path):
    content = edited_copy(tmp_path, {"urgent-action.nl.md": ("deadline: 2025-03-18", "deadline: 2025-03-17")})
    (line,) = problem_lines(run_pelican(tmp_path / "output", content=content, clock=dt.date(2025, 3, 18)))
    assert re.match(
        r"^\S*urgent-action\.nl\.md:\d+: deadline: is '2025-03-17' but \S*urgent-action\.en\.md has '2025-03-18' — ",
        line,
    ), line
    assert not (tmp_path / "output" / "nl" / "urgent-action" / "index.html").exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ("::: open urgent-action\nWrite now.\n", "block is never closed"),
        ("::: opne\nWrite now.\n:::\n", "'::: opne' is not a known block"),
        (":::\n", "closes a block that was never opened"),
        ("::: open no-such-action\nWrite now.\n:::\n", "'no-such-action' is not a document with a deadline"),
    ],
)
def test_a_mistake_in_a_block_stops_the_build_with_its_line(tmp_path, body, message):
    content = edited_copy(tmp_path, {"press-release.nl.md": ("\n## ", f"\n{body}\n## ")})
    (line,) = problem_lines(run_pelican(tmp_path / "output", content=content))
    assert "press-release.nl.md:" in line and message in line, line
    number = int(line.split(":")[1])
    written = (content / "pages" / "press-release.nl.md").read_text(encoding="utf-8").split("\n")[number - 1]
    assert written.startswith(":::"), written


def test_a_page_without_a_deadline_cannot_have_its_own_open_block(tmp_path):
    content = edited_copy(tmp_path, {"press-release.en.md": ("\n## ", "\n::: open\nWrite now.\n:::\n\n## ")})
    (line,) = problem_lines(run_pelican(tmp_path / "output", content=content))
    assert "press-release.en.md:" in line and "needs a deadline" in line and "::: open urgent-action" in line


# --- The blocks on their own ---------------------------------------------------------------------


def test_blocks_are_rendered_apart_and_marked():
    html = lifecycle.render(
        "Intro.\n\n::: open\nWrite *now*.\n:::\n\n::: ended urgent-action\nThanks.\n:::\n\nOutro.",
        lambda text: f"<p>{text.strip()}</p>",
    )
    assert html == (
        "<p>Intro.</p>\n<!--cs-when open --><p>Write *now*.</p><!--/cs-when-->\n"
        "<!--cs-when ended urgent-action--><p>Thanks.</p><!--/cs-when-->\n<p>Outro.</p>"
    )
    assert not lifecycle.has_own_ended_text(html)
    assert lifecycle.has_own_ended_text(lifecycle.render("::: ended\nThanks.\n:::", lambda text: text))


def test_a_fence_inside_code_is_text():
    blocks, problems = lifecycle.split("```\n::: open\n```\n")
    assert problems == [] and [b.condition for b in blocks] == [None]


@pytest.mark.parametrize(
    "today, expected",
    [
        (
            dt.date(2025, 3, 18),
            '<div class="cs-when" data-cs-when="open" data-cs-deadline="2025-03-18"><p>Write.</p></div>'
            '<div class="cs-when" data-cs-when="ended" data-cs-deadline="2025-03-18" hidden><p>Thanks.</p></div>',
        ),
        (dt.date(2025, 3, 19), "<p>Thanks.</p>"),
    ],
)
def test_resolve_keeps_what_holds_on_the_day(today, expected):
    html = "<!--cs-when open --><p>Write.</p><!--/cs-when--><!--cs-when ended --><p>Thanks.</p><!--/cs-when-->"
    assert lifecycle.resolve(html, {"ua": DeadlineState(dt.date(2025, 3, 18), today)}, "ua") == expected


# --- The reader's clock: a page built while open, read after the deadline -----------------------


@pytest.fixture(scope="module")
def built_while_open(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("while-open") / "output", content=REAL_CONTENT, clock=dt.date(2025, 3, 15))


# The last day, 18 March 2025, ends everywhere on Earth when it ends in UTC-12: at 12:00 UTC on
# the 19th (13:00 in Amsterdam, 05:00 in California). Until then it is still someone's 18th.
LAST_DAY_ENDS = dt.datetime(2025, 3, 19, 12, tzinfo=dt.UTC)
READERS = {"Europe/Amsterdam": "nl-NL", "America/Los_Angeles": "en-US"}


def open_at(tabs, site: Path, path: str, moment: dt.datetime, timezone_id: str):
    page = tabs.page(moment, timezone_id=timezone_id, locale=READERS[timezone_id])
    page.goto(tabs.origin(site) + path, wait_until="load")
    return page


@pytest.mark.browser
@pytest.mark.parametrize("timezone_id", READERS)
@pytest.mark.parametrize("lang", LANGS)
def test_a_page_built_while_open_turns_to_ended_by_the_readers_clock(tabs, built_while_open, lang, timezone_id):
    # Past the last day's end in UTC-12, in every reader's time zone: ended.
    page = open_at(
        tabs,
        built_while_open,
        site_path("urgent-action", lang),
        LAST_DAY_ENDS + dt.timedelta(minutes=1),
        timezone_id,
    )
    assert page.locator("main .cs-deadline--ended").first.is_visible()
    assert not page.locator("main .cs-deadline--open").first.is_visible()
    for selector in (".cs-letter__actions", ".cs-target__note", "a[href^='mailto:']", "a[href$='.ics']"):
        visible = [el for el in page.locator(f"main {selector}").all() if el.is_visible()]
        assert visible == [], selector
    text = words(page.locator("main").inner_text())
    for call in calls_to_act(lang):
        assert call not in text, call
    page.goto(page.url.replace(site_path("urgent-action", lang), site_path("home", lang)), wait_until="load")
    assert page.locator("#take-action .cs-actions__none").is_visible()
    assert not page.locator("#take-action .cs-actions__item").first.is_visible()
    assert page.locator(".cs-actions--past").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize(
    "timezone_id, moment, local",
    [
        # Amsterdam's 19th has begun, but the 18th is not over everywhere: still open.
        ("Europe/Amsterdam", LAST_DAY_ENDS - dt.timedelta(minutes=1), "2025-03-19 12:59"),
        # California's own last day, to its last minute: open (it ended at 17:00 under a UTC rule).
        ("America/Los_Angeles", dt.datetime(2025, 3, 19, 6, 59, tzinfo=dt.UTC), "2025-03-18 23:59"),
        ("America/Los_Angeles", dt.datetime(2025, 3, 19, 0, 30, tzinfo=dt.UTC), "2025-03-18 17:30"),
    ],
)
def test_the_last_day_lasts_until_it_has_ended_everywhere_on_earth(tabs, built_while_open, timezone_id, moment, local):
    page = open_at(tabs, built_while_open, site_path("urgent-action", "en"), moment, timezone_id)
    shown = page.evaluate(
        "() => { const d = new Date(); const p = (n) => String(n).padStart(2, '0');"
        " return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`; }"
    )
    assert shown == local, "the reader's own clock"
    assert page.locator("main .cs-deadline--open").is_visible()
    assert not page.locator("main .cs-deadline--ended").is_visible()
    assert page.locator("main a[href^='mailto:']").first.is_visible()


# --- The printed letter carries the day it is printed ---------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_a_printed_letter_is_dated_the_day_the_reader_prints_it(tabs, built_while_open, lang):
    # Built on 15 March 2025, printed in Amsterdam on the morning of the 17th.
    moment = dt.datetime(2025, 3, 17, 8, tzinfo=dt.UTC)
    page = open_at(tabs, built_while_open, site_path("urgent-action", lang), moment, "Europe/Amsterdam")
    expected = {"en": "17 March 2025", "nl": "17 maart 2025", "zh": "2025年3月17日"}
    page.emulate_media(media="print")
    dates = page.locator("main .cs-letter__date time").all()
    assert dates
    for date in dates:
        code = date.evaluate("el => el.closest('.cs-letter').id.split('-').pop()")
        if code in expected:
            assert date.inner_text() == expected[code], (lang, code)
        else:  # a language declared later: its own words for the day
            assert "17" in date.inner_text() and "2025" in date.inner_text(), (lang, code)
        assert date.get_attribute("datetime") == "2025-03-17"


@pytest.mark.parametrize("lang", LANGS)
def test_without_the_script_a_letter_is_dated_the_build_day(built_while_open, lang):
    soup = BeautifulSoup(page_path(built_while_open, "urgent-action", lang).read_text(encoding="utf-8"), "html.parser")
    dates = soup.select("main .cs-letter__date time")
    assert dates and {time["datetime"] for time in dates} == {"2025-03-15"}


# --- An outcome: what happened leads everywhere, and the document ends that day ---------------------

OUTCOME_DAY = dt.date(2025, 1, 20)
OUTCOMES = {  # a test's outcome, not a fact about the case
    "en": "Test outcome: the action was closed early.",
    "nl": "Testuitkomst: de actie is eerder gesloten.",
    "zh": "测试结果：本次行动已提前结束。",
}


@pytest.fixture(scope="module")
def outcome_content(tmp_path_factory) -> Path:
    """The real content, with an outcome recorded on the urgent action (open until 18 March 2025)."""
    import shutil

    content = tmp_path_factory.mktemp("outcome") / "content"
    shutil.copytree(REAL_CONTENT, content)
    for lang, text in OUTCOMES.items():
        path = content / "pages" / f"urgent-action.{lang}.md"
        written = path.read_text(encoding="utf-8")
        outcome = f'\ndeadline: 2025-03-18\noutcome:\n  date: {OUTCOME_DAY.isoformat()}\n  text: "{text}"\n'
        path.write_text(written.replace("\ndeadline: 2025-03-18\n", outcome, 1), encoding="utf-8")
    return content


def test_an_outcome_leads_every_output_in_every_language(outcome_content, tmp_path):
    site = build(tmp_path / "output", content=outcome_content, clock=dt.date(2025, 1, 25))
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    lastmod = {
        urlsplit(url.find(f"{SITEMAP}loc").text).path: url.find(f"{SITEMAP}lastmod").text
        for url in sitemap.iter(f"{SITEMAP}url")
    }
    for lang, outcome in OUTCOMES.items():
        catalog = CATALOGS[lang]
        action = BeautifulSoup(page_path(site, "urgent-action", lang).read_text(encoding="utf-8"), "html.parser")
        article = action.select_one("main article")
        first = article.find(True)
        assert "cs-outcome" in first["class"] and words(first.get_text()) == outcome, lang  # above everything
        text = words(action.find("main").get_text(" "))
        ended = ended_lead(lang, "action")
        assert words(ended) not in text, "closed by its outcome, not by its last day"
        assert words(catalog.gettext("This action closed on %(date)s.").split("%(date)s")[0]) in text
        assert action.select("main a[href^='mailto:'], main .cs-letter__actions") == []
        assert not (page_path(site, "urgent-action", lang).parent / "deadline.ics").exists()
        home = BeautifulSoup(page_path(site, "home", lang).read_text(encoding="utf-8"), "html.parser")
        lead = home.select_one("main article").find(True)
        assert "cs-outcomes" in lead["class"] and outcome in lead.get_text(), lang
        past = home.select_one(".cs-actions--past .cs-actions__item")
        assert outcome in past.get_text() and "urgent-action" in past.a["href"]
        for soup in (action, home):
            for name in ("description", "og:description", "twitter:description"):
                tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
                assert tag["content"].startswith(outcome), (lang, name)
            shared = [unquote_plus(a["href"]) for a in soup.select(".cs-share a[href]")]
            assert all(outcome in href for href in shared if "text=" in href or "subject=" in href), lang
        entry = feed_entries(site, lang)["urgent-action"]
        assert entry["updated"].startswith(OUTCOME_DAY.isoformat())
        assert entry["summary"].startswith(outcome) and outcome in entry["content"][:200]
        assert lastmod[site_path("urgent-action", lang)] == OUTCOME_DAY.isoformat()


def test_once_ended_an_action_says_so_first_where_it_is_shared_and_in_its_feed(real_site, tmp_path):
    """A feed reader or a shared link that still asked readers to act would not be true after the
    last day: the ended notice leads, as an outcome would; while open, nothing is put before."""
    ended_site = build(tmp_path / "output", content=REAL_CONTENT, clock=dt.date(2025, 3, 19))
    for lang in LANGS:
        for slug, kind in (("urgent-action", "action"), ("petition", "petition")):
            ended = words(ended_lead(lang, kind))
            for site, closed in ((ended_site, True), (real_site, slug == "petition")):  # real_site: the action open
                soup = BeautifulSoup(page_path(site, slug, lang).read_text(encoding="utf-8"), "html.parser")
                leads = [
                    (soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name}))["content"]
                    for name in ("description", "og:description", "twitter:description")
                ] + [feed_entries(site, lang)[slug]["summary"]]
                assert [words(text).startswith(ended) for text in leads] == [closed] * 4, (lang, slug, leads)
                shared = [unquote_plus(a["href"]) for a in soup.select(".cs-share a[href]")]
                shared = [href for href in shared if "text=" in href or "subject=" in href]
                assert shared and [ended in words(href) for href in shared] == [closed] * len(shared), (lang, slug)


def test_before_its_day_an_outcome_changes_nothing(outcome_content, tmp_path):
    site = build(tmp_path / "output", content=outcome_content, clock=OUTCOME_DAY - dt.timedelta(days=1))
    for lang, outcome in OUTCOMES.items():
        for slug in ("urgent-action", "home"):
            assert outcome not in page_path(site, slug, lang).read_text(encoding="utf-8"), (slug, lang)
        assert (page_path(site, "urgent-action", lang).parent / "deadline.ics").is_file()
        assert outcome not in (site / ("" if lang == "en" else lang) / "feed.xml").read_text(encoding="utf-8")
