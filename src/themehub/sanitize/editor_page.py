"""The web editor's page (static/admin/index.html, written by `themehub cms`): the one static file that
may run a script on the site, and only byte for byte as themehub writes it. Its only script is a pinned
release of Sveltia CMS, held to its hash (subresource integrity), so a pull request cannot change what
runs: any other bytes are active content like any other (render/statics.py)."""

from __future__ import annotations

SVELTIA_VERSION = "0.221.1"
"""The editor's release the page loads: pinned, so an editor update is a change of ours, reviewed and
tested (tests/browser/test_cms_editor.py runs this very release)."""
SVELTIA_SCRIPT = f"https://unpkg.com/@sveltia/cms@{SVELTIA_VERSION}/dist/sveltia-cms.js"
SVELTIA_SRI = "sha384-JQ+XsKx/UzwdTiNnFStza3XtqqQoVtyNPApkfvwlzZDfhe7giE9CnfQrpHqgv3k6"
"""Subresource integrity of that script: the browser refuses any other bytes from the CDN."""
SVELTIA_SCHEMA = f"https://unpkg.com/@sveltia/cms@{SVELTIA_VERSION}/schema/sveltia-cms.json"
"""The editor's published JSON Schema of config.yml."""

EDITOR_PAGE_PATH = "admin/index.html"
"""Where the page is below static/, and so on the site: /admin/."""
EDITOR_PAGE = (
    "<!doctype html>\n"
    f"<!-- Written by `themehub cms` (Sveltia CMS {SVELTIA_VERSION}). themehub publishes this page only as\n"
    "     it writes it: run `themehub cms` again rather than editing it. -->\n"
    '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '<meta name="robots" content="noindex">\n'
    "<title>Content editor</title>\n"
    f'<script src="{SVELTIA_SCRIPT}" integrity="{SVELTIA_SRI}" crossorigin="anonymous"></script>\n'
    "</head>\n<body></body>\n</html>\n"
)


def is_editor_page(relative: str, data: bytes) -> bool:
    """Whether a static file is the editor's page exactly as `themehub cms` writes it."""
    return relative == EDITOR_PAGE_PATH and data == EDITOR_PAGE.encode("utf-8")
