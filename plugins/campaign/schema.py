"""What editors write, declared once: the kinds of page and the fields of a target.

Validation (which fields exist and how each is checked), the translation status
(which fields must be the same in every language), `make new` (what a new document
offers) and targets.Target (what the target card receives) all read these tables.
Adding a target field is one entry in TARGET_FIELDS, then the component that shows
it (docs/architecture.md, "Add a target field").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# --- Targets: the people an action writes to ---------------------------------------------

# How a field is checked (validation._validate_target) and read (TargetField.read).
TEXT, LINES, EMAIL, PHONE, URL, ROLE, PRIORITY = "text", "lines", "email", "phone", "url", "role", "priority"
ROLES = ("target", "cc")  # target: write to them; cc: send them a copy


def _text(value) -> str:
    return str(value or "")


def _lines(value) -> tuple[str, ...]:
    return tuple(str(line) for line in value or ())


def _email(value) -> str:
    return str(value or "").strip()


def _role(value) -> str:
    return str(value or ROLES[0])


def _priority(value) -> int | None:
    return value if isinstance(value, int) else None


_READ: dict[str, Callable[[object], object]] = {
    TEXT: _text,
    LINES: _lines,
    EMAIL: _email,
    PHONE: _email,  # as written, trimmed: the card shows it so, and makes its tel: link (targets.tel_href)
    URL: _email,
    ROLE: _role,
    PRIORITY: _priority,
}


@dataclass(frozen=True)
class TargetField:
    name: str
    type: str  # TEXT, LINES, EMAIL, PHONE, URL, ROLE or PRIORITY
    required: bool = False
    # A way to reach them: POST (needed only where a letter is posted: a petition's address),
    # or one of OTHER_WAYS, which the page names in "You can also reach them by ..." when
    # an official has it. An action's official needs at least one way.
    way: str = ""
    # True: the same in every language (an address, a role), compared between translations
    # rather than fingerprinted (status.py); False: translated (a name, a title).
    same_in_every_language: bool = False
    # What `make new` writes for it under '- ' (the first field) or indented (the others),
    # with its comment; "" leaves it out of new documents.
    scaffold: str = ""

    def read(self, value) -> object:
        """The front matter's value as targets.Target (and with it the target card) receives it."""
        return _READ[self.type](value)


# The ways to reach someone, in the order the page names them (theme/templates/components/contact_details.html).
POST, BY_EMAIL, BY_PHONE, BY_FAX, BY_SOCIAL, BY_FORM = "post", "email", "phone", "fax", "social", "form"
OTHER_WAYS = (BY_EMAIL, BY_PHONE, BY_FAX, BY_SOCIAL, BY_FORM)

TARGET_FIELDS: tuple[TargetField, ...] = (
    TargetField("name", TEXT, required=True, scaffold='name: "TODO: the person\'s name"  # as on the envelope'),
    TargetField("title", TEXT, scaffold='title: "TODO: their position"  # optional: delete the line if there is none'),
    TargetField(
        "organization",
        TEXT,
        scaffold='organization: "TODO: their organisation"  # optional: delete the line if there is none',
    ),
    TargetField(
        "address",
        LINES,
        same_in_every_language=True,
        way=POST,
        scaffold="address:  # the postal address, one line per line of the envelope; delete it if the action gives none\n"
        '  - "TODO: street and number"\n  - "TODO: city and postcode"\n  - "TODO: country"',
    ),
    TargetField(
        "salutation",
        TEXT,
        scaffold='salutation: "TODO: how a letter to them opens, e.g. Dear Director Zhang,"  # optional',
    ),
    TargetField(
        "email",
        EMAIL,
        same_in_every_language=True,
        way=BY_EMAIL,
        scaffold="# email: someone@example.org  # optional: gives readers a ready-to-send e-mail link",
    ),
    TargetField(
        "phone",
        PHONE,
        same_in_every_language=True,
        way=BY_PHONE,
        scaffold='# phone: "+31 20 123 4567"  # optional: with the country code; readers on a phone can call it',
    ),
    TargetField(
        "fax",
        PHONE,
        same_in_every_language=True,
        way=BY_FAX,
        scaffold='# fax: "+31 20 123 4568"  # optional: with the country code',
    ),
    TargetField(
        "social",
        LINES,
        same_in_every_language=True,
        way=BY_SOCIAL,
        scaffold='# social: ["X: @handle"]  # optional: social-media accounts, each as "network: @handle"',
    ),
    TargetField(
        "contact_form",
        URL,
        same_in_every_language=True,
        way=BY_FORM,
        scaffold="# contact_form: https://example.org/contact  # optional: the web page with their contact form",
    ),
    TargetField(
        "role",
        ROLE,
        same_in_every_language=True,
        scaffold="role: target  # target (write to them) or cc (send them a copy)",
    ),
    TargetField(
        "priority", PRIORITY, same_in_every_language=True, scaffold="priority: 1  # 1 is the first to write to"
    ),
    TargetField(
        "reason",
        TEXT,
        scaffold='# reason: "TODO: why to write to them first"  # optional: shown with the choice on the page',
    ),
    # The envelope lines (name, title, organisation, address) are as they go on the envelope,
    # often in another language than the page's: the page's sentences name the official
    # with known_as, and the envelope is marked with its language.
    TargetField(
        "known_as",
        TEXT,
        scaffold='# known_as: "TODO: how this page\'s sentences name them, title included, in its language"  # optional',
    ),
    TargetField(
        "address_lang",
        TEXT,
        same_in_every_language=True,
        scaffold="# address_lang: en  # optional: the language of the envelope lines, if not the page's",
    ),
)
TARGET_FIELD_NAMES = tuple(target_field.name for target_field in TARGET_FIELDS)
TARGET_SAME_IN_EVERY_LANGUAGE = tuple(f.name for f in TARGET_FIELDS if f.same_in_every_language)
TARGET_WAYS = {f.name: f.way for f in TARGET_FIELDS if f.way}  # field -> the way it reaches them


