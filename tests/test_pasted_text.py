"""Messages for pasted and typed text (issue 19, editor-trial.md M4, M5, M8, M10, F6): an
invisible or look-alike character is named, with its line and column and the fix; a YAML
error names the line of the mistake; a file that cannot be read brings no follow-on
lines about the other files (N13). YAML anchors (N4) and duplicate keys (N10) too."""

from __future__ import annotations

import shutil
import time

import pytest

from campaign.check import Locations, format_result, run
from campaign.frontmatter import load_yaml, parse
from conftest import CONTENT, ROOT

PAGE = (CONTENT / "pages" / "urgent-action.en.md").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return next(index + 1 for index, line in enumerate(text.split("\n")) if needle in line)


def only_problem(text: str) -> str:
    parsed, problems = parse(text, "ua.en.md")
    assert len(problems) == 1, [str(p) for p in problems]
    return str(problems[0])


@pytest.mark.parametrize(
    "old, new, needle, column, names, fix",
    [
        (
            'subject: "Release Huang',
            'subject: "Release\x0bHuang',
            "subject:",
            20,
            "an invisible line break from a word processor (U+000B, Word's Shift+Enter)",
            "delete it: type a space",
        ),
        (
            'subject: "Release Huang',
            'subject: "Release\u2028Huang',
            "subject:",
            20,
            "an invisible line separator (U+2028",
            "delete it",
        ),
        (
            'reference: "',
            'reference:\u00a0"',
            "reference:",
            11,
            "a non-breaking space (U+00A0, often pasted from a word processor) where YAML needs an ordinary space",
            "delete it and type an ordinary space",
        ),
        (
            "reference: ",
            "reference\u00a0: ",
            "reference",
            10,
            "a non-breaking space (U+00A0, often pasted from a word processor) in the field name",
            "delete it and type an ordinary space",
        ),
        (
            "    priority: 2\n",
            '    priority: 2\n    reason： "先写信给他"\n',
            "reason：",
            11,
            "a full-width colon '：' after 'reason' (typed by a Chinese input method)",
            "type an ordinary colon and a space instead: reason: ...",
        ),
        (
            'reference: "Second Urgent Action 44.22"',
            "reference: “Second: Urgent Action 44.22”",
            "reference:",
            12,
            "the value starts with a curly quote “, which YAML does not take as a quote",
            'put the whole value in straight quotes "..."',
        ),
        (
            "summary: \"Amnesty International's urgent",
            'summary: "Amnesty "International\'s" urgent',
            "summary:",
            19,
            'a " inside a value in "..." ends it',
            "write the quotes inside the value as curly quotes “...”",
        ),
        (
            '    salutation: "Dear Chief',
            '\tsalutation: "Dear Chief',
            "Dear Chief",
            1,
            "a tab indents this line",
            "replace the tab with spaces",
        ),
    ],
    ids=[
        "U+000B",
        "U+2028",
        "U+00A0 after a colon",
        "U+00A0 in a key",
        "full-width colon",
        "curly quotes",
        "quotes inside quotes",
        "tab",
    ],
)
def test_a_pasted_or_typed_character_is_named_with_its_line_column_and_fix(old, new, needle, column, names, fix):
    assert old in PAGE
    text = PAGE.replace(old, new, 1)
    message = only_problem(text)
    assert message.startswith(f"ua.en.md:{line_of(text, needle)}: column {column}: "), message
    assert names in message and f"— {fix}" in message, message


def test_yaml_anchors_and_aliases_are_refused_with_their_line_in_seconds():
    """N4: nine nested levels of nine aliases expand to 9**9 values; self-reference never ends."""
    levels = ["lang_0: &l0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"lang_{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    text = PAGE.replace("targets:\n", "\n".join(levels) + "\nrec: &r [*r]\ntargets:\n", 1)
    started = time.monotonic()
    parsed, problems = parse(text, "ua.en.md")
    assert time.monotonic() - started < 2 and parsed.data == {}
    assert str(problems[0]).startswith(f"ua.en.md:{line_of(text, 'lang_0:')}: '&l0' is a YAML anchor")
    assert any(f"ua.en.md:{line_of(text, 'rec:')}: '*r' is a YAML alias" in str(p) for p in problems)
    data, _lines, problems = load_yaml("events:\n  - date: &d 2020\n  - date: *d\n", "timeline.yaml")
    assert data == {} and [p.line for p in problems] == [2, 3]


def test_a_key_written_twice_names_both_lines():
    """N10: YAML would keep the second title without a word."""
    text = PAGE.replace("lang: en\n", 'lang: en\ntitle: "A newer title"\n', 1)
    message = only_problem(text)
    first, second = line_of(text, "title:"), line_of(text, "A newer title")
    assert message.startswith(f"ua.en.md:{second}: title: is written twice, on line {first} and on line {second}")


def test_a_file_that_cannot_be_read_brings_no_follow_on_lines_about_the_others(tmp_path):
    """F6/N13: a YAML error in the Dutch file is one line; no 'is (none) here', 'translation_of
    is not set' or 'no deadline' lines for it or the other languages, and a dangling link is one line."""
    content = shutil.copytree(CONTENT, tmp_path / "content")
    dutch = content / "pages" / "urgent-action.nl.md"
    text = dutch.read_text(encoding="utf-8")
    broken = text.replace("  subject: ", "  subject: Eerst naar de minister: zij kan het — ", 1)
    assert broken != text
    dutch.write_text(broken, encoding="utf-8")
    (content / "pages" / "ghost.en.md").symlink_to("nowhere.md")
    result = run(Locations.from_settings(ROOT / "pelicanconf.py", content))
    report = format_result(result)
    assert [str(p).split(":")[0].rsplit("/", 1)[-1] for p in result.problems] == ["ghost.en.md", "urgent-action.nl.md"]
    for follow_on in ("(none) here", "is not set", "no deadline", "has no Nederlands", "has no Dutch", "ghost' has no"):
        assert follow_on not in report, report
    (problem,) = [p for p in result.problems if p.path.endswith("urgent-action.nl.md")]
    assert problem.line == line_of(broken, "Eerst naar de minister")
