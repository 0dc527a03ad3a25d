"""The tests' fixture site, in every language of the languages table.

tests/fixtures/site/content holds the campaign's documents as written by hand in English,
Dutch and Chinese. A language declared in plugins/campaign/languages.py since then has no
files there: `content()` gives the tests (tests/conftest.py: CONTENT) and `make golden`
(tests/golden.py) a copy in which every written language (languages.written()) missing
a page or a timeline line has it, made from the English the way a translator's first copy
would be: `lang:` set, links to the language's own pages, `translation_of` recording the
English it was made from. The hand-written files are used as they are. So a new language
reaches every test that builds the fixture site, and the golden output, without a file
added by hand (tests/test_fourth_language.py proves it). A generated language (Traditional
Chinese) needs nothing here: the build makes its pages.
"""

from __future__ import annotations

import atexit
import json
import re
import shutil
import tempfile
from pathlib import Path

import yaml

from campaign.fingerprints import page_fingerprint
from campaign.frontmatter import load_yaml
from campaign.languages import DEFAULT_CODE, written
from campaign.sources import read_page

HAND_WRITTEN = Path(__file__).resolve().parent / "fixtures" / "site" / "content"


def translated_page(english: Path, lang: str) -> str:
    """An English page file's text as a `lang` page: its `lang:` line, its links to other
    pages of the site and a `translation_of` that says it matches the English."""
    page = read_page(english)
    assert not page.problems, f"{english}: {page.problems[0]}"
    fingerprint = page_fingerprint(page.parsed.data, page.parsed.body)
    text = english.read_text(encoding="utf-8")
    text, found = re.subn(
        rf"^lang:[ \t]*[\"']?{DEFAULT_CODE}[\"']?(?=[ \t#]|$).*$",
        f'lang: {lang}\ntranslation_of: "{fingerprint}"',
        text,
        count=1,
        flags=re.MULTILINE,
    )
    assert found, f"{english}: no 'lang: {DEFAULT_CODE}' line"
    return re.sub(rf"(\{{filename\}}[^\s)\]>\"']*?)\.{DEFAULT_CODE}\.md\b", rf"\1.{lang}.md", text)


def timeline_with(timeline: Path, langs) -> str:
    """The timeline file's text with a line in each of `langs` for every event that has
    none, the English text copied (put before the English line: any style of YAML value
    stays whole). Every other line stays as it is."""
    source = timeline.read_text(encoding="utf-8")
    data, line_of, problems = load_yaml(source, str(timeline))
    assert not problems, f"{timeline}: {problems[0]}"
    lines = source.split("\n")
    for index in reversed(range(len(data["events"]))):
        text = data["events"][index]["text"]
        position = line_of[f"events[{index}].text.{DEFAULT_CODE}"] - 1
        english_line = lines[position]
        indent = english_line[: len(english_line) - len(english_line.lstrip())]
        assert english_line.lstrip().startswith(f"{DEFAULT_CODE}:"), f"{timeline}: events[{index}]"
        copied = json.dumps(text[DEFAULT_CODE], ensure_ascii=False)
        lines[position:position] = [f"{indent}{lang}: {copied}" for lang in langs if lang not in text]
    return "\n".join(lines)


def missing(source: Path = HAND_WRITTEN, langs=None) -> list[str]:
    """The written languages (or `langs`) that lack a page or a timeline line in `source`."""
    langs = written() if langs is None else langs
    english = sorted((source / "pages").glob(f"*.{DEFAULT_CODE}.md"))
    events = yaml.safe_load((source / "timeline.yaml").read_text(encoding="utf-8"))["events"]
    return [
        lang
        for lang in langs
        if any(not path.with_name(path.name.replace(f".{DEFAULT_CODE}.md", f".{lang}.md")).exists() for path in english)
        or any(lang not in event["text"] for event in events)
    ]


def complete(source: Path, destination: Path, langs) -> Path:
    """A copy of the content folder `source` at `destination`, with the pages and timeline
    lines of `langs` that it lacks made from the English."""
    shutil.copytree(source, destination)
    for english in sorted((destination / "pages").glob(f"*.{DEFAULT_CODE}.md")):
        for lang in langs:
            path = english.with_name(english.name.replace(f".{DEFAULT_CODE}.md", f".{lang}.md"))
            if not path.exists():
                path.write_text(translated_page(english, lang), encoding="utf-8")
    timeline = destination / "timeline.yaml"
    timeline.write_text(timeline_with(timeline, langs), encoding="utf-8")
    return destination


def content() -> Path:
    """The fixture site's content folder with every written language: the hand-written folder
    itself when it has them all (no copy), else a completed copy for this process's life."""
    langs = missing()
    if not langs:
        return HAND_WRITTEN
    folder = Path(tempfile.mkdtemp(prefix="fixture-site-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return complete(HAND_WRITTEN, folder / "content", langs)
