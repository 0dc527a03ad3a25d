"""Checks on what editors write. Each problem names the file, the line, the field and the fix."""

from __future__ import annotations

import re

from . import lifecycle
from .checker import LANG_CODES, PLACEHOLDER, Checker, shorten, strings
from .frontmatter import Parsed
from .languages import LANGUAGES, english_name
from .mailto import MAX_LENGTH, letter_length
from .problems import Problem
from .schema import (
    ACTION_KINDS,
    COMMON_FIELDS,
    KINDS,
    LETTER_FIELDS,
    LINES,
    OUTCOME_FIELDS,
    PAGE_KINDS,
    PHONE,
    POST,
    PRIORITY,
    ROLE,
    ROLES,
    TARGET_FIELDS,
    TARGET_WAYS,
    TEXT,
)
from .schema import (
    EMAIL as EMAIL_FIELD,
)
from .schema import URL as URL_FIELD

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
PHONE_NUMBER = re.compile(r"^\+?[0-9][0-9 ().\-/]*[0-9]$")  # +257 22 22 22 22, (020) 123-4567
LINE_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits on
RAW_SCRIPT = re.compile(r"<\s*script\b", re.IGNORECASE)


def taken_address(slug: str) -> str | None:
    """What already lives at /<slug>/ in the output, for a slug that would collide with it (N6)."""
    for code, language in LANGUAGES.items():
        if language.prefix.strip("/") == slug:
            return f"the address of the {english_name(code)} pages (/{slug}/)"
    if slug == "theme":  # THEME_STATIC_DIR
        return "the folder of the site's stylesheets, scripts and images (/theme/)"
    return None


def validate_page(parsed: Parsed, path: str, file_lang: str | None = None) -> list[Problem]:
    """Check one page's front matter and body; file_lang is the language in its file name."""
    check = Checker(parsed, path)
    data = parsed.data
    check.text(data, "title", "title")
    check.text(data, "summary", "summary")
    slug = check.text(data, "slug", "slug", example="urgent-action")
    if slug and not SLUG.match(slug):
        check.add(
            "slug",
            f"'{slug}' is not a valid slug",
            "use lower-case letters, digits and hyphens, e.g. slug: urgent-action",
        )
    elif slug and taken_address(slug):
        check.add("slug", f"'{slug}' is {taken_address(slug)}", "choose another slug, in every language's file")
    lang = check.text(data, "lang", "lang", example="en")
    if lang and lang not in LANGUAGES:
        check.add("lang", f"'{lang}' is not one of the site's languages", f"use one of {LANG_CODES}")
    elif lang and file_lang and file_lang != lang:
        if file_lang in LANGUAGES:
            check.add(
                "lang",
                f"says '{lang}' but the file name says '{file_lang}'",
                f"rename the file to <slug>.{lang}.md or set lang: {file_lang}",
            )
        else:
            check.add(
                "lang", f"says '{lang}' but the file name says '{file_lang}'", f"rename the file to <slug>.{lang}.md"
            )
    kind = check.text(data, "kind", "kind", example="press")
    if kind and kind not in KINDS:
        check.add("kind", f"'{kind}' is not a kind of page this site has", f"use one of {', '.join(KINDS)}")
    issued = check.date(data, "date", "date")
    if "timeline" in data and not isinstance(data["timeline"], bool):
        check.add(
            "timeline",
            f"should be true or false, not {data['timeline']!r}",
            "write timeline: true to show the case's timeline on this page, or remove the line",
        )
    check.text(data, "translation_of", "translation_of", required=False)
    check.text(data, "issued_by", "issued_by", required=False)
    if "case_status" in data and not isinstance(data["case_status"], bool):
        check.add(
            "case_status",
            f"should be true or false, not {data['case_status']!r}",
            "write case_status: true if the page tells the two people's present situation, or remove the line",
        )

    known = PAGE_KINDS[kind].fields if kind in PAGE_KINDS else set(COMMON_FIELDS)
    if kind in ACTION_KINDS:
        last_day = _validate_action(check, data)
        if issued and last_day and issued > last_day:
            check.add(
                "date",
                f"{issued.isoformat()} is after the deadline {last_day.isoformat()}",
                "set date to the day the action was issued, on or before its last day",
            )
    check.unknown(data, "", known)
    for key, value in strings(data):
        if RAW_SCRIPT.search(value):
            check.add(key, "contains a <script> tag", "remove it: pages may not run scripts of their own")

    problems = lifecycle.block_problems(parsed.body, path, parsed.body_line, has_deadline="deadline" in data)
    check.problems.extend(problems)
    for number, line in enumerate(parsed.body.split("\n")):
        if PLACEHOLDER.search(line):
            check.problems.append(
                Problem(
                    path,
                    parsed.body_line + number,
                    "body",
                    f"still has the placeholder '{shorten(line)}'",
                    "write the page's text in place of the TODO line",
                )
            )
    return check.problems


