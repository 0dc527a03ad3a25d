"""`make new KIND=action SLUG=...`: start a document in every language of the site;
`make new SLUG=... LANG=zh`: add the one language an existing document is missing.

    PYTHONPATH=plugins python -m campaign.scaffold --kind action --slug free-them-now
    PYTHONPATH=plugins python -m campaign.scaffold --slug free-them-now --lang zh

Writes content/pages/<slug>.<lang>.md for each language (languages.py) with every field the kind
needs, a comment on each line, and "TODO ..." wherever the editor has to write
something. Validation treats TODO as unfinished, so `make check` lists every
place still to fill in, and the site builds as soon as none is left.

A language added to an existing document gets that language's scaffold, with the
fields that are the same in every language (fingerprints.SAME_IN_EVERY_LANGUAGE, the
deadline, and each target's schema.TARGET_SAME_IN_EVERY_LANGUAGE fields) copied from
the English file, and each target's other fields as "TODO: translate: <the English>".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path
from string import Template

from .fingerprints import SAME_IN_EVERY_LANGUAGE
from .languages import DEFAULT_CODE, HOME_SLUG, LANGUAGES, english_name, written
from .schema import NEW_KINDS, PAGE_KINDS, TARGET_FIELDS, target_scaffold
from .sources import display_path, read_page
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
        lang_codes=_either(written()),
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


_PLAIN = re.compile(r"^(?:[A-Za-z][\w.@+-]*|\d{4}-\d{2}-\d{2})$")  # as YAML reads it back: text, or a date
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}


def _yaml(value) -> str:
    """A value as YAML: plain where YAML reads it back as written, else as JSON (which is YAML)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _PLAIN.match(value) and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _copied_targets(targets: list, lang: str, indent: str = "  ") -> str:
    """The existing document's targets: what is the same in every language copied, the rest to translate."""
    lines = []
    for target in targets:
        if not isinstance(target, dict):
            continue
        written = [f for f in TARGET_FIELDS if target.get(f.name) not in (None, "", [])]
        for index, declared in enumerate(written):
            value = target[declared.name]
            if not declared.same_in_every_language:
                value = f"TODO: translate: {value}"
                comment = f"  # in {english_name(lang)}: replace the TODO and the English"
            else:
                comment = "  # the same in every language"
            lines.append(f"{indent}{'- ' if index == 0 else '  '}{declared.name}: {_yaml(value)}{comment}")
    return "\n".join(lines) + "\n"


def translation(existing: dict, slug: str, lang: str, today: dt.date) -> str:
    """A new language's file for a document that exists: its scaffold, with the fields that are
    the same in every language taken from `existing` (the English file's front matter)."""
    kind = existing.get("kind")
    text = render(kind, slug, lang, today)
    head, separator, body = text.partition("\n---\n")
    lines = head.split("\n")
    same = {name: existing[name] for name in (*SAME_IN_EVERY_LANGUAGE, "deadline") if name in existing}
    out = []
    skipping = False
    for line in lines:
        key = line.split(":", 1)[0].lstrip("# ").strip() if not line.startswith(" ") else ""
        if skipping:
            if line.startswith(" "):
                continue
            skipping = False
        if key in same and not line.startswith(" "):
            out.append(f"{key}: {_yaml(same.pop(key))}  # the same in every language")
            continue
        if key == "targets" and isinstance(existing.get("targets"), list):
            out.append(line)
            out.append(_copied_targets(existing["targets"], lang).rstrip("\n"))
            skipping = True
            continue
        out.append(line)
    summary = next(index for index, line in enumerate(out) if line.startswith("summary:"))
    out[summary + 1 : summary + 1] = [
        f"{key}: {_yaml(value)}  # the same in every language" for key, value in same.items()
    ]
    return "\n".join(out) + separator + body


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
    paths = [Path(pages_dir) / f"{slug}.{lang}.md" for lang in written()]  # a generated language is made
    existing = [display_path(path) for path in paths if path.exists()]
    if existing:
        verb = "exists" if len(existing) == 1 else "exist"
        missing = [lang for lang, path in zip(written(), paths, strict=True) if not path.exists()]
        add = (
            f", or add the missing {english_name(missing[0])} file: make new SLUG={slug} LANG={missing[0]}"
            if missing
            else ""
        )
        raise ScaffoldError(
            f"{', '.join(existing)} already {verb} — choose another SLUG, or edit the existing files{add}"
        )
    today = today or dt.date.today()
    texts = [render(kind, slug, lang, today) for lang in written()]
    Path(pages_dir).mkdir(parents=True, exist_ok=True)
    for path, text in zip(paths, texts, strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


def add_language(pages_dir: Path, slug: str, lang: str, today: dt.date | None = None) -> Path:
    """Write the one file a document is missing, in language `lang`; refuse if it exists."""
    if lang not in written():
        made = f" ({english_name(lang)} pages are made at every build)" if lang in LANGUAGES else ""
        raise ScaffoldError(
            f"LANG={lang or '(empty)'} is not one of the languages editors write{made} — use {_either(written())}"
        )
    path = Path(pages_dir) / f"{slug}.{lang}.md"
    if path.exists():
        raise ScaffoldError(f"{display_path(path)} already exists — edit it, or delete it first to start it again")
    sources = [Path(pages_dir) / f"{slug}.{code}.md" for code in (DEFAULT_CODE, *written()) if code != lang]
    source = next((candidate for candidate in sources if candidate.exists()), None)
    if source is None:
        raise ScaffoldError(
            f"there is no document {slug} to add {english_name(lang)} to — start it with make new KIND=... SLUG={slug}"
        )
    page = read_page(source)
    if page.problems or page.parsed.data.get("kind") not in KINDS:
        raise ScaffoldError(f"{display_path(source)} has problems: run `make check`, fix them, then add the language")
    path.write_text(translation(page.parsed.data, slug, lang, today or dt.date.today()), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    project = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(prog="make new", description="Start a new document in every language.")
    parser.add_argument("--kind", default="", help=_either(list(KINDS)))
    parser.add_argument("--slug", default="", help="the page's address, e.g. free-them-now")
    parser.add_argument("--pages", type=Path, default=project / "content" / "pages", help="the folder of the pages")
    parser.add_argument("--lang", default="", help="add only this language to an existing document")
    args = parser.parse_args(argv)
    try:
        if args.lang.strip():
            paths = [add_language(args.pages, args.slug.strip(), args.lang.strip())]
        else:
            paths = create(args.pages, args.kind.strip(), args.slug.strip())
    except ScaffoldError as error:
        print(f"make new: {error}", file=sys.stderr)
        print(f"Usage: make new KIND=action SLUG=free-them-now   (KIND is {_either(list(KINDS))})", file=sys.stderr)
        print("       make new SLUG=free-them-now LANG=zh   (adds one missing language)", file=sys.stderr)
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
