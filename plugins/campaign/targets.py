"""Who an action writes to, in what order and languages, and the letters it offers.

Works on the front matter as validated (plain dicts and lists): the plugin hands in a
document's translations, so a page can offer the letter in its own language and in
the languages the officials prefer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from babel import Locale
from babel.lists import format_list

from .deadlines import DeadlineState
from .languages import LANGUAGES
from .mailto import letter_link, mailto_url, paragraphs
from .schema import target_values
from .typography import typeset_text


@dataclass(frozen=True)
class Target:
    """Someone an action writes to. The attributes are those the site's logic uses; the
    card can show any declared field through `fields`."""

    name: str
    title: str = ""
    organization: str = ""
    address: tuple[str, ...] = ()
    email: str = ""
    salutation: str = ""
    role: str = "target"  # "target": write to; "cc": send a copy to
    priority: int | None = None
    reason: str = ""  # why to write to them (first), in the page's language
    position: int = 0  # order in the file
    # Every field schema.TARGET_FIELDS declares, by name: a field added there reaches the
    # target card (target["phone"], or target.phone in a template) with no change here.
    fields: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def from_data(cls, data: Mapping, position: int = 0) -> Target:
        values = target_values(data)  # read as schema.TARGET_FIELDS declares
        own = {name: values[name] for name in _OWN_FIELDS if name in values}
        return cls(**own, fields=values, position=position)

    def __getitem__(self, name: str) -> object:
        return self.fields[name]

    @property
    def is_copy(self) -> bool:
        return self.role == "cc"

    @property
    def email_href(self) -> str:
        return mailto_url([self.email]) if self.email else ""

    @property
    def envelope(self) -> list[str]:
        """The lines to write on the envelope: name, title, organisation, postal address.
        A line that repeats an earlier one (a title that is also the organisation) is left out."""
        lines: list[str] = []
        for line in (self.name, self.title, self.organization, *self.address):
            line = line.strip()
            if line and line.casefold() not in (seen.casefold() for seen in lines):
                lines.append(line)
        return lines


_OWN_FIELDS = {f for f in Target.__dataclass_fields__ if f not in ("fields", "position")}


def ordered(targets: Iterable[Target]) -> list[Target]:
    """Those to write to before those to copy; by priority (1 first, unnumbered last); then as written."""
    return sorted(targets, key=lambda t: (t.is_copy, t.priority is None, t.priority or 0, t.position))


def targets_from(data: object) -> list[Target]:
    if not isinstance(data, list):
        return []
    return ordered(Target.from_data(item, index) for index, item in enumerate(data) if isinstance(item, Mapping))


@lru_cache(maxsize=None)  # three languages by three: asked for on every action's page
def language_name(code: str, display_lang: str) -> str:
    """'Chinese', 'Chinees', '中文': a language's name in the page's language (Babel/CLDR)."""
    return Locale.parse(LANGUAGES[display_lang].locale).languages.get(code, LANGUAGES[code].name)


def language_list(codes: Sequence[str], display_lang: str) -> str:
    """'English or Chinese', 'Engels of Chinees', '英语或中文'."""
    return _language_list(tuple(codes), display_lang)


@lru_cache(maxsize=1024)
def _language_list(codes: tuple[str, ...], display_lang: str) -> str:
    names = [language_name(code, display_lang) for code in codes if code in LANGUAGES]
    return format_list(names, style="or", locale=LANGUAGES[display_lang].locale) if names else ""


def letter_languages(page_lang: str, preferred: Sequence[str] | None) -> list[str]:
    """The page's own language first, then the languages the officials prefer."""
    codes = [page_lang]
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
    complete: bool  # False: the e-mail holds a shorter message than the letter
    is_copy: bool
    roomy_href: str = ""  # a version with room for the reader's name and city (mailto.SIGN_OFF_ROOM), if href has too little


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
    current: bool = False  # in the page's own language
    id: str = ""  # the letter's id in the page: letter-<lang>, or letter-<official>-<lang>
    addressee_line: str = ""  # a petition's "To: President ..." line, above its salutation

    @property
    def shortened(self) -> bool:
        return any(not link.complete for link in self.links)


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
    fallback: Callable[[str, str], str] | None = None,
    official: int | None = None,
    copy_line: Callable[[str, Target], str] | None = None,
    letter_id: str = "",
) -> Letter:
    """One language's letter. letter_targets are that language's; page_targets the page's own
    (link texts are in the page's language). fallback(lang, subject) gives a short message
    for e-mail links when the letter is too long and has no short_body.

    official: the index, among those written to, of the one official this letter goes to:
    it opens with their salutation, goes in their envelope, and the e-mail to a copy (CC)
    address carries it, marked by copy_line(lang, official) as a copy of the letter to them.
    None: one letter to everyone written to (a petition)."""
    subject = typeset_text(str(letter.get("subject") or ""), lang)
    body = typeset_text(str(letter.get("body") or ""), lang)
    short_body = typeset_text(letter.get("short_body"), lang)
    write_to = [target for target in letter_targets if not target.is_copy]
    if official is not None:
        write_to = write_to[official:official + 1]
    lent = write_to[0].salutation if len(write_to) == 1 else ""  # one addressee: their own salutation
    if official is not None:
        salutation = typeset_text(lent or str(letter.get("salutation") or ""), lang)
    else:
        salutation = typeset_text(str(letter.get("salutation") or lent), lang)
    page_write_to = [target for target in page_targets if not target.is_copy]
    chosen = page_write_to[official] if official is not None and official < len(page_write_to) else None
    by_email = {target.email.casefold(): target for target in letter_targets if target.email}
    links = []
    if is_open:
        shorter = [short_body, fallback(lang, subject) if fallback else None]
        for target in page_targets:
            if not target.email or (chosen is not None and not target.is_copy and target is not chosen):
                continue
            own = by_email.get(target.email.casefold(), target)
            if chosen is not None and target.is_copy and write_to:
                # The copy is the letter to the official, marked as a copy of it: never "Dear Ambassador".
                preface = copy_line(lang, write_to[0]) if copy_line else None
                link = letter_link([target.email], subject, salutation, body, shorter, preface=preface)
            else:
                link = letter_link([target.email], subject, typeset_text(own.salutation, lang) or salutation, body, shorter)
            links.append(
                EmailLink(target.name, target.organization, target.email, link.url, link.complete, target.is_copy, link.roomy_url)
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
        current=current,
        id=letter_id or f"letter-{lang}",
        addressee_line=typeset_text(str(letter.get("addressee") or ""), lang),
    )


