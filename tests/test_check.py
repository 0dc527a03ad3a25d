"""`make check`: the build's own checks on all content and catalogs, without building.

Each kind of mistake an editor can make is made in a copy of the real content, and
the check must name the file, the line and the field, and say how to fix it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from campaign.check import Locations, format_result, run
from conftest import CONTENT, ROOT, SETTINGS, copy_site, replace, run_check, run_pelican


def line_of(path: Path, startswith: str, occurrence: int = 1) -> int:
    """The 1-based number of the line that starts (after indentation) with the text."""
    found = [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
        if line.strip().startswith(startswith)
    ]
    return found[occurrence - 1]


def test_real_content_passes():
    result = run_check(CONTENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems in" in result.stdout
    assert "Translation status" in result.stdout
    assert result.stderr == ""


def test_check_does_not_import_pelican():
    # It renders the Markdown (to find HTML outside the allowlist, as the build does), never Pelican.
    code = (
        "import sys; from campaign import check; "
        f"result = check.run(check.Locations.from_settings({str(SETTINGS)!r})); "
        "loaded = sorted(name for name in ('pelican', 'playwright') if name in sys.modules); "
        "print(len(result.pages), loaded)"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    pages, loaded = result.stdout.split(" ", 1)
    assert int(pages) >= 12
    assert loaded.strip() == "[]"


# Each case: (name, mutate(content, translations) -> (file, line, field, words in the message)).
def _yaml_syntax(content, translations):
    path = content / "pages/home.en.md"
    replace(path, 'title: "Free Huang Xueqin and Wang Jianbing"', "title: Free: Huang")
    return path, 2, "", "cannot be read"


def _missing_summary(content, translations):
    path = content / "pages/press-release.en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^summary: .*\n", "", text, count=1), encoding="utf-8")
    return path, 2, "summary", "is missing"


def _impossible_date(content, translations):
    path = content / "pages/home.nl.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^date: .*$", "date: 2024-02-30", text, count=1), encoding="utf-8")
    return path, line_of(path, "date:"), "date", "is not a real day"


def _bad_slug(content, translations):
    path = content / "pages/press-release.zh.md"
    replace(path, "slug: press-release", "slug: Press Release")
    return path, line_of(path, "slug:"), "slug", "is not a valid slug"


def _unknown_field(content, translations):
    path = content / "pages/petition.nl.md"
    replace(path, "\nslug:", "\ntitel: oeps\nslug:")
    return path, line_of(path, "titel:"), "titel", "is not a field this site knows"


def _language_mismatch(content, translations):
    path = content / "pages/urgent-action.nl.md"
    replace(path, "lang: nl", "lang: en")
    return path, line_of(path, "lang:"), "lang", "the file name says 'nl'"


def _bad_email(content, translations):
    path = content / "pages/urgent-action.en.md"  # the petition has no e-mail address: it is posted
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"(?m)^(\s+)email: .*$", r"\1email: chinaembpress_us at mfa.gov.cn", text, count=1), encoding="utf-8"
    )
    return path, line_of(path, "email:"), "targets[2].email", "is not an e-mail address"


def _missing_deadline(content, translations):
    path = content / "pages/urgent-action.zh.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^deadline: .*\n", "", text, count=1), encoding="utf-8")
    return path, 2, "deadline", "is missing"


def _placeholder_left(content, translations):
    path = content / "pages/home.zh.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^summary: .*$", 'summary: "TODO: write the summary"', text, count=1), encoding="utf-8")
    return path, line_of(path, "summary:"), "summary", "still has the placeholder"


def _script_in_body(content, translations):
    path = content / "pages/press-release.nl.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    return path, line_of(path, "<script>"), "body", "contains a <script> tag"


def _broken_link(content, translations):
    path = content / "pages/home.en.md"
    replace(path, "{filename}press-release.en.md", "{filename}press-releases.en.md")
    line = next(
        number
        for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
        if "press-releases.en.md" in text
    )
    return path, line, "body", "links to {filename}press-releases.en.md, which does not exist"


def _missing_translation(content, translations):
    path = content / "pages/press-release.zh.md"
    path.unlink()
    return path, 0, "lang", "has no"


def _duplicate_slug(content, translations):
    path = content / "pages/press-release.nl.md"
    replace(path, "slug: press-release", "slug: petition")
    return content / "pages/press-release.nl.md", 1, "slug", "is also used by"


def _timeline_bad_date(content, translations):
    path = content / "timeline.yaml"
    replace(path, "- date: 2021-09-19", "- date: 2021-19-09")
    return path, line_of(path, "- date: 2021-19-09"), "events[1].date", "has no month 19"


def _timeline_missing_language(content, translations):
    path = content / "timeline.yaml"
    text = path.read_text(encoding="utf-8")
    nl_lines = [line for line in text.split("\n") if line.strip().startswith("nl:")]
    path.write_text(text.replace(nl_lines[2] + "\n", "", 1), encoding="utf-8")
    return path, line_of(path, "text:", 3), "events[2].text", "has no Nederlands text"


def _catalog_placeholder(content, translations):
    path = translations / "nl/LC_MESSAGES/messages.po"
    replace(path, 'msgstr "%(start)s tot %(end)s"', 'msgstr "%(begin)s tot %(end)s"')
    return path, line_of(path, 'msgid "%(start)s to %(end)s"'), '"%(start)s to %(end)s"', "uses %(begin)s"


def _catalog_unreadable(content, translations):
    path = translations / "zh/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(text) if line.startswith('msgid "Home"'))
    text.insert(at, "this is not a catalog line")
    path.write_text("\n".join(text), encoding="utf-8")
    return path, at + 1, "", "cannot be read"


CASES = {
    "yaml syntax": _yaml_syntax,
    "missing field": _missing_summary,
    "impossible date": _impossible_date,
    "bad slug": _bad_slug,
    "unknown field": _unknown_field,
    "language mismatch": _language_mismatch,
    "bad e-mail address": _bad_email,
    "missing deadline": _missing_deadline,
    "placeholder left": _placeholder_left,
    "script in body": _script_in_body,
    "broken link": _broken_link,
    "missing translation": _missing_translation,
    "duplicate slug": _duplicate_slug,
    "timeline date": _timeline_bad_date,
    "timeline language": _timeline_missing_language,
    "catalog placeholder": _catalog_placeholder,
    "catalog unreadable": _catalog_unreadable,
}


@pytest.mark.parametrize("case", CASES)
def test_each_kind_of_mistake_names_file_line_and_field(case, tmp_path):
    content, translations = copy_site(tmp_path)
    path, line, field, words = CASES[case](content, translations)
    result = run(Locations.from_settings(SETTINGS, content, translations))
    where = f"{path}:{line}:" if line else f"{path}:"
    prefix = f"{where} {field}:" if field else where
    matching = [str(problem) for problem in result.problems if str(problem).startswith(prefix)]
    assert matching, f"no problem starting with {prefix!r} in:\n" + "\n".join(map(str, result.problems))
    assert any(words in line for line in matching), matching
    for text in matching:
        what, _, fix = text.partition(" — ")
        assert fix.strip(), f"no fix given: {text}"
    assert "Traceback" not in format_result(result)


def test_every_problem_at_once_then_a_summary_and_a_failing_exit(tmp_path):
    content, translations = copy_site(tmp_path)
    expected = [
        CASES[name](content, translations)
        for name in ("impossible date", "bad e-mail address", "timeline date", "catalog placeholder")
    ]
    result = run_check(content, translations)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    for path, line, field, words in expected:
        assert any(text.startswith(f"{path}:{line}: {field}:") and words in text for text in lines), (
            path,
            line,
            field,
            result.stdout,
        )
    summary = next(text for text in lines if "problems found" in text)
    assert summary.startswith(f"{len(expected)} problems found")
    assert lines.index(summary) == len(expected), "the summary comes after the problem lines"


def test_check_and_build_report_the_same_lines(tmp_path):
    """`make check` runs the same validation as the build: same problems, same words."""
    content, translations = copy_site(tmp_path)
    for name in (
        "yaml syntax",
        "impossible date",
        "bad e-mail address",
        "unknown field",
        "broken link",
        "timeline date",
        "missing translation",
    ):
        CASES[name](content, content.parent / "translations")
    checked = run_check(content)
    built = run_pelican(tmp_path / "output", content=content)
    assert checked.returncode == 1 and built.returncode == 1
    lines = checked.stdout.splitlines()
    summary = next(index for index, line in enumerate(lines) if "problems found" in line)
    from_check = set(lines[:summary])
    from_build = {line for line in built.stderr.splitlines() if " — " in line}
    assert from_check and from_check == from_build
    assert "Traceback" not in built.stdout + built.stderr


def test_strict_fails_on_an_outdated_translation(tmp_path):
    content, translations = copy_site(tmp_path)
    replace(content / "pages/press-release.en.md", "## The charge", "## The charges")
    relaxed, strict = run_check(content, translations), run_check(content, translations, "--strict")
    assert relaxed.returncode == 0, relaxed.stdout
    assert strict.returncode == 1
    assert f"{content}/pages/press-release.nl.md" in strict.stdout


def test_makefile_runs_the_check_module():
    dry_run = subprocess.run(
        ["make", "-n", "check", "DEPS_STAMP="], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "-m campaign.check" in dry_run.stdout


def test_make_check_ends_with_its_verdict_in_a_terminal_and_fails_elsewhere(tmp_path):
    """Editor trial: make's own '*** ... Error 1' line after the verdict read as a crash.
    In a terminal (a pseudo-terminal, through script(1)) the verdict is the last line;
    without one, and under CI, problems still make `make check` fail."""
    content, _ = copy_site(tmp_path)
    replace(content / "pages/press-release.nl.md", "lang: nl", "lang: fr")
    make = f"make --no-print-directory --old-file=.venv/.deps-installed check INPUTDIR={content}"
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    in_terminal = subprocess.run(
        ["script", "-qec", make, "/dev/null"], cwd=ROOT, capture_output=True, text=True, timeout=120, env=environment
    )
    lines = [line for line in in_terminal.stdout.replace("\r", "").splitlines() if line.strip()]
    assert "problem" in in_terminal.stdout and "'fr' is not one of the site's languages" in in_terminal.stdout
    assert not any("***" in line or "Error 1" in line for line in lines), lines[-3:]
    piped = subprocess.run(make.split(), cwd=ROOT, capture_output=True, text=True, timeout=120, env=environment)
    assert piped.returncode != 0 and "'fr' is not one of the site's languages" in piped.stdout
    in_ci = subprocess.run(
        ["script", "-qec", make, "/dev/null"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**environment, "CI": "true"},
    )  # fmt: skip
    assert in_ci.returncode != 0


# --- The case's status: warned about once it is old, never a failure --------------------------------


def with_status(tmp_path: Path, value: str) -> Path:
    content, _ = copy_site(tmp_path)
    timeline = content / "timeline.yaml"
    timeline.write_text(f"status_as_of: {value}\n" + timeline.read_text(encoding="utf-8"), encoding="utf-8")
    return content


@pytest.mark.parametrize("day, warned", [("2025-05-01", False), ("2025-05-02", True)])
def test_an_old_status_is_a_warning_naming_the_file_and_the_fix(tmp_path, day, warned):
    content = with_status(tmp_path, "2025-01-01")  # 1 May 2025 is 120 days later: older than that warns
    epoch = str(int(dt.datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp()))
    result = subprocess.run(
        [sys.executable, "-m", "campaign.check", str(content), "--settings", str(SETTINGS)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "SOURCE_DATE_EPOCH": epoch},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout  # a warning: the site still builds
    lines = [line for line in result.stdout.splitlines() if "status_as_of" in line]
    assert bool(lines) == warned, result.stdout
    if warned:
        (line,) = lines
        assert (
            "timeline.yaml: status_as_of:" in line
            and "120 days" in line
            and "— " in line
            and "set status_as_of" in line
        )
        built = run_pelican(tmp_path / "output", content=content, clock=dt.date.fromisoformat(day))
        assert built.returncode == 0 and "timeline.yaml: status_as_of:" in built.stderr


def test_a_status_date_that_is_not_a_date_stops_the_build_with_its_line(tmp_path):
    content = with_status(tmp_path, "last spring")
    result = run_check(content)
    assert result.returncode == 1
    assert re.search(r"timeline\.yaml:1: status_as_of: .* — write the day", result.stdout), result.stdout


def test_the_check_keeps_the_templates_strings_where_the_build_does_and_reads_an_edited_template_again(tmp_path):
    """Extracting the templates' strings was most of a check's time: the check keeps them in the
    build's cache, under the templates' bytes, so a template edited since is read again."""
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    shutil.copytree(ROOT / "theme" / "templates", templates)
    locations = dataclasses.replace(Locations.from_settings(SETTINGS), templates=templates, cache=cache)
    assert Locations.from_settings(SETTINGS).cache == ROOT / "cache"
    before = run(locations)
    assert before.problems == [] and [entry.name for entry in cache.glob("strings-*")]
    with (templates / "base.html").open("a", encoding="utf-8") as file:
        file.write('{{ _("A sentence no catalog has yet.") }}\n')
    after = format_result(run(locations))
    assert "A sentence no catalog has yet." in after, after
    assert len(list(cache.glob("strings-*"))) == 2
