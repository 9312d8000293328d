"""The check driver: every stage up to rendering, nothing written to disk."""

from __future__ import annotations

from pathlib import Path

from themehub.build import BuildOptions, jobs_for, load_site
from themehub.diagnostics import Diagnostic, sorted_diagnostics
from themehub.render.site import render_site


def check(site: Path, *, drafts: bool = False) -> list[Diagnostic]:
    options = BuildOptions(site=site, drafts=drafts)
    loaded = load_site(options)
    diagnostics = list(loaded.diagnostics)
    if loaded.config is not None and loaded.hub is not None:
        # Rendering in memory finds broken links, anchors and template errors too.
        diagnostics += render_site(loaded.hub, jobs=jobs_for(options)).diagnostics
    return sorted_diagnostics(diagnostics)
