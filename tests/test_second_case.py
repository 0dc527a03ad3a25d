"""One case per site: a second case's site comes from this repository by changing only the
case's declaration (CAMPAIGN_CASE, plugins/campaign/case.py) and the content, as
docs/editing.md ("Start a site for a new case") says. The case here is the editor trial's
(a journalist jailed in Burundi, UA 13.23); every name, address and contact detail in it is
invented for the test. The build must name that case everywhere and the first case nowhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from campaign.languages import DEFAULT_CODE, LANGUAGES
from conftest import LANGS, ROOT, WRITTEN, page_path, run_pelican

# The one declaration a new case changes (pelicanconf.py), given on the command line.
SECOND_CASE = {
    "name": {"en": "Free Ana Example", "nl": "Vrijheid voor Ana Example", "zh": "释放 Ana Example"},
    "people": [{"name": "Ana Example"}],
}
NAMES = {
    "en": "Free Ana Example",
    "nl": "Vrijheid voor Ana Example",
    "zh": "释放 Ana Example",
    "zh-hant": "釋放 Ana Example",  # generated from the Simplified: nobody declares it
}
FIRST_CASE = re.compile(r"Huang|Wang|Xueqin|Jianbing|黄雪琴|王建兵|黄|王建")

# A language without words here (one declared later) gets the English, as its first copy would.
WORDS = {
    "en": ("Free Ana Example", "Urgent action: free Ana Example", "Write to the minister", "Dear Minister,"),
    "nl": (
        "Vrijheid voor Ana Example",
        "Urgent Action: laat Ana Example vrij",
        "Schrijf de minister",
        "Geachte minister,",
    ),
    "zh": ("释放 Ana Example", "紧急行动：释放 Ana Example", "致信部长", "尊敬的部长："),
}


def home(lang: str) -> str:
    title, *_ = WORDS.get(lang, WORDS[DEFAULT_CODE])
    return f"""---
title: "{title}"
lang: {lang}
slug: home
kind: home
date: 2023-09-20
summary: "{title}: a journalist in prison for her work ({lang})."
---

Ana Example, a journalist, is in prison ({lang}). Read the [urgent action]({{filename}}urgent-action.{lang}.md).
"""


def action(lang: str) -> str:
    _, title, summary, salutation = WORDS.get(lang, WORDS[DEFAULT_CODE])
    body = "\n\n".join(
        ["    Please release Ana Example immediately and unconditionally.", f"    {LANGUAGES[lang].closing}"]
    )
    return f"""---
title: "{title}"
lang: {lang}
slug: urgent-action
kind: action
date: 2023-09-20
summary: "{summary} ({lang})."
deadline: 2027-01-31
reference: "UA 13.23"
preferred_languages: [en]
targets:
  - name: "Minister Example"
    title: "Minister of Justice"
    email: minister@example.org
    phone: "+257 22 00 00 00"
    social: ["X: @example_minister"]
    salutation: "{salutation}"
    role: target
  - name: "Ambassador Example"
    organization: "Embassy in Brussels"
    address: ["Example Square 1", "1000 Brussels", "Belgium"]
    email: embassy@example.org
    role: cc
letter:
  subject: "Release Ana Example"
  body: |
{body}
---

Ana Example was sentenced for her reporting ({lang}).
"""


ARRESTED = {"en": "Ana Example is arrested.", "nl": "Ana Example wordt gearresteerd.", "zh": "Ana Example 被捕。"}
TIMELINE = "events:\n  - date: 2022-08-30\n    text:\n" + "".join(
    f'      {lang}: "{ARRESTED.get(lang, ARRESTED[DEFAULT_CODE])}"\n' for lang in WRITTEN
)


@pytest.fixture(scope="module")
def second_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("second-case")
    pages = base / "content" / "pages"
    pages.mkdir(parents=True)
    for lang in WRITTEN:
        (pages / f"home.{lang}.md").write_text(home(lang), encoding="utf-8")
        (pages / f"urgent-action.{lang}.md").write_text(action(lang), encoding="utf-8")
    (base / "content" / "timeline.yaml").write_text(TIMELINE, encoding="utf-8")
    result = run_pelican(
        base / "output",
        content=base / "content",
        options=("-e", f"CAMPAIGN_CASE={json.dumps(SECOND_CASE, ensure_ascii=False)}"),
    )
    assert result.returncode == 0, result.stderr
    return base / "output"


def test_the_second_case_names_itself_everywhere_and_the_first_case_nowhere(second_site):
    written = [path for path in second_site.rglob("*") if path.is_file() and path.suffix in {".html", ".xml", ".ics"}]
    assert len(written) > 6
    for path in written:
        text = path.read_text(encoding="utf-8")
        found = FIRST_CASE.search(text)
        assert found is None, f"{path.relative_to(second_site)} still names the first case: {found[0]!r}"
    for lang in LANGS:
        name = NAMES.get(lang, NAMES[DEFAULT_CODE])  # undeclared in the case's name: the English one
        for slug in ("home", "urgent-action"):
            soup = BeautifulSoup(page_path(second_site, slug, lang).read_text(encoding="utf-8"), "html.parser")
            assert soup.select_one(".cs-header__title").get_text() == name
            assert soup.title.get_text().replace("\xa0", " ").endswith(name)
            assert soup.find("meta", property="og:site_name")["content"] == name
            assert "Ana Example" in soup.find("meta", property="og:image:alt")["content"]
            kicker = soup.select_one(".cs-kicker")
            assert kicker.get_text(" ", strip=True) == "Ana Example" and kicker.find(lang=True) is None
    not_found = (second_site / "404.html").read_text(encoding="utf-8")
    assert all(name in not_found for name in NAMES.values())


def test_the_first_case_is_declared_once(tmp_path):
    """What the first case's site names comes from its declaration: the templates, catalogs,
    plugin and scripts name nobody (the content does, and pelicanconf.py declares the case)."""
    places = [ROOT / "theme", ROOT / "translations", ROOT / "plugins", ROOT / "scripts"]
    for folder in places:
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in {".html", ".py", ".pot", ".po", ".js", ".css"}:
                lines = path.read_text(encoding="utf-8").split("\n")
                named = [
                    line
                    for line in lines
                    if FIRST_CASE.search(line) and not line.startswith(("#", '"Project-Id-Version'))
                ]
                assert named == [], f"{path.relative_to(ROOT)} names the first case: {named[:2]}"
