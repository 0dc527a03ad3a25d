"""What an editor's Markdown may turn into: an allowlist of HTML, enforced with nh3 (Ammonia).

    html, findings = sanitize_html(html)

Editors write Markdown, and Markdown passes raw HTML through. A page may have the
elements and attributes Markdown itself makes (with the "extra" extensions: tables,
footnotes, abbreviations, attribute lists) and a few more, links to web and e-mail
addresses and to this site, and images from this site only. Everything else — script,
style, meta, base, link, iframe, object, embed, form, media, event-handler attributes,
javascript: or data: URLs, images from other hosts — is a finding: the build and
`make check` stop on it, naming the line (sources.render_body). The HTML returned is
nh3's, cleaned by the same allowlist, so anything this parser and a browser might read
differently is removed anyway.

Call it on what the editor wrote, rendered, not on markup the site adds around it.
Nothing here imports Pelican.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "cite",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
    }
)
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
TAG_ATTRIBUTES = {
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
}
URL_ATTRIBUTES = {"href", "src", "cite"}
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # what a browser strips from both ends of a URL
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Markdown's table extension aligns columns with a style attribute; no other style.
TABLE_ALIGN = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$")

NO_SCRIPTS = "remove it: pages may not run scripts of their own"
FIX_TAG = "remove it: pages may use Markdown and simple HTML only (no scripts, styles, frames, forms, embedded media or page settings)"


@dataclass(frozen=True)
class Finding:
    """Something outside the allowlist. `needle`: text to look for in the source to find its line."""

    what: str
    fix: str
    needle: str


def _allowed_attribute(tag: str, name: str) -> bool:
    return name in GLOBAL_ATTRIBUTES or name in TAG_ATTRIBUTES.get(tag, ())


def _url_finding(tag: str, name: str, url: str) -> Finding | None:
    # browsers ignore whitespace in a scheme and control characters around the URL (N12),
    # and read a backslash as /
    value = "".join(url.split()).strip(_C0_AND_SPACE).lower().replace("\\", "/")
    scheme = value.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", value) else ""
    if tag == "img":
        if scheme == "data":
            return Finding(
                "shows an image from a data: URL", "save the image as a file of the site and link to it", url[:40]
            )
        if scheme or value.startswith("//"):
            host = urlsplit(url.strip()).hostname or url
            return Finding(
                f"shows an image from another site ({host})",
                "pages load nothing from other sites: save the image in the site and give its path, or link to it instead",
                url[:60],
            )
        return None
    if scheme and scheme not in LINK_SCHEMES:
        return Finding(
            f"links to a {scheme}: address, which pages may not have",
            "link to an https:// address, an e-mail address or a page of this site",
            url[:40],
        )
    return None


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self.urls: list[tuple[str, str]] = []  # (tag, attribute) of each URL that passed

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            fix = NO_SCRIPTS if tag == "script" else FIX_TAG
            what = (
                "contains a <script> tag"
                if tag == "script"
                else f"contains a <{tag}> element, which pages may not have"
            )
            self.findings.append(Finding(what, fix, f"<{tag}"))
            return
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append(Finding(f"has an event handler ({name}) on <{tag}>", NO_SCRIPTS, name))
            elif not _allowed_attribute(tag, name):
                self.findings.append(
                    Finding(
                        f"has a '{name}' attribute on <{tag}>, which pages may not use", "remove the attribute", name
                    )
                )
            elif name == "style" and not TABLE_ALIGN.match(value):
                self.findings.append(
                    Finding(
                        f"has a style attribute on <{tag}>",
                        "remove it: the site's stylesheet sets every style",
                        "style",
                    )
                )
            elif name in URL_ATTRIBUTES:
                finding = _url_finding(tag, name, value)
                if finding:
                    self.findings.append(finding)
                else:
                    self.urls.append((tag, name))

    handle_startendtag = handle_starttag


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "style" and not TABLE_ALIGN.match(value):
        return None
    if name in URL_ATTRIBUTES and _url_finding(tag, name, value):
        return None
    return value


# The allowlist, handed to nh3 once: nh3.clean(html, tags=...) would convert it again for
# every passage, a fifth of a second in a build of 900 pages.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(GLOBAL_ATTRIBUTES) | TAG_ATTRIBUTES.get(tag, set()) for tag in ALLOWED_TAGS},
    attribute_filter=_attribute_filter,
    url_schemes=set(LINK_SCHEMES),
    link_rel=None,
    clean_content_tags={"script", "style"},
    strip_comments=True,
)


def sanitize_html(html: str) -> tuple[str, list[Finding]]:
    """The HTML within the allowlist, and what was outside it (empty when nothing was)."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    clean = _CLEANER.clean(html)
    if not inspector.findings:  # an address nh3 removed that the checks above let pass: said, not dropped in silence
        kept = _Inspector()
        kept.feed(clean)
        kept.close()
        for tag, name in sorted(set(inspector.urls) - set(kept.urls)):
            inspector.findings.append(
                Finding(
                    f"has a {name} on <{tag}> that cannot be published as written",
                    "write the address plainly, as https://..., mailto:... or a path of this site",
                    name,
                )
            )
    return clean, inspector.findings


def line_of(text: str, needle: str) -> int:
    """The 0-based index of the first line of text containing needle (any case), else 0."""
    needle = needle.lower()
    for index, line in enumerate(text.split("\n")):
        if needle and needle in line.lower():
            return index
    return 0
