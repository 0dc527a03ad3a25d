"""Text that holds only while an action is open, or only once it has ended.

Editors mark such passages in a page's Markdown with a block:

    ::: open
    Please write to the Guangzhou authorities as soon as possible.
    :::

    ::: ended
    This action has ended. Thank you to everyone who wrote.
    :::

`open` and `ended` refer to the page's own deadline; `::: open urgent-action` to the
deadline of the document with that slug. The reader renders each passage on its own
and marks it with an HTML comment (the sanitizer removes any comment an editor
writes, so only these markers reach the page). The rendered HTML does not depend on
the clock, so Pelican may cache it; the state is applied when the page is rendered
(`resolve`): a passage whose condition no longer holds is left out, and on a page built
while the action is open the `ended` passages are kept, hidden, for the site's script
to show should the reader's clock be past the deadline (theme/static/js/campaign.js).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .deadlines import DeadlineState
from .problems import Problem

CONDITIONS = ("open", "ended")
OWN = ""  # a block without a slug: the page's own deadline

_FENCE = re.compile(r"^ {0,3}(?P<marker>`{3,}|~{3,})")
_OPENER = re.compile(r"^:::[ \t]*(\S+)?(?:[ \t]+(\S+))?[ \t]*$")
_MARKED = re.compile(r"<!--cs-when (open|ended) ([^ >]*)-->(.*?)<!--/cs-when-->", re.S)
FIX = "write '::: open' or '::: ended' (optionally followed by a document's slug) on a line of its own, and ':::' to end the block"


@dataclass(frozen=True)
class Block:
    condition: str | None  # None: always shown
    slug: str  # OWN or another document's slug
    text: str
    line: int  # the body's line the block starts on (1-based within the body)


def split(body: str) -> tuple[list[Block], list[tuple[int, str, str]]]:
    """The body as a list of blocks, and the problems found (line in the body, message, fix)."""
    blocks: list[Block] = []
    problems: list[tuple[int, str, str]] = []
    current: list[str] = []
    condition, slug, start = None, OWN, 1
    fence = ""  # the marker of the code block the line is in (a ``` block ends only at ```, not at ~~~)
    for number, line in enumerate(body.split("\n"), start=1):
        opening = _FENCE.match(line)
        if opening and not fence:
            fence = opening["marker"]
        elif opening and opening["marker"][0] == fence[0] and len(opening["marker"]) >= len(fence):
            if not line.strip().strip(fence[0]):  # a closing fence has nothing after its marker
                fence = ""
        elif not fence and line[:1] in (" ", "\t") and line.lstrip().startswith(":::"):
            # Markdown would show it as text, and the passage would never be hidden or shown on time
            problems.append(
                (
                    number,
                    f"'{line.strip()}' is indented, so it is not taken as a block line and would appear on the page",
                    "write it at the very start of the line, with no spaces before ':::' (and not inside a list)",
                )
            )
        if fence or opening or not line.startswith(":::"):
            current.append(line)
            continue
        match = _OPENER.match(line)
        if match is None:
            problems.append((number, f"'{line.strip()}' is not a block line", FIX))
            continue
        word, target = match.group(1), match.group(2) or OWN
        if word is None:  # ':::' closes a block
            if condition is None:
                problems.append((number, "':::' closes a block that was never opened", FIX))
                continue
            blocks.append(Block(condition if condition in CONDITIONS else None, slug, "\n".join(current), start))
            current, condition, slug, start = [], None, OWN, number + 1
            continue
        if condition is not None:
            problems.append(
                (
                    number,
                    f"'::: {word}' starts inside the '::: {condition}' block opened on line {start - 1}",
                    "close the first block with ':::' before opening another",
                )
            )
            continue
        if word not in CONDITIONS:  # reported; still opens a block, so its ':::' is not a second problem
            problems.append((number, f"'::: {word}' is not a known block", FIX))
        blocks.append(Block(None, OWN, "\n".join(current), start))
        current, condition, slug, start = [], word, target, number + 1
    if condition is not None:
        problems.append((start - 1, f"the '::: {condition}' block is never closed", "end it with a line ':::'"))
        blocks.append(Block(condition if condition in CONDITIONS else None, slug, "\n".join(current), start))
    else:
        blocks.append(Block(None, OWN, "\n".join(current), start))
    return [block for block in blocks if block.text.strip() or block.condition], problems


def block_problems(body: str, path: str, body_line: int, has_deadline: bool) -> list[Problem]:
    """Problems with the blocks of one file (a slug naming another document is checked site-wide)."""
    blocks, found = split(body)
    problems = [Problem(path, body_line + line - 1, "body", message, fix) for line, message, fix in found]
    for block in blocks:
        if block.condition and block.slug == OWN and not has_deadline:
            problems.append(
                Problem(
                    path,
                    body_line + block.line - 2,
                    "body",
                    f"'::: {block.condition}' needs a deadline, and this page has none",
                    "add 'deadline: YYYY-MM-DD' to the front matter, or name the action: '::: open urgent-action'",
                )
            )
    return problems


def referenced_slugs(body: str) -> list[tuple[int, str]]:
    """(line in the body, slug) of every block that follows another document's deadline."""
    blocks, _ = split(body)
    return [(block.line - 1, block.slug) for block in blocks if block.condition and block.slug != OWN]


def render(body: str, to_html: Callable[[str], str]) -> str:
    """The body's HTML: each block rendered on its own by to_html, conditional ones marked."""
    parts = []
    for block in split(body)[0]:
        html = to_html(block.text)
        parts.append(f"<!--cs-when {block.condition} {block.slug}-->{html}<!--/cs-when-->" if block.condition else html)
    return "\n".join(parts)


def has_own_ended_text(html: str) -> bool:
    return any(match.group(1) == "ended" and match.group(2) == OWN for match in _MARKED.finditer(html))


def resolve(html: str, states: Mapping[str, DeadlineState], own_slug: str, switch: bool = True) -> str:
    """The HTML as of the build's day. states: each document's deadline state, by slug.
    switch: keep the ended text, hidden, for the reader's clock (a page); without it (a
    feed, which runs no script) only what holds on the day is left, with no marker."""

    def replace(match: re.Match) -> str:
        condition, slug, inner = match.group(1), match.group(2) or own_slug, match.group(3)
        state = states.get(slug)
        if state is None:  # validation stops the build first; never show a call to act without a state
            return inner if condition == "ended" else ""
        if state.is_closed:
            return inner if condition == "ended" else ""
        if not switch:
            return inner if condition == "open" else ""
        return switchable(condition, state, inner)

    return _MARKED.sub(replace, html)


def changed_on(html: str, states: Mapping[str, DeadlineState], own_slug: str, issued, follows_all: bool = False):
    """The day a document's text last changed by the calendar: its issue day, or the first
    day an action it depends on (its own, or one a block names) was ended, whichever is
    later. follows_all: it depends on every action (the home page lists them)."""
    slugs = set(states) if follows_all else {own_slug} | {m.group(2) or own_slug for m in _MARKED.finditer(html)}
    day = issued
    for slug in slugs:
        state = states.get(slug)
        if state is not None and state.is_closed:
            day = max(day, state.changed_on)
    return day


def switchable(condition: str, state: DeadlineState, inner: str, tag: str = "div") -> str:
    """inner wrapped for the reader's-clock check, on a page built while the action is open."""
    hidden = " hidden" if condition == "ended" else ""
    return f'<{tag} class="cs-when" data-cs-when="{condition}" data-cs-deadline="{state.deadline.isoformat()}"{hidden}>{inner}</{tag}>'