@dataclass(frozen=True)
class ActionView:
    """What an action's or petition's page shows, as of the build's day."""

    kind: str
    lang: str
    state: DeadlineState
    targets: list[Target]
    make_letters: Callable[[], tuple[list[Official], list[Letter]]] = field(repr=False, compare=False)
    preferred: str  # the officials' preferred languages, named in the page's language
    language_names: Mapping[str, str] = field(default_factory=dict)  # code -> name in the page's language
    report_url: str = ""
    reference: str = ""
    url: str = ""  # the page's address
    ics_url: str = ""  # the deadline's calendar file; empty once the action is closed

    @property
    def is_open(self) -> bool:
        return self.state.is_open

    @cached_property
    def _made(self) -> tuple[list[Official], list[Letter]]:
        """Typeset when a page first shows them: a rebuild that leaves the page as it was
        (render_cache.py) never needs them, and they are a tenth of a build's work."""
        return self.make_letters()

    @property
    def officials(self) -> list[Official]:
        """An action's officials, the first to write to first, each with their own letters
        (empty for a petition, whose one letter goes to everyone it is addressed to)."""
        return self._made[0]

    @property
    def letters(self) -> list[Letter]:
        """Every letter on the page: a petition's, or each official's in turn."""
        return self._made[1]

    @property
    def copies(self) -> list[Target]:
        """Those who get a copy of each letter (CC)."""
        return [target for target in self.targets if target.is_copy]

    @property
    def letters_url(self) -> str:
        return f"{self.url}#letters"


def action_view(
    kind: str,
    lang: str,
    data: Mapping,
    translations: Mapping[str, Mapping],
    today: dt.date,
    *,
    url: str = "",
    ics_url: str = "",
    fallback: Callable[[str, str], str] | None = None,
    copy_line: Callable[[str, Target], str] | None = None,
) -> ActionView:
    """data: the page's front matter (deadline as a date); translations: every language's
    front matter of the same document, by language code (the page's own included)."""
    state = DeadlineState(data["deadline"], today)
    preferred = [code for code in data.get("preferred_languages") or () if code in LANGUAGES]
    page_targets = targets_from(data.get("targets"))

    def make_letters() -> tuple[list[Official], list[Letter]]:
        sources = []
        for code in letter_languages(lang, preferred):
            source = data if code == lang else translations.get(code)
            if source and isinstance(source.get("letter"), Mapping):
                sources.append((code, source["letter"], targets_from(source.get("targets"))))
        if kind == "petition":
            letters = [
                build_letter(
                    code, letter, letter_targets, page_targets, kind=kind, is_open=state.is_open, current=code == lang,
                    signing=code in preferred or not preferred, fallback=fallback,
                )
                for code, letter, letter_targets in sources
            ]
            return [], letters
        officials = []
        for index, target in enumerate(target for target in page_targets if not target.is_copy):
            letters = [
                build_letter(
                    code, letter, letter_targets, page_targets, kind=kind, is_open=state.is_open, current=code == lang,
                    fallback=fallback, official=index, copy_line=copy_line, letter_id=f"letter-{index + 1}-{code}",
                )
                for code, letter, letter_targets in sources
            ]
            officials.append(Official(index + 1, target, letters))
        return officials, [letter for official in officials for letter in official.letters]

    return ActionView(
        kind=kind,
        lang=lang,
        state=state,
        targets=page_targets,
        make_letters=make_letters,
        preferred=language_list(preferred, lang),
        language_names={code: language_name(code, lang) for code in LANGUAGES},
        report_url=str(data.get("report_url") or ""),
        reference=str(data.get("reference") or ""),
        url=url,
        ics_url=ics_url if state.is_open else "",
    )
