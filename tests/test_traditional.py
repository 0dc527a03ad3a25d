"""Traditional Chinese (zh-hant), generated from the Simplified at every build
(plugins/campaign/traditional.py, translations/zh-hant/overrides.txt).

The pages, feeds and letters of zh-hant are tested like every language's by the tests that
take the languages from the table (test_site.py, test_build_actions.py, test_browser.py...);
these are about the conversion itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from campaign import traditional
from campaign.languages import LANGUAGES
from conftest import CONTENT, ROOT, page_path, run_pelican

CODE = "zh-hant"
OVERRIDES = ROOT / "translations" / CODE / "overrides.txt"
# Characters OpenCC converts when they stand alone, but which are Traditional too, in some
# words: 獲准 (准), 了解 (了), 台 ... A Simplified-only character outside this list on a
# Traditional page is a conversion missed.
TRADITIONAL_TOO = set("准了台采系面干后只周范余里志征松游占制")
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def conversion() -> traditional.Conversion:
    found = traditional.load(ROOT / "translations")[CODE]
    assert found.problems == ()
    return found


# --- The conversion -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("simplified", "opencc_alone", "site"),
    [
        # OpenCC 1.4.2's errors in this site's text (shared/reviews/zh-hant.md), put right by the override file
        ("你的姓名和城市不会被发送或保存。", "不會被髮送", "不會被發送"),  # 髮 is hair
        ("看守所至今没有采取任何措施", "沒有采取", "沒有採取"),
        ("却一直未获准得到适当的医疗救治", "未獲準得到", "未獲准得到"),
        ("国际特赦组织英国分会发布新闻稿", "發布", "發布"),
        ("庭审前夕发布的新闻稿", "發佈的", "發布的"),  # one form site-wide
        ("在本页了解他们的情况", "瞭解", "了解"),
        ("打印这封信", "打印", "列印"),
    ],
)
def test_the_override_file_corrects_what_opencc_gets_wrong(conversion, simplified, opencc_alone, site):
    assert opencc_alone in traditional.converter("s2tw").convert(simplified)  # why the rule is there
    converted = conversion.convert(simplified)
    assert site in converted and (opencc_alone == site or opencc_alone not in converted)


def test_names_courts_and_charges_convert_as_the_override_file_says(conversion):
    text = "广州市中级人民法院以“煽动颠覆国家政权”罪判处黄雪琴有期徒刑五年；广东省高级人民法院"
    assert (
        conversion.convert(text)
        == "廣州市中級人民法院以「煽動顛覆國家政權」罪判處黃雪琴有期徒刑五年；廣東省高級人民法院"
    )


def test_quotes_next_to_chinese_become_corner_brackets_and_latin_apostrophes_stay(conversion):
    # A quotation of several paragraphs opens each one and closes only the last: by character, not in pairs.
    assert conversion.convert("“第一段\n\n“第二段。”") == "「第一段\n\n「第二段。」"
    assert conversion.convert("他说：“她说‘不’。”") == "他說：「她說『不』。」"
    assert conversion.convert("People’s Republic, “Free them”") == "People’s Republic, “Free them”"


def test_links_addresses_placeholders_and_markdown_pass_through_unchanged(conversion):
    text = (
        "## 发布\n\n- 请写信至 chinaembpress_us@mfa.gov.cn，见[新闻稿]({filename}press-release.zh.md)"
        "和 <https://例子.cn/发布/>；%(name)s 写于 %(date)s。\n\n> **发送**\n"
    )
    converted = conversion.convert(text)
    for kept in ("chinaembpress_us@mfa.gov.cn", "{filename}press-release.zh.md", "https://例子.cn/发布/", "%(name)s"):
        assert kept in converted
    assert re.sub(r"[^\x00-\x7f]", "", converted) == re.sub(r"[^\x00-\x7f]", "", text)  # Markdown as it was
    page = traditional.page_text(
        conversion, "---\nlang: zh\nslug: x\n---\n见[首页]({filename}home.zh.md)\n", "zh", CODE
    )
    assert page == "---\nlang: zh-hant\nslug: x\n---\n見[首頁]({filename}home.zh-hant.md)\n"


def test_the_override_file_is_one_rule_a_line_and_says_which_line_is_wrong(tmp_path):
    path = tmp_path / "overrides.txt"
    path.write_text(
        "# a comment\n黄雪琴 = 黃雪琴  # her name\n\n这一行没有等号\n测试 = 測驗\n测试 = 考試\n", encoding="utf-8"
    )
    rules, problems = traditional.read_overrides(path, "overrides.txt")
    assert rules == {"黄雪琴": "黃雪琴", "测试": "考試"}
    assert [(p.line, p.message) for p in problems] == [
        (4, "this line is not a rule: '这一行没有等号'"),
        (6, "'测试' has two rules"),
    ]
    assert traditional.Conversion("s2tw", {"测试": "測驗"}).convert("一次测试") == "一次測驗"


# --- In the build -------------------------------------------------------------------------------


def traditional_text(soup: BeautifulSoup) -> str:
    """A Traditional page's interface and reading text: the letters to officials (sent in
    Simplified, or in English) and the marked Simplified names aside."""
    for element in soup.select('[lang="zh-Hans"], [lang="en"]'):
        element.decompose()
    for letter in soup.select(".cs-letter"):
        if not letter["id"].endswith(f"-{CODE}"):
            letter.decompose()
    return soup.get_text()


def test_no_simplified_only_characters_on_traditional_pages(built_site):
    s2tw = traditional.converter("s2tw")
    pages = sorted((built_site / CODE).rglob("index.html"))
    assert len(pages) == 4
    for path in [*pages, built_site / "404.html"]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if path.name == "404.html":
            soup = soup.find(attrs={"lang": "zh-Hant"})
        text = traditional_text(soup)
        assert len(HAN.findall(text)) > 20, path
        left = sorted({c for c in HAN.findall(text) if s2tw.convert(c) != c} - TRADITIONAL_TOO)
        assert left == [], f"{path}: {left}"
        assert not re.search("[“”‘’]", re.sub(r"[\x00-\x7f]+[“”‘’][\x00-\x7f]+", "", text)), path
    feed = (built_site / CODE / "feed.xml").read_text(encoding="utf-8")
    assert "<feed" in feed and 'xml:lang="zh-Hant"' in feed
    assert not {c for c in HAN.findall(feed) if s2tw.convert(c) != c} - TRADITIONAL_TOO


def test_the_override_file_is_applied(built_site):
    page = page_path(built_site, "urgent-action", CODE).read_text(encoding="utf-8")
    assert "看守所至今沒有採取" in page and "沒有采取" not in page
    assert "一直未獲准得到" in page and "獲準" not in page
    home = page_path(built_site, "home", CODE).read_text(encoding="utf-8")
    assert "發佈" not in home + page and "瞭解" not in home + page
    kicker = BeautifulSoup(home, "html.parser").select_one(".cs-kicker")
    assert [(s["lang"], s.get_text()) for s in kicker.select("span[lang]")] == [
        ("zh-Hant", "黃雪琴"),
        ("zh-Hant", "王建兵"),
    ]


def copy_site(tmp_path: Path) -> tuple[Path, Path]:
    content = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    translations = Path(shutil.copytree(ROOT / "translations", tmp_path / "translations"))
    return content, translations


def run_with(tmp_path: Path, content: Path, translations: Path):
    return run_pelican(tmp_path / "output", content=content, options=("-e", f'CAMPAIGN_TRANSLATIONS="{translations}"'))


def test_a_change_to_the_simplified_text_reaches_the_traditional_page_in_the_same_build(tmp_path):
    content, translations = copy_site(tmp_path)
    page = content / "pages" / "press-release.zh.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n编辑刚刚补充了这句话，关于“发布”的说明。\n", encoding="utf-8")
    timeline = content / "timeline.yaml"
    text = timeline.read_text(encoding="utf-8")
    assert "此案原定于当天在广州开庭审理。" in text
    timeline.write_text(
        text.replace("此案原定于当天在广州开庭审理。", "此案原定于当天在广州开庭审理，后来推迟。"), encoding="utf-8"
    )
    catalog = translations / "zh" / "LC_MESSAGES" / "messages.po"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("跳到主要内容", "直接跳到主要内容"), encoding="utf-8"
    )
    overrides = translations / CODE / "overrides.txt"
    overrides.write_text(overrides.read_text(encoding="utf-8") + "\n补充 = 增補\n", encoding="utf-8")
    result = run_with(tmp_path, content, translations)
    assert result.returncode == 0, result.stderr
    release = page_path(tmp_path / "output", "press-release", CODE).read_text(encoding="utf-8")
    assert "編輯剛剛增補了這句話，關於「發布」的說明。" in release  # the override file's new rule too
    home = page_path(tmp_path / "output", "home", CODE).read_text(encoding="utf-8")
    assert "此案原定於當天在廣州開庭審理，後來推遲。" in home
    assert "直接跳到主要內容" in home
    assert "Traditional" not in result.stderr  # the translation status does not report it missing


def test_a_traditional_file_written_by_hand_or_a_bad_override_stops_the_build_with_one_line_each(tmp_path):
    content, translations = copy_site(tmp_path)
    shutil.copy(content / "pages" / "home.zh.md", content / "pages" / "home.zh-hant.md")
    with (translations / CODE / "overrides.txt").open("a", encoding="utf-8") as handle:
        handle.write("黄雪琴 黃雪琴\n")
    result = run_with(tmp_path, content, translations)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "zh-hant" in line]
    assert any(
        "home.zh-hant.md: Traditional Chinese pages are made from the Chinese ones at every build, not written — delete this file"
        in line
        for line in lines
    ), result.stderr
    assert any(
        re.search(r"overrides\.txt:\d+: this line is not a rule: '黄雪琴 黃雪琴' — write the Simplified phrase", line)
        for line in lines
    ), result.stderr
    assert not (tmp_path / "output").exists()


def test_a_generated_language_is_declared_with_its_source_and_conversion():
    language = LANGUAGES[CODE]
    assert (language.generated_from, language.conversion, language.letters_in) == ("zh", "s2tw", "zh")
    assert (language.html_lang, language.og_locale, language.name) == ("zh-Hant", "zh_TW", "繁體中文")
    assert LANGUAGES["zh"].name == "简体中文"
    assert OVERRIDES.is_file()


# --- In a browser ---------------------------------------------------------------------------------


@pytest.mark.browser
def test_a_traditional_page_is_drawn_in_tc_faces_and_prints_the_simplified_letter(opened, built_site):
    page = opened(built_site, f"/{CODE}/urgent-action/")
    font_of = "(selector) => getComputedStyle(document.querySelector(selector)).fontFamily"
    body = page.evaluate(font_of, "h1")
    assert body.index("Noto Sans CJK TC") < body.index("sans-serif") and "SC" not in body  # no mainland glyph shapes
    letter = page.evaluate(font_of, "#letter-1-zh-text")  # the Simplified letter: the SC faces
    assert "Noto Sans CJK SC" in letter and "TC" not in letter
    assert page.locator(".cs-kicker [lang=zh-Hant]").first.inner_text() == "黃雪琴"
    page.emulate_media(media="print")
    assert page.locator("#letter-1-zh .cs-letter__text").is_visible()  # the letter sent is the one printed
    assert not page.locator(f"#letter-1-{CODE}").is_visible()  # folded, for reading: not printed
