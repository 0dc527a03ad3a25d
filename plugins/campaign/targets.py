"""Who an action writes to, in what order and languages, and the letters it offers.

Works on the front matter as validated (plain dicts and lists): the plugin hands in a
document's translations, so a page can offer the letter in its own language and in
the languages the officials prefer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .mailto import mailto_url
from .schema import OTHER_WAYS, TARGET_WAYS, target_values


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
    known_as: str = ""  # how the page's sentences name them, in its language (title included)
    address_lang: str = ""  # the language of the envelope lines, when not the page's
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
    def ways(self) -> tuple[str, ...]:
        """How else than by post readers can reach them (schema.OTHER_WAYS), in that order."""
        have = {TARGET_WAYS[name] for name, value in self.fields.items() if name in TARGET_WAYS and value}
        return tuple(way for way in OTHER_WAYS if way in have)

    @property
    def called(self) -> str:
        """How a sentence in the page's language names them: known_as, else name and title."""
        return self.known_as or ", ".join(part for part in (self.name, self.title) if part)

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


def tel_url(number: str) -> str:
    """A tel: URL (RFC 3966) for a number as editors write it: '+257 22 22 22 22' -> tel:+25722222222."""
    return "tel:" + re.sub(r"[^0-9+]", "", str(number or ""))


def other_ways(targets: Iterable[Target]) -> tuple[str, ...]:
    """Every way other than post that at least one of them can be reached by, in schema.OTHER_WAYS' order."""
    have = {way for target in targets for way in target.ways}
    return tuple(way for way in OTHER_WAYS if way in have)


_OWN_FIELDS = {f for f in Target.__dataclass_fields__ if f not in ("fields", "position")}


def ordered(targets: Iterable[Target]) -> list[Target]:
    """Those to write to before those to copy; by priority (1 first, unnumbered last); then as written."""
    return sorted(targets, key=lambda t: (t.is_copy, t.priority is None, t.priority or 0, t.position))


def targets_from(data: object) -> list[Target]:
    if not isinstance(data, list):
        return []
    return ordered(Target.from_data(item, index) for index, item in enumerate(data) if isinstance(item, Mapping))
