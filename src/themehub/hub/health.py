"""The hub's health, as a reader and a marketer see it: pages no reader reaches, themes missing a
depth level or a service, services no content leads to, SMEs without a bio, an avatar or a recent
piece, and archived content still linked from live pages. All warnings: `check --strict` fails on them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterator, Mapping

from themehub import urls
from themehub.content import placeholders
from themehub.content.kinds import KINDS
from themehub.content.model import Item
from themehub.diagnostics import Diagnostic, line_in_body, warning
from themehub.hub.graph import Hub

ORPHAN_CLICKS = 3
_HREF = re.compile(r'href="([^"#?]*)')


def reachable(links: Mapping[str, tuple[str, ...]], clicks: int) -> dict[str, int]:
    """Pages reached from the home page within `clicks` clicks (page URL -> clicks).
    `links`: output page -> the site pages it links to (see render/site.py's Output)."""
    seen = {"": 0}
    queue = deque([""])
    while queue:
        url = queue.popleft()
        if seen[url] >= clicks:
            continue
        for target in links.get(urls.output_file(url), ()):
            if target not in seen:
                seen[target] = seen[url] + 1
                queue.append(target)
    return seen


def health(hub: Hub, links: Mapping[str, tuple[str, ...]], resolved: Mapping[str, str]) -> list[Diagnostic]:
    """`links`: each output page's links to site pages; `resolved`: body HTML by content file."""
    config = hub.config
    content = hub.content
    # Bodies are read from hub.content: after a body-only edit (incremental/edits.py) the graph keeps the
    # item's earlier copy, whose front matter is the same but whose body is not.
    body_of = {i.source: (i.body, i.body_line) for i in content.items()}
    found: list[Diagnostic] = []
    reached = reachable(links, ORPHAN_CLICKS)
    for a in hub.articles:
        if urls.article(a.slug) not in reached:
            found.append(warning(a.source, 1, 1, "orphan",
                                 f"no reader reaches this piece within {ORPHAN_CLICKS} clicks of the home page",
                                 "put it on a theme's `start` path, or link to it from a piece readers do reach"))
    for theme in hub.themes_ordered:
        missing = [group.label for group in hub.theme_depth_groups[theme.slug] if not group.articles]
        if not hub.theme_articles[theme.slug]:
            found.append(warning(theme.source, 1, 1, "thin-theme",
                                 f"campaign theme '{theme.slug}' has no published pieces: its tile and its hub "
                                 "are empty", "publish a first piece on it, or keep the theme out until then"))
        elif missing:
            found.append(warning(theme.source, 1, 1, "thin-theme",
                                 f"campaign theme '{theme.slug}' has nothing at: {', '.join(missing)}",
                                 "readers who want to go deeper find nothing there; plan content for it"))
        if not hub.theme_services[theme.slug]:
            line, col = theme.position("services")
            found.append(warning(theme.source, line, col, "theme-without-service",
                                 f"campaign theme '{theme.slug}' leads to no service",
                                 "add `services: [slug]` so readers can act on what they read"))
    for service in hub.services_ordered:
        if not hub.service_articles[service.slug]:
            found.append(warning(service.source, 1, 1, "service-without-content",
                                 f"no content leads to service '{service.slug}'",
                                 "name it in the `services` of a theme or an article"))
    cadence = dt.timedelta(days=config.cadence_days)
    for author in hub.authors_ordered:
        if not body_of[author.source][0].strip():
            found.append(warning(author.source, 1, 1, "author-without-bio", f"SME '{author.slug}' has no bio",
                                 "write a short bio in the body of the file: people connect with people"))
        if not author.avatar:
            found.append(warning(author.source, 1, 1, "author-without-avatar",
                                 f"SME '{author.slug}' has no avatar", "add `avatar: /images/you.jpg`"))
        pieces = hub.author_articles[author.slug]
        if not pieces:
            found.append(warning(author.source, 1, 1, "quiet-author", f"SME '{author.slug}' has published nothing",
                                 "a persistent voice posts regularly"))
        elif hub.now - pieces[0].date > cadence:
            found.append(warning(author.source, 1, 1, "quiet-author",
                                 f"SME '{author.slug}' last published on {pieces[0].date.date().isoformat()}, "
                                 f"more than {config.cadence_days} days ago",
                                 f"a persistent voice posts regularly (`cadence_days` is {config.cadence_days})"))
    found += _unfinished(hub)
    archived_urls = {config.base_path + urls.article(a.slug): a for a in hub.archived}
    if archived_urls:
        for item in _with_pages(hub):
            html = resolved.get(item.source, "")
            for href in sorted(set(_HREF.findall(html))):
                target = archived_urls.get(href)
                if target is not None:
                    line = line_in_body(*body_of[item.source], target.slug)
                    found.append(warning(item.source, line, 1, "expired-link",
                                         f"links to '{target.slug}', which expired on "
                                         f"{target.expires.date().isoformat() if target.expires else '?'}",
                                         "link to newer content, or move the other piece's `expires`"))
    return found




def _with_pages(hub: Hub) -> Iterator[Item]:
    """Every item readers see a page of, kind by kind: the published articles (not drafts, not
    archived) and every item of the other kinds."""
    for kind in KINDS:
        yield from hub.articles if kind.folder == "articles" else hub.content.of(kind.folder)


def _unfinished(hub: Hub) -> list[Diagnostic]:
    """Published pieces that still hold the text `themehub new` wrote for the author to replace, and
    articles without a summary (what cards, feeds, search results and shares show)."""
    found: list[Diagnostic] = []
    for item in _with_pages(hub):
        held = item.placeholders if item.placeholders is not None else placeholders.found_in(item.body)
        for text in held:
            found.append(warning(item.source, line_in_body(item.body, item.body_line, text), 1, "placeholder-text",
                                 f"the text '{text}' written by `themehub new` is still here",
                                 "replace it with your own words"))
    for article in hub.articles:
        if not article.summary:
            line, col = article.position("summary")
            found.append(warning(article.source, line, col, "missing-summary", "this piece has no summary",
                                 "write one sentence in `summary`: cards, feeds, search results and shares show it"))
    return found
