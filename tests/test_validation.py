"""Every kind of editor mistake gives one line naming the file, the line, the field and the fix;
a build with mistakes lists them all, exits non-zero and shows no traceback."""

from __future__ import annotations

import re
import shutil

import pytest

from campaign.frontmatter import load_yaml, parse
from campaign.problems import Problem, report
from campaign.site_checks import PageRecord, validate_site
from campaign.sources import markdown_renderer, read_page, render_body
from campaign.timeline import validate_timeline
from campaign.validation import validate_page
from conftest import CONTENT, WRITTEN, run_pelican

PATH = "content/pages/urgent-action.en.md"

ACTION = """---
title: "Urgent action"
lang: en
slug: urgent-action
kind: action
date: 2024-06-14
summary: "Write to the authorities."
deadline: 2025-03-18
preferred_languages: [en, zh]
targets:
  - name: Zhang Rui
    title: Director
    organization: Guangzhou Public Security Bureau
    address:
      - "No. 200, Qiyi Road"
      - "Guangzhou"
    salutation: "Dear Director Zhang Rui,"
    role: target
    priority: 1
  - name: Xie Fang
    address:
      - "3505 International Place, NW"
    email: chinaembpress_us@mfa.gov.cn
    role: cc
letter:
  subject: "Release them"
  body: |
    Please release them.

    Yours sincerely,
---

The body.
"""


def problems_of(text: str, path: str = PATH, file_lang: str | None = "en") -> list[Problem]:
    parsed, problems = parse(text, path)
    return problems or validate_page(parsed, path, file_lang)


def only(text: str, **kwargs) -> Problem:
    found = problems_of(text, **kwargs)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if fragment in line)


LINE = re.compile(r"^(?P<path>[^:]+)(?::(?P<line>\d+))?: (?P<field>[\w.\[\]]+): (?P<message>.+) — (?P<fix>.+)$")


def assert_one_line(problem: Problem, field: str, *words: str):
    line = str(problem)
    match = LINE.match(line)
    assert match, f"not 'file:line: field: what — fix': {line}"
    assert "\n" not in line and match["field"] == field, line
    for word in words:
        assert word in line, f"{word!r} not in {line}"


def test_the_example_action_is_valid():
    assert problems_of(ACTION) == []


def test_a_yaml_error_names_the_line_and_says_to_quote():
    text = ACTION.replace('title: "Urgent action"', "title: Urgent action: now")
    problem = only(text)
    assert problem.line == line_of(text, "title:")
    assert "the YAML cannot be read" in problem.message and "quotes" in problem.fix
    assert str(problem).startswith(f"{PATH}:{problem.line}:")


def test_an_unknown_language():
    text = ACTION.replace("lang: en", "lang: fr")
    problem = only(text, file_lang=None)
    assert_one_line(problem, "lang", "'fr' is not one of the site's languages", "use one of en, nl, zh")
    assert problem.line == line_of(text, "lang: fr")


def test_a_language_other_than_the_file_names():
    problem = only(ACTION.replace("lang: en", "lang: nl"))
    assert_one_line(
        problem, "lang", "says 'nl' but the file name says 'en'", "rename the file to <slug>.nl.md or set lang: en"
    )


def test_an_unknown_preferred_language():
    assert_one_line(only(ACTION.replace("[en, zh]", "[en, fr]")), "preferred_languages", "'fr'", "en, nl, zh")


@pytest.mark.parametrize(
    "written, says",
    [
        ("18-03-2025", "is not a date in the form YYYY-MM-DD"),
        ("2025-02-30", "is not a real day"),
        ("2025-13-01", "has no month 13"),
        ("2025-03", "is not a date in the form YYYY-MM-DD"),
    ],
)
def test_a_bad_or_impossible_deadline(written, says):
    text = ACTION.replace("deadline: 2025-03-18", f"deadline: {written}")
    problem = only(text)
    assert_one_line(problem, "deadline", says, "YYYY-MM-DD")
    assert problem.line == line_of(text, "deadline:")


def test_a_malformed_email():
    text = ACTION.replace("email: chinaembpress_us@mfa.gov.cn", "email: mailto:chinaembpress_us at mfa.gov.cn")
    problem = only(text)
    assert_one_line(problem, "targets[1].email", "is not an e-mail address (Xie Fang)", "name@example.org")
    assert problem.line == line_of(text, "email:")


def test_a_target_without_a_name():
    text = ACTION.replace("  - name: Xie Fang\n", "  - title: Ambassador\n")
    problem = only(text)
    assert_one_line(problem, "targets[1].name", "is missing", "name: ...")
    assert problem.line == line_of(text, "title: Ambassador")