def target_values(data: Mapping) -> dict[str, object]:
    """Every target field of one front-matter target, as targets.Target takes them."""
    return {f.name: f.read(data.get(f.name)) for f in TARGET_FIELDS}


def target_scaffold(indent: str) -> str:
    """The first target of a new document, as `make new` writes it below 'targets:'."""
    lines = []
    for index, target_field in enumerate(f for f in TARGET_FIELDS if f.scaffold):
        first, *rest = target_field.scaffold.split("\n")
        lines.append(f"{indent}{'- ' if index == 0 else '  '}{first}")
        lines += [f"{indent}  {line}" for line in rest]
    return "\n".join(lines) + "\n"


# --- Page kinds ------------------------------------------------------------------------------

COMMON_FIELDS = {
    "title",
    "lang",
    "slug",
    "kind",
    "date",
    "summary",
    "timeline",
    "translation_of",
    "issued_by",
    "case_status",
}  # translation_of: status.py; issued_by: who issued the document (a press release's author); case_status: the page tells the case's present status, shown as of timeline.yaml's status_as_of
ACTION_FIELDS = {"deadline", "report_url", "reference", "preferred_languages", "targets", "letter", "outcome"}
OUTCOME_FIELDS = {"date", "text"}  # outcome: what happened, the day it did; the document ends that day
LETTER_FIELDS = {"subject", "addressee", "salutation", "body", "short_body"}


@dataclass(frozen=True)
class PageKind:
    name: str  # as in 'kind:'
    template: str  # in theme/templates
    takes_action: bool = False  # a deadline, people to write to and a letter (ACTION_FIELDS)
    # `make new`: the words of its comments and the body it starts with ($in_language is
    # " in Dutch" and the like); none: `make new` does not start one (there is one home page).
    scaffold: Mapping[str, str] = field(default_factory=dict)
    scaffold_body: str = ""

    @property
    def fields(self) -> set[str]:
        return COMMON_FIELDS | ACTION_FIELDS if self.takes_action else set(COMMON_FIELDS)


# What holds only until the deadline, and what replaces it after (lifecycle.py).
_WHILE_OPEN = """
::: open
TODO: what readers should do, and by when: shown only until the deadline.
:::

::: ended
TODO: what readers see once the deadline has passed: thanks, and what they can still do.
:::
"""

# In the campaign's order: the navigation's, and the order `make new` and messages list them in.
PAGE_KINDS: dict[str, PageKind] = {
    kind.name: kind
    for kind in (
        PageKind("home", "home.html"),
        PageKind(
            "action",
            "action.html",
            takes_action=True,
            scaffold={
                "what": "A new urgent action.",
                "the_title": "the action's heading, e.g. Urgent action: release ...",
                "kind_comment": "action: readers write to the people below",
                "deadline_hint": "the last day to act",
                "targets_comment": "who readers write to",
                "letter_comment": "the sample letter readers copy",
                "subject_hint": "the letter's subject",
            },
            scaffold_body="TODO: why this action matters, in two or three short paragraphs$in_language. "
            "Start any heading with ##.\n" + _WHILE_OPEN,
        ),
        PageKind(
            "petition",
            "action.html",
            takes_action=True,  # an action whose letter is signed and posted
            scaffold={
                "what": "A new petition.",
                "the_title": "the petition's heading, e.g. Petition: release ...",
                "kind_comment": "petition: readers sign and send it to the address below",
                "deadline_hint": "the last day to send it",
                "targets_comment": "where signed petitions go",
                "letter_comment": "the petition's text",
                "subject_hint": "the petition's subject",
            },
            scaffold_body="TODO: what the petition asks$in_language. Start any heading with ##.\n" + _WHILE_OPEN,
        ),
        PageKind(
            "press",
            "press.html",
            scaffold={
                "what": "A new press release.",
                "the_title": "the press release's heading",
                "kind_comment": "press: a press release",
            },
            scaffold_body="TODO: the press release$in_language. Start any heading with ##.\n",
        ),
    )
}
KINDS = tuple(PAGE_KINDS)
ACTION_KINDS = tuple(name for name, kind in PAGE_KINDS.items() if kind.takes_action)
NEW_KINDS = tuple(name for name, kind in PAGE_KINDS.items() if kind.scaffold)  # what `make new` offers
