"""What builds keep between builds (build_cache.py): found again only for the same inputs.

A template's compiled code and the templates' strings are kept under a key of everything
that decides them; these tests change each kind of input and show that the old entry is
not used, that a damaged entry is only a miss, and that a build with the cache filled
writes what a build with an empty one writes and is still "nothing changed" to `make html`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, pass_context

from campaign import build_cache
from campaign.catalogs import cached_template_strings, template_strings
from conftest import CONTENT, DEFAULT_CLOCK, ROOT, epoch, run_pelican, settings_file, tree

TEMPLATES = ROOT / "theme" / "templates"
MAPPING = ROOT / "babel.cfg"


def environment(folder: Path, cache: Path | None = None, **options) -> Environment:
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=True, **options)
    if cache:
        env.bytecode_cache = build_cache.TemplateBytecode(cache)
    return env


def entries(cache: Path, prefix: str) -> set[str]:
    return {path.name for path in cache.glob(f"{prefix}-*")} if cache.is_dir() else set()


def test_an_edited_template_is_compiled_again_and_renders_its_new_text(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ name }} is held</p>", encoding="utf-8")
    assert environment(templates, cache).get_template("page.html").render(name="Huang") == "<p>Huang is held</p>"
    first = entries(cache, "template")
    assert len(first) == 1
    # a new process would find the entry; an edit of the same length, saved in the same second, too
    (templates / "page.html").write_text("<p>{{ name }} is free</p>", encoding="utf-8")
    assert environment(templates, cache).get_template("page.html").render(name="Huang") == "<p>Huang is free</p>"
    assert len(entries(cache, "template") - first) == 1


def test_the_same_template_in_another_environment_is_another_entry(tmp_path):
    """The compiled code depends on the environment: its options, its extensions, and how
    each filter is called (the compiler passes a context to a pass_context filter)."""
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("  {% if x %}\n<p>{{ x|shout }}</p>\n  {% endif %}\n", encoding="utf-8")

    def shout(value):
        return value.upper()

    @pass_context
    def shout_in_context(context, value):
        return value.upper() + "!"

    keys = []
    for options, filter_function in [
        ({}, shout),
        ({"trim_blocks": True}, shout),
        ({"trim_blocks": True, "lstrip_blocks": True}, shout),
        ({"trim_blocks": True, "lstrip_blocks": True, "extensions": ["jinja2.ext.i18n"]}, shout),
        ({"trim_blocks": True, "lstrip_blocks": True, "extensions": ["jinja2.ext.i18n"]}, shout_in_context),
    ]:
        env = environment(templates, cache, **options)
        env.filters["shout"] = filter_function
        keys.append(build_cache.environment_key(env))
        rendered = env.get_template("page.html").render(x="free")
        fresh = Environment(loader=FileSystemLoader(str(templates)), autoescape=True, **options)
        fresh.filters["shout"] = filter_function
        assert rendered == fresh.get_template("page.html").render(x="free")  # what no cache gives
    assert len(set(keys)) == len(keys)
    assert len(entries(cache, "template")) == len(keys)
    same = environment(templates, **{"trim_blocks": True})
    same.filters["shout"] = shout
    assert build_cache.environment_key(same) == keys[1]


@pytest.mark.parametrize("damage", [b"", b"j2", b"not a cache entry at all", None])
def test_a_damaged_entry_is_compiled_again(tmp_path, damage):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ name }}</p>", encoding="utf-8")
    environment(templates, cache).get_template("page.html")
    [entry] = cache.glob("template-*")
    entry.write_bytes(damage if damage is not None else entry.read_bytes()[:-7])  # None: cut short
    assert environment(templates, cache).get_template("page.html").render(name="Wang") == "<p>Wang</p>"


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ name }}</p>", encoding="utf-8")
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("", encoding="utf-8")
    assert environment(templates, blocked / "cache").get_template("page.html").render(name="Wang") == "<p>Wang</p>"


def test_the_templates_strings_are_found_again_only_for_the_same_templates(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    shutil.copytree(TEMPLATES, templates)
    extracted = template_strings(templates, MAPPING)
    assert cached_template_strings(cache, templates, MAPPING) == extracted
    assert len(entries(cache, "strings")) == 1
    assert cached_template_strings(cache, templates, MAPPING) == extracted  # read back: the same
    with (templates / "components" / "example-only.html").open("w", encoding="utf-8") as file:
        file.write('{{ _("A sentence no catalog has yet.") }}\n')
    strings = cached_template_strings(cache, templates, MAPPING)
    assert "A sentence no catalog has yet." in {string.key for string in strings}
    assert strings == template_strings(templates, MAPPING)
    assert len(entries(cache, "strings")) == 2
    for entry in cache.glob("strings-*"):
        entry.write_text("[[", encoding="utf-8")
    assert cached_template_strings(cache, templates, MAPPING) == strings


SETTINGS = {"extension_configs": {"markdown.extensions.extra": {}}, "output_format": "html5"}


def passages(folder: Path, settings: dict = SETTINGS) -> build_cache.MarkdownPassages:
    from markdown import Markdown

    return build_cache.MarkdownPassages(lambda: Markdown(**settings), settings, folder)


def test_markdown_passages_are_found_again_only_for_the_same_text_and_settings(tmp_path):
    from markdown import Markdown

    cache = tmp_path / "cache"
    texts = ["Write to *the court*.", "| a | b |\n|---|---|\n| 1 | 2 |"]
    fresh = [Markdown(**SETTINGS).convert(text) for text in texts]
    assert passages(cache).convert_all(texts) == fresh
    assert len(entries(cache, "markdown")) == 1
    assert passages(cache).convert_all(texts) == fresh  # read back
    never = build_cache.MarkdownPassages(
        lambda: pytest.fail("Markdown set up for passages seen before"), SETTINGS, cache
    )
    assert never.convert_all(texts) == fresh
    edited = ["Write to *the court* today.", texts[1]]
    assert passages(cache).convert_all(edited) == [Markdown(**SETTINGS).convert(text) for text in edited]
    assert len(entries(cache, "markdown")) == 2
    plain = {"output_format": "html5"}  # no tables: the second passage is a paragraph
    assert passages(cache, plain).convert_all(texts) == [Markdown(**plain).convert(text) for text in texts]
    assert len(entries(cache, "markdown")) == 3
    for entry in cache.glob("markdown-*"):
        entry.write_text('["too few"]', encoding="utf-8")
    assert passages(cache).convert_all(texts) == fresh


def test_a_build_with_the_cache_filled_writes_what_a_build_with_an_empty_one_writes(tmp_path):
    cache = tmp_path / "cache"
    option = ("-e", f'CAMPAIGN_CACHE="{cache}"')
    empty = run_pelican(tmp_path / "empty", options=option)
    assert empty.returncode == 0, empty.stderr
    assert all(entries(cache, kind) for kind in ("template", "strings", "markdown", "opencc", "page"))
    filled = run_pelican(tmp_path / "filled", options=option)
    assert filled.returncode == 0, filled.stderr
    assert tree(tmp_path / "filled") == tree(tmp_path / "empty")


def test_the_cache_is_not_an_input_of_the_build(tmp_path):
    """`make html`'s check finds nothing changed after the cache was emptied (it holds
    nothing the sources do not decide), and still finds a template's edit."""
    cache, output, theme = tmp_path / "cache", tmp_path / "output", tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    settings = settings_file(tmp_path / "settings.py", THEME=theme, CAMPAIGN_CACHE=cache)
    past = time.time_ns() - 10**10  # saved before the build started, as an editor's file is
    os.utime(settings, ns=(past, past))
    built = run_pelican(output, settings=str(settings))
    assert built.returncode == 0, built.stderr
    assert entries(cache, "template")

    def check() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "campaign.up_to_date", "--settings", str(settings), "--content", str(CONTENT)]
            + ["--output", str(output)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "SOURCE_DATE_EPOCH": epoch(DEFAULT_CLOCK)},
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert check().returncode == 0, check().stdout
    shutil.rmtree(cache)
    cache.mkdir()
    (cache / "template-0123").write_bytes(b"left by another build")
    nothing_changed = check()
    assert nothing_changed.returncode == 0 and "Nothing changed" in nothing_changed.stdout, nothing_changed.stdout
    with (theme / "templates" / "base.html").open("a", encoding="utf-8") as file:
        file.write("\n")
    edited = check()
    assert edited.returncode == 1 and "base.html" in edited.stdout, edited.stdout


