"""What the theme's templates get: gettext that follows the page's language, and filters.

A template is rendered once per page, so the language comes from the context:
an explicit `lang` (set by `{% with lang = ... %}` around an include, as the 404
page does for its three languages), else the page or article being rendered.
"""

from __future__ import annotations

import datetime as dt

from babel.lists import format_list
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from . import lifecycle, mailto
from .dates import PartialDate, long_date
from .languages import DEFAULT_CODE, LANGUAGES
from .mailto import encode_value, form_encode
from .targets import tel_url


def current_lang(context: Context) -> str:
    lang = context.get("lang")
    if isinstance(lang, str) and lang in LANGUAGES:
        return lang
    for name in ("page", "article"):
        obj = context.get(name)
        if obj is not None and getattr(obj, "lang", None) in LANGUAGES:
            return obj.lang
    return DEFAULT_CODE


def as_html(context: Context, english: str, translated: str) -> str:
    """A translation is text, like anything a translator writes: escaped before Jinja puts
    the template's values into its placeholders (a <time> element in %(date)s stays markup,
    the translator's own < does not). Only a string whose English has tags keeps the
    translation's, which catalogs.check_catalogs has checked are the same tags. Where the
    template does not escape (a plain-text e-mail), it is left as it is."""
    if not context.eval_ctx.autoescape:
        return translated
    return Markup(translated) if "<" in english else escape(translated)


def plain(text) -> str:
    """Text as share links, metadata and calendars carry it: the typesetter's no-break
    spaces (before a title's last word) are plain spaces there."""
    return str(text).replace("\xa0", " ").replace("\u202f", " ")


def install(env, translations) -> None:
    """Add gettext (for `_()` and `{% trans %}`), filters and globals to a Jinja environment."""

    @pass_context
    def gettext(context, message):
        return as_html(context, message, translations[current_lang(context)].gettext(message))

    @pass_context
    def ngettext(context, singular, plural, number):
        return as_html(context, singular, translations[current_lang(context)].ngettext(singular, plural, number))

    @pass_context
    def pgettext(context, msgctxt, message):
        return as_html(context, message, translations[current_lang(context)].pgettext(msgctxt, message))

    @pass_context
    def in_language(context, code, message, **variables):
        """A message in a given language rather than the page's: what is printed on a letter
        is in the letter's language (its subject label, the line to sign on). Templates call
        it as dgettext(code, "..."): Babel's extraction (`make extract`, catalogs.py) takes
        dgettext's second argument as the message, so the catalogs keep it."""
        translated = translations[code if code in LANGUAGES else current_lang(context)].gettext(message)
        return as_html(context, message, translated) % variables if variables else as_html(context, message, translated)

    @pass_context
    def localdate(context, value, lang=None):
        """A date in the page's language: '14 June 2024', '14 juni 2024', '2024年6月14日'."""
        lang = lang or current_lang(context)
        if isinstance(value, PartialDate):
            return value.format(lang)
        if isinstance(value, (dt.date, dt.datetime)):
            return long_date(value, lang)
        return value

    @pass_context
    def as_of_today(context, html):
        """A page's HTML with its open/ended passages as of the build's day (lifecycle.py)."""
        page, site = context.get("page"), context.get("site")  # site: model.Site
        states = site.action_states if site is not None else {}
        return Markup(lifecycle.resolve(str(html), states, getattr(page, "slug", "")))

    @pass_context
    def or_list(context, items, names=None):
        """'e-mail, phone or fax', 'e-mail, telefoon of fax', '电子邮件、电话或传真': in the page's
        language; names: what to call each item, when the items are keys."""
        items = [str(names[item] if names else item) for item in items]
        return format_list(items, style="or", locale=LANGUAGES[current_lang(context)].locale) if items else ""

    @pass_context
    def language(context, code=None):
        return LANGUAGES[code or current_lang(context)]

    @pass_context
    def translate(context, message, **variables):
        """`_()`: what Jinja's newstyle gettext does (the translation, a format string whose
        values autoescape escapes), called directly: Jinja's `_` looks gettext up and wraps it
        in two more calls, and a page calls `_` some fifty times."""
        return gettext(context, message) % variables

    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext)
    env.globals["_"] = translate
    env.filters["localdate"] = localdate
    env.filters["as_of_today"] = as_of_today
    env.filters["plain"] = plain  # share links and metadata: no typographic no-break space
    env.filters["has_own_ended_text"] = lifecycle.has_own_ended_text
    env.filters["or_list"] = or_list
    env.filters["tel_url"] = tel_url  # a phone number as a tel: link (RFC 3966)
    env.filters["form_encode"] = form_encode  # a share link's query (a space is +): mailto.py
    env.filters["mailto_value"] = encode_value  # a mailto subject or body: RFC 6068, every reserved character encoded
    env.globals["language"] = language
    env.globals["dgettext"] = in_language
    env.globals["LANGUAGES"] = list(LANGUAGES.values())
    env.globals["MAILTO_MAX_LENGTH"] = mailto.MAX_LENGTH  # the script keeps links it changes within it
