"""The fixture site's golden output: tests/fixtures/golden holds what the fixture site
(tests/fixtures/site/content, in every declared language: conftest.CONTENT, made by
fixture_site.py) builds into as of GOLDEN_CLOCK. tests/test_golden.py
compares a fresh build with it; after an intended change to the templates, the rules of
the stylesheet or the script, the catalogs or the plugin, `make golden` writes it again
(read the diff before committing it).

What is compared is what the build makes of the site. The stylesheet is served without
its comments (plugins/campaign/stylesheets.py), so its served form is compared as it is;
the script is copied as it is, so it is compared as code, without its comments and blank
lines (`script_without_comments`). A comment changed in `site.css` or `campaign.js`
needs no new golden output. Everything else is compared byte for byte."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "fixtures" / "golden"
GOLDEN_CLOCK = dt.date(2025, 1, 15)  # the urgent action open, the petition ended: both states

# A character after which `/` starts a regular expression in JavaScript, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}


def build_fixture(output: Path) -> Path:
    from conftest import CONTENT, build

    return build(output, content=CONTENT, clock=GOLDEN_CLOCK)


def script_without_comments(text: str) -> str:
    """JavaScript with its comments, trailing spaces and blank lines taken out. Strings,
    template literals and regular expressions are kept as they are, so "//" or `/\\/*/`
    stay code."""
    kept: list[str] = []
    i, n = 0, len(text)
    last = ""  # the last character of code kept, spaces skipped: tells a regex from a division
    while i < n:
        char = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if char in "'\"`" or (char == "/" and last in _REGEX_AFTER):
            j, in_class = i + 1, False
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if char == "/" and text[j] == "[":
                    in_class = True
                elif char == "/" and text[j] == "]":
                    in_class = False
                elif (text[j] == char and not in_class) or (text[j] == "\n" and char != "`"):
                    break  # the end of the string, or of a line that ends it
                j += 1
            kept.append(text[i : j + 1])
            last = char
            i = j + 1
            continue
        kept.append(char)
        if not char.isspace():
            last = char
        i += 1
    lines = (line.rstrip() for line in "".join(kept).splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def comparable(name: str, content: bytes) -> bytes:
    """A built file as the golden output holds it: the script without its comments (see
    the module's docstring), any other file as it is."""
    if name.endswith(".js"):
        return script_without_comments(content.decode()).encode()
    return content


def files(folder: Path) -> dict[str, bytes]:
    """Every file of a built (or golden) folder in its comparable form, by relative path."""
    paths = (path for path in sorted(folder.rglob("*")) if path.is_file())
    return {
        str(path.relative_to(folder)): comparable(str(path.relative_to(folder)), path.read_bytes()) for path in paths
    }


def write(output: Path, golden: Path = GOLDEN) -> int:
    """Write a built folder as the golden output; returns how many files."""
    if golden.exists():
        shutil.rmtree(golden)
    built = files(output)
    for name, content in built.items():
        (golden / name).parent.mkdir(parents=True, exist_ok=True)
        (golden / name).write_bytes(content)
    return len(built)


def main() -> int:
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as temporary:
        count = write(build_fixture(Path(temporary) / "output"))
    print(f"{GOLDEN.relative_to(HERE.parent)}: {count} files written; review them with `git diff --stat`.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
