"""`themehub cms`: a web editor for the hub (Sveltia CMS, Decap-compatible), configured from the
content kinds' own JSON Schemas, so the editor asks for exactly what `themehub check` accepts.

widgets.py turns one front-matter key's schema into one editor field; editor.py puts the collections
and the site-wide settings together; files.py writes static/admin/ (and never a file it did not write).
"""

from themehub.cms.editor import editor_config
from themehub.cms.files import write_editor
from themehub.sanitize.editor_page import SVELTIA_SCHEMA, SVELTIA_SCRIPT, SVELTIA_SRI, SVELTIA_VERSION

__all__ = ["SVELTIA_SCHEMA", "SVELTIA_SCRIPT", "SVELTIA_SRI", "SVELTIA_VERSION", "editor_config", "write_editor"]
