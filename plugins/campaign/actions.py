"""What an action's or petition's page shows on the build's day: its state, who it writes
to and its letters (ActionView)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .dates import parse_date
from .deadlines import DeadlineState
from .languages import LANGUAGES, language_list, language_name
from .letters import Letter, Official, build_letter, letter_languages
from .targets import Target, other_ways, targets_from
from .typography import typeset_text


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
    outcome: str = ""  # what happened, in the page's language, once its day has come (it leads everywhere)

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
    def other_ways(self) -> tuple[str, ...]:
        """How else than by letter readers can reach the officials (schema.OTHER_WAYS): what
        the page's "You can also ..." sentence names, and only those some official has."""
        return other_ways(target for target in self.targets if not target.is_copy)

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
    copy_line: Callable[[str, Target], str] | None = None,
) -> ActionView:
    """data: the page's front matter (deadline as a date); translations: every language's
    front matter of the same document, by language code (the page's own included)."""
    outcome = data.get("outcome") if isinstance(data.get("outcome"), Mapping) else {}
    outcome_day = parse_date(outcome["date"]) if outcome.get("date") else None
    state = DeadlineState(data["deadline"], today, outcome_day)
    preferred = [code for code in data.get("preferred_languages") or () if code in LANGUAGES]
    page_targets = targets_from(data.get("targets"))

    def make_letters() -> tuple[list[Official], list[Letter]]:
        sources = []
        for code in letter_languages(lang, preferred):
            source = data if code == lang else translations.get(code)
            if source and isinstance(source.get("letter"), Mapping):
                sources.append((code, source["letter"], targets_from(source.get("targets"))))

        # The page's own letter is for reading where another one is sent (letters_in).
        sent_in = LANGUAGES[lang].letters_in if any(code == LANGUAGES[lang].letters_in for code, *_ in sources) else ""

        def letter_in(code, letter, letter_targets, **particular) -> Letter:
            return build_letter(
                code, letter, letter_targets, page_targets, kind=kind, is_open=state.is_open,
                current=code == lang, reading=bool(sent_in) and code == lang, **particular,
            )  # fmt: skip

        if kind == "petition":  # one letter to everyone it is addressed to, signed in the preferred languages
            return [], [letter_in(*source, signing=source[0] in preferred or not preferred) for source in sources]
        officials = []
        for index, target in enumerate(target for target in page_targets if not target.is_copy):
            letters = [
                letter_in(*source, official=index, copy_line=copy_line, letter_id=f"letter-{index + 1}-{source[0]}")
                for source in sources
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
        outcome=typeset_text(str(outcome.get("text") or ""), lang) if state.has_outcome else "",
    )