def _validate_action(check: Checker, data: dict):
    """Checks an action's fields; returns its deadline, if it is a date."""
    last_day = check.date(data, "deadline", "deadline")
    report_url = check.text(data, "report_url", "report_url", required=False)
    if report_url and not URL.match(report_url):
        check.add(
            "report_url", f"'{report_url}' is not a web address", "write the full address, starting with https://"
        )
    check.text(data, "reference", "reference", required=False)
    outcome = data.get("outcome")
    if outcome is not None:
        if not isinstance(outcome, dict):
            check.add(
                "outcome",
                "should be a date and a sentence",
                "write 'outcome:' with 'date: YYYY-MM-DD' and 'text: \"...\"' indented below it",
            )
        else:
            check.date(outcome, "outcome.date", "date")
            check.text(outcome, "outcome.text", "text")
            check.unknown(outcome, "outcome.", OUTCOME_FIELDS)

    preferred = data.get("preferred_languages")
    if preferred is not None:
        if not isinstance(preferred, list) or not all(isinstance(code, str) for code in preferred):
            check.add(
                "preferred_languages", "should be a list of language codes", "write it as preferred_languages: [en, zh]"
            )
        else:
            for code in preferred:
                if code not in LANGUAGES:
                    check.add(
                        "preferred_languages",
                        f"'{code}' is not a language code this site knows",
                        f"use codes from {LANG_CODES}",
                    )

    targets = data.get("targets")
    if not targets:
        check.add(
            "targets",
            "is missing: an action needs someone to write to",
            "add 'targets:' with at least one person (name, title, organization, address, role)",
        )
    elif not isinstance(targets, list):
        check.add("targets", "should be a list", "start each person with '  - name: ...'")
    else:
        for index, target in enumerate(targets):
            _validate_target(check, target, f"targets[{index}]", posted=data.get("kind") == "petition")

    letter = data.get("letter")
    if not letter:
        check.add(
            "letter",
            "is missing: an action needs a sample letter",
            "add 'letter:' with 'subject:' and 'body: |' below it",
        )
    elif not isinstance(letter, dict):
        check.add(
            "letter", "should have 'subject:' and 'body:' below it", "indent 'subject:' and 'body: |' under 'letter:'"
        )
    else:
        # A petition is signed and posted as written: a subject is for e-mail, if it offers any.
        emailed = any(isinstance(t, dict) and t.get("email") for t in data.get("targets") or [])
        subject = check.text(letter, "letter.subject", "subject", required=data.get("kind") != "petition" or emailed)
        if subject and any(char in LINE_BREAKS for char in subject):
            # A line break would end the e-mail's Subject header and start another (Bcc: ...).
            check.add(
                "letter.subject", "has a line break in it", 'write the subject on one line, in quotes: subject: "..."'
            )
        check.text(letter, "letter.body", "body")
        check.text(letter, "letter.addressee", "addressee", required=False)
        check.text(letter, "letter.salutation", "salutation", required=False)
        check.text(letter, "letter.short_body", "short_body", required=False)
        check.unknown(letter, "letter.", LETTER_FIELDS)
        if isinstance(targets, list):
            _check_email_links(check, targets, letter)
    return last_day


def _emailed(targets: list, letter: dict):
    """(address, salutation) of each valid e-mail address the letter goes to, in the file's order."""
    for target in targets:
        email = target.get("email") if isinstance(target, dict) else None
        if isinstance(email, str) and EMAIL.match(email):
            salutation = next(
                (s for s in (target.get("salutation"), letter.get("salutation")) if isinstance(s, str)), None
            )
            yield email, salutation


def _check_email_links(check: Checker, targets: list, letter: dict) -> None:
    """A short_body is only used when the letter is too long for an e-mail link; then it must fit."""
    subject, body, short_body = letter.get("subject"), letter.get("body"), letter.get("short_body")
    if not (isinstance(subject, str) and isinstance(body, str) and isinstance(short_body, str)):
        return
    for email, salutation in _emailed(targets, letter):
        if letter_length([email], subject, salutation, body) <= MAX_LENGTH:
            continue
        length = letter_length([email], subject, salutation, short_body)
        if length > MAX_LENGTH:
            check.add(
                "letter.short_body",
                f"is too long for an e-mail link to {email} "
                f"({length} characters with the subject; mail programs take at most {MAX_LENGTH})",
                "shorten it: in a link every Chinese character takes 9 characters, every space or punctuation mark 3",
            )
            return


