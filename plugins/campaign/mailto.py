"""E-mail links (RFC 6068) that carry a letter, and that mail clients still open.

A mailto URL puts the recipients in its path and the subject and body in its query,
all UTF-8 and percent-encoded: a space is %20 (never +), a line break is %0D%0A.
Only the unreserved characters stay as they are, so `& # ? + % =` in a letter can
never end the body early or be read as form encoding. Jinja's autoescape then writes
the query's `&` as `&amp;` in the HTML.

Mail clients and browsers drop or cut links longer than about 2,000 characters, so no
link here is longer than MAX_LENGTH. A link carries a whole letter (salutation, body,
closing) or none: a letter that does not fit (Chinese letters, at nine characters per
Han character, rarely do) gives way to the editor's shorter letter (letter.short_body)
if that fits, else the link opens an e-mail with the subject only and the page asks
readers to copy the letter into it. `make check` and the build warn about such a letter
(validation.letter_warnings).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_LENGTH = 1800

# Room a link keeps for the reader's name and city, which the site's script adds to the
# e-mail's closing (theme/static/js/campaign.js; it never lets a link pass MAX_LENGTH):
# about 60 Latin letters or 18 Chinese characters, percent-encoded.
SIGN_OFF_ROOM = 180

# In the path only the characters RFC 6068 section 2 requires are encoded (% / ? # [ ] & ; =
# and anything outside URIs); "@" and the address's other punctuation stay readable.
_ADDRESS_SAFE = "@!$'*+-._~"
CRLF = "\r\n"


def percent_encode(text: str, safe: str = "") -> str:
    """urllib.parse.quote(text, safe): UTF-8, every byte but A-Z a-z 0-9 - . _ ~ and `safe`
    encoded. quote() looks up every byte in Python, and a page's letters and share links are
    thousands: here str.translate encodes the ASCII characters, then each run of others is
    encoded at once (the %XX the first step wrote is ASCII, so never encoded twice)."""
    return _NON_ASCII.sub(_encoded, text.translate(_ascii_table(safe)))


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")


@functools.cache
def _ascii_table(safe: str) -> dict[int, str]:
    return {code: f"%{code:02X}" for code in range(128) if chr(code) not in _UNRESERVED and chr(code) not in safe}


def _encoded(run: re.Match) -> str:
    return "%" + run.group().encode("utf-8").hex("%").upper()


def form_encode(fields: dict) -> str:
    """A query as HTML forms send it (Jinja's urlencode filter of a dict): a space is +."""
    return "&".join(f"{_form_value(name)}={_form_value(value)}" for name, value in fields.items())


def _form_value(value) -> str:
    return percent_encode(str(value)).replace("%20", "+")


def encode_value(text: str) -> str:
    """A header value (subject or body): UTF-8, every byte but A-Z a-z 0-9 - . _ ~ encoded."""
    return percent_encode(normalise_newlines(text))


def encode_address(address: str) -> str:
    return percent_encode(address.strip(), safe=_ADDRESS_SAFE)


def normalise_newlines(text: str) -> str:
    """Every line break as CRLF, as RFC 6068 asks for line breaks in a body."""
    return CRLF.join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def mailto_url(to: Sequence[str], subject: str | None = None, body: str | None = None, cc: Sequence[str] = ()) -> str:
    """mailto:a@example.org,b@example.org?cc=...&subject=...&body=..."""
    url = "mailto:" + ",".join(encode_address(address) for address in to)
    fields = []
    if cc:
        fields.append("cc=" + ",".join(encode_address(address) for address in cc))
    if subject:
        fields.append("subject=" + encode_value(subject))
    if body:
        fields.append("body=" + encode_value(body))
    return url + ("?" + "&".join(fields) if fields else "")


def paragraphs(text: str | None) -> list[list[str]]:
    """Paragraphs (separated by blank lines) as lists of their lines."""
    if not text:
        return []
    result: list[list[str]] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def letter_text(salutation: str | None, *parts: str | None, preface: str | None = None) -> str:
    """The letter as e-mail text: an optional preface line (a copy's "Copy of my letter to
    ..."), the salutation, then the paragraphs, a blank line between each."""
    blocks: list[list[str]] = [[line.strip()] for line in (preface, salutation) if line and line.strip()]
    for part in parts:
        blocks += paragraphs(part)
    return (CRLF + CRLF).join(CRLF.join(lines) for lines in blocks)


def letter_length(to: Sequence[str], subject: str | None, salutation: str | None, body: str, preface=None) -> int:
    """How long a link carrying this letter is: it fits if no longer than MAX_LENGTH."""
    return len(mailto_url(to, subject, letter_text(salutation, body, preface=preface)))


@dataclass(frozen=True)
class LetterLink:
    url: str
    complete: bool  # False when the link carries the shorter letter, or none
    # A version with SIGN_OFF_ROOM to spare for the reader's name and city, when `url` has
    # less room ("" when `url` has room, or when no version with a body has).
    roomy_url: str = ""
    carries_letter: bool = True  # False: the subject only (or not even that); readers copy the letter


def letter_link(
    to: Sequence[str],
    subject: str,
    salutation: str | None,
    body: str,
    shorter: Iterable[str | None] = (),
    limit: int = MAX_LENGTH,
    preface: str | None = None,
) -> LetterLink:
    """The longest version of the letter that fits in a link.

    Tries the full letter, then each shorter letter in turn (the editor's short_body),
    then the subject alone, then the bare address. The body always ends the URL, so that
    the site's script can add the reader's name to it.
    """
    texts = [body, *(text for text in shorter if text and text.strip())]
    urls = [mailto_url(to, subject, letter_text(salutation, text, preface=preface)) for text in texts]
    fitting = [index for index, url in enumerate(urls) if len(url) <= limit]
    if not fitting:
        url = mailto_url(to, subject)
        return LetterLink(url if len(url) <= limit else mailto_url(to), False, carries_letter=False)
    first = fitting[0]
    roomy = next((urls[index] for index in fitting if len(urls[index]) <= limit - SIGN_OFF_ROOM), "")
    return LetterLink(urls[first], first == 0, "" if roomy == urls[first] else roomy)
