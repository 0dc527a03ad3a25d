"""The tests' fixture site, in every language of the languages table.

tests/fixtures/site/content holds the campaign's documents as written by hand in English,
Dutch and Chinese. A language declared in plugins/campaign/languages.py since then has no
files there: `content()` gives the tests (tests/conftest.py: CONTENT) and `make golden`
(tests/golden.py) a copy (in the temporary folder: BUILT) in which every written language
(languages.written()) missing a page or a timeline line has it, made from the English the
way a translator's first copy would be: `lang:` set, links to the language's own pages,
`translation_of` recording the English it was made from. The hand-written files are used
as they are. So a new language reaches every test that builds the fixture site, and the
golden output, without a file added by hand (tests/test_fourth_language.py proves it). A
generated language (Traditional Chinese) needs nothing here: the build makes its pages.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

import yaml

from campaign.fingerprints import page_fingerprint
from campaign.languages import DEFAULT_CODE, written
from campaign.sources import read_page

HAND_WRITTEN = Path(__file__).resolve().parent / "fixtures" / "site" / "content"
# Where completed copies go, each named by what it holds: in the system's temporary folder,
# not build/, which `make clean` (tests/test_output_folder.py runs it) removes during a run.
BUILT = Path(tempfile.gettempdir()) / "campaign-fixture-site"


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
    none, the English text copied, right after the English (after all of it, whatever its
    YAML style). Every other line stays as it is."""
    source = timeline.read_text(encoding="utf-8")
    lines = source.split("\n")
    events = _block_mapping(yaml.compose(source))["events"][1].value
    for event in reversed(events):
        text = _block_mapping(_block_mapping(event)["text"][1])
        key, english = text[DEFAULT_CODE]
        end = english.end_mark  # just after the value: on its line, or at the start of the next
        position = end.line + 1 if end.column else end.line
        copied = f"{' ' * key.start_mark.column}{{}}: {json.dumps(english.value, ensure_ascii=False)}"
        lines[position:position] = [copied.format(lang) for lang in langs if lang not in text]
    return "\n".join(lines)


def _block_mapping(node) -> dict:
    """A YAML node of a block mapping as {key: (key node, value node)}, their positions kept."""
    assert isinstance(node, yaml.MappingNode) and not node.flow_style, f"line {node.start_mark.line + 1}: not a block"
    return {key.value: (key, value) for key, value in node.value}


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


def completed(source: Path, langs) -> dict[str, bytes]:
    """The files of the content folder `source` by relative path, with the pages and timeline
    lines of `langs` that it lacks made from the English."""
    files = {path.relative_to(source).as_posix(): path.read_bytes() for path in source.rglob("*") if path.is_file()}
    for english in sorted((source / "pages").glob(f"*.{DEFAULT_CODE}.md")):
        for lang in langs:
            name = "pages/" + english.name.replace(f".{DEFAULT_CODE}.md", f".{lang}.md")
            files.setdefault(name, translated_page(english, lang).encode("utf-8"))
    files["timeline.yaml"] = timeline_with(source / "timeline.yaml", langs).encode("utf-8")
    return files


def content(source: Path = HAND_WRITTEN, langs=None, folder: Path = BUILT) -> Path:
    """The fixture site's content folder with every written language (or `langs`): `source`
    itself when it has them all, else its completed copy in `folder`, named by what it
    holds. Every process of a test run (pytest-xdist's too) then uses the same one, and a
    copy is written once (atomically: a half-written one is never used)."""
    langs = missing(source, langs)
    if not langs:
        return source
    files = completed(source, langs)
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    copy = folder / digest.hexdigest()[:16]
    if not copy.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        writing = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder))
        for name, data in files.items():
            (writing / "content" / name).parent.mkdir(parents=True, exist_ok=True)
            (writing / "content" / name).write_bytes(data)
        try:
            writing.rename(copy)
        except OSError:  # another process has written the same copy meanwhile
            shutil.rmtree(writing)
    return copy / "content"
