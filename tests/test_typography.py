"""The site's typography is typogrify's, reached faster (plugins/campaign/typography.py):
the same bytes as the library for every page, title and letter, and for text built
to find the corners (quotes next to tags, escapes, code, comments)."""

from __future__ import annotations

import random

import pytest
import smartypants as smartypants_library
from typogrify.filters import typogrify as library_typogrify

from campaign import typography
from campaign.languages import LANGUAGES
from campaign.sources import page_files, read_page
from conftest import CONTENT

PAGES = [read_page(path) for path in page_files(CONTENT / "pages")]
TYPESET = [code for code, language in LANGUAGES.items() if language.smartypants]  # the others are left as written


def library_typeset(html: str, lang: str) -> str:
    if LANGUAGES[lang].dutch_elisions:
        html = typography.fix_dutch_elisions(html)
    return library_typogrify(html, typography._IGNORE, amp=False, caps=False, initial_quotes=False)


CORNERS = [
    "",
    "'",
    '"',
    "<p>'</p>",
    '<p>He said <em>"</em>yes<em>"</em>.</p>',
    "<p>x<em>'</em>s and <b>'</b>twas</p>",
    "<p>``Quoted'' -- and --- dashed... . . . done</p>",
    r"<p>Escaped \"quote\" and \'single\' and \\ and \. and \- and \`</p>",
    "<p>The '80s and \"'nested' words\" and '\"other\"' ones.</p>",
    "<pre>\"not 'here'\" -- ...</pre><p>\"but 'here'\" -- ...</p>",
    "<code>'a'</code>'b'<kbd>\"c\"</kbd>\"d\"<samp>'e'</samp><tt>'f'</tt><math>'g'</math>'h'",
    "<CODE>'upper'</CODE>'after' <code><code>'nested'</code>'still'</code>'out'",
    "</code>'unopened close' <pre>'open'</code>'mismatched'</pre>'closed'",
    '<!-- a "comment" -- here --> "after" <!-- -- x -- -->\'y\'',
    "<p>A very long paragraph whose last word should not stand alone</p><h2>A heading too</h2>",
    '<a href="/x" title="\'attr\'">"link"</a> &quot;entity&quot; &amp; "amp"',
    "<p>\u201calready curly\u201d and 'straight' — em\u00a0dash 'tis 'n' 'em</p>",
    "Zij zei: 'nee', en 's avonds ging 't licht uit.",
]


@pytest.mark.parametrize("html", CORNERS)
def test_smartypants_is_the_library_s_on_the_corners(html):
    assert typography.smartypants(html) == smartypants_library.smartypants(html)


@pytest.mark.parametrize("lang", TYPESET)
@pytest.mark.parametrize("html", CORNERS)
def test_typeset_is_typogrify_s_on_the_corners(html, lang):
    assert typography.typeset(html, lang) == library_typeset(html, lang)


def test_smartypants_is_the_library_s_on_random_text():
    pieces = [
        "'",
        '"',
        "`",
        "``",
        "''",
        "-",
        "--",
        "---",
        ".",
        "...",
        ". . .",
        "\\",
        " ",
        "\n",
        "\u00a0",
        "a",
        "We",
        "80s",
        "9",
        "(",
        ")",
        "[",
        "—",
        "&#8211;",
        "&nbsp;",
        "<p>",
        "</p>",
        "<em>",
        "</em>",
        "<code>",
        "</code>",
        "<pre>",
        "</pre>",
        "<!--",
        "-->",
        "<br/>",
        "<",
        ">",
        "“",
        "。",
        "，",
    ]
    generator = random.Random(20231212)
    for _ in range(3000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(1, 30)))
        assert typography.smartypants(text) == smartypants_library.smartypants(text), text


@pytest.mark.parametrize("page", [page for page in PAGES if page.lang in TYPESET], ids=lambda page: page.path)
def test_every_page_is_typeset_as_typogrify_would(page):
    from markdown import Markdown

    from conftest import ROOT

    settings = {}
    exec((ROOT / "pelicanconf.py").read_text(encoding="utf-8"), {"__file__": str(ROOT / "pelicanconf.py")}, settings)
    html = Markdown(**settings["MARKDOWN"]).convert(page.parsed.body)
    assert typography.typeset(html, page.lang) == library_typeset(html, page.lang)
    letter = page.parsed.data.get("letter") or {}
    for text in [
        page.parsed.data.get("title", ""),
        page.parsed.data.get("summary", ""),
        *(str(v) for v in letter.values()),
    ]:
        assert typography.smartypants(text) == smartypants_library.smartypants(text)
