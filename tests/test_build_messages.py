"""The build's messages go through Pelican's logger (problems.log): -q leaves only what stops
the build, and every message keeps its one-line `file:line: field: what — fix` shape."""

from __future__ import annotations

from campaign.check import Locations, run
from campaign.problems import report
from conftest import SETTINGS, copy_site, replace, run_pelican

STATUS = "Translation status (the site is built"


def out_of_date(tmp_path):
    """A copy of the fixture site whose English press release changed: its translations are out of date."""
    content, _ = copy_site(tmp_path)
    replace(content / "pages" / "press-release.en.md", 'summary: "On the eve', 'summary: "The day before')
    return content


def test_the_translation_status_is_a_warning_that_quiet_leaves_out_and_debug_shows(tmp_path):
    content = out_of_date(tmp_path)
    shown = run_pelican(tmp_path / "shown", content=content)
    quiet = run_pelican(tmp_path / "quiet", content=content, options=("-q",))
    debug = run_pelican(tmp_path / "debug", content=content, options=("--debug",))
    assert shown.returncode == quiet.returncode == debug.returncode == 0, shown.stderr + quiet.stderr
    assert STATUS in shown.stderr and STATUS in debug.stderr
    assert STATUS not in quiet.stderr and quiet.stderr.strip() == ""
    status_line = next(line for line in shown.stderr.splitlines() if "press-release" in line)
    assert status_line in debug.stderr.splitlines()  # as it is: no time, level or wrapping


def test_a_problem_stops_the_build_in_its_own_words_even_when_quiet(tmp_path):
    content, _ = copy_site(tmp_path)
    replace(content / "pages" / "petition.nl.md", "slug: ", "slug: ../")
    expected = report(run(Locations.from_settings(SETTINGS, content)).problems)
    assert " — " in expected
    for options in ((), ("-q",)):
        result = run_pelican(tmp_path / f"output{len(options)}", content=content, options=options)
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert expected in result.stderr, result.stderr  # every line whole, as `make check` words it
        assert not (tmp_path / f"output{len(options)}").exists()
