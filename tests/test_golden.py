"""The fixture site builds into exactly its golden output (tests/golden.py): any change
to what readers get, in any file, shows here first, as a diff to read. A comment in the
stylesheet or the script is not something readers get: changing one changes nothing here."""

from __future__ import annotations

import difflib
import shutil

from golden import GOLDEN, GOLDEN_CLOCK, build_fixture, comparable, files, script_without_comments

from conftest import CONTENT, ROOT, build


def assert_same_as_golden(output):
    built = files(output)
    golden = files(GOLDEN)
    assert sorted(built) == sorted(golden), "files added or missing: run `make golden` if the change is intended"
    changed = [name for name in built if built[name] != golden[name]]
    if changed:
        name = changed[0]
        try:
            diff = "\n".join(
                difflib.unified_diff(
                    golden[name].decode().splitlines(),
                    built[name].decode().splitlines(),
                    "golden/" + name,
                    "built/" + name,
                    lineterm="",
                    n=1,
                )
            )
        except UnicodeDecodeError:
            diff = f"{name} differs (binary)"
        raise AssertionError(
            f"{len(changed)} files differ from tests/fixtures/golden (run `make golden` if the change "
            f"is intended): {', '.join(changed[:10])}\n{diff[:4000]}"
        )


def test_the_fixture_site_builds_into_its_golden_output_byte_for_byte(tmp_path):
    assert_same_as_golden(build_fixture(tmp_path / "output"))


def commented_differently(theme):
    """The theme's stylesheet and script with a comment changed, one added and a blank line
    added, their code untouched."""
    css, js = theme / "static" / "css" / "site.css", theme / "static" / "js" / "campaign.js"
    css_text, js_text = css.read_text(encoding="utf-8"), js.read_text(encoding="utf-8")
    assert css_text.startswith("/*") and js_text.startswith("/*")  # each opens with a comment
    css.write_text("/* A comment changed. */\n\n" + css_text.replace("/*", "/* changed:", 1), encoding="utf-8")
    js_text = js_text.replace("/*", "/* changed:", 1).replace("\n", "\n// a line of comment added\n\n", 3)
    js.write_text(js_text, encoding="utf-8")
    return css_text, js_text


def test_a_comment_changed_in_the_stylesheet_and_the_script_changes_no_golden_file(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    commented_differently(theme)
    output = build(tmp_path / "output", content=CONTENT, clock=GOLDEN_CLOCK, options=("-e", f'THEME="{theme}"'))
    assert "changed:" in (output / "theme" / "js" / "campaign.js").read_text()  # the build served the copy
    assert_same_as_golden(output)


def test_a_rule_changed_in_the_stylesheet_or_the_script_is_a_difference(tmp_path):
    """The other side: what the comparison ignores is comments, not code."""
    css = (GOLDEN / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    js = (GOLDEN / "theme" / "js" / "campaign.js").read_text(encoding="utf-8")
    golden = files(GOLDEN)
    assert comparable("theme/js/campaign.js", js.encode()) == golden["theme/js/campaign.js"]
    changed_js = js.replace('"use strict";', '"use strict"; var x = 1;', 1)
    assert changed_js != js
    assert comparable("theme/js/campaign.js", changed_js.encode()) != golden["theme/js/campaign.js"]
    changed_css = css.replace(";", "; color: red;", 1)
    assert comparable("theme/css/site.css", changed_css.encode()) != golden["theme/css/site.css"]


def test_strings_and_regular_expressions_that_look_like_comments_are_kept():
    script = 'var a = "// not a comment"; // a comment\nvar b = s.replace(/\\/*x/g, "/* kept */"); /* gone */\n'
    assert (
        script_without_comments(script) == 'var a = "// not a comment";\nvar b = s.replace(/\\/*x/g, "/* kept */");\n'
    )
