"""The time the Traditional Chinese conversion adds to a build (`make bench` prints it).

A generated language (plugins/campaign/traditional.py) costs a build: importing OpenCC and
loading its dictionaries once per process, then converting every page, timeline line and
catalog of its source language, as the build does. Measured here in this process, on a
copy of the content, the first time (a cold build's cost) and then warm.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from campaign import traditional  # noqa: E402
from campaign.i18n import catalog_path  # noqa: E402
from campaign.languages import LANGUAGES  # noqa: E402
from campaign.sources import read_timeline  # noqa: E402


def convert_all(content: Path, translations: Path) -> int:
    """Everything a build converts: every generated language's pages, timeline lines and catalog.
    Returns the number of source characters converted."""
    conversions = traditional.load(translations)
    timeline = read_timeline(content / "timeline.yaml")
    characters = 0
    for code, conversion in conversions.items():
        source = LANGUAGES[code].generated_from
        for page in sorted((content / "pages").glob(f"*.{source}.md")):
            text = page.read_text(encoding="utf-8")
            traditional.page_text(conversion, text, source, code)
            characters += len(text)
        data = catalog_path(translations, source).read_bytes()
        traditional.catalog_bytes(conversion, data, code)
        characters += len(data.decode("utf-8"))
        before = sum(len(event.text.get(source, "")) for event in timeline.events)
        traditional.add_to_timeline(timeline.events, {code: conversion})
        characters += before
    return characters


def measure(content: Path, translations: Path = ROOT / "translations", runs: int = 5) -> dict[str, float]:
    started = time.perf_counter()
    import opencc  # noqa: F401  (its import is part of a cold build's cost)

    imported = time.perf_counter()
    for language in LANGUAGES.values():
        if language.generated_from:
            traditional.converter(language.conversion)
    loaded = time.perf_counter()
    characters = convert_all(content, translations)
    first = time.perf_counter()
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        convert_all(content, translations)
        warm.append(time.perf_counter() - start)
    return {
        "import": imported - started,
        "load": loaded - imported,
        "first": first - loaded,
        "warm": statistics.median(warm),
        "total": first - started,
        "characters": characters,
    }


def section(figures: dict[str, float], cold_build_s: float | None = None) -> str:
    """The figures as `make bench` prints them (Markdown)."""
    share = f" ({100 * figures['total'] / cold_build_s:.0f}% of the real site's cold build)" if cold_build_s else ""
    codes = ", ".join(code for code, language in LANGUAGES.items() if language.generated_from) or "none"
    return "\n".join(
        [
            f"## Generated languages ({codes}): the conversion's added time",
            "",
            "| step | ms |",
            "| --- | --- |",
            f"| import opencc | {1000 * figures['import']:.1f} |",
            f"| load its dictionaries | {1000 * figures['load']:.1f} |",
            f"| convert every page, timeline line and catalog, first time ({figures['characters']} characters) | "
            f"{1000 * figures['first']:.1f} |",
            f"| the same, warm | {1000 * figures['warm']:.1f} |",
            f"| added to a cold build | {1000 * figures['total']:.1f} |",
            "",
            f"A cold build pays the import, the load and the first conversion: {1000 * figures['total']:.0f} ms{share}.",
            "",
        ]
    )


if __name__ == "__main__":
    print(section(measure(ROOT / "content")))
