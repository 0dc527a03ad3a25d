"""Privacy and security of every built page: a strict Content-Security-Policy right after
<meta charset>, no referrer, no inline script or event handler, and nothing that would
make a reader's browser contact another host (scripts, styles, images, fonts, frames)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import CONTENT, build

# Attributes that make the browser fetch something as soon as the page loads.
LOADING_ATTRIBUTES = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "input": ["src"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
}
# <link> relations that fetch (or open a connection) without the reader clicking anything.
LOADING_LINKS = {
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "prerender",
}
DATA_BLOCK_TYPES = {"application/ld+json", "application/json"}  # not run, so not subject to script-src


@pytest.fixture(scope="module")
def pages(real_site) -> dict[str, BeautifulSoup]:
    return {
        str(path.relative_to(real_site)): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in sorted(real_site.rglob("*.html"))
    }


def parse_csp(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        if part.strip():
            directives.setdefault(name.lower(), sources)
    return directives


def is_other_host(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or bool(urlsplit(url).netloc) or urlsplit(url).scheme not in ("", "data")


def head_elements(soup: BeautifulSoup) -> list[Tag]:
    return [child for child in soup.head.children if isinstance(child, Tag)]


def test_every_page_is_checked(pages):
    assert len(pages) >= 13 and "404.html" in pages


def test_content_security_policy_comes_right_after_charset_and_is_strict(pages):
    problems = []
    for name, soup in pages.items():
        head = head_elements(soup)
        if len(head) < 2 or head[0].name != "meta" or head[0].get("charset", "").lower() != "utf-8":
            problems.append(f'{name}: <head> does not start with <meta charset="utf-8">')
            continue
        if head[1].name != "meta" or head[1].get("http-equiv", "").lower() != "content-security-policy":
            problems.append(f"{name}: the Content-Security-Policy meta is not right after <meta charset>")
            continue
        csp = parse_csp(head[1].get("content", ""))
        sources = [source for values in csp.values() for source in values]
        if any("unsafe-" in source.lower() for source in sources):
            problems.append(f"{name}: the CSP allows unsafe-*: {head[1]['content']}")
        if not csp.get("default-src") or not set(csp["default-src"]) <= {"'none'", "'self'"}:
            problems.append(f"{name}: default-src is wider than 'self': {csp.get('default-src')}")
        for required in ("base-uri", "form-action"):
            if not csp.get(required):
                problems.append(f"{name}: the CSP does not set {required}")
        hosts = [
            source
            for source in sources
            if source.lower() not in ("'none'", "'self'", "data:")
            and not source.startswith(("'sha256-", "'sha384-", "'sha512-"))
        ]
        if hosts:
            problems.append(f"{name}: the CSP allows other sources: {hosts}")
        if "data:" in csp.get("script-src", csp.get("default-src", [])):
            problems.append(f"{name}: scripts may come from data: URLs")
    assert not problems, "\n".join(problems)


def test_no_referrer_is_sent(pages):
    wrong = [
        name
        for name, soup in pages.items()
        if not soup.head.find("meta", attrs={"name": "referrer", "content": "no-referrer"})
    ]
    assert not wrong, f'no <meta name="referrer" content="no-referrer"> on {wrong}'


def test_no_inline_script_style_or_event_handler(pages):
    problems = []
    for name, soup in pages.items():
        for tag in soup.find_all(True):
            handlers = [attribute for attribute in tag.attrs if attribute.lower().startswith("on")]
            if handlers:
                problems.append(f"{name}: <{tag.name} {' '.join(handlers)}>: an inline event handler")
            if "style" in tag.attrs:
                problems.append(f"{name}: <{tag.name} style=...>: an inline style")
            if any(str(value).strip().lower().startswith("javascript:") for value in tag.attrs.values()):
                problems.append(f"{name}: <{tag.name}> has a javascript: URL")
        for script in soup.find_all("script"):
            if not script.get("src") and script.get("type", "").lower() not in DATA_BLOCK_TYPES:
                problems.append(f"{name}: an inline <script>")
        if soup.find("style"):
            problems.append(f"{name}: a <style> element")
    assert not problems, "\n".join(problems)


def test_nothing_loads_from_another_host(pages):
    problems = []
    for name, soup in pages.items():
        for tag_name, attributes in LOADING_ATTRIBUTES.items():
            for tag in soup.find_all(tag_name):
                for attribute in attributes:
                    for url in (
                        re.split(r",\s*", tag.get(attribute, "")) if "srcset" in attribute else [tag.get(attribute, "")]
                    ):
                        if url and is_other_host(url.split()[0]):
                            problems.append(f"{name}: <{tag_name} {attribute}={url!r}>")
        for link in soup.find_all("link"):
            if LOADING_LINKS & {rel.lower() for rel in link.get("rel", [])} and is_other_host(link.get("href", "")):
                problems.append(f"{name}: <link rel={' '.join(link['rel'])} href={link['href']!r}>")
        if soup.find("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)}):
            problems.append(f"{name}: a meta refresh")
    assert not problems, "\n".join(problems)


def test_no_other_host_in_stylesheets_and_scripts(built_site):
    problems = []
    for path in sorted([*built_site.rglob("*.css"), *built_site.rglob("*.js")]):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?:https?:)?//[a-z0-9-]+(?:\.[a-z0-9-]+)+|@import|@font-face", text, re.I):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{path.relative_to(built_site)}:{line}: {match.group(0)}")
    assert not problems, "a stylesheet or script names another host, imports or loads a font:\n" + "\n".join(problems)


def test_a_published_build_loads_only_from_its_own_site(tmp_path):
    """With an absolute SITEURL (publishconf.py), every resource still comes from the site itself."""
    siteurl = "https://campaign.example/repo"
    output = build(tmp_path / "output", content=CONTENT, settings="publishconf.py", SITEURL=siteurl)
    problems = []
    for path in sorted(output.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        urls = [
            tag.get(attribute, "")
            for tag_name, attributes in LOADING_ATTRIBUTES.items()
            for tag in soup.find_all(tag_name)
            for attribute in attributes
        ]
        urls += [link.get("href", "") for link in soup.find_all("link") if LOADING_LINKS & set(link.get("rel", []))]
        problems += [
            f"{path.relative_to(output)}: {url}" for url in urls if url and not url.startswith(("data:", siteurl + "/"))
        ]
    assert not problems, "resources from outside the site:\n" + "\n".join(problems)
