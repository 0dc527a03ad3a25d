"""The target schema and the page kinds are declared once (plugins/campaign/schema.py), and
validation, the translation status, `make new` and targets.Target all follow them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

from campaign import schema, status, validation
from campaign.fingerprints import page_fingerprint
from campaign.frontmatter import parse
from campaign.scaffold import render
from campaign.status import document_status
from campaign.targets import Target
from conftest import ROOT, example_target, example_value, undeclared_target_field

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


def action_page(target: dict) -> str:
    """An action whose one target has these fields, each written as YAML (JSON is YAML)."""
    fields = "".join(
        f"{'  - ' if index == 0 else '    '}{name}: {json.dumps(value)}\n"
        for index, (name, value) in enumerate(target.items())
    )
    return (
        "---\ntitle: T\nlang: en\nslug: s\nkind: action\ndate: 2024-06-14\nsummary: S\ndeadline: 2025-03-18\n"
        f"targets:\n{fields}"
        "letter:\n  subject: Release them\n  body: Please.\n---\nBody.\n"
    )


def target_problems(target: dict) -> list:
    parsed, problems = parse(action_page(target), "content/pages/s.en.md")
    problems += validation.validate_page(parsed, "content/pages/s.en.md", "en")
    return [(p.field, p.message) for p in problems]


def test_validation_knows_exactly_the_declared_target_fields():
    assert target_problems(example_target()) == []  # every declared field, each with a value of its type
    unknown = undeclared_target_field()
    ((field, message),) = target_problems(example_target(**{unknown: "@example"}))
    assert field == f"targets[0].{unknown}" and message == "is not a field this site knows"
    assert [(f, m.split(" (")[0]) for f, m in target_problems(example_target(role="boss", priority=0))] == [
        ("targets[0].role", "'boss' is not a role"),
        ("targets[0].priority", "'0' is not a priority"),
    ]


def test_fields_the_same_in_every_language_are_compared_and_the_others_fingerprinted():
    same = [f.name for f in schema.TARGET_FIELDS if f.same_in_every_language]
    assert tuple(same) == status.TARGET_SAME_IN_EVERY_LANGUAGE and same
    english_target = example_target()
    for target_field in schema.TARGET_FIELDS:
        changed = dict(english_target, **{target_field.name: example_value(target_field, other=True)})
        assert changed != english_target, target_field.name
        before = page_fingerprint({"targets": [english_target]}, "")
        after = page_fingerprint({"targets": [changed]}, "")
        assert (before == after) == target_field.same_in_every_language, target_field.name

    def page(lang: str, target: dict):
        data = {"lang": lang, "slug": "s", "targets": [target], "translation_of": ""}
        parsed = SimpleNamespace(data=data, body="", line=lambda key: 1)
        return SimpleNamespace(path=f"content/pages/s.{lang}.md", parsed=parsed, slug="s", lang=lang)

    dutch = dict(english_target, **{f.name: example_value(f, other=True) for f in schema.TARGET_FIELDS})
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


# The schema-driven tests, run in a subprocess on a copy of the plugin whose schema declares more.
SCHEMA_DRIVEN = ("test_schema.py", "test_targets.py", "test_validation.py", "test_components.py")
EXTRA_FIELDS = """
TARGET_FIELDS += (
    TargetField("website", URL, same_in_every_language=True, scaffold="# website: https://example.org  # optional"),
    TargetField("pronouns", TEXT, scaffold='# pronouns: "TODO"  # optional'),
)
"""


def test_declaring_a_target_field_in_the_schema_alone_breaks_no_test(tmp_path):
    plugins = tmp_path / "plugins"
    shutil.copytree(ROOT / "plugins", plugins, ignore=shutil.ignore_patterns("__pycache__"))
    schema_file = plugins / "campaign" / "schema.py"
    text = schema_file.read_text(encoding="utf-8")
    declared = "TARGET_FIELD_NAMES = tuple("
    assert declared in text
    schema_file.write_text(text.replace(declared, EXTRA_FIELDS + declared, 1), encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(plugins), "PYTHONDONTWRITEBYTECODE": "1"}
    names = subprocess.run(
        [sys.executable, "-c", "from campaign import schema; print(schema.__file__, *schema.TARGET_FIELD_NAMES)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert names[0] == str(schema_file) and {"website", "pronouns"} <= set(names[1:])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-q",
            "-o",
            "pythonpath=.",
            "-k",
            "not breaks_no_test",
            *(str(ROOT / "tests" / name) for name in SCHEMA_DRIVEN),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
