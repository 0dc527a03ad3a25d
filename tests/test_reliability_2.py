"""The review reliability-2.md, item by item, where the rules live (the whole build sees the
same inputs in tests/test_bad_input_corpus.py; the output folder in tests/test_output_folder.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from campaign import lifecycle
from campaign.catalogs import header_and_duplicate_problems, syntax_problems
from campaign.dates import DateFormatError, PartialDate, parse_date
from campaign.devserver import Builder, ServedSite
from campaign.sanitizer import sanitize_html
from campaign.scaffold import ScaffoldError, create
from conftest import CONTENT, ROOT, settings_file


@pytest.mark.parametrize("slug, says", [("nl", "Dutch pages (/nl/)"), ("zh", "(/zh/)"), ("theme", "/theme/")])
def test_make_new_refuses_a_slug_that_is_an_address_of_the_site(tmp_path, slug, says):
    """N6: /nl/ is the Dutch home page; /theme/ holds the stylesheets."""
    with pytest.raises(ScaffoldError, match=rf"SLUG={slug} is .*{re.escape(says)}.* choose another slug"):
        create(tmp_path, "press", slug)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("value", ["9999-12-31", "0202-03-18", "2101-01-01"])
def test_dates_outside_a_sane_range_are_refused(value):
    """N7: the .ics end is the day after a deadline; 9999-12-31 overflowed."""
    with pytest.raises(DateFormatError, match="from 1900 to 2100"):
        parse_date(value)
    assert parse_date("2100-12-31").year == 2100 and PartialDate.parse("1900").year == 1900


def test_a_fence_ends_only_at_its_own_marker_and_indented_block_lines_are_reported():
    """N8: a ~~~ inside ``` does not end the code; an indented ':::' is not a block and is said."""
    blocks, problems = lifecycle.split("```\ncode\n~~~\nmore\n```\n\n::: ended\nOver.\n:::\n")
    assert [block.condition for block in blocks] == [None, "ended"] and problems == []
    blocks, problems = lifecycle.split("~~~~\n::: open\n~~~\n:::\n~~~~\n")
    assert [block.condition for block in blocks] == [None] and problems == []
    _, problems = lifecycle.split("- item\n  ::: open\n  Write today!\n  :::\n")
    assert [(line, "indented" in message) for line, message, _fix in problems] == [(2, True), (4, True)]


def test_a_catalog_must_say_utf_8_and_have_each_msgid_once():
    """N11: charset=latin-1 garbled every Dutch page; a second entry was ignored in silence."""
    data = (ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po").read_bytes()
    assert header_and_duplicate_problems(data, "nl.po") == [] and syntax_problems(data, "nl.po") == []
    latin = data.replace(b"charset=utf-8", b"charset=latin-1").replace(b"charset=UTF-8", b"charset=latin-1")
    (problem,) = header_and_duplicate_problems(latin, "nl.po")
    assert problem.line == latin.split(b"charset=")[0].count(b"\n") + 1 and "charset=latin-1" in problem.message
    doubled = data + b'\nmsgid "Skip to main content"\nmsgstr "Sla over"\n'
    (problem,) = header_and_duplicate_problems(doubled, "nl.po")
    first = data.split(b'msgid "Skip to main content"')[0].count(b"\n") + 1
    assert problem.line == doubled.count(b"\n") - 1 and f"on line {first} and on line {problem.line}" in problem.message
    (problem,) = syntax_problems(data.replace(b'"Direct naar de inhoud"', b'"Direct naar de inhoud \xeb"'), "nl.po")
    assert "not UTF-8" in problem.message


@pytest.mark.parametrize(
    "html",
    [
        '<img src="\x01//evil.example/p.gif">',
        '<a href="\x01javascript:alert(1)">x</a>',
        '<a href=" \x1fjavascript:x">y</a>',
    ],
)
def test_the_sanitizer_strips_control_characters_before_it_reads_a_scheme(html):
    """N12: browsers strip U+0001-U+0020 around a URL."""
    clean, findings = sanitize_html(html)
    assert findings and "evil.example" not in clean and "javascript" not in clean


def test_an_address_the_sanitizer_drops_is_reported_not_lost_in_silence(monkeypatch):
    """N12: any URL attribute nh3 removes that the checks let pass is a finding."""
    from campaign import sanitizer

    monkeypatch.setattr(sanitizer, "_url_finding", lambda tag, name, url: None)  # a check that missed it
    clean, findings = sanitize_html('<a href="vbscript:x">y</a>')
    assert clean == "<a>y</a>" and [f.what for f in findings] == [
        "has a href on <a> that cannot be published as written"
    ]


def test_the_devserver_shows_a_template_error_as_one_line(tmp_path):
    """N14: the template's name and line, no traceback, in the terminal and the browser's banner."""
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    (theme / "templates" / "partials" / "when.html").write_text("{% if %}\n", encoding="utf-8")
    settings = settings_file(tmp_path / "settings.py", THEME=theme)
    state, said = ServedSite(), []
    assert not Builder(Path(CONTENT), settings, tmp_path / "builds", state, said.append).build()
    problems = state.snapshot.problems
    assert "Traceback" not in "\n".join(said) and "\n" not in problems
    assert problems.endswith(
        "partials/when.html:1: the template cannot be read (Expected an expression, got 'end of statement block') — correct the template at that line"
    )


def test_the_devserver_sees_a_save_that_kept_the_file_s_time(tmp_path):
    """N14 (minor): `touch -r` or `cp -p` keep the modification time and perhaps the size."""
    import os

    from campaign.devserver import snapshot_files

    page = tmp_path / "page.en.md"
    page.write_text("Amnesty", encoding="utf-8")
    before = snapshot_files([tmp_path])
    status = page.stat()
    page.write_text("AMNESTY", encoding="utf-8")
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert page.stat().st_size == status.st_size and page.stat().st_mtime_ns == status.st_mtime_ns
    assert snapshot_files([tmp_path]) != before
