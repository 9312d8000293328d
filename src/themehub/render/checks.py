"""Checks of a render as a whole, made from the page list and the output's paths: addresses two outputs
would share (an alias or a static file where a page or a folder is), and the links of bodies to pages,
files and ids of the site, checked once every page exists."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from themehub import urls
from themehub.config import Config
from themehub.diagnostics import Diagnostic, error, warning
from themehub.hub.graph import Hub
from themehub.render import feeds
from themehub.render.bodies import Bodies, body_items
from themehub.render.links import LinkTable, SiteFiles, check_site_links, template_ids
from themehub.render.pages import PageSpec
from themehub.render.templates import BUILTIN_THEMES

RESERVED_FOLDERS = ("pagefind",)
"""Folders the build fills after rendering (the search index): nothing else may be put there."""


def without_clashes(pages: list[PageSpec], copies: dict[str, Path], hub: Hub,
                     diagnostics: list[Diagnostic]) -> tuple[list[PageSpec], dict[str, Path]]:
    """Drop the aliases and static files that would need a folder where another output is a file (an
    alias `/feed.xml/` beside the feed, a static file `static/tags` beside the tag pages), or that fall
    into a folder the build fills itself. Found from the page list, before anything is written, so
    `check` and `build` report the same thing."""
    owners: dict[str, PageSpec | None] = {urls.output_file(spec.url): spec for spec in pages}
    for path in (*feeds.feed_paths(hub), *feeds.FIXED_FILES, "report/index.html"):
        owners.setdefault(path, None)
    movable = {path for path, spec in owners.items() if spec is not None and spec.template == "alias.html"}
    for rel in copies:
        if rel not in owners:  # a page at a static file's address wins (static-collision)
            owners[rel] = None
            movable.add(rel)
    folders = {folder for path in owners for folder in _folders_of(path)}
    clashing = {path for path in owners if path in folders}
    dropped: dict[str, str] = {}
    for path in sorted(clashing):
        inside = [other for other in owners if other.startswith(path + "/")]
        for culprit in ([path] if path in movable else [o for o in inside if o in movable]):
            dropped.setdefault(culprit, f"'{path}' is a file of the site, and '{culprit}' would need it to be a folder")
    for path in movable:
        if path.split("/", 1)[0] in RESERVED_FOLDERS:
            dropped.setdefault(path, f"'{path.split('/', 1)[0]}/' is the search index's folder")
    for path, why in sorted(dropped.items()):
        spec = owners[path]
        if spec is not None:  # an alias
            owner = hub.aliases[spec.url]
            line, col = owner.position("aliases")
            diagnostics.append(error(owner.source, line, col, "alias-collision", f"alias '/{spec.url}' cannot be "
                                     f"published: {why}", "remove this alias, or give it another path"))
        else:
            source = copies[path]
            shown = source.relative_to(hub.config.root).as_posix() if source.is_relative_to(hub.config.root) \
                else str(source)
            diagnostics.append(error(shown, 1, 1, "path-collision", f"this file cannot be published: {why}",
                                     "rename or move the file"))
    if not dropped:
        return pages, copies
    return ([spec for spec in pages if urls.output_file(spec.url) not in dropped],
            {rel: source for rel, source in copies.items() if rel not in dropped})


def _folders_of(path: str) -> Iterator[str]:
    """'a/b/c.html' -> 'a', 'a/b'."""
    end = path.find("/")
    while end != -1:
        yield path[:end]
        end = path.find("/", end + 1)


def _page_ids(table: LinkTable) -> dict[str, frozenset[str]]:
    """Output path of each content page -> the ids its body holds (what links' fragments may name)."""
    return {urls.output_file(url): table.anchors[source] for source, url in table.url_of.items()
            if source in table.anchors}


def _template_ids(folders: Iterable[Path], config: Config) -> frozenset[str]:
    """The ids the presentation theme's templates write on every page they make (read from their
    sources; a template that links out of the site is never read, as for rendering)."""
    allowed = (config.root.resolve(), BUILTIN_THEMES.resolve())
    sources = []
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            real = path.resolve()
            if any(real.is_relative_to(root) for root in allowed) and real.is_file():
                sources.append(real.read_text(encoding="utf-8", errors="replace"))
    return template_ids(sources)


def alias_collisions(pages: Iterable[PageSpec], hub: Hub) -> tuple[dict[str, int], list[Diagnostic]]:
    """How many pages each URL has (the sitemap lists each once), and an error for each alias that is
    also the address of a generated page."""
    seen_urls: dict[str, int] = {}
    for spec in pages:
        seen_urls[spec.url] = seen_urls.get(spec.url, 0) + 1
    found = []
    for url, count in sorted(seen_urls.items()):
        if count > 1 and url in hub.aliases:
            owner = hub.aliases[url]
            line, col = owner.position("aliases")
            found.append(error(owner.source, line, col, "alias-collision",
                               f"alias '/{url}' is also the address of a generated page", "remove this alias"))
    return seen_urls, found


def static_collisions(copies: Iterable[str], paths: set[str]) -> list[Diagnostic]:
    """A warning for each static file at the address of a generated file (the generated one wins)."""
    return [warning(f"static/{rel}", 1, 1, "static-collision",
                    f"static file '{rel}' has the same address as a generated page; the page wins",
                    "rename or move the static file")
            for rel in sorted(copies) if rel in paths]


def site_files(paths: set[str], copies: Iterable[str], table: LinkTable, template_folders: Iterable[Path],
               config: Config) -> SiteFiles:
    """What bodies' links are checked against: every output file, the ids of each content page's body
    and the ids the theme's templates write."""
    return SiteFiles(frozenset(paths) | frozenset(copies), _page_ids(table), _template_ids(template_folders, config))


def check_body_links(hub: Hub, bodies: Bodies, files: SiteFiles) -> None:
    """Each body's links to the site's pages and files checked against `files`; problems are added to
    the body's own (they are about its text, at its lines)."""
    items = {i.source: i for i in body_items(hub)}
    for source, links in bodies.site_links.items():
        item = items[source]
        found = check_site_links(source, item.body, item.body_line, links, files)
        if found:
            bodies.problems[source] += tuple(found)
