"""Whatever an editor or translator writes is text unless it is meant as markup: front matter
is escaped in HTML, attributes, feeds, JSON-LD and mailto links (R5); catalog strings are
escaped, except the template's own placeholders (R6); raw HTML in Markdown stays within
an allowlist, enforced with nh3 (R7); an e-mail subject stays on one line (R11); share
links encode every character RFC 6068 reserves (R12); a broken catalog line stops the
build (R10)."""

from __future__ import annotations

import gettext
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment
from markupsafe import Markup

from campaign import templating
from campaign.catalogs import check_catalogs
from campaign.frontmatter import parse
from campaign.sanitizer import sanitize_html
from campaign.sources import markdown_renderer
from campaign.typography import typeset_title
from campaign.validation import validate_page
from conftest import CONTENT, ROOT, build, page_path, run_pelican

HOSTILE_TITLE = "Rights <now> & a<b <meta http-equiv=refresh content=0;url=https://evil.example/>"
HOSTILE_SUMMARY = "Summary </p><iframe src=x></iframe> & \"quotes\" 'too' <img src=x onerror=alert(1)>"  # (<script> is refused: test_validation)
HOSTILE_NAME = "Zhang <b>Rui</b> & Co"
# Summaries are typeset like the page (curly quotes): every character stays, as text.
TYPESET_SUMMARY = typeset_title(HOSTILE_SUMMARY, "en")
ATOM = "{http://www.w3.org/2005/Atom}"