def test_a_target_reached_by_e_mail_needs_no_postal_address():
    # The Burundi UA: the minister has an e-mail address, a phone and an X account, and no postal address.
    text = ACTION.replace('    address:\n      - "3505 International Place, NW"\n', "")
    assert problems_of(text) == []
    text = ACTION.replace(
        '    address:\n      - "No. 200, Qiyi Road"\n      - "Guangzhou"\n',
        '    phone: "+257 22 22 22 22"\n    social: ["X: @MinJustice"]\n    contact_form: https://example.org/contact\n',
    )
    assert problems_of(text) == []


def test_a_target_with_no_way_to_reach_them():
    text = ACTION.replace('    address:\n      - "No. 200, Qiyi Road"\n      - "Guangzhou"\n', "")
    assert_one_line(
        only(text), "targets[0]", "gives no way to reach them (Zhang Rui)", "address, email, phone, fax, social"
    )


def test_a_petition_is_posted_so_its_address_is_needed():
    text = ACTION.replace("kind: action", "kind: petition").replace(
        '    address:\n      - "No. 200, Qiyi Road"\n      - "Guangzhou"\n', "    email: a@example.org\n"
    )
    assert_one_line(
        only(text),
        "targets[0].address",
        "is missing (Zhang Rui): signed petitions are posted to this address",
        "one '- line' per line of the envelope",
    )


@pytest.mark.parametrize(
    "field, value, says, fix",
    [
        ("phone", '"call me"', "'call me' is not a phone number (Zhang Rui)", 'phone: "+31 20 123 4567"'),
        ("fax", '"+257 22 22 x"', "'+257 22 22 x' is not a phone number (Zhang Rui)", "with its country code"),
        ("contact_form", "example.org/contact", "'example.org/contact' is not a web address", "https://"),
        ("social", '"@MinJustice"', "should be a list of text lines (Zhang Rui)", "write each one as"),
    ],
)
def test_phone_fax_form_and_social_are_checked(field, value, says, fix):
    text = ACTION.replace("    role: target\n", f"    role: target\n    {field}: {value}\n")
    assert_one_line(only(text), f"targets[0].{field}", says, fix)


@pytest.mark.parametrize(
    "field, start, end, says",
    [
        ("targets", "targets:", "letter:", "is missing: an action needs someone to write to"),
        ("letter", "letter:", "---\n\nThe body", "is missing: an action needs a sample letter"),
        ("deadline", "deadline:", "preferred_languages:", "is missing"),
    ],
)
def test_an_action_without_targets_letter_or_deadline(field, start, end, says):
    head, _, rest = ACTION.partition(start)
    text = head + end + rest.partition(end)[2]
    assert_one_line(only(text), field, says)


def test_a_letter_without_a_body():
    text = ACTION.replace("  body: |\n    Please release them.\n\n    Yours sincerely,\n", "")
    assert_one_line(only(text), "letter.body", "is missing", "body: ...")


def test_a_short_body_too_long_for_an_email_link():
    long_letter = "黄雪琴和王建兵必须立即获释。" * 20
    text = ACTION.replace(
        "  body: |\n    Please release them.\n",
        f"  body: |\n    {long_letter}\n  short_body: |\n    {long_letter}\n",
    )
    problem = only(text)
    assert_one_line(
        problem, "letter.short_body", "too long for an e-mail link to chinaembpress_us@mfa.gov.cn", "shorten it"
    )


def test_a_short_body_that_fits_is_fine():
    long_letter = "黄雪琴和王建兵必须立即获释。" * 20
    text = ACTION.replace(
        "  body: |\n    Please release them.\n", f"  body: |\n    {long_letter}\n  short_body: |\n    立即释放他们。\n"
    )
    assert problems_of(text) == []


def test_a_letter_too_long_for_an_e_mail_link_without_a_short_body_is_a_warning(tmp_path):
    long_letter = "黄雪琴和王建兵必须立即获释。" * 20
    text = ACTION.replace("lang: en", "lang: zh").replace(
        "  body: |\n    Please release them.\n", f"  body: |\n    {long_letter}\n"
    )
    source = tmp_path / "urgent-action.zh.md"
    source.write_text(text, encoding="utf-8")
    page = read_page(source, "content/pages/urgent-action.zh.md")
    assert page.problems == []  # the site builds
    (warning,) = page.warnings
    assert warning.line == line_of(text, "body: |")
    assert_one_line(
        warning,
        "letter.body",
        "the Chinese letter is too long for an e-mail link to chinaembpress_us@mfa.gov.cn",
        "opens with only the subject",
        "add letter.short_body",
    )
    assert str(warning).startswith("content/pages/urgent-action.zh.md:")
    with_short = text.replace(f"    {long_letter}\n", f"    {long_letter}\n  short_body: |\n    立即释放他们。\n")
    source.write_text(with_short, encoding="utf-8")
    assert read_page(source).warnings == []
    source.write_text(ACTION, encoding="utf-8")
    assert read_page(source).warnings == []  # a letter that fits


