"""`make new KIND=action SLUG=...`: start a document in every language of the site.

    PYTHONPATH=plugins python -m campaign.scaffold --kind action --slug free-them-now

Writes content/pages/<slug>.<lang>.md for each language (languages.py) with every field the kind
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

from .languages import DEFAULT_CODE, HOME_SLUG, LANGUAGES, english_name
from .schema import NEW_KINDS, PAGE_KINDS, target_scaffold
from .sources import display_path
from .validation import SLUG, taken_address

KINDS = NEW_KINDS  # what `make new` starts: schema.PAGE_KINDS with scaffold words

_HEAD = """\
---
# $what Replace every TODO (in capitals), then run `make check`.
# Each field is explained in docs/content-model.md; the guide is docs/editing.md.
title: "TODO: $the_title"  # the page's heading, plain text
lang: $lang  # this file's language ($lang_codes): keep it as it is
${translation_of}\
slug: $slug  # the page's address, /$url_slug/: the same in every language's file
kind: $kind  # $kind_comment
date: $today  # YYYY-MM-DD: the document's date, for ordering and feeds
summary: "TODO: $one_or_two_sentences"  # shown in lists, feeds and share previews
"""

_TRANSLATION_OF = """\
translation_of: ""  # once this matches the English, `make check` prints the value to put here
"""

_ACTION_FIELDS = """\
deadline: "TODO: $deadline_hint, as YYYY-MM-DD"  # the last day to act; after it, the page says the $kind has ended
# reference: "UA 00.00"  # optional: the action's reference, quoted when reporting what you did
# report_url: https://example.org/report  # optional: where readers report what they did
# preferred_languages: [en, zh]  # optional: the languages the people below read
targets:  # $targets_comment; copy the block from '- name:' for each person
${target_lines}letter:  # $letter_comment
  subject: "TODO: $subject_hint"  # the subject line of the letter or e-mail
  # salutation: "Dear Sir or Madam,"  # optional: for a letter to someone without a salutation of their own
  body: |  # paragraphs separated by blank lines, ending with the closing; no salutation
    TODO: the first paragraph: who you are writing about and why.

    TODO: what you ask them to do.

    $closing
  # short_body: |  # optional: a short version for e-mail links, when the letter is too long for one
"""


def _either(words: list[str]) -> str:
    """'en, nl or zh'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def render(kind: str, slug: str, lang: str, today: dt.date) -> str:
    """The text of one new file."""
    page_kind = PAGE_KINDS[kind]
    words = dict(page_kind.scaffold)
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
        closing=LANGUAGES[lang].closing,
        lang_codes=_either(list(LANGUAGES)),
        target_lines=target_scaffold("  "),
        translation_of="" if lang == DEFAULT_CODE else _TRANSLATION_OF,
    )
    if lang != DEFAULT_CODE:
        words["the_title"] = f"the heading{in_language}"
    text = Template(_HEAD).substitute(words)
    if page_kind.takes_action:
        text += Template(_ACTION_FIELDS).substitute(words)
    text += "---\n\n" + Template(page_kind.scaffold_body).substitute(words)
    return text


class ScaffoldError(ValueError):
    """Something the editor asked for that cannot be made; the message says what to do."""


def create(pages_dir: Path, kind: str, slug: str, today: dt.date | None = None) -> list[Path]:
    """Write one file per language; refuse, changing nothing, if any of them exists."""
    if kind not in KINDS:
        raise ScaffoldError(
            f"KIND={kind or '(empty)'} is not a kind of document `make new` can start "
            f"— use {_either([f'KIND={k}' for k in KINDS])}"
        )
    if not slug or not SLUG.match(slug):
        raise ScaffoldError(
            f"SLUG={slug or '(empty)'} is not a valid slug "
            "— use lower-case letters, digits and hyphens, e.g. SLUG=free-them-now"
        )
    if slug == HOME_SLUG:
        raise ScaffoldError("SLUG=home is the front page, which exists already — choose another slug")
    if taken_address(slug):
        raise ScaffoldError(f"SLUG={slug} is {taken_address(slug)} — choose another slug")
    paths = [Path(pages_dir) / f"{slug}.{lang}.md" for lang in LANGUAGES]
    existing = [display_path(path) for path in paths if path.exists()]
    if existing:
        verb = "exists" if len(existing) == 1 else "exist"
        raise ScaffoldError(f"{', '.join(existing)} already {verb} — choose another SLUG, or edit the existing files")
    today = today or dt.date.today()
    texts = [render(kind, slug, lang, today) for lang in LANGUAGES]
    Path(pages_dir).mkdir(parents=True, exist_ok=True)
    for path, text in zip(paths, texts, strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    project = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(prog="make new", description="Start a new document in every language.")
    parser.add_argument("--kind", default="", help=_either(list(KINDS)))
    parser.add_argument("--slug", default="", help="the page's address, e.g. free-them-now")
    parser.add_argument("--pages", type=Path, default=project / "content" / "pages", help="the folder of the pages")
    args = parser.parse_args(argv)
    try:
        paths = create(args.pages, args.kind.strip(), args.slug.strip())
    except ScaffoldError as error:
        print(f"make new: {error}", file=sys.stderr)
        print(f"Usage: make new KIND=action SLUG=free-them-now   (KIND is {_either(list(KINDS))})", file=sys.stderr)
        return 2
    print("Created:")
    for path in paths:
        print(f"  {display_path(path)}")
    print(
        "Next: replace every TODO in these files (`make check` lists those left), then preview with `make devserver`."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
