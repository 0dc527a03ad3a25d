"""Settings for publishing: only what differs from pelicanconf.py."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402, F403

# --- Custom domain (optional) ---------------------------------------------------
# The site's own domain, for example "freehuangwang.example.org"; empty while the
# site lives at its GitHub Pages address. When set, the build writes output/CNAME
# (read by hosts that take the domain from that file). On GitHub Pages, also enter
# it once in Settings → Pages → Custom domain: the publish workflow then receives
# it as the site's URL.
CNAME = ""

# The publish workflow passes the GitHub Pages URL (with its /repo path, if any);
# without it, the custom domain above, else root-relative links.
SITEURL = (os.environ.get("SITEURL") or (f"https://{CNAME}" if CNAME else "")).rstrip("/")
RELATIVE_URLS = False
