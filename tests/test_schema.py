"""The target schema and the page kinds are declared once (plugins/campaign/schema.py), and
validation, the translation status, `make new` and targets.Target all follow them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest

from campaign import schema, status, validation
from campaign.fingerprints import page_fingerprint
from campaign.frontmatter import parse
from campaign.scaffold import render
from campaign.status import document_status
from campaign.targets import Target
from conftest import ROOT

TEMPLATES = ROOT / "theme" / "templates"


def test_every_declared_target_field_reaches_the_target():
    values = {"name": "Zhang Rui", "address": ["Road 1"], "reason": "Because."}
    target = Target.from_data(values)
    assert set(target.fields) == set(schema.TARGET_FIELD_NAMES)  # a declared field reaches the card as target[name]
    assert [target[name] for name in ("name", "address", "reason")] == ["Zhang Rui", ("Road 1",), "Because."]
    own = {f.name for f in dataclasses.fields(Target)} - {"fields", "position"}
    assert own <= set(schema.TARGET_FIELD_NAMES), "every attribute of Target is a declared field"
    target = Target.from_data(
        {
            "name": "Zhang Rui",
            "title": "Director",
            "organization": "Bureau",
            "address": ["Road 1", 510030],
            "salutation": "Dear Director,",
            "email": " a@example.org ",
            "role": "cc",
            "priority": 2,
        }
    )
    assert (target.address, target.email, target.role, target.priority) == (
        ("Road 1", "510030"),
        "a@example.org",
        "cc",
        2,
    )
    assert Target.from_data({"name": "X", "priority": "first"}) == Target(name="X")


def action_page(target: str) -> str:
    return (
        "---\ntitle: T\nlang: en\nslug: s\nkind: action\ndate: 2024-06-14\nsummary: S\ndeadline: 2025-03-18\n"
        f"targets:\n  - name: Zhang Rui\n    address: [Road 1]\n{target}"
        "letter:\n  subject: Release them\n  body: Please.\n---\nBody.\n"
    )


def target_problems(target: str) -> list:
    parsed, problems = parse(action_page(target), "content/pages/s.en.md")
    problems += validation.validate_page(parsed, "content/pages/s.en.md", "en")
    return [(p.field, p.message) for p in problems]


def test_validation_knows_exactly_the_declared_target_fields():
    every_field = "".join(
        f"    {name}: {value}\n"
        for name, value in {
            "title": "Director",
            "organization": "Bureau",
            "salutation": "Dear,",
            "email": "a@example.org",
            "role": "target",
            "priority": 1,
        }.items()
    )
    assert target_problems(every_field) == []
    ((field, message),) = target_problems("    phone: 123\n")
    assert field == "targets[0].phone" and message == "is not a field this site knows"
    assert [(f, m.split(" (")[0]) for f, m in target_problems("    role: boss\n    priority: 0\n")] == [
        ("targets[0].role", "'boss' is not a role"),
        ("targets[0].priority", "'0' is not a priority"),
    ]


def test_fields_the_same_in_every_language_are_compared_and_the_others_fingerprinted():
    same = [f.name for f in schema.TARGET_FIELDS if f.same_in_every_language]
    assert tuple(same) == status.TARGET_SAME_IN_EVERY_LANGUAGE and same
    english_target = {
        "name": "Zhang Rui",
        "address": ["Road 1"],
        "email": "a@example.org",
        "role": "target",
        "priority": 1,
    }
    for target_field in schema.TARGET_FIELDS:
        changed = dict(english_target, **{target_field.name: 2 if target_field.type == schema.PRIORITY else "other"})
        before = page_fingerprint({"targets": [english_target]}, "")
        after = page_fingerprint({"targets": [changed]}, "")
        assert (before == after) == target_field.same_in_every_language, target_field.name

    def page(lang: str, target: dict):
        data = {"lang": lang, "slug": "s", "targets": [target], "translation_of": ""}
        parsed = SimpleNamespace(data=data, body="", line=lambda key: 1)
        return SimpleNamespace(path=f"content/pages/s.{lang}.md", parsed=parsed, slug="s", lang=lang)

    english_target["address_lang"] = "en"
    dutch = dict(english_target, email="b@example.org", role="cc", priority=2, address_lang="nl")
    items, _, _ = document_status([page("en", english_target), page("nl", dutch)])
    assert sorted(item.line.field for item in items if item.line.field.startswith("targets")) == sorted(
        f"targets[0].{name}" for name in same
    )


def test_make_new_offers_the_declared_fields_and_kinds():
    text = render("action", "free-them-now", "en", dt.date(2025, 1, 10))
    for target_field in schema.TARGET_FIELDS:
        if target_field.scaffold:
            assert target_field.scaffold.split("\n")[0] in text, target_field.name
    from campaign.scaffold import KINDS

    assert tuple(name for name, kind in schema.PAGE_KINDS.items() if kind.scaffold) == KINDS and "home" not in KINDS


@pytest.mark.parametrize("kind", schema.PAGE_KINDS.values(), ids=lambda kind: kind.name)
def test_every_kind_has_its_template_and_its_fields(kind):
    assert (TEMPLATES / kind.template).is_file(), kind.template
    assert validation.KINDS == schema.KINDS
    assert ("deadline" in kind.fields) == kind.takes_action == (kind.name in validation.ACTION_KINDS)