def test_a_script_tag_in_the_body_or_the_front_matter(tmp_path):
    text = ACTION.replace("The body.", "Hello\n<script src=x></script>").replace(
        '  subject: "Release them"', '  subject: "Release them <SCRIPT>alert(1)</SCRIPT>"'
    )
    source = tmp_path / "urgent-action.en.md"
    source.write_text(text, encoding="utf-8")
    page = read_page(source, PATH)
    body_problems = render_body(page, markdown_renderer({"extensions": ["markdown.extensions.extra"]}))[
        1
    ]  # the body's HTML: sanitizer.py
    found = sorted(page.problems + body_problems)
    assert [p.field for p in found] == ["letter.subject", "body"]
    for problem in found:
        assert_one_line(problem, problem.field, "contains a <script> tag", "remove it")
    assert found[1].line == line_of(text, "<script src=x>")
    assert found[0].line == line_of(text, "subject:")


@pytest.mark.parametrize(
    "line, field, says, fix",
    [
        ("translation: true", "translation", "is a Pelican field this site does not use", "shared slug"),
        ("title: yes", "title", "was read as a yes/no value (True), not text", 'quotes, as in title: "..."'),
        (
            "lang: no",
            "lang",
            "was read as a yes/no value (False), not text",
            "unquoted yes, no, true, false, on and off",
        ),
        ("summary: 2024", "summary", "was read as a number (2024), not text", 'summary: "2024"'),
        ("slug: [urgent, action]", "slug", "should be a single line of text", 'slug: "..."'),
        ('timeline: "yes"', "timeline", "should be true or false, not 'yes'", "timeline: true"),
    ],
)
def test_yaml_surprises_get_a_clear_message(line, field, says, fix):
    name = line.partition(":")[0]
    text = re.sub(rf"^{name}: .*$", line, ACTION, count=1, flags=re.MULTILINE)
    if name not in ACTION:
        text = ACTION.replace("kind: action\n", f"kind: action\n{line}\n")
    problem = only(text, file_lang=None)
    assert_one_line(problem, field, says, fix)
    assert problem.line == line_of(text, line)


def test_an_unknown_field_lists_the_known_ones():
    problem = only(ACTION.replace("kind: action\n", "kind: action\ndeadlin: 2025-03-18\n"))
    assert_one_line(problem, "deadlin", "is not a field this site knows", "correct the spelling", "deadline")


def test_a_document_missing_a_translation():
    found = validate_site(
        [PageRecord(f"content/pages/petition.{lang}.md", "petition", lang) for lang in WRITTEN if lang != "nl"]
    )
    assert len(found) == 1
    assert str(found[0]) == (
        "content/pages/petition.nl.md: lang: 'petition' has no Nederlands version — "
        "create content/pages/petition.nl.md (copy content/pages/petition.en.md and translate it)"
    )


def test_two_files_with_one_slug_and_language():
    records = [PageRecord(f"content/pages/petition.{lang}.md", "petition", lang) for lang in WRITTEN]
    records.insert(1, PageRecord("content/pages/petition-copy.en.md", "petition", "en"))
    found = validate_site(records)
    assert len(found) == 1
    assert_one_line(
        found[0],
        "slug",
        "'petition' in 'en' is also used by content/pages/petition-copy.en.md",
        "another slug or language",
    )
    assert found[0].path == "content/pages/petition.en.md"


ARRESTED = {"en": "Arrested.", "nl": "Gearresteerd.", "zh": "被捕。"}  # a language declared later: the English
TIMELINE = "events:\n  - date: 2021-09-19\n    text:\n" + "".join(
    f'      {lang}: "{ARRESTED.get(lang, ARRESTED["en"])}"\n' for lang in WRITTEN
)


def timeline_problems(text: str) -> list[Problem]:
    data, lines, problems = load_yaml(text, "content/timeline.yaml")
    if problems:
        return problems
    return validate_timeline(
        data, lambda key: lines.get(key) or lines.get(key.rpartition(".")[0], 1), "content/timeline.yaml"
    )[1]


