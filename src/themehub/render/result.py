"""What the render stage returns: every output file of a render (in memory, or streamed to a sink),
with its diagnostics; and, for `serve`, enough of a complete render to redo only the pages an edit touches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from themehub.diagnostics import Diagnostic
from themehub.hub.graph import Hub
from themehub.hub.report import HubReport
from themehub.render.bodies import Bodies
from themehub.render.images import ImagePipeline
from themehub.render.links import SiteFiles
from themehub.render.pages import PageSpec
from themehub.render.rendered_body import RenderedBody


@dataclass(frozen=True)
class RenderedSite:
    files: Mapping[str, bytes]
    copies: Mapping[str, Path]
    pages: tuple[PageSpec, ...]
    bodies: Mapping[str, RenderedBody]
    diagnostics: tuple[Diagnostic, ...]
    rendered: tuple[tuple[str, str], ...] = ()
    """(page URL, why it was rendered) for every page rendered this time."""
    resolved: Mapping[str, str] = field(default_factory=dict)
    """Body HTML by content file, with internal links resolved to URLs."""
    images: ImagePipeline | None = None
    """Keeps generated image files alive until they are written."""
    health: tuple[Diagnostic, ...] = ()
    """The hub's health warnings (hub/health.py): reported by `check`, summed up on /report/."""
    report: HubReport | None = None
    rendered_bodies: Bodies | None = None
    """The bodies as rendered, with their links (check's external links come from here)."""
    proven: int = 0
    """Pages kept without hashing their context: only bodies changed since the last render (reuse.py)."""
    paths: frozenset[str] = frozenset()
    """Every file of the render (pages, feeds, copies), from its language's root."""


@dataclass(frozen=True)
class LastRender:
    """A complete in-memory render and what made it: enough to re-render only the pages that show a
    body when nothing but bodies changed (incremental/edits.py)."""

    hub: Hub
    site: RenderedSite
    bodies: Bodies
    other_diagnostics: tuple[Diagnostic, ...]
    """The render's diagnostics that are not about one body's markdown."""
    page_links: Mapping[str, tuple[str, ...]]
    env: jinja2.Environment
    site_digest: str
    digests: Mapping[str, str]
    body_pages: Mapping[str, tuple[int, ...]]
    """Content file -> indexes (in site.pages) of the pages that show its body."""
    custom_templates: bool
    site_files: SiteFiles
    """What the bodies' links were checked against (an edited body's links are checked against it again)."""
