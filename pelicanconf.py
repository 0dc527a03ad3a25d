"""Settings for building the campaign site locally (`make html`, `make serve`)."""

import os

# --- Site -------------------------------------------------------------------
AUTHOR = "Amnesty International"
# --- The case: one case per site; another case is another site ------------------------
# Everything that names the case comes from here (plugins/campaign/case.py): the site's
# name in every language (the header, every page's title, share cards, the 404 page) and
# the people every page names above its title, each name in the scripts it is written in.
# To start a site for a new case, change this first (docs/editing.md).
CAMPAIGN_CASE = {
    "name": {
        "en": "Free Huang Xueqin and Wang Jianbing",
        "nl": "Vrijheid voor Huang Xueqin en Wang Jianbing",
        "zh": "释放黄雪琴和王建兵",
    },
    "people": [
        {"name": "Huang Xueqin", "native": "黄雪琴", "native_lang": "zh-Hans"},
        {"name": "Wang Jianbing", "native": "王建兵", "native_lang": "zh-Hans"},
    ],
}
SITENAME = CAMPAIGN_CASE["name"]["en"]
SITEURL = ""  # root-relative links while developing; publishconf.py sets the real one
TIMEZONE = "UTC"

# --- Languages ---------------------------------------------------------------
# English is served at /, Dutch at /nl/, Chinese at /zh/. A document's translations
# share a slug; the site's plugin links them, so one build reads each file once.
DEFAULT_LANG = "en"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
CAMPAIGN_TRANSLATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "translations")

# --- Content -----------------------------------------------------------------
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []  # every document is a page; there is no blog
STATIC_PATHS = []
CAMPAIGN_TIMELINE = "timeline.yaml"
# Past this many days, timeline.yaml's status_as_of (when the case's present status was last
# known true) makes `make check` and the build warn that it needs checking (the site still builds).
CAMPAIGN_STATUS_MAX_AGE_DAYS = 120
# Hidden files and folders (editors' backups and lock files, .DS_Store) are not content;
# `make check` follows the same rule, and reports any other file the build would not read.
IGNORE_FILES = [".*"]
READERS = {"html": None, "htm": None, "rst": None}  # pages are Markdown only (.md)
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {"smart_quotes": False},  # quotes: see typography.py
    },
    "output_format": "html5",
}
TYPOGRIFY = False  # applied per language by the site's plugin (Smartypants is English-only)

# --- Theme and plugin -----------------------------------------------------------
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["campaign"]
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,  # front matter is text; only rendered Markdown is marked safe
    "extensions": ["jinja2.ext.i18n"],
    # Each build is a new process with new templates: checking every template file for
    # changes at each include and import (Jinja's default) only costs time.
    "auto_reload": False,
}

# --- Pages Pelican would publish by default, which this site does not have ---------
DIRECT_TEMPLATES = []
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = ""
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""

# --- Feeds: one Atom feed per language, written by the site's plugin ----------------
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
# Feed readers fetch the whole feed on every poll, often over slow or metered networks:
# it holds the newest documents only (every document is in sitemap.xml).
FEED_MAX_ITEMS = 20

# --- Output ------------------------------------------------------------------------
RELATIVE_URLS = False  # 404.html is served at any depth, so links start at the site root

# --- Building -------------------------------------------------------------------------
# Every build reads every file and writes every page, into a new folder beside the
# output that replaces it only when the build succeeds (plugins/campaign/staging.py):
# a rebuild is always a cold build, and a failed one leaves the last good site. The
# real site builds in half a second; `make bench` has the figures.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
