"""The theme's stylesheets as the site serves them: without their comments.

The source stylesheet explains itself in comments (why each rule is there); readers
need none of them, and the page budget (HTML and CSS within the first 14 KB round trip,
tests/test_budget.py) is better spent on the letters. After every build the copies in
the output lose their comments and blank lines; the rules themselves are untouched.
Running it twice changes nothing, so an incremental build writes what a cold one does.

Nothing here imports Pelican.
"""

from __future__ import annotations

import re
from pathlib import Path

# A string (kept whole, so that "/*" inside one is text) or a comment (dropped).
_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|/\*.*?\*/', re.S)


def strip_comments(css: str) -> str:
    text = _TOKEN.sub(lambda match: "" if match.group(0).startswith("/*") else match.group(0), css)
    lines = (line.rstrip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line.strip()) + "\n"


def strip_folder(folder: Path) -> None:
    """Every .css file below the folder (the output's theme folder), in place."""
    for path in sorted(Path(folder).rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        stripped = strip_comments(text)
        if stripped != text:
            path.write_text(stripped, encoding="utf-8")
