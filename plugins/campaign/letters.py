"""The letters an action offers: one per official (or a petition's one), in the page's language
and the officials' preferred ones, with their e-mail links."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .languages import LANGUAGES
from .mailto import letter_link, paragraphs
from .targets import Target
from .typography import typeset_text


def letter_languages(page_lang: str, preferred: Sequence[str] | None) -> list[str]:
    """The page's own language first, then the languages the officials prefer. Where the page's
    language declares letters_in (Traditional Chinese: Simplified) and the officials prefer that
    one, it comes first: it is the letter to send, and the page's own follows, for reading."""
    letters_in = LANGUAGES[page_lang].letters_in if page_lang in LANGUAGES else ""
    codes = [letters_in, page_lang] if letters_in and letters_in in (preferred or ()) else [page_lang]
    for code in preferred or ():
        if code in LANGUAGES and code not in codes:
            codes.append(code)
    return codes


@dataclass(frozen=True)
class EmailLink:
    name: str  # the recipient, as the page names them
    organization: str
    email: str
    href: str  # the mailto URL (autoescape writes its & as &amp;)
    complete: bool  # False: the e-mail holds the shorter letter (short_body), or no letter
    is_copy: bool
    roomy_href: str = (
        ""  # a version with room for the reader's name and city (mailto.SIGN_OFF_ROOM), if href has too little
    )
    carries_letter: bool = True  # False: the e-mail opens with the subject only; readers copy the letter in


@dataclass(frozen=True)
class Letter:
    lang: str
    subject: str
    salutation: str
    paragraphs: list[list[str]]
    addressees: list[list[str]] = field(default_factory=list)  # envelopes of those written to
    return_to: list[list[str]] = field(default_factory=list)  # where a signed petition is posted
    links: list[EmailLink] = field(default_factory=list)
    signing: bool = False  # a petition sheet to sign and post
    signed: bool = False  # a petition's text as people signed it (the others are translations), open or ended
    current: bool = False  # in the page's own language
    id: str = ""  # the letter's id in the page: letter-<lang>, or letter-<official>-<lang>
    addressee_line: str = ""  # a petition's "To: President ..." line, above its salutation
    reading: bool = False  # a version to read, not to send: no e-mail links, copy or print (letters_in)
    address_lang: str = ""  # the envelopes' language (BCP 47), when not the letter's
    return_lang: str = ""  # the language (BCP 47) of the address a petition is posted to

    @property
    def shortened(self) -> bool:
        return any(not link.complete for link in self.links)

    @property
    def uncarried(self) -> bool:
        """Some e-mail link opens without the letter: the page says to copy it in."""
        return any(not link.carries_letter for link in self.links)


@dataclass(frozen=True)
class Official:
    """Someone an action writes to, with a letter of their own in each of the page's letter languages."""

    number: int  # 1 for the first to write to
    target: Target  # as the page writes it (its name and title name the choice)
    letters: list[Letter]

    @property
    def id(self) -> str:
        return f"to-{self.number}"


def build_letter(
    lang: str,
    letter: Mapping,
    letter_targets: Sequence[Target],
    page_targets: Sequence[Target],
    *,
    kind: str,
    is_open: bool,
    current: bool,
    signing: bool = False,
    official: int | None = None,
    copy_line: Callable[[str, Target], str] | None = None,
    letter_id: str = "",
    reading: bool = False,
) -> Letter:
    """One language's letter. letter_targets are that language's; page_targets the page's own
    (link texts are in the page's language). An e-mail link carries the letter, else its
    short_body, else no letter (mailto.letter_link).

    official: the index, among those written to, of the one official this letter goes to:
    it opens with their salutation, goes in their envelope, and the e-mail to a copy (CC)
    address carries it, marked by copy_line(lang, official) as a copy of the letter to them.
    None: one letter to everyone written to (a petition)."""
    subject = typeset_text(str(letter.get("subject") or ""), lang)
    body = typeset_text(str(letter.get("body") or ""), lang)
    short_body = typeset_text(letter.get("short_body"), lang)
    write_to = [target for target in letter_targets if not target.is_copy]
    if official is not None:
        write_to = write_to[official : official + 1]
    lent = write_to[0].salutation if len(write_to) == 1 else ""  # one addressee: their own salutation
    if official is not None:
        salutation = typeset_text(lent or str(letter.get("salutation") or ""), lang)
    else:
        salutation = typeset_text(str(letter.get("salutation") or lent), lang)
    page_write_to = [target for target in page_targets if not target.is_copy]
    chosen = page_write_to[official] if official is not None and official < len(page_write_to) else None
    by_email = {target.email.casefold(): target for target in letter_targets if target.email}
    links = []
    if is_open and not reading:
        shorter = [short_body]
        for target in page_targets:
            if not target.email or (chosen is not None and not target.is_copy and target is not chosen):
                continue
            own = by_email.get(target.email.casefold(), target)
            if chosen is not None and target.is_copy and write_to:
                # The copy is the letter to the official, marked as a copy of it: never "Dear Ambassador".
                preface = copy_line(lang, write_to[0]) if copy_line else None
                link = letter_link([target.email], subject, salutation, body, shorter, preface=preface)
            else:
                link = letter_link(
                    [target.email], subject, typeset_text(own.salutation, lang) or salutation, body, shorter
                )
            links.append(
                EmailLink(
                    target.known_as or target.name,  # as the page's sentences name them
                    "" if target.known_as else target.organization,
                    target.email,
                    link.url,
                    link.complete,
                    target.is_copy,
                    link.roomy_url,
                    link.carries_letter,
                )
            )
    envelopes = [target.envelope for target in write_to]
    # A petition is posted by the reader, so its return address is as the page writes it.
    return_to = [target.envelope for target in page_targets if not target.is_copy]
    return Letter(
        lang=lang,
        subject=subject,
        salutation=salutation,
        paragraphs=paragraphs(body),
        addressees=envelopes if kind != "petition" else [],
        # Only the sheet to sign says where to post it, and only while it can still be posted.
        return_to=return_to if kind == "petition" and signing and is_open else [],
        links=links,
        signing=signing and is_open,
        signed=signing,
        current=current,
        id=letter_id or f"letter-{lang}",
        addressee_line=typeset_text(str(letter.get("addressee") or ""), lang),
        reading=reading,
        address_lang=_html_lang(write_to),
        return_lang=_html_lang([target for target in page_targets if not target.is_copy]),
    )


def _html_lang(targets: Sequence[Target]) -> str:
    """The lang= of their envelopes (address_lang), if they say one."""
    codes = {target.address_lang for target in targets if target.address_lang}
    if len(codes) != 1:
        return ""
    (code,) = codes
    return LANGUAGES[code].html_lang if code in LANGUAGES else ""
