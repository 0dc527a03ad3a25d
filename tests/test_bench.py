"""`make bench` runs and prints its tables. The figures themselves are not asserted (speed
goals are measured by `make bench`, not timed in tests); only that each row is there and
holds numbers, on a synthetic site of 5 documents per language built once."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from conftest import LANGS, ROOT, SLUGS, site_path

NUMBER = re.compile(r"^-?\d[\d ]*(\.\d+)?$")


def rows(report: str, heading: str) -> dict[str, list[str]]:
    """The first Markdown table after a heading, as {first cell: other cells}."""
    section = report.split(f"## {heading}", 1)[1]
    lines = [line for line in section.split("\n## ", 1)[0].splitlines() if line.startswith("|")]
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]  # after header and rule
    return {row[0]: row[1:] for row in cells}


@pytest.fixture(scope="module")
def report() -> str:
    environment = {**os.environ, "LIGHTHOUSE": ""}
    result = subprocess.run(
        # --old-file: the test runs inside `make test`, which has just installed the dependencies.
        ["make", "--no-print-directory", "--old-file=.venv/.deps-installed", "bench", "BENCH_N=5", "BENCH_RUNS=1"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_report_names_the_machine(report):
    assert re.search(rf"Machine: {os.cpu_count()} cores", report)


def test_build_times_of_the_real_and_the_synthetic_site(report):
    builds = rows(report, "Build time")
    real = next(name for name in builds if name.startswith("real site"))
    assert "synthetic 5 × 3" in builds
    assert builds["synthetic 5 × 3"][0] == str(5 * len(LANGS))  # pages: 5 documents in 3 languages and zh-hant
    assert builds[real][0] == str(len(SLUGS) * len(LANGS))
    for name in (real, "synthetic 5 × 3"):
        *figures, same_output = builds[name]
        assert all(NUMBER.match(figure) for figure in figures), (name, figures)
        assert same_output == "yes", f"{name}: a warm build wrote something a cold build did not"


def test_the_time_the_traditional_chinese_conversion_adds(report):
    steps = rows(report, "Generated languages (zh-hant): the conversion's added time")
    assert steps["added to a cold build"][0] and NUMBER.match(steps["added to a cold build"][0])
    assert float(steps["load its dictionaries"][0]) > 0
    assert any(name.startswith("convert every page") for name in steps)


def test_targets_are_reported_with_what_was_measured(report):
    targets = rows(report, "Targets")
    for name in ("real site cold ≤ 0.55 s", "real site nothing changed ≤ 0.25 s", "devserver: a save shown ≤ 1 s"):
        assert re.match(r"^\d+\.\d\d s($| \(empty cache: \d+\.\d\d s\)$)", targets[name][0]), (name, targets[name])
        assert targets[name][1] in ("met", "MISSED")
    assert "(empty cache: " in targets["real site cold ≤ 0.55 s"][0]  # as a clean clone builds, beside it
    lighthouse = next(value for name, value in targets.items() if name.startswith("Lighthouse"))
    assert lighthouse == ["not measured", "run with LIGHTHOUSE=1"]


def test_the_devserver_loop_is_measured(report):
    loop = rows(report, "Editors' loop (make devserver, real site)")
    assert NUMBER.match(loop["save → reloaded page"][0])


def test_page_weight_of_every_page(report):
    weights = rows(report, "Page weight (real site, first visit, no cache)")
    number = lambda text: int(text.replace(" ", ""))  # noqa: E731
    for slug in SLUGS:
        for lang in LANGS:
            url = site_path(slug, lang)
            assert url in weights, f"no page-weight row for {url}"
            html, html_gzip, css, css_gzip, _js, _js_gzip, _images, requests, transfer, act, send, send_without_js = (
                weights[url]
            )
            assert all(NUMBER.match(value) for value in weights[url][:9]), (url, weights[url])
            # Where the action starts on a phone (scripts/action_positions.py): the home page and
            # the open urgent action (the bench's clock) have a control to act; the action's letters have controls.
            if slug in ("home", "urgent-action"):
                assert NUMBER.match(act), (url, act)
            if slug == "urgent-action":
                assert NUMBER.match(send) and NUMBER.match(send_without_js), (url, send, send_without_js)
            assert 0 < number(html_gzip) < number(html)
            assert 0 < number(css_gzip) < number(css)
            assert number(requests) >= 2  # the page and its stylesheet
            assert number(transfer) >= number(html_gzip) + number(css_gzip)
    assert "/404.html" in weights
