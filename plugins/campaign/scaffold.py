"""`make new KIND=action SLUG=...`: start a document in all three languages.

    PYTHONPATH=plugins python -m campaign.scaffold --kind action --slug free-them-now

Writes content/pages/<slug>.en.md, .nl.md and .zh.md with every field the kind
needs, a comment on each line, and "TODO ..." wherever the editor has to write
something. Validation treats TODO as unfinished, so `make check` lists every
place still to fill in, and the site builds as soon as none is left.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from string import Template

from .languages import DEFAULT_CODE, HOME_SLUG, LANGUAGES
from .sources import display_path
from .status import english_name
from .validation import SLUG

KINDS = ("action", "petition", "press")

_HEAD = """\
---
# $what Replace every TODO (in capitals), then run `make check`.
# Each field is explained in docs/content-model.md; the guide is docs/editing.md.
title: "TODO: $the_title"  # the page's heading, plain text
lang: $lang  # this file's language (en, nl or zh): keep it as it is
${translation_of}\
slug: $slug  # the page's address, /$url_slug/: the same in all three files
kind: $kind  # $kind_comment
date: $today  # YYYY-MM-DD: the document's date, for ordering and feeds
summary: "TODO: $one_or_two_sentences"  # shown in lists, feeds and share previews
"""

_TRANSLATION_OF = """\
translation_of: ""  # once this matches the English, `make check` prints the value to put here
"""

_ACTION_FIELDS = """\
deadline: "TODO: $deadline_hint, as YYYY-MM-DD"  # the last day to act; from the day after, the page says the $kind has ended
# reference: "UA 00.00"  # optional: the action's reference, quoted when reporting what you did
# report_url: https://example.org/report  # optional: where readers report what they did
# preferred_languages: [en, zh]  # optional: the languages the people below read
targets:  # $targets_comment; copy the block from '- name:' for each person
  - name: "TODO: the person's name"  # as on the envelope
    title: "TODO: their position"  # optional: delete the line if there is none
    organization: "TODO: their organisation"  # optional: delete the line if there is none
    address:  # the postal address, one line per line of the envelope
      - "TODO: street and number"
      - "TODO: city and postcode"
      - "TODO: country"
    salutation: "TODO: how a letter to them opens, e.g. Dear Director Zhang,"  # optional
    # email: someone@example.org  # optional: gives readers a ready-to-send e-mail link
    role: target  # target (write to them) or cc (send them a copy)
    priority: 1  # 1 is the first to write to
    # reason: "TODO: why to write to them first"  # optional: shown with the choice on the page
letter:  # $letter_comment
  subject: "TODO: $subject_hint"  # the subject line of the letter or e-mail
  # salutation: "Dear Sir or Madam,"  # optional: for a letter to someone without a salutation of their own
  body: |  # paragraphs separated by blank lines, ending with the closing; no salutation
    TODO: the first paragraph: who you are writing about and why.

    TODO: what you ask them to do.

    $closing
  # short_body: |  # optional: a short version for e-mail links, when the letter is too long for one
"""

# What holds only until the deadline, and what replaces it after (lifecycle.py).
_WHILE_OPEN = """
::: open
TODO: what readers should do, and by when: shown only until the deadline.
:::

