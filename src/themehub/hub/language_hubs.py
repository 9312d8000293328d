"""Every language's hub from one load of the content (hub/languages.py says how they relate)."""

from __future__ import annotations

import dataclasses

from themehub.content.kinds import KINDS
from themehub.diagnostics import Diagnostic
from themehub.hub.graph import Hub, build_hub
from themehub.hub.languages import (
    LISTINGS,
    Versions,
    default_localization,
    language_contents,
    localization,
    versions,
)


def with_languages(hub: Hub, *, drafts: bool) -> tuple[Hub, tuple[Hub, ...], list[Diagnostic]]:
    """The default language's hub, told where its pages are in the other languages, and a hub for each
    other language. Their diagnostics are only those about translations' own values: what they inherit
    was reported on the originals."""
    config = hub.config
    if not config.languages:
        return hub, (), []
    content = hub.content
    pages = hub.items_with_pages()
    others: list[Hub] = []
    found: list[Diagnostic] = []
    translated = {item.source for item in content.translations}
    for code, language_content in language_contents(content, config).items():
        other, problems = build_hub(language_content, config.for_language(code), now=hub.now, drafts=drafts,
                                    language=localization(config, code, language_content, pages, Versions()))
        others.append(other)
        # An inherited value has no position in the translation (line 1): its original's diagnostic says it.
        found += [d for d in problems if d.file in translated and d.line > 1]
    primary = {a.slug: theme.slug for a in hub.articles if (theme := hub.primary_theme(a)) is not None}
    shared = versions(content, config, primary, {h.language.code: listing_pages(h) for h in (hub, *others)})
    hub = dataclasses.replace(hub, language=default_localization(config, shared))
    others = [dataclasses.replace(h, language=dataclasses.replace(h.language, versions=shared)) for h in others]
    return hub, tuple(others), found


def listing_pages(hub: Hub) -> frozenset[str]:
    """The listing pages a language's hub has: every hub's, its tracks' index when it has tracks, each
    kind's index (events/) when it has items of that kind, and its tags' pages (as render/pages.py
    makes them)."""
    kinds = {f"{kind.section}/" for kind in KINDS if kind.index_title and hub.content.of(kind.folder)}
    tags = {f"tags/{tag.slug}/" for tag in hub.tags}  # a tag's page, where a piece in the language has it
    return frozenset({*LISTINGS, *kinds, *tags, *(("tracks/",) if hub.tracks else ())})