def test_the_example_timeline_is_valid():
    assert timeline_problems(TIMELINE) == []


def test_a_timeline_event_missing_a_language():
    text = TIMELINE.replace('      zh: "被捕。"\n', "")
    (problem,) = timeline_problems(text)
    assert_one_line(problem, "events[0].text", "has no 简体中文 text (zh)", "add 'zh: \"...\"' under 'text:'")
    assert problem.line == 3


def test_a_timeline_event_with_an_impossible_date():
    (problem,) = timeline_problems(TIMELINE.replace("2021-09-19", "2021-09-31"))
    assert_one_line(problem, "events[0].date", "'2021-09-31' is not a real day", "YYYY-MM-DD")


def test_a_timeline_yaml_error():
    (problem,) = timeline_problems(TIMELINE.replace('en: "Arrested."', "en: Arrested: in Guangzhou"))
    assert problem.path == "content/timeline.yaml" and problem.line == 4 and "cannot be read" in problem.message


def test_the_report_lists_every_problem_and_a_summary():
    problems = [Problem("b.md", 2, "x", "bad", "fix it"), Problem("a.md", 1, "y", "worse", "fix that")]
    lines = report(problems).split("\n")
    assert lines == [
        "a.md:1: y: worse — fix that",
        "b.md:2: x: bad — fix it",
        "2 problems found; the site was not built. Fix the lines above and build again.",
    ]


# --- The build stops on them, all at once -----------------------------------------------------


def test_a_build_with_broken_files_lists_every_problem_and_stops(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    action = content / "pages" / "urgent-action.nl.md"
    text = action.read_text(encoding="utf-8")
    text = text.replace("deadline: 2025-03-18", "deadline: 2025-02-30")
    text = text.replace("email: chinaembpress_us@mfa.gov.cn", "email: chinaembpress_us(at)mfa.gov.cn")
    action.write_text(text, encoding="utf-8")
    petition = content / "pages" / "petition.zh.md"
    petition.write_text(
        petition.read_text(encoding="utf-8").replace("lang: zh", "translation: true\nlang: zh"), encoding="utf-8"
    )
    timeline = content / "timeline.yaml"
    timeline.write_text(
        timeline.read_text(encoding="utf-8").replace('      zh: "此案原定于当天在广州开庭审理。"\n', ""),
        encoding="utf-8",
    )
    (content / "pages" / "press-release.zh.md").unlink()

    result = run_pelican(tmp_path / "output", content=content)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if LINE.match(line)]
    fields = sorted(LINE.match(line)["field"] for line in lines)
    # Deleting the Chinese press release also breaks the Chinese pages that link to it.
    assert fields == sorted(
        ["deadline", "targets[2].email", "translation", "events[5].text", "lang", "body", "body"]
    ), result.stderr
    assert any(
        line.startswith(str(content / "pages" / "urgent-action.nl.md")) or "urgent-action.nl.md:" in line
        for line in lines
    )
    assert any("press-release.zh.md" in line and "create" in line for line in lines)
    assert any("home.zh.md" in line and "{filename}press-release.zh.md" in line for line in lines)
    assert "7 problems found; the site was not built." in result.stderr
    assert not (tmp_path / "output" / "urgent-action" / "index.html").exists()


def test_an_action_issued_after_its_last_day():
    # The petition was once dated the day after it closed (content review 2, FD1).
    text = ACTION.replace("deadline: 2025-03-18", "deadline: 2024-06-13")
    problem = only(text)
    assert_one_line(problem, "date", "is after the deadline 2024-06-13", "on or before its last day")


def test_an_address_language_must_be_one_of_the_sites():
    text = ACTION.replace(
        "    email: chinaembpress_us@mfa.gov.cn", "    email: chinaembpress_us@mfa.gov.cn\n    address_lang: english"
    )
    assert_one_line(only(text), "targets[1].address_lang", "'english' is not one of the site's languages", "en, nl, zh")


@pytest.mark.parametrize(
    "outcome, field, says",
    [
        ("outcome: released", "outcome", "should be a date and a sentence"),
        ("outcome:\n  date: 2025-01-20\n", "outcome.text", "is missing"),
        ('outcome:\n  date: 20-01-2025\n  text: "Released."\n', "outcome.date", "is not a date in the form YYYY-MM-DD"),
    ],
)
def test_an_outcome_needs_a_date_and_a_sentence(outcome, field, says):
    text = ACTION.replace("deadline: 2025-03-18\n", f"deadline: 2025-03-18\n{outcome}\n")
    assert_one_line(only(text), field, says, "")
