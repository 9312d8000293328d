"""Rendering a multilingual hub: the default language's render, then each other language's into its
folder (hub/languages.py), each with the same templates, images and rendered markdown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from themehub import urls
from themehub.config import CONFIG_FILE
from themehub.diagnostics import Diagnostic, error
from themehub.hub.graph import Hub
from themehub.render.packed import PackedFiles
from themehub.render.result import RenderedSite
from themehub.render.reuse import RenderCache
from themehub.render.sink import Sink
from themehub.render.site import render_site
from themehub.timings import Timings


@dataclass(frozen=True)
class Renders:
    """Every language's render of one build."""

    default: RenderedSite
    others: tuple[RenderedSite, ...]
    diagnostics: tuple[Diagnostic, ...]
    """The default render's, then what the others found that it did not (a translation's own problems)."""

    @property
    def copies(self) -> dict[str, Path]:
        """Files copied into the site: the shared ones, and each language's share cards."""
        found = dict(self.default.copies)
        for site in self.others:
            for rel, path in site.copies.items():
                found.setdefault(rel, path)
        return found

    @property
    def pages(self) -> int:
        return len(self.default.pages) + sum(len(site.pages) for site in self.others)

    def files(self, hubs: tuple[Hub, ...]) -> PackedFiles:
        """Every language's files of an in-memory render (`serve`), a language's in its folder."""
        found = PackedFiles.of(self.default.files)
        for hub, site in zip(hubs, self.others, strict=True):
            files = PackedFiles.of(site.files)
            for rel in files:
                blob = files.blob(rel)
                if blob is not None:
                    found.put_blob(hub.language.output(rel), blob)
        return found

    def rendered(self, hubs: tuple[Hub, ...]) -> tuple[tuple[str, str], ...]:
        """(page, why) of every page rendered, a language's from its folder."""
        found = list(self.default.rendered)
        for hub, site in zip(hubs, self.others, strict=True):
            found += [(hub.language.folder + hub.language.local(url), why) for url, why in site.rendered]
        return tuple(found)


def render_languages(hub: Hub, languages: tuple[Hub, ...], jobs: int, *, timings: Timings | None = None,
                     cache: RenderCache | None = None, images: bool = True, writer: Sink | None = None,
                     caches: Mapping[str, RenderCache] | None = None) -> Renders:
    """`hub` (the default language's) rendered, then each of `languages` into its folder. `caches`: each
    language's own cache (`build`'s, with its page table from the last build), by code; else a fresh one."""
    timings = timings or Timings()
    cache = cache if cache is not None else RenderCache()
    default = render_site(hub, jobs=jobs, timings=timings, cache=cache, images=images, writer=writer)
    found = list(default.diagnostics)
    seen = set(found)
    originals = {item.source for item in hub.content.items()}
    translations = {item.source for item in hub.content.translations}
    others: list[RenderedSite] = []
    for other in languages:
        own = caches[other.language.code] if caches is not None else cache.for_language()
        site = render_site(other, jobs=jobs, timings=timings, cache=own, images=images, writer=writer,
                           elsewhere=default.paths)
        others.append(site)
        found += _clashes(hub, default, other, site)
        for diagnostic in site.diagnostics:
            # What it finds about the originals (bodies it shows, templates) the default's render said
            # already; a translation's value at line 1 is one it inherits (it has no line of its own).
            if diagnostic in seen or diagnostic.file in originals or (
                    diagnostic.file in translations and diagnostic.line <= 1):
                continue
            seen.add(diagnostic)
            found.append(diagnostic)
    return Renders(default, tuple(others), tuple(found))


def _clashes(hub: Hub, default: RenderedSite, other: Hub, site: RenderedSite) -> list[Diagnostic]:
    """A page of a language at the address of a file of the default language's (a page, an old address
    or a static file in its folder, `/de/`): the build stops, rather than publish one over the other."""
    owners: dict[str, str] = {urls.output_file(spec.url): spec.sources[0] for spec in default.pages if spec.sources}
    root = hub.config.root
    for rel, path in default.copies.items():
        if path.is_relative_to(root):
            owners[rel] = path.relative_to(root).as_posix()
    language = other.language
    found = []
    for rel in sorted({language.output(urls.output_file(spec.url)) for spec in site.pages} & default.paths):
        owner = owners.get(rel)
        found.append(error(owner or CONFIG_FILE, 1, 1, "language-collision",
                           f"'{rel}' is a page of the language '{language.code}' (its folder is "
                           f"'{language.folder}') and also " + (f"{owner}'s" if owner else "another file's"),
                           "give the language another `path:` in themehub.yaml, or move this one"))
    return found