def letter_warnings(parsed: Parsed, path: str, file_lang: str | None = None) -> list[Problem]:
    """What does not stop the build but an editor should know: a letter too long for an e-mail
    link, with no shorter letter (short_body), goes out as no letter at all (mailto.letter_link)."""
    data = parsed.data
    letter, targets = data.get("letter"), data.get("targets")
    if data.get("kind") not in ACTION_KINDS or not isinstance(letter, dict) or not isinstance(targets, list):
        return []
    subject, body, short_body = letter.get("subject"), letter.get("body"), letter.get("short_body")
    if not isinstance(body, str) or (isinstance(short_body, str) and short_body.strip()):
        return []
    lang = data.get("lang") if data.get("lang") in LANGUAGES else file_lang
    language = f"{english_name(lang)} letter" if lang in LANGUAGES else "letter"
    for email, salutation in _emailed(targets, letter):
        length = letter_length([email], subject if isinstance(subject, str) else None, salutation, body)
        if length > MAX_LENGTH:
            return [
                Problem(
                    path,
                    parsed.line("letter.body"),
                    "letter.body",
                    f"the {language} is too long for an e-mail link to {email} ({length} characters with the "
                    f"subject; mail programs take at most {MAX_LENGTH}), so the e-mail opens with only the subject "
                    "and the page asks readers to copy the letter into it",
                    "to send it in the e-mail, add letter.short_body: a shorter letter, ending with its closing "
                    "(the salutation is added)",
                )
            ]
    return []


def _validate_target(check: Checker, target: object, key: str, posted: bool = False) -> None:
    """Each field as its type in schema.TARGET_FIELDS says, then any field it does not declare.
    posted: letters are posted to them (a petition's), so a postal address is needed; anyone
    else needs at least one way to reach them (schema.TargetField.way)."""
    if not isinstance(target, dict):
        check.add(
            key,
            "should be a person with name, title, organization and address",
            "write '- name: ...' with the other fields indented below it",
        )
        return
    who = ""  # " (the person's name)", once the name is read: it comes first
    for declared in TARGET_FIELDS:
        field_key, value = f"{key}.{declared.name}", target.get(declared.name)
        if declared.type == TEXT:
            text = check.text(target, field_key, declared.name, required=declared.required)
            if declared.name == "name" and text:
                who = f" ({text})"
            if declared.name == "address_lang" and text and text not in LANGUAGES:
                check.add(field_key, f"'{text}' is not one of the site's languages{who}", f"use one of {LANG_CODES}")
        elif declared.type == LINES:
            needed = declared.required or (posted and declared.way == POST and target.get("role", ROLES[0]) != "cc")
            if not value:
                if needed:
                    check.add(
                        field_key,
                        f"is missing{who}: signed petitions are posted to this address",
                        f"add '{declared.name}:' with one '- line' per line of the envelope",
                    )
            elif not isinstance(value, list) or not all(isinstance(line, str) and line.strip() for line in value):
                what = "line of the envelope" if declared.way == POST else "one"
                check.add(
                    field_key,
                    f"should be a list of text lines{who}",
                    f"write each {what} as '- \"...\"' below '{declared.name}:'",
                )
        elif declared.type == PHONE:
            number = check.text(target, field_key, declared.name, required=declared.required)
            if number and not PHONE_NUMBER.match(number):
                check.add(
                    field_key,
                    f"'{number}' is not a phone number{who}",
                    f'write the number with its country code, digits and spaces only, e.g. {declared.name}: "+31 20 123 4567"',
                )
        elif declared.type == URL_FIELD:
            address = check.text(target, field_key, declared.name, required=declared.required)
            if address and not URL.match(address):
                check.add(
                    field_key,
                    f"'{address}' is not a web address{who}",
                    "write the full address of the page, starting with https://",
                )
        elif declared.type == EMAIL_FIELD:
            email = check.text(target, field_key, declared.name, required=declared.required)
            if email and not EMAIL.match(email):
                check.add(
                    field_key,
                    f"'{email}' is not an e-mail address{who}",
                    "write it as name@example.org, without 'mailto:' or spaces",
                )
        elif declared.type == ROLE and target.get(declared.name, ROLES[0]) not in ROLES:
            check.add(
                field_key,
                f"'{value}' is not a role{who}",
                "use role: target (write to) or role: cc (send a copy to)",
            )
        elif declared.type == PRIORITY and value is not None and (type(value) is not int or value < 1):
            check.add(field_key, f"'{value}' is not a priority{who}", "use a whole number, 1 for the first to write to")
    if not any(target.get(name) for name in TARGET_WAYS):
        check.add(
            key,
            f"gives no way to reach them{who}",
            f"add at least one of {', '.join(TARGET_WAYS)} (a postal address only if letters are posted to them)",
        )
    check.unknown(target, f"{key}.", {declared.name for declared in TARGET_FIELDS})
