"""The plugin's Pelican glue, one module per stage of a build, as Pelican lays out its own:

- reading.py: each Markdown file becomes a page (Pelican's reader), checked as it is read;
- site_model.py: once all is read, the site is checked as a whole, and the site model
  (model.Site: translations linked, each action's state on the build's day, navigation,
  feeds) is built once, in Pelican's generators' context as `site`;
- writing.py: templates get gettext and filters, the site's own files are written, and the
  build goes to a folder of its own that replaces the output only if it succeeds.

These are the only modules that import Pelican; what they decide lives in the modules one
level up. plugin.py connects them to Pelican's signals.
"""
