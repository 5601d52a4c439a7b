"""Village ⇄ county sync: keys, the bundle file format, export, import and merge, conflicts.

Everything works off the change log (db/changelog.py) and Base.metadata, so a synced table added
later travels without new code here. See docs/bundle-format.md for the file format.
"""