::: ended
TODO: what readers see once the deadline has passed: thanks, and what they can still do.
:::
"""

_BODY = {
    "action": "TODO: why this action matters, in two or three short paragraphs$in_language. Start any heading with ##.\n" + _WHILE_OPEN,
    "petition": "TODO: what the petition asks$in_language. Start any heading with ##.\n" + _WHILE_OPEN,
    "press": "TODO: the press release$in_language. Start any heading with ##.\n",
}

_WORDS = {
    "action": {
        "what": "A new urgent action.",
        "the_title": "the action's heading, e.g. Urgent action: release ...",
        "kind_comment": "action: readers write to the people below",
        "deadline_hint": "the last day to act",
        "targets_comment": "who readers write to",
        "letter_comment": "the sample letter readers copy",
        "subject_hint": "the letter's subject",
    },
    "petition": {
        "what": "A new petition.",
        "the_title": "the petition's heading, e.g. Petition: release ...",
        "kind_comment": "petition: readers sign and send it to the address below",
        "deadline_hint": "the last day to send it",
        "targets_comment": "where signed petitions go",
        "letter_comment": "the petition's text",
        "subject_hint": "the petition's subject",
    },
    "press": {
        "what": "A new press release.",
        "the_title": "the press release's heading",
        "kind_comment": "press: a press release",
    },
}

_CLOSING = {"en": "Yours sincerely,", "nl": "Hoogachtend,", "zh": "此致\n\n    敬礼！"}  # indented as in the letter's body


def render(kind: str, slug: str, lang: str, today: dt.date) -> str:
    """The text of one new file."""
    words = dict(_WORDS[kind])
    language = english_name(lang)
    in_language = "" if lang == DEFAULT_CODE else f" in {language}"
    words.update(
        lang=lang,
        slug=slug,
        kind=kind,
        url_slug=slug if lang == DEFAULT_CODE else f"{lang}/{slug}",
        today=today.isoformat(),
        one_or_two_sentences=f"one or two sentences{in_language} saying what this is",
        in_language=in_language,
        closing=_CLOSING.get(lang, _CLOSING[DEFAULT_CODE]),
        translation_of="" if lang == DEFAULT_CODE else _TRANSLATION_OF,
    )
    if lang != DEFAULT_CODE:
        words["the_title"] = f"the heading{in_language}"
    text = Template(_HEAD).substitute(words)
    if kind in ("action", "petition"):
        text += Template(_ACTION_FIELDS).substitute(words)
    text += "---\n\n" + Template(_BODY[kind]).substitute(words)
    return text


class ScaffoldError(ValueError):
    """Something the editor asked for that cannot be made; the message says what to do."""


def create(pages_dir: Path, kind: str, slug: str, today: dt.date | None = None) -> list[Path]:
    """Write the three files; refuse, changing nothing, if any of them exists."""
    if kind not in KINDS:
        raise ScaffoldError(f"KIND={kind or '(empty)'} is not a kind of document `make new` can start — use KIND=action, KIND=petition or KIND=press")
    if not slug or not SLUG.match(slug):
        raise ScaffoldError(f"SLUG={slug or '(empty)'} is not a valid slug — use lower-case letters, digits and hyphens, e.g. SLUG=free-them-now")
    if slug == HOME_SLUG:
        raise ScaffoldError("SLUG=home is the front page, which exists already — choose another slug")
    paths = [Path(pages_dir) / f"{slug}.{lang}.md" for lang in LANGUAGES]
    existing = [display_path(path) for path in paths if path.exists()]
    if existing:
        verb = "exists" if len(existing) == 1 else "exist"
        raise ScaffoldError(f"{', '.join(existing)} already {verb} — choose another SLUG, or edit the existing files")
    today = today or dt.date.today()
    texts = [render(kind, slug, lang, today) for lang in LANGUAGES]
    Path(pages_dir).mkdir(parents=True, exist_ok=True)
    for path, text in zip(paths, texts):
        path.write_text(text, encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    project = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(prog="make new", description="Start a new document in every language.")
    parser.add_argument("--kind", default="", help="action, petition or press")
    parser.add_argument("--slug", default="", help="the page's address, e.g. free-them-now")
    parser.add_argument("--pages", type=Path, default=project / "content" / "pages", help="the folder of the pages")
    args = parser.parse_args(argv)
    try:
        paths = create(args.pages, args.kind.strip(), args.slug.strip())
    except ScaffoldError as error:
        print(f"make new: {error}", file=sys.stderr)
        print("Usage: make new KIND=action SLUG=free-them-now   (KIND is action, petition or press)", file=sys.stderr)
        return 2
    print("Created:")
    for path in paths:
        print(f"  {display_path(path)}")
    print("Next: replace every TODO in the three files (`make check` lists those left), then preview with `make devserver`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
