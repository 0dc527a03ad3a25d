"""`make test` shares the tests out between the cores in groups (conftest.worker_group), so
that no worker makes again what another has made: a module's tests that start from one site
built for them stay together, and so do test_browser.py's tests of one page, which all read
one visit of it. Any other test goes to whichever worker is free."""

from __future__ import annotations

from conftest import worker_group


def browser_test(name: str, page: str) -> str:
    return worker_group(f"tests/test_browser.py::{name}[{page}]")


def test_the_tests_of_one_page_in_the_browser_go_to_one_worker():
    axe, status = "test_axe_finds_no_violations", "test_page_loads_with_the_right_status"
    assert browser_test(axe, "phone-en-home") == browser_test(status, "phone-en-home")
    assert browser_test(axe, "phone-en-home") != browser_test(axe, "desktop-en-home")
    assert browser_test(axe, "phone-nl-urgent-action") != browser_test(axe, "phone-en-urgent-action")


def test_a_module_whose_tests_share_a_build_goes_to_one_worker():
    first = worker_group("tests/test_incremental.py::test_a_failed_build_changes_nothing_in_the_output")
    other = worker_group("tests/test_incremental.py::test_after_a_change_an_incremental_build_equals_a_cold_one[body]")
    assert first == other == "tests/test_incremental.py"


def test_any_other_test_goes_on_its_own():
    one = "tests/test_deadlines.py::test_the_day_before_the_deadline_is_open_with_one_day_left"
    two = "tests/test_deadlines.py::test_the_deadline_day_is_open[en]"
    assert worker_group(one) == one and worker_group(two) == two
