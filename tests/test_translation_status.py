"""The translation status: missing and out-of-date translations of documents, timeline
events and interface strings, in `make check` and in the build's output."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

from campaign.catalogs import template_strings
from campaign.check import Locations, run
from campaign.fingerprints import event_fingerprint, page_fingerprint
from campaign.frontmatter import parse
from campaign.languages import english_names
from campaign.status import TRANSLATED
from conftest import ROOT, SETTINGS, WRITTEN, copy_site, replace, run_check, run_pelican

FRONT = """---
title: "Free them"
lang: en
slug: free-them
kind: action
date: 2025-01-01
summary: "Write today."
deadline: 2025-03-18
targets:
  - name: A. Person
    address: ["Street 1", "City"]
    email: a@example.org
    role: target
    priority: 1
letter:
  subject: "Free them"
  body: |
    Please free them.

    Yours sincerely,
---

Body text.
"""


def fingerprint(text: str) -> str:
    parsed, problems = parse(text, "x.en.md")
    assert not problems
    return page_fingerprint(parsed.data, parsed.body)


def test_fingerprint_follows_the_text_not_the_layout():
    original = fingerprint(FRONT)
    assert fingerprint(FRONT.replace("Body text.", "Body text.   \n\n\n")) == original  # invisible whitespace
    assert fingerprint(FRONT.replace('summary: "Write today."', "summary: Write today.")) == original  # quoting
    assert fingerprint(FRONT.replace("Body text.", "Other text.")) != original
    assert fingerprint(FRONT.replace("Please free them.", "Please release them.")) != original
    assert fingerprint(FRONT.replace('title: "Free them"', 'title: "Release them"')) != original
    # fields that are the same in every language are compared directly, not fingerprinted
    assert fingerprint(FRONT.replace("deadline: 2025-03-18", "deadline: 2025-04-01")) == original
    assert fingerprint(FRONT.replace("email: a@example.org", "email: b@example.org")) == original
    assert event_fingerprint("An event.") != event_fingerprint("Another event.")
    assert re.fullmatch(r"[0-9a-f]{10}", original)


def status_lines(content: Path, translations: Path) -> list[str]:
    result = run(Locations.from_settings(SETTINGS, content, translations))
    assert not result.problems, result.problems
    return [str(item) for item in result.status.items]


def set_translation_of(path: Path, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^translation_of: .*\n", "", text)
    path.write_text(text.replace("\nlang: ", f'\ntranslation_of: "{value}"\nlang: ', 1), encoding="utf-8")


def mark_everything_translated(content: Path, translations: Path) -> None:
    """What an editor does after `make check`: copy each printed fingerprint into place."""
    result = run(Locations.from_settings(SETTINGS, content, translations))
    by_slug = {page.slug: page for page in result.pages if page.lang == "en"}
    for page in result.pages:
        if page.lang != "en":
            english = by_slug[page.slug]
            set_translation_of(Path(page.path), page_fingerprint(english.parsed.data, english.parsed.body))
    timeline = content / "timeline.yaml"
    text = re.sub(r"(?m)^    translation_of: .*\n", "", timeline.read_text(encoding="utf-8"))
    out, english = [], None
    for line in text.split("\n"):
        out.append(line)
        match = re.match(r"^      en: (.*)$", line)
        if match:
            english = match.group(1)
        if re.match(r"^      zh: ", line) and english is not None:
            out.append(f'    translation_of: "{event_fingerprint(yaml.safe_load(english))}"')
    timeline.write_text("\n".join(out), encoding="utf-8")
    for lang in TRANSLATED:  # and translate every interface string
        path = translations / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for string in template_strings(ROOT / "theme" / "templates", ROOT / "babel.cfg"):
            message = catalog.get(string.key, context=string.context)
            if message is None:
                catalog.add(string.msgid, string.msgid, context=string.context)
            else:
                message.flags.discard("fuzzy")
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if not all(strings):
                    message.string = message.id
        with path.open("wb") as handle:
            write_po(handle, catalog)


def test_marked_translations_are_up_to_date(tmp_path):
    content, translations = copy_site(tmp_path)
    mark_everything_translated(content, translations)
    result = run(Locations.from_settings(SETTINGS, content, translations))
    assert result.status.up_to_date, [str(item) for item in result.status.items]
    written, generated = result.status.summary()[:-1], result.status.summary()[-1]
    assert all(line.endswith("up to date") and " 0 of" not in line for line in written)
    # Traditional Chinese is made from the Chinese at every build: it follows it, never missing.
    assert generated == "Traditional Chinese (zh-hant): follows Chinese (zh), converted at every build"


def test_english_change_makes_its_translations_out_of_date(tmp_path):
    content, translations = copy_site(tmp_path)
    mark_everything_translated(content, translations)
    english = content / "pages/press-release.en.md"
    replace(english, "## The charge", "## The charges")
    lines = status_lines(content, translations)
    assert len(lines) == len(TRANSLATED), lines
    new = fingerprint(english.read_text(encoding="utf-8"))
    for lang in TRANSLATED:
        path = content / f"pages/press-release.{lang}.md"
        line = next(
            number
            for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
            if text.startswith("translation_of:")
        )
        assert any(
            text.startswith(f"{path}:{line}: translation_of: {english} has changed")
            and f'translation_of: "{new}"' in text
            for text in lines
        ), lines
    # the editor updates the translations and pastes the printed value: up to date again
    for lang in TRANSLATED:
        set_translation_of(content / f"pages/press-release.{lang}.md", new)
    assert status_lines(content, translations) == []


def test_missing_translation_of_is_reported_with_the_value_to_add(tmp_path):
    content, translations = copy_site(tmp_path)
    mark_everything_translated(content, translations)
    path = content / "pages/home.zh.md"
    path.write_text(re.sub(r"(?m)^translation_of: .*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    lines = status_lines(content, translations)
    value = fingerprint((content / "pages/home.en.md").read_text(encoding="utf-8"))
    assert lines == [
        f"{path}:3: translation_of: is not set, so nobody can tell whether this translation matches "
        f"{content}/pages/home.en.md — once it does, add the line translation_of: \"{value}\" below 'lang:'"
    ]


def test_fields_that_must_match_are_compared(tmp_path):
    content, translations = copy_site(tmp_path)
    mark_everything_translated(content, translations)
    path = content / "pages/urgent-action.nl.md"
    replace(path, "date: 2024-06-14", "date: 2024-06-10")
    lines = status_lines(content, translations)
    assert len(lines) == 1
    assert re.match(
        rf"{re.escape(str(path))}:\d+: date: is \"2024-06-10\" here but \"2024-06-14\" in .*urgent-action.en.md"
        " — use the same value in every language",
        lines[0],
    )


def test_an_address_changed_in_every_language_leaves_the_translations_up_to_date(tmp_path):
    """An envelope line has nothing to translate (editor trial, F11): it is compared, not fingerprinted."""
    content, translations = copy_site(tmp_path)
    mark_everything_translated(content, translations)
    for lang in WRITTEN:
        replace(content / f"pages/urgent-action.{lang}.md", '"Washington DC 20008"', '"Washington, DC 20008"')
        replace(
            content / f"pages/urgent-action.{lang}.md", "    role: cc\n", '    phone: "+1 202 495 2266"\n    role: cc\n'
        )
    assert status_lines(content, translations) == []
    replace(content / "pages/urgent-action.nl.md", '"Washington, DC 20008"', '"Washington DC 20008"')
    (line,) = status_lines(content, translations)
    assert "urgent-action.nl.md" in line and "targets[2].address: is" in line and "use the same value" in line


def test_timeline_event_changed_in_english(tmp_path):
    content, translations = copy_site(tmp_path)
    mark_everything_translated(content, translations)
    timeline = content / "timeline.yaml"
    replace(timeline, "Their trial is due to open in Guangzhou.", "Their trial is due to start in Guangzhou.")
    lines = status_lines(content, translations)
    assert len(lines) == 1, lines
    assert re.match(
        rf"{re.escape(str(timeline))}:\d+: events\[\d+\]\.translation_of: the English text \(line \d+\) has changed "
        rf"since the {english_names(TRANSLATED)} texts were written — bring them up to date, "
        rf"then set translation_of: \"{event_fingerprint('Their trial is due to start in Guangzhou.')}\"",
        lines[0],
    )
    result = run(Locations.from_settings(SETTINGS, content, translations))
    assert [line for line in result.status.summary() if "timeline events" in line and "up to date" in line]
    total = result.status.totals["timeline events"]
    assert all(f"{total - 1} of {total} timeline events" in line for line in result.status.summary()[:-1])


def test_interface_strings_missing_empty_or_fuzzy(tmp_path):
    content, translations = copy_site(tmp_path)
    mark_everything_translated(content, translations)
    path = translations / "nl/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(msgid "Skip to main content"\nmsgstr )".*"', r'\1""', text)
    text = text.replace('msgid "Home"', '#, fuzzy\nmsgid "Home"')
    text = re.sub(r'\nmsgid "Main"\nmsgstr ".*"\n', "\n", text)
    path.write_text(text, encoding="utf-8")
    lines = status_lines(content, translations)
    lineno = {
        msgid: number
        for number, line in enumerate(text.split("\n"), 1)
        for msgid in ("Skip to main content", "Home")
        if line == f'msgid "{msgid}"'
    }
    assert (
        f'{path}:{lineno["Skip to main content"]}: "Skip to main content": has no Dutch translation yet, '
        "so the English is shown — write the translation in the msgstr below it" in lines
    )
    assert any(line.startswith(f'{path}:{lineno["Home"]}: "Home": is marked fuzzy') for line in lines), lines
    assert any(line.startswith(f'{path}: "Main": used in ') and "make update" in line for line in lines), lines
    assert len(lines) == 3
    total = len(template_strings(ROOT / "theme" / "templates", ROOT / "babel.cfg"))
    summary = run(Locations.from_settings(SETTINGS, content, translations)).status.summary()
    assert f"{total - 3} of {total} interface strings up to date" in summary[0]
    assert f"{total} of {total} interface strings up to date" in summary[1]


def test_check_prints_the_status_after_the_problems(tmp_path):
    content, translations = copy_site(tmp_path)
    mark_everything_translated(content, translations)
    replace(content / "pages/home.en.md", "## Who they are", "## Who they are today")
    result = run_check(content, translations)
    assert result.returncode == 0
    assert "Translation status (this does not stop the build" in result.stdout
    assert f"{content}/pages/home.nl.md:" in result.stdout
    assert "Dutch (nl): 3 of 4 documents" in result.stdout


def test_build_prints_the_status_only_when_something_is_out_of_date(tmp_path):
    content, translations = copy_site(tmp_path)
    mark_everything_translated(content, translations)
    settings = tmp_path / "settings.py"  # the real settings, reading the copied catalogs
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"CAMPAIGN_TRANSLATIONS = {str(translations)!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n",
        encoding="utf-8",
    )
    clean = run_pelican(tmp_path / "clean", content=content, settings=str(settings))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Translation status" not in clean.stdout + clean.stderr

    replace(content / "pages/home.en.md", "## Who they are", "## Who they are today")
    stale = run_pelican(tmp_path / "stale", content=content, settings=str(settings))
    assert stale.returncode == 0, stale.stdout + stale.stderr
    assert "Translation status" in stale.stderr
    assert f"{content}/pages/home.nl.md:" in stale.stderr and f"{content}/pages/home.zh.md:" in stale.stderr


def test_a_document_with_several_reminders_counts_once(tmp_path):
    content, translations = copy_site(tmp_path)
    mark_everything_translated(content, translations)
    path = content / "pages/urgent-action.zh.md"
    replace(path, "date: 2024-06-14", "date: 2024-06-10")
    set_translation_of(path, "0000000000")
    result = run(Locations.from_settings(SETTINGS, content, translations))
    assert len(result.status.items) == 2
    assert "Chinese (zh): 3 of 4 documents" in result.status.summary()[1]
    assert "Dutch (nl): 4 of 4 documents" in result.status.summary()[0]