def test_entries_not_written_for_a_month_go(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    now = time.time()
    for name, days in [("template-old", build_cache.KEPT_DAYS + 1), ("markdown-recent", 2), ("strings-new", 0)]:
        (cache / name).write_bytes(b"x")
        os.utime(cache / name, (now - days * 86400, now - days * 86400))
    build_cache.prune(cache, now)
    assert sorted(path.name for path in cache.iterdir()) == [build_cache.PRUNED_STAMP, "markdown-recent", "strings-new"]
    build_cache.prune(tmp_path / "no such folder", now)  # nothing to do, and no error


def test_the_folder_is_pruned_at_most_once_an_hour_and_kept_under_its_size(tmp_path, monkeypatch):
    """A build looks at every entry only when the last pruning is an hour old: with tens of
    thousands of entries (the tests' builds), statting each at every build cost seconds."""
    cache = tmp_path / "cache"
    cache.mkdir()
    now = time.time()
    build_cache.prune(cache, now)
    old = cache / "page-old"
    old.write_bytes(b"x")
    os.utime(old, (now - 40 * 86400, now - 40 * 86400))
    build_cache.prune(cache, now + 60)
    assert old.exists()  # not looked at within the hour
    build_cache.prune(cache, now + build_cache.PRUNE_EVERY_S + 1)
    assert not old.exists()
    monkeypatch.setattr(build_cache, "KEPT_BYTES", 2500)
    for number in range(4):  # 4 × 1,000 bytes, the first written longest ago
        entry = cache / f"template-{number}"
        entry.write_bytes(b"x" * 1000)
        os.utime(entry, (now - 3600 * (10 - number), now - 3600 * (10 - number)))
    build_cache.prune(cache, now + 2 * build_cache.PRUNE_EVERY_S + 2)
    assert sorted(path.name for path in cache.glob("template-*")) == ["template-2", "template-3"]


def test_a_conversion_kept_is_found_again_only_for_the_same_text_and_overrides(tmp_path, monkeypatch):
    from campaign import traditional

    cache = tmp_path / "cache"
    text = "黄雪琴和王建兵被发送到“广州”。"
    plain = traditional.Conversion("s2tw", {"被发送": "被發送"})
    kept = traditional.Conversion("s2tw", {"被发送": "被發送"}, cache=str(cache))
    assert kept.convert(text) == plain.convert(text) == "黃雪琴和王建兵被發送到「廣州」。"
    assert len(entries(cache, "opencc")) == 1

    def no_opencc(config):
        raise AssertionError("OpenCC was loaded for a text converted before")

    monkeypatch.setattr(traditional, "converter", no_opencc)
    again = traditional.Conversion("s2tw", {"被发送": "被發送"}, cache=str(cache))  # as the next build
    assert again.convert(text) == "黃雪琴和王建兵被發送到「廣州」。"
    monkeypatch.undo()
    other = traditional.Conversion("s2tw", {"被发送": "被送往"}, cache=str(cache))  # the overrides decide it too
    assert other.convert(text) == "黃雪琴和王建兵被送往到「廣州」。"
    assert len(entries(cache, "opencc")) == 2
    for entry in cache.glob("opencc-*"):
        entry.write_bytes(b"\xff\xfe not UTF-8")
    damaged = traditional.Conversion("s2tw", {"被发送": "被發送"}, cache=str(cache))
    assert damaged.convert(text) == "黃雪琴和王建兵被發送到「廣州」。"


def test_a_page_read_is_found_again_only_for_the_same_file_names_and_conversion(tmp_path):
    """What reading made of a page (build_cache.ReadPages) under sources.reading_inputs:
    the file's bytes and names, and for a generated page its source and the conversion."""
    from campaign.sources import generated_path, reading_inputs
    from campaign.traditional import Conversion

    cache, pages = tmp_path / "cache", tmp_path / "pages"
    shutil.copytree(CONTENT / "pages", pages)
    reading = build_cache.ReadPages(cache, SETTINGS)
    made = []

    def read(path: Path, shown: str = "", conversions: dict | None = None):
        def compute():
            made.append(path.name)
            return f"<p>{len(made)}</p>", {"read": len(made)}

        return reading.read(reading_inputs(path, shown or path.name, conversions), compute)

    english = pages / "urgent-action.en.md"
    assert read(english) == ("<p>1</p>", {"read": 1})
    assert read(english) == ("<p>1</p>", {"read": 1}) and made == ["urgent-action.en.md"]
    assert read(english, shown="content/pages/urgent-action.en.md")[1] == {"read": 2}  # shown in messages
    english.write_text(english.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert read(english)[1] == {"read": 3}

    generated, source = generated_path(pages / "urgent-action.zh.md", "zh-hant"), pages / "urgent-action.zh.md"
    conversions = {"zh-hant": Conversion("s2tw", {"被发送": "被發送"})}
    assert read(generated, conversions=conversions)[1] == {"read": 4}
    assert read(generated, conversions=conversions)[1] == {"read": 4}
    assert read(generated, conversions={"zh-hant": Conversion("s2tw", {"被发送": "被送往"})})[1] == {"read": 5}
    source.write_text(source.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    assert read(generated, conversions=conversions)[1] == {"read": 6}
    generated.write_text("written by hand", encoding="utf-8")  # refused by the reader: another result
    assert read(generated, conversions=conversions)[1] == {"read": 7}
    generated.unlink()

    for entry in cache.glob("page-*"):
        entry.write_bytes(entry.read_bytes()[:20])  # cut short
    assert read(english)[1] == {"read": 8}
    assert read(tmp_path / "no such page.en.md", conversions=conversions) == ("<p>9</p>", {"read": 9})
    assert read(tmp_path / "no such page.en.md", conversions=conversions)[1] == {"read": 10}  # never kept


def test_the_pages_read_are_kept_under_the_code_that_reads_them(tmp_path):
    """An edit anywhere in the plugin, even a comment, or other Markdown settings: a new key."""
    plugins = tmp_path / "plugins"
    shutil.copytree(ROOT / "plugins", plugins, ignore=shutil.ignore_patterns("__pycache__"))

    def key(folder: Path, settings: dict = SETTINGS) -> str:
        code = f"from campaign import build_cache; print(build_cache.ReadPages('unused', {settings!r}).key)"
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONPATH": str(folder)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    original = key(plugins)
    assert key(ROOT / "plugins") == original  # the same code, wherever it is
    assert key(plugins, {"output_format": "html5"}) != original
    with (plugins / "campaign" / "lifecycle.py").open("a", encoding="utf-8") as file:
        file.write("# a comment\n")
    assert key(plugins) != original
