"""`make check`: every problem the build would stop on, and the translation status, in a second.

    PYTHONPATH=plugins python -m campaign.check [CONTENT_DIR] [--settings pelicanconf.py] [--strict]

It reads the same files with the same functions as the build (sources.py,
validation.py, catalogs.py), without Pelican and without rendering anything, and
prints each problem as `file:line: field: what is wrong — how to fix it`.
Exit status: 1 if the build would stop (or, with --strict, if any translation is
missing or out of date), else 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import traditional
from .catalogs import CatalogReport, cached_template_strings, check_catalogs
from .config import PROJECT
from .deadlines import build_day
from .problems import Problem
from .site_checks import validate_links, validate_site
from .sources import (
    Locations,
    PageFile,
    TimelineFile,
    display_path,
    markdown_renderer,
    page_files,
    read_page,
    read_timeline,
    render_body,
    stray_files,
)
from .status import TranslationStatus, translation_status
from .timeline import status_warning


@dataclass
class CheckResult:
    pages: list[PageFile]
    timeline: TimelineFile
    catalogs: CatalogReport
    problems: list[Problem] = field(default_factory=list)
    status: TranslationStatus = field(default_factory=TranslationStatus)


def run(locations: Locations) -> CheckResult:
    pages = [read_page(path) for folder in locations.pages for path in page_files(folder, locations.ignore_files)]
    markdown = markdown_renderer(locations.markdown)
    for page in pages:  # as the build's reader does: raw HTML outside the allowlist is a problem
        page.problems += render_body(page, markdown)[1]
    timeline = read_timeline(locations.timeline)
    # The templates' strings as the build keeps them: extracting them is most of a check's time.
    strings = (
        cached_template_strings(locations.cache, locations.templates, locations.mapping) if locations.cache else None
    )
    catalogs = check_catalogs(
        locations.translations, locations.templates, locations.mapping, display=display_path, strings=strings
    )
    problems = [problem for page in pages for problem in page.problems]
    problems += validate_site(page.record for page in pages)
    problems += validate_links(((page.path, page.source, page.parsed) for page in pages), str(locations.content))
    problems += timeline.problems
    conversions = traditional.load(locations.translations, display_path)  # the override files
    problems += [problem for conversion in conversions.values() for problem in conversion.problems]
    problems += stray_files(locations.content, locations.pages, locations.timeline, locations.ignore_files)
    problems += catalogs.problems
    status = translation_status(pages, timeline, catalogs)
    return CheckResult(pages, timeline, catalogs, sorted(set(problems)), status)


def format_result(result: CheckResult) -> str:
    lines = [str(problem) for problem in result.problems]
    count = len(result.problems)
    checked = f"{len(result.pages)} pages, {len(result.timeline.events)} timeline events and the interface strings"
    if count:
        noun = "problem" if count == 1 else "problems"
        lines.append(f"{count} {noun} found in {checked}: the site will not build until they are fixed.")
        lines.append(
            "Each line says file:line: field: what is wrong — how to fix it. Fix them, then run `make check` again."
        )
    else:
        lines.append(f"No problems in {checked}: the site will build.")
    warnings = sorted({warning for page in result.pages for warning in page.warnings})
    if warnings:
        lines.append("")
        lines.append("Warnings (the site builds, but readers get less than you wrote):")
        lines += [str(warning) for warning in warnings]
    lines.append("")
    if result.status.up_to_date:
        lines.append("Translation status: every translation is there and up to date.")
        lines += result.status.summary()
    else:
        lines.append(
            "Translation status (this does not stop the build, but readers see old or English text until it is done):"
        )
        lines.append(result.status.report())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make check", description="Check the content and the translations without building the site."
    )
    parser.add_argument("content", nargs="?", type=Path, help="the content folder (default: PATH in the settings)")
    parser.add_argument("--settings", type=Path, default=PROJECT / "pelicanconf.py", help="the Pelican settings file")
    parser.add_argument(
        "--translations", type=Path, help="the catalogs' folder (default: CAMPAIGN_TRANSLATIONS in the settings)"
    )
    parser.add_argument("--strict", action="store_true", help="also fail when a translation is missing or out of date")
    args = parser.parse_args(argv)
    locations = Locations.from_settings(args.settings, args.content, args.translations)
    result = run(locations)
    print(format_result(result))
    warning = status_warning(
        result.timeline.status_as_of, build_day(os.environ), locations.status_max_age_days, result.timeline.path
    )
    if warning:
        print(f"\nWarning (the site still builds): {warning}")
    if result.problems:
        return 1
    if args.strict and not result.status.up_to_date:
        print("--strict: failing because of the translation status above.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
