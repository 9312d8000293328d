"""The check driver: every stage up to rendering, nothing written; plus the hub's health (hub/health.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from themehub.build import BuildOptions, jobs_for, load_site
from themehub.diagnostics import Diagnostic, sorted_diagnostics
from themehub.render.site import render_site


def check(site: Path, *, drafts: bool = False, now: dt.datetime | None = None) -> list[Diagnostic]:
    options = BuildOptions(site=site, drafts=drafts, now=now)
    loaded = load_site(options)
    diagnostics = list(loaded.diagnostics)
    if loaded.hub is not None:
        # Rendering in memory finds broken links, anchors and template errors too.
        rendered = render_site(loaded.hub, jobs=jobs_for(options), images=False)
        diagnostics += rendered.diagnostics
        diagnostics += rendered.health
    return sorted_diagnostics(diagnostics)