def set_field(path: Path, name: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(rf"^{name}: .*$", f"{name}: {json.dumps(value)}", text, count=1, flags=re.M)
    assert changed != text, f"{path} has no {name}: line"
    path.write_text(changed, encoding="utf-8")


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    content = Path(shutil.copytree(CONTENT, root / "content"))
    for slug in ("press-release", "urgent-action"):
        page = content / "pages" / f"{slug}.en.md"
        set_field(page, "title", HOSTILE_TITLE)
        set_field(page, "summary", HOSTILE_SUMMARY)
    action = content / "pages" / "urgent-action.en.md"
    text = action.read_text(encoding="utf-8")
    name = re.search(r"^  - name: (.*)$", text, flags=re.M)
    action.write_text(text.replace(name.group(0), f"  - name: {json.dumps(HOSTILE_NAME)}", 1), encoding="utf-8")
    return build(root / "site", content=content, settings="publishconf.py", SITEURL="https://example.org/campaign")


def soup(site: Path, slug: str, lang: str = "en") -> BeautifulSoup:
    return BeautifulSoup(page_path(site, slug, lang).read_text(encoding="utf-8"), "html.parser")


def test_front_matter_is_text_in_every_html_page(hostile_site):
    for path in hostile_site.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not page.find_all("meta", attrs={"http-equiv": re.compile("refresh", re.I)}), path
        assert not page.find_all(attrs={"onerror": True}), path
        assert not page.find_all(["now", "b", "iframe"]), path


def test_titles_and_summaries_keep_every_character(hostile_site):
    press = soup(hostile_site, "press-release")
    assert plain(press.find("h1").get_text()) == HOSTILE_TITLE
    assert plain(press.title.get_text()).startswith(HOSTILE_TITLE)
    assert plain(press.find("meta", property="og:title")["content"]) == HOSTILE_TITLE
    assert TYPESET_SUMMARY != HOSTILE_SUMMARY and "<iframe src=x></iframe>" in TYPESET_SUMMARY
    assert plain(press.find("meta", attrs={"name": "description"})["content"]) == plain(TYPESET_SUMMARY)
    assert plain(press.select_one(".cs-document__summary").get_text()) == plain(TYPESET_SUMMARY)
    news_article = json.loads(press.find("script", type="application/ld+json").string)
    assert plain(news_article["headline"]) == HOSTILE_TITLE
    home = soup(hostile_site, "home")
    assert HOSTILE_TITLE in [plain(a.get_text()) for a in home.select(".cs-actions__title a")]


def test_names_are_text_on_the_action_page(hostile_site):
    action = soup(hostile_site, "urgent-action")
    assert HOSTILE_NAME in plain(action.get_text())


def test_feeds_carry_titles_as_text_and_summaries_as_escaped_html(hostile_site):
    feed = ET.parse(hostile_site / "feed.xml").getroot()
    entries = {plain(entry.find(f"{ATOM}title").text): entry for entry in feed.iter(f"{ATOM}entry")}
    assert HOSTILE_TITLE in entries
    summary = entries[HOSTILE_TITLE].find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert plain(BeautifulSoup(summary.text, "html.parser").get_text()) == plain(
        TYPESET_SUMMARY
    )  # as a feed reader shows it


def test_share_and_letter_links_carry_the_title_and_encode_what_rfc_6068_reserves(hostile_site):
    """R12: in every mailto link, each subject and body holds only unreserved characters and %XX."""
    links = [
        a["href"]
        for path in hostile_site.rglob("*.html")
        for a in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all(
            "a", href=re.compile("^mailto:")
        )
    ]
    assert links
    for link in links:
        for field in urlsplit(link).query.split("&"):
            name, _, value = field.partition("=")
            assert re.fullmatch(r"[A-Za-z0-9\-._~%]*", value), (name, value[:80])
    share = soup(hostile_site, "press-release").select_one(".cs-share a[href^='mailto:']")["href"]
    fields = dict(field.split("=", 1) for field in urlsplit(share).query.split("&"))
    assert plain(unquote(fields["subject"])) == HOSTILE_TITLE
    assert unquote(fields["body"]).endswith("https://example.org/campaign/press-release/")


# --- Catalogs (R6, R10) -------------------------------------------------------------


class Stub(gettext.NullTranslations):
    def __init__(self, strings):
        super().__init__()
        self.strings = strings

    def gettext(self, message):
        return self.strings.get(message, message)


def render(source: str, translated: dict[str, str], autoescape: bool = True, **values) -> str:
    env = Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    templating.install(
        env, {"en": gettext.NullTranslations(), "nl": Stub(translated), "zh": gettext.NullTranslations()}
    )
    return env.from_string(source).render(lang="nl", **values)


def test_a_translation_is_escaped_and_the_template_s_markup_in_its_placeholder_is_kept():
    when = Markup('<time datetime="2025-03-18">18 maart 2025</time>')
    out = render(
        '{{ _("Open until %(date)s.", date=when) }}',
        {"Open until %(date)s.": "<b>Open</b> tot %(date)s & <script>x</script>"},
        when=when,
    )
    assert (
        out
        == '&lt;b&gt;Open&lt;/b&gt; tot <time datetime="2025-03-18">18 maart 2025</time> &amp; &lt;script&gt;x&lt;/script&gt;'
    )
    assert (
        render(
            '{{ _("Subject: %(subject)s", subject=s) }}', {"Subject: %(subject)s": "Onderwerp: %(subject)s"}, s="<a>"
        )
        == "Onderwerp: &lt;a&gt;"
    )


def test_a_string_whose_english_has_tags_keeps_the_translation_s_tags():
    out = render('{{ _("Read <em>this</em>") }}', {"Read <em>this</em>": "Lees <em>dit</em>"})
    assert out == "Lees <em>dit</em>"


def test_where_the_template_writes_text_the_translation_is_left_as_text():
    out = render(
        '{{ _("Hello %(name)s & co", name=who) }}',
        {"Hello %(name)s & co": "Hallo %(name)s & co"},
        autoescape=False,
        who="<Li>",
    )
    assert out == "Hallo <Li> & co"  # the plain-text e-mail (short_message.html) is never escaped


def copy_translations(tmp_path: Path) -> Path:
    return Path(
        shutil.copytree(ROOT / "translations", tmp_path / "translations", ignore=shutil.ignore_patterns("*.mo"))
    )


def check(translations: Path):
    return check_catalogs(translations, ROOT / "theme" / "templates", ROOT / "babel.cfg")


SKIP_LINK = re.compile(r'msgid "Skip to main content"\nmsgstr "([^"\n]*)"')


def edit_catalog(translations: Path, new_msgstr_line) -> tuple[Path, int]:
    """Replace the Dutch msgstr line of a string every page shows; return the catalog and that line."""
    catalog = translations / "nl" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text(encoding="utf-8")
    entry = SKIP_LINK.search(text)
    assert entry, "the test needs the Dutch translation of 'Skip to main content'"
    line = f'msgstr "{entry.group(1)}"'
    catalog.write_text(
        text.replace(entry.group(0), entry.group(0).replace(line, new_msgstr_line(entry.group(1))), 1), encoding="utf-8"
    )
    return catalog, text[: entry.start()].count("\n") + 2


def test_markup_in_a_translation_stops_check_and_build(tmp_path):
    """R6: a msgstr with <script> and <meta refresh> is reported, not published."""
    translations = copy_translations(tmp_path)
    catalog, line = edit_catalog(
        translations, lambda text: f'msgstr "{text}<script>alert(1)</script><meta http-equiv=refresh content=0>"'
    )
    problems = check(translations).problems
    assert [(p.path, p.line) for p in problems] == [(str(catalog), line - 1)]  # the entry's msgid line
    assert "contains markup" in problems[0].message and problems[0].fix
    built = run_pelican(tmp_path / "site", options=("-e", f"CAMPAIGN_TRANSLATIONS={json.dumps(str(translations))}"))
    assert built.returncode != 0 and "contains markup" in built.stderr and "Traceback" not in built.stderr
    assert not (tmp_path / "site").exists()


def test_a_msgstr_missing_its_closing_quote_stops_check_and_build(tmp_path):
    """R10: Babel would drop the last character and go on; the check names the line."""
    translations = copy_translations(tmp_path)
    catalog, line = edit_catalog(translations, lambda text: f'msgstr "{text}')
    problems = check(translations).problems
    assert [(p.path, p.line) for p in problems] == [(str(catalog), line)]
    assert "cannot be read" in problems[0].message
    built = run_pelican(tmp_path / "site", options=("-e", f"CAMPAIGN_TRANSLATIONS={json.dumps(str(translations))}"))
    assert built.returncode != 0 and f"{catalog}:{line}:" in built.stderr


# --- Raw HTML in Markdown (R7) ---------------------------------------------------------

MARKDOWN = markdown_renderer(
    {"extensions": ["markdown.extensions.extra", "markdown.extensions.smarty"], "output_format": "html5"}
)

REFUSED = {
    "script": ("<script>alert(1)</script>", "contains a <script> tag"),
    "style": ("<style>body{display:none}</style>", "<style> element"),
    "meta refresh": ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta> element"),
    "base": ('<base href="https://evil.example/">', "<base> element"),
    "link": ('<link rel="stylesheet" href="https://evil.example/x.css">', "<link> element"),
    "iframe": ('<iframe src="https://evil.example/"></iframe>', "<iframe> element"),
    "object": ('<object data="x.swf"></object>', "<object> element"),
    "embed": ('<embed src="x.swf">', "<embed> element"),
    "form": ('<form action="https://evil.example/"><input name=q></form>', "<form> element"),
    "video": ('<video src="https://evil.example/v.mp4"></video>', "<video> element"),
    "audio": ('<audio src="a.mp3"></audio>', "<audio> element"),
    "svg": ('<svg onload="alert(1)"></svg>', "<svg> element"),
    "event handler": ('<p onclick="alert(1)">Click</p>', "event handler (onclick)"),
    "event handler by attribute list": ('A paragraph.\n{: onmouseover="alert(1)" }', "event handler (onmouseover)"),
    "style attribute": ('<p style="position:fixed">x</p>', "'style' attribute"),
    "style beyond alignment": ('<table><tr><td style="position:fixed">x</td></tr></table>', "style attribute"),
    "javascript link as HTML": ('<a href="javascript:alert(1)">x</a>', "javascript: address"),
    "javascript link as Markdown": ("[x](javascript:alert(1))", "javascript: address"),
    "javascript link with spaces": ('<a href=" java\tscript:alert(1)">x</a>', "javascript: address"),
    "data link": ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data: address"),
    "image from another host as HTML": (
        '<img src="https://tracker.example/p.gif" alt="">',
        "image from another site (tracker.example)",
    ),
    "image from another host as Markdown": (
        "![pixel](https://tracker.example/p.gif)",
        "image from another site (tracker.example)",
    ),
    "image without a scheme": ('<img src="//tracker.example/p.gif" alt="">', "image from another site"),
    "image from a data URL": ("![x](data:image/png;base64,iVBORw0KGgo=)", "image from a data: URL"),
    "image with a backslash for a slash": ('<img src="/\\tracker.example/p.gif" alt="">', "image from another site"),
    "link by entity": ('<a href="&#106;avascript:alert(1)">x</a>', "javascript: address"),
    "srcset": ('<img src="a.png" srcset="https://tracker.example/p.gif 2x" alt="">', "'srcset' attribute"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_is_outside_the_allowlist_is_found_and_removed(case):
    source, words = REFUSED[case]
    clean, findings = sanitize_html(MARKDOWN.reset().convert(f"Some text.\n\n{source}\n"))
    assert findings, case
    assert any(words in finding.what for finding in findings), [f.what for f in findings]
    assert all(finding.fix for finding in findings)
    for danger in (
        "<script",
        "<style",
        "<meta",
        "<base",
        "<link",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<video",
        "<audio",
        "<svg",
        "onclick",
        "onmouseover",
        "javascript:",
        "&#106;",
        "data:",
        "tracker.example",
        "position:fixed",
    ):
        assert danger not in clean.lower(), (case, clean)


ALLOWED = {
    "emphasis and links": "Read *this*, **that** and [the action]({filename}urgent-action.en.md), or [mail us](mailto:a@example.org).",
    "external link": "[Amnesty](https://www.amnesty.org/en/documents/asa17/8012/2024/en/)",
    "lists and quotes": "- one\n- two\n\n1. first\n\n> quoted",
    "table with alignment": "| a | b |\n|:--|--:|\n| 1 | 2 |",
    "footnote": "A claim.[^1]\n\n[^1]: The source.",
    "abbreviation": "The UN said so.\n\n*[UN]: United Nations",
    "image of this site": "![The logo](/theme/images/share-en.png)",
    "raw html within the list": '<figure><img src="images/x.png" alt="x"><figcaption>A <abbr title="United Nations">UN</abbr> photo</figcaption></figure>',
    "attribute list": "## A heading {: #a-heading .note }",
}


@pytest.mark.parametrize("case", ALLOWED)
def test_what_markdown_makes_passes_unchanged_in_meaning(case):
    rendered = MARKDOWN.reset().convert(ALLOWED[case])
    clean, findings = sanitize_html(rendered)
    assert findings == [], findings
    assert BeautifulSoup(clean, "html.parser").get_text() == BeautifulSoup(rendered, "html.parser").get_text()
    assert [tag.name for tag in BeautifulSoup(clean, "html.parser").find_all()] == [
        tag.name for tag in BeautifulSoup(rendered, "html.parser").find_all()
    ]


def test_a_body_with_html_outside_the_allowlist_stops_check_and_build_on_its_line(tmp_path):
    content = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    page = content / "pages" / "press-release.en.md"
    lines = page.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines += [
        "",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        "",
        "![](https://tracker.example/p.gif)",
    ]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta_line, image_line = len(lines) - 2, len(lines)
    built = run_pelican(tmp_path / "site", content=content)
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert f"{page}:{meta_line}: body: contains a <meta> element" in built.stderr
    assert f"{page}:{image_line}: body: shows an image from another site (tracker.example)" in built.stderr
    from campaign.check import Locations, run

    checked = run(Locations.from_settings(ROOT / "pelicanconf.py", content))
    assert {str(p) for p in checked.problems} == {line for line in built.stderr.splitlines() if " — " in line}


# --- E-mail subject (R11) ------------------------------------------------------------------


def test_a_line_break_in_the_letter_s_subject_stops_the_build(tmp_path):
    source = (CONTENT / "pages" / "urgent-action.en.md").read_text(encoding="utf-8")
    text = re.sub(
        r"^  subject: .*$",
        lambda _: '  subject: "Release them\\r\\nBcc: someone@example.org"',
        source,
        count=1,
        flags=re.M,
    )
    assert text != source
    parsed, problems = parse(text, "urgent-action.en.md")
    problems += validate_page(parsed, "urgent-action.en.md", "en")
    assert [(p.field, p.message) for p in problems] == [("letter.subject", "has a line break in it")]
    assert problems[0].line == parsed.line("letter.subject") and "one line" in problems[0].fix
