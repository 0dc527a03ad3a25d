"""The site's Pelican plugin: which stage of a build runs at which of Pelican's signals.

What each stage does is in stages/ (reading, site_model, writing); what they decide is
in the modules beside this one, which do not import Pelican.
"""

from __future__ import annotations

from pelican import signals

from .stages import reading, site_model, writing


def register():
    # initialized: before anything is read or written: the build goes to a folder of its own.
    signals.initialized.connect(writing.build_aside)
    # get_generators: sent as every build starts (also under --autoreload): a fresh folder
    # and state; the timeline, feeds, sitemap, 404 and robots.txt come from one generator.
    signals.get_generators.connect(writing.start_build)
    # readers_init: the site's Markdown reader replaces Pelican's for .md files.
    signals.readers_init.connect(reading.add_reader)
    # page_generator_preread: sent before each page is read; at the first, every page is
    # read at once, in shares on every core.
    signals.page_generator_preread.connect(reading.read_ahead)
    # page_generator_finalized: every page file is read; the pages of a generated language
    # (Traditional Chinese, made from the Simplified) are read from their sources' files.
    signals.page_generator_finalized.connect(reading.add_generated_pages)
    # generator_init: every generator's Jinja environment gets gettext and the filters.
    signals.generator_init.connect(writing.install_templating)
    # all_generators_finalized: everything is read and nothing written yet, the one
    # moment a bad file can stop the build before any output changes.
    signals.all_generators_finalized.connect(site_model.check_and_link)
    # ... and once all is read, the pages can be written in shares on every core.
    signals.all_generators_finalized.connect(writing.share_page_writing)
    # finalized: the build succeeded and its last file is written: it replaces the output whole.
    signals.finalized.connect(writing.swap_in)
