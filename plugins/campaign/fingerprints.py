"""Fingerprints of the English text, which a translation records as `translation_of`
(status.py says how editors use them)."""

from __future__ import annotations

import hashlib
import json
import re

from .schema import TARGET_SAME_IN_EVERY_LANGUAGE

# Fields that must be equal in every language, compared directly rather than fingerprinted.
# (A deadline must be equal too, but a difference stops the build: validation.validate_site.)
SAME_IN_EVERY_LANGUAGE = ("kind", "date", "preferred_languages", "timeline")
NOT_FINGERPRINTED = {"lang", "slug", "translation_of", "deadline", *SAME_IN_EVERY_LANGUAGE}


def _normalise(value):
    """Whitespace an editor cannot see must not make a translation look out of date."""
    if isinstance(value, str):
        text = "\n".join(line.rstrip() for line in value.strip().split("\n"))
        return re.sub(r"\n{3,}", "\n\n", text)
    if isinstance(value, dict):
        return {str(key): _normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    return value


def _digest(payload) -> str:
    text = json.dumps(_normalise(payload), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def page_fingerprint(data: dict, body: str) -> str:
    """The fingerprint of an English page's translatable text (see the module's docstring)."""
    front = {key: value for key, value in data.items() if key not in NOT_FINGERPRINTED}
    if isinstance(front.get("targets"), list):
        front["targets"] = [
            {key: value for key, value in target.items() if key not in TARGET_SAME_IN_EVERY_LANGUAGE}
            if isinstance(target, dict)
            else target
            for target in front["targets"]
        ]
    return _digest({"front": front, "body": body})


def event_fingerprint(english_text: str) -> str:
    return _digest(english_text)


def quoted(fingerprint: str) -> str:
    return f'translation_of: "{fingerprint}"'
