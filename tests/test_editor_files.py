"""Editors' files as editors' tools save them: a byte-order mark is accepted (R15); a YAML
or encoding mistake is reported on its own line (R16); `make check` and the build agree on
which files are content (R17), and any other file under content/ is reported; a slug that
points outside the output stops the build instead of dropping the page (R3)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from campaign.check import Locations, run
from campaign.sources import page_files, read_page
from conftest import CONTENT, ROOT, WRITTEN, page_path, run_pelican

SETTINGS = ROOT / "pelicanconf.py"


@pytest.fixture
def content(tmp_path) -> Path:
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


def check_lines(content: Path) -> set[str]:
    return {str(problem) for problem in run(Locations.from_settings(SETTINGS, content)).problems}


def build_lines(content: Path, output: Path) -> tuple[int, set[str]]:
    result = run_pelican(output, content=content)
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, {line for line in result.stderr.splitlines() if " — " in line}


def line_number(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def test_a_byte_order_mark_is_accepted_silently(content, tmp_path):
    page = content / "pages" / "petition.nl.md"
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes())
    assert check_lines(content) == set()
    returncode, lines = build_lines(content, tmp_path / "site")
    assert returncode == 0 and lines == set()
    assert page_path(tmp_path / "site", "petition", "nl").is_file()
    timeline = content / "timeline.yaml"
    timeline.write_bytes(b"\xef\xbb\xbf" + timeline.read_bytes())
    assert check_lines(content) == set()


@pytest.mark.parametrize("field", ["title", "reference", "address"])
def test_an_unclosed_quote_is_reported_on_its_own_line(content, field):
    """R16: YAML reads on past a missing quote and fails lines later; the line named is the quote's."""
    page = content / "pages" / "urgent-action.en.md"
    text = page.read_text(encoding="utf-8")
    line = re.search(
        rf'^\s*(?:- )?{field}: "[^"\n]*"$' if field != "address" else r'^\s+- "[^"\n]*"$', text, flags=re.M
    )
    assert line, f"the test needs a quoted {field} in {page}"
    page.write_text(text.replace(line.group(0), line.group(0)[:-1], 1), encoding="utf-8")
    expected = text[: line.start()].count("\n") + 1 + (line.group(0).startswith("\n"))
    problems = read_page(page).problems
    assert [(p.line, p.message) for p in problems] == [(expected, "a quote opens on this line and is never closed")]
    assert problems[0].fix


def test_a_file_not_in_utf8_is_reported_on_the_line_of_its_first_bad_byte(content, tmp_path):
    page = content / "pages" / "press-release.nl.md"
    text = page.read_text(encoding="utf-8") + "\nEen café.\n"
    # the first line with a character Latin-1 writes as one byte above 0x7f (é, ó, ü...)
    wanted = next(
        number for number, line in enumerate(text.split("\n"), 1) if any(0x80 <= ord(char) <= 0xFF for char in line)
    )
    page.write_bytes(text.encode("latin-1", errors="replace"))
    expected = f"{page}:{wanted}: the file is not UTF-8 text"
    assert [line for line in check_lines(content) if line.startswith(expected)]
    returncode, lines = build_lines(content, tmp_path / "site")
    assert returncode != 0 and [line for line in lines if line.startswith(expected)]


def test_check_and_build_agree_on_hidden_folders_and_files(content, tmp_path):
    """R17: a backup in a hidden folder, or an editor's lock file, is not content for either."""
    (content / "pages" / ".old").mkdir()
    (content / "pages" / ".old" / "x.en.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    (content / "pages" / ".#home.en.md").write_text("lock file", encoding="utf-8")
    (content / ".DS_Store").write_bytes(b"\0\1")
    assert check_lines(content) == set()
    returncode, lines = build_lines(content, tmp_path / "site")
    assert returncode == 0 and lines == set()
    assert sorted(page_files(content / "pages", [".*"])) == sorted(
        p for p in (content / "pages").glob("*.md") if not p.name.startswith(".")
    )


def test_a_file_the_build_would_not_read_is_reported_by_check_and_build(content, tmp_path):
    strays = [
        content / "notes.md",
        content / "pages" / "draft.en.markdown",
        content / "pages" / "old.html",
        content / "images" / "x.png",
    ]
    for path in strays:
        path.parent.mkdir(exist_ok=True)
        path.write_text("something", encoding="utf-8")
    checked = check_lines(content)
    returncode, built = build_lines(content, tmp_path / "site")
    assert returncode != 0 and built == checked
    for path in strays:
        assert [line for line in checked if line.startswith(f"{path}: this file is not part of the site")], (
            path,
            checked,
        )
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("where", ["pages/empty.en.md", "timeline.yaml"])
def test_an_empty_file_is_reported(content, tmp_path, where):
    (content / where).write_text("", encoding="utf-8")
    checked = check_lines(content)
    assert [line for line in checked if line.startswith(str(content / where))], checked
    returncode, built = build_lines(content, tmp_path / "site")
    assert returncode != 0 and built == checked


def set_slug(path: Path, slug: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^slug: .*$", f'slug: "{slug}"', text, count=1, flags=re.M), encoding="utf-8")


@pytest.mark.parametrize("languages", [WRITTEN, ("en",)], ids=["every written language", "English only"])
def test_a_slug_outside_the_output_stops_the_build(content, tmp_path, languages):
    """R3: reported as the slug's mistake (not 'no English version'), by check and build alike."""
    for lang in languages:
        set_slug(content / "pages" / f"press-release.{lang}.md", "../../x")
    checked = check_lines(content)
    returncode, built = build_lines(content, tmp_path / "site")
    assert returncode != 0 and built == checked
    for lang in languages:
        page = content / "pages" / f"press-release.{lang}.md"
        assert f"{page}:{line_number(page, 'slug:')}: slug: '../../x' is not a valid slug" in " ".join(checked)
    assert not [line for line in checked if "has no" in line and "version" in line], checked
    assert not (tmp_path / "site").exists() and not (tmp_path / "x").exists()
