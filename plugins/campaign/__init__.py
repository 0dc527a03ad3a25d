"""The campaign site's own Pelican plugin (pelican-plugins layout).

Only `plugin.py` and `stages/` import Pelican; the modules beside them are plain Python
so they can be used by `make check` and tested without a build.
"""


def register():
    from .plugin import register as connect_signals

    connect_signals()
