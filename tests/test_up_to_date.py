"""`make html` skips a build only when a build would write the same bytes
(plugins/campaign/up_to_date.py and last_build.py).

Each case starts from a copy of the site built with `make html`, as an editor's is (one
build, copied back for each case), changes one thing, and runs `make html` again: the
check must say what changed and build, the output must then equal a cold build's, and
the next `make html` must find nothing to do.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import (
    CONTENT,
    DEFAULT_CLOCK,
    EDIT_WHILE_READING,
    ROOT,
    SHADOW_SMARTYPANTS,
    SKIP_LINK_NL,
    WRITTEN,
    delete_document,
    epoch,
    page_path,
    run_pelican,
    tree,
)

NOTHING_CHANGED = "Nothing changed since the last build"
HOOKS = {"edit_while_reading": EDIT_WHILE_READING}


class Project:
    """A copy of what a build reads, with a settings file of its own, built with `make html`."""

    def __init__(self, root: Path, hooks: tuple[str, ...] = ()):
        self.root = root
        self.content = Path(shutil.copytree(CONTENT, root / "content"))
        shutil.copytree(ROOT / "theme", root / "theme")
        shutil.copytree(ROOT / "translations", root / "translations", ignore=shutil.ignore_patterns("*.mo"))
        (root / "hooks").mkdir()
        for name in hooks:  # Pelican plugins of the test's own (test_incremental.py)
            (root / "hooks" / f"{name}.py").write_text(textwrap.dedent(HOOKS[name]), encoding="utf-8")
            backdate(root / "hooks" / f"{name}.py")
        # pelicanconf.py as it is, in this folder (THEME and CAMPAIGN_TRANSLATIONS are relative to it)
        self.settings = root / "settings.py"
        self.settings.write_text(
            (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
            + f"\nPLUGIN_PATHS = {[str(ROOT / 'plugins'), str(root / 'hooks')]!r}"
            + f"\nPLUGINS = {['campaign', *hooks]!r}"
            # in two processes however small the site (parallel.py): every process's reads are in the record
            + "\nCAMPAIGN_PROCESSES = 2\nCAMPAIGN_PARALLEL_MIN_PAGES = 0\n",
            encoding="utf-8",
        )
        self.output = root / "output"
        self.env = {"SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)}
        backdate(self.settings)

    @staticmethod
    def shell() -> dict[str, str]:
        """The editor's environment: this one, less what pytest changes from test to test (the
        first build is made in another test's set-up, and the record compares the environment)."""
        return {key: value for key, value in os.environ.items() if key != "PYTEST_CURRENT_TEST"}

    def make_html(self, *options: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [
                "make",
                "--no-print-directory",
                "--old-file=.venv/.deps-installed",
                "html",
                f"INPUTDIR={self.content}",
                f"OUTPUTDIR={self.output}",
                f"CONFFILE={self.settings}",
                *options,
            ],
            cwd=ROOT,
            env={**self.shell(), **self.env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def cold_build(self, output: Path) -> None:
        """What a build into an empty folder writes, to compare with: Pelican as `make html`
        runs it there (with no record, the check always builds), from the same sources."""
        result = run_pelican(output, content=self.content, settings=str(self.settings), clock=None, **self.env)
        assert result.returncode == 0, result.stdout + result.stderr

    def edit(self, relative: str, old: str | re.Pattern, new: str) -> Path:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        changed = old.sub(new, text, count=1) if isinstance(old, re.Pattern) else text.replace(old, new, 1)
        assert changed != text, f"{relative}: nothing to change; the test needs updating"
        path.write_text(changed, encoding="utf-8")
        return path


def backdate(path: Path) -> None:
    """A module saved after its build started is recorded as 'changed during the build' (unit
    tests in test_last_build.py): the cases save theirs a little before, as editors do."""
    past = time.time_ns() - 10**10
    os.utime(path, ns=(past, past))


def skipped(result: subprocess.CompletedProcess) -> bool:
    return NOTHING_CHANGED in result.stdout


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "project")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> tuple[Project, Path]:
    """A copy of the site built once with `make html`, and a copy of that kept aside."""
    project = Project(tmp_path_factory.mktemp("up-to-date") / "project")
    project.make_html()
    kept = tmp_path_factory.mktemp("first-build") / "project"
    shutil.copytree(project.root, kept, symlinks=True)
    return project, kept


@pytest.fixture
def built(first_build) -> Project:
    """A project as `make html` left it, for the cases that start there: the kept copy put
    back in the same place, since the build's record names what it read by its path
    (copied with their times, the files are as the build left them)."""
    project, kept = first_build
    shutil.rmtree(project.root)
    shutil.copytree(kept, project.root, symlinks=True)
    project.env = {"SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)}
    return project


def test_nothing_changed_skips_the_build_and_leaves_the_output_as_it_was(project):
    first = project.make_html()
    assert "there is no record of the last build" in first.stdout and "Processed" in first.stdout
    record = project.root / ".output.last-build.json"
    assert json.loads(record.read_bytes())["day"] == DEFAULT_CLOCK.isoformat()
    before = {path: path.stat().st_mtime_ns for path in project.output.rglob("*")}
    again = project.make_html()
    assert skipped(again), again.stdout
    assert "Processed" not in again.stdout  # Pelican did not run
    assert {path: path.stat().st_mtime_ns for path in project.output.rglob("*")} == before


def test_the_check_reads_the_settings_without_loading_pelicans_engine(built):
    """Importing Pelican's package loads its generators, readers and docutils, most of the
    check's time: the check reads the settings with pelican.settings alone, and still finds
    nothing changed (Markdown's htmlparser, a module its code makes, is not a module to find)."""
    project = built
    code = (
        "import sys; from campaign.up_to_date import changed; print(repr(changed(*sys.argv[1:4])));"
        "print(' '.join(sorted(name for name in sys.modules if name.split('.')[0] in ('pelican', 'markdown'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(project.settings), str(project.content), str(project.output)],
        cwd=ROOT,
        env={**project.shell(), **project.env, "PYTHONPATH": str(ROOT / "plugins")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    verdict, modules = result.stdout.splitlines()
    assert verdict == "None", result.stdout + result.stderr
    assert "pelican.settings" in modules.split() and "pelican.generators" not in modules and "markdown" not in modules


def test_a_later_hour_of_the_same_day_writes_the_same_bytes_and_is_skipped(built, tmp_path):
    """R13: nothing in the output carries the time of day, so the day is the key."""
    project = built
    project.env["SOURCE_DATE_EPOCH"] = str(int(epoch(DEFAULT_CLOCK)) + 8 * 3600)
    assert skipped(project.make_html())
    cold = tmp_path / "cold"
    project.cold_build(cold)
    assert tree(cold) == tree(project.output)


def test_an_output_file_edited_with_its_time_kept_is_rebuilt(built):
    """N9: `cp -p`, `rsync -t` or `tar x` into the output keep size-and-time; the output is compared by content."""
    project = built
    cold = tree(project.output)
    index = project.output / "index.html"
    status = index.stat()
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("Amnesty", "AMNESTY"), encoding="utf-8")
    os.utime(index, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert index.stat().st_size == status.st_size
    rebuilt = project.make_html()
    assert not skipped(rebuilt) and "is not as the last build left it" in rebuilt.stdout
    assert tree(project.output) == cold
    (project.output / "stale-dir").mkdir()
    index.chmod(0o000)
    rebuilt = project.make_html()
    assert not skipped(rebuilt) and not (project.output / "stale-dir").exists()
    assert tree(project.output) == cold and index.stat().st_mode & 0o777 != 0
    assert skipped(project.make_html())


def edit_body(p: Project):
    p.edit("content/pages/press-release.nl.md", re.compile(r"\Z"), "\nEen zin die er eerst niet stond.\n")
    return "press-release.nl.md changed"


def edit_template(p: Project):
    p.edit("theme/templates/base.html", "<body", "<body data-edited")
    return "base.html changed"


def edit_catalog(p: Project):
    p.edit("translations/nl/LC_MESSAGES/messages.po", SKIP_LINK_NL, "Meteen naar de inhoud, anders dan eerst")
    return "messages.po changed"


def edit_overrides(p: Project):
    """The Traditional Chinese override file: read by the build, so in its record."""
    p.edit("translations/zh-hant/overrides.txt", re.compile(r"\Z"), "\n王建兵 = 王建兵\n")
    return "overrides.txt changed"


def edit_settings(p: Project):
    p.edit("settings.py", re.compile(r"^SITENAME = .*$", re.M), 'SITENAME = "Another name"')
    backdate(p.settings)
    return "settings.py changed"


def new_document(p: Project):
    for lang in WRITTEN:
        text = (p.content / "pages" / f"press-release.{lang}.md").read_text(encoding="utf-8")
        (p.content / "pages" / f"second-release.{lang}.md").write_text(
            text.replace("slug: press-release", "slug: second-release", 1), encoding="utf-8"
        )
    return "added to or removed from"


def deleted_document(p: Project):
    delete_document(p)
    return "changed"


def changed_library(p: Project):
    """A library upgraded under the build (R14), imported by the plugin: a module first on PYTHONPATH."""
    shadow = p.root.parent / "shadow"  # outside every folder the build lists
    shadow.mkdir()
    (shadow / "smartypants.py").write_text(SHADOW_SMARTYPANTS, encoding="utf-8")
    backdate(shadow / "smartypants.py")
    p.env["PYTHONPATH"] = os.pathsep.join([str(shadow), os.environ.get("PYTHONPATH", "")])
    return "the module smartypants now comes from elsewhere"


def new_day(p: Project):
    p.env["SOURCE_DATE_EPOCH"] = epoch(DEFAULT_CLOCK + dt.timedelta(days=1))
    return "the build's day changed"


def output_edited(p: Project):
    home = page_path(p.output, "home", "nl")
    home.write_text(home.read_text(encoding="utf-8").replace("<main", "<main data-edited", 1), encoding="utf-8")
    return "is not as the last build left it"


def output_deleted(p: Project):
    (p.output / "zh" / "feed.xml").unlink()
    return "is not as the last build left it"


CHANGES = {
    "body": edit_body,
    "template": edit_template,
    "catalog": edit_catalog,
    "override file": edit_overrides,
    "settings": edit_settings,
    "new document": new_document,
    "deleted document": deleted_document,
    "changed library": changed_library,
    "new day": new_day,
    "output edited by hand": output_edited,
    "output deleted by hand": output_deleted,
}


@pytest.mark.parametrize("change", CHANGES)
def test_after_a_change_make_html_builds_and_equals_a_cold_build(change, built, tmp_path):
    project = built
    reason = CHANGES[change](project)
    rebuilt = project.make_html()
    assert not skipped(rebuilt) and "Processed" in rebuilt.stdout
    assert reason in rebuilt.stdout.splitlines()[1], rebuilt.stdout  # the line after make's echo says why
    cold = tmp_path / "cold"
    project.cold_build(cold)
    assert tree(project.output) == tree(cold)
    assert skipped(project.make_html())  # and then nothing is left to do


def test_an_edit_saved_while_the_build_reads_is_built_next_time(tmp_path):
    """R1: the build publishes what it read (Y), and its record says so: the next `make html`
    sees the edit (Z), builds, and equals a cold build."""
    project = Project(tmp_path / "project", hooks=("edit_while_reading",))
    page = project.content / "pages" / "press-release.nl.md"
    project.env.update(HOOK_EDIT_PATH=str(page), HOOK_EDIT_FROM="MARKER-Y", HOOK_EDIT_TO="MARKER-Z")
    project.make_html()
    unchanged = project.make_html()
    assert skipped(unchanged), unchanged.stdout  # the hook alone changes nothing
    project.edit("content/pages/press-release.nl.md", re.compile(r"\Z"), "\nMARKER-Y\n")
    project.make_html()
    assert "MARKER-Y" in page_path(project.output, "press-release", "nl").read_text(encoding="utf-8")
    assert "MARKER-Z" in page.read_text(encoding="utf-8")  # saved while the build read
    after = project.make_html()
    assert "press-release.nl.md changed" in after.stdout
    assert "MARKER-Z" in page_path(project.output, "press-release", "nl").read_text(encoding="utf-8")
    cold = tmp_path / "cold"
    project.cold_build(cold)
    assert tree(project.output) == tree(cold)
    assert skipped(project.make_html())


def test_options_a_missing_record_and_make_publish_always_build(built):
    project = built
    forced = project.make_html("PELICANOPTS=--ignore-cache")
    assert "up_to_date" not in forced.stdout and "Processed" in forced.stdout
    after = project.make_html()
    assert skipped(after), after.stdout
    (project.root / ".output.last-build.json").unlink()  # as after `make clean`
    assert "there is no record of the last build" in project.make_html().stdout
    publish = subprocess.run(
        ["make", "-n", "--old-file=.venv/.deps-installed", "publish"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "pelican" in publish.stdout and "up_to_date" not in publish.stdout
