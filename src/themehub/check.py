"""The check driver: every stage up to rendering, nothing written; plus the hub's health (hub/health.py),
and, on request, the links to other sites (render/external.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from themehub.build import BuildOptions, jobs_for, load_site
from themehub.diagnostics import Diagnostic, sorted_diagnostics
from themehub.incremental.store import CACHE_DIR, committed_cache, prepare_cache
from themehub.output.lock import build_lock
from themehub.render.bodies import external_links
from themehub.render.external import ExternalLink, check_external
from themehub.render.languages import render_languages
from themehub.render.sink import Discard


def check(site: Path, *, drafts: bool = False, now: dt.datetime | None = None, external: bool = False,
          external_timeout: float = 10.0) -> list[Diagnostic]:
    """`external`: also check links to other sites, with `external_timeout` seconds for each."""
    options = BuildOptions(site=site, drafts=drafts, now=now)
    loaded = load_site(options)
    diagnostics = list(loaded.diagnostics)
    if loaded.config is not None:
        diagnostics += committed_cache(loaded.config.root / CACHE_DIR)  # a pull request's cache: say so
    if loaded.hub is not None:
        # Rendering finds broken links, anchors and template errors too; the pages themselves are not kept.
        renders = render_languages(loaded.hub, loaded.languages, jobs_for(options), images=False, writer=Discard())
        rendered = renders.default
        diagnostics += renders.diagnostics
        diagnostics += rendered.health
        if external and rendered.rendered_bodies is not None:
            links = [ExternalLink(url, file, line, col)
                     for url, file, line, col in external_links(loaded.hub, rendered.rendered_bodies)]
            diagnostics += check_external(links, _external_cache(loaded.hub.config.root), timeout=external_timeout)
    return sorted_diagnostics(diagnostics)


def _external_cache(root: Path) -> Path | None:
    """Where results of external links are kept (a day): the site's cache, made whole first (briefly
    under the build lock). None when .themehub-cache/ is not a themehub cache."""
    folder = root / CACHE_DIR
    with build_lock(folder, lambda message: None):
        usable, _ = prepare_cache(folder)
    return folder / "external.json" if usable else None
