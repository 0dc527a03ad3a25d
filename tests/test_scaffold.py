"""`make new KIND=... SLUG=...`: three files that say what to fill in, and build once filled."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest

from campaign.check import Locations, run
from campaign.scaffold import KINDS, ScaffoldError, add_language, create
from conftest import LANGS, ROOT, SETTINGS, WRITTEN, build, copy_site, fill_in, page_path

TODAY = dt.date(2025, 1, 10)  # before the filled-in deadline below, so the action is open


@pytest.mark.parametrize("kind", KINDS)
def test_new_files_list_what_to_fill_in(kind, tmp_path):
    content, translations = copy_site(tmp_path)
    paths = create(content / "pages", kind, "free-them-now", today=TODAY)
    assert [path.name for path in paths] == [f"free-them-now.{lang}.md" for lang in WRITTEN]

    result = run(Locations.from_settings(SETTINGS, content, translations))
    for path in paths:
        text = path.read_text(encoding="utf-8").split("\n")
        mine = [problem for problem in result.problems if problem.path == str(path)]
        assert mine, f"{path.name} has nothing to fill in?"
        # only "fill this in" problems: the rest of the file is already valid
        assert all("still has the placeholder" in problem.message for problem in mine), mine
        # each names the line of a TODO, and the field on it
        for problem in mine:
            assert "TODO" in text[problem.line - 1], (problem, text[problem.line - 1])
        fields = {problem.field for problem in mine}
        expected = {"title", "summary", "body"}
        if kind != "press":
            expected |= {"deadline", "targets[0].name", "targets[0].address[0]", "letter.subject", "letter.body"}
        assert expected <= fields, fields
        # a comment on every field
        front_matter = text[1 : text.index("---", 1)]
        for line in front_matter:
            if re.match(r"^\s*(- )?[a-z_]+:", line):
                assert "  # " in line, f"{path.name}: no comment on {line!r}"


def test_new_documents_build_once_filled_in(tmp_path):
    content, translations = copy_site(tmp_path)
    created = {kind: create(content / "pages", kind, f"new-{kind}", today=TODAY) for kind in KINDS}
    for paths in created.values():
        for path in paths:
            fill_in(path)
    result = run(Locations.from_settings(SETTINGS, content, translations))
    assert result.problems == [], "\n".join(map(str, result.problems))

    site = build(tmp_path / "output", content=content, clock=TODAY)
    for kind in KINDS:
        for lang in LANGS:
            page = page_path(site, f"new-{kind}", lang).read_text(encoding="utf-8")
            assert "Filled in by the editor." in page.replace("&nbsp;", " ").replace("\xa0", " ")  # typeset: no widows
            assert "TODO" not in page


def test_make_new_adds_one_missing_language_with_the_fields_that_are_the_same_copied(tmp_path):
    """Editor trial M11/F12: a deleted translation comes back with its language's scaffold."""
    content, translations = copy_site(tmp_path)
    pages = content / "pages"
    english = (pages / "urgent-action.en.md").read_text(encoding="utf-8")
    (pages / "urgent-action.zh.md").unlink()
    with pytest.raises(ScaffoldError, match=r"make new SLUG=urgent-action LANG=zh"):
        create(pages, "action", "urgent-action")  # the whole document exists but for one language
    path = add_language(pages, "urgent-action", "zh", today=TODAY)
    text = path.read_text(encoding="utf-8")
    assert path.name == "urgent-action.zh.md" and "lang: zh" in text and 'translation_of: ""' in text
    for same in (
        "kind: action",
        "date: 2024-06-14",
        "deadline: 2025-03-18",
        "timeline: true",
        "role: cc",
        "priority: 1",
    ):
        assert same in text, same
    assert '"3505 International Place, NW"' in text and "email: chinaembpress_us@mfa.gov.cn" in text
    assert "敬礼！" in text and "in Chinese" in text  # the Chinese scaffold: its closing and its hints
    assert 'name: "TODO: translate: Zhang Rui"' in text  # what is translated is left to translate, with the English
    assert (pages / "urgent-action.en.md").read_text(encoding="utf-8") == english

    result = run(Locations.from_settings(SETTINGS, content, translations))
    mine = [problem for problem in result.problems if problem.path == str(path)]
    assert mine and all("still has the placeholder" in problem.message for problem in mine), mine
    assert {"title", "summary", "targets[0].name", "letter.subject", "body"} <= {problem.field for problem in mine}
    assert all(problem.path == str(path) for problem in result.problems)  # the other files are as they were
    path.write_text(re.sub(r"TODO[^\"\n]*", "Filled in by the translator.", text), encoding="utf-8")
    assert run(Locations.from_settings(SETTINGS, content, translations)).problems == []

    with pytest.raises(ScaffoldError, match="already exists"):
        add_language(pages, "urgent-action", "zh")
    with pytest.raises(ScaffoldError, match="LANG=xx is not one of the languages editors write"):
        add_language(pages, "urgent-action", "xx")
    with pytest.raises(ScaffoldError, match=r"LANG=zh-hant .*made at every build"):
        add_language(pages, "urgent-action", "zh-hant")
    with pytest.raises(ScaffoldError, match="there is no document free-them-now"):
        add_language(pages, "free-them-now", "zh")


def test_refuses_to_overwrite_and_changes_nothing(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    existing = pages / "free-them-now.nl.md"
    existing.write_text("mine", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="free-them-now.nl.md already exists"):
        create(pages, "action", "free-them-now")
    assert sorted(path.name for path in pages.iterdir()) == ["free-them-now.nl.md"]
    assert existing.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    "kind, slug, words",
    [
        ("action", "Free Them", "is not a valid slug"),
        ("action", "", "is not a valid slug"),
        ("action", "home", "front page"),
        ("blog", "free-them-now", "KIND=action, KIND=petition or KIND=press"),
        ("", "free-them-now", "KIND=action"),
    ],
)
def test_refuses_bad_kind_or_slug(kind, slug, words, tmp_path):
    with pytest.raises(ScaffoldError, match=re.escape(words)):
        create(tmp_path / "pages", kind, slug)
    assert not (tmp_path / "pages").exists()


def test_command_line_as_make_runs_it(tmp_path):
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    command = [sys.executable, "-m", "campaign.scaffold", "--pages", str(tmp_path / "pages")]
    made = subprocess.run(
        [*command, "--kind", "press", "--slug", "statement"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert "statement.zh.md" in made.stdout and "make check" in made.stdout
    again = subprocess.run(
        [*command, "--kind", "press", "--slug", "statement"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 2
    assert "already exist" in again.stderr and "Traceback" not in again.stderr
    dry_run = subprocess.run(
        ["make", "-n", "new", "KIND=press", "SLUG=statement", "DEPS_STAMP="],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert '-m campaign.scaffold --kind "press" --slug "statement"' in dry_run.stdout
