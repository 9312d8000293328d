"""Which images the hub's items need: each front-matter picture at the sizes of the places that show
it, and a share card for each item without a picture social networks show."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path

from themehub import i18n
from themehub.content.kinds import KINDS
from themehub.content.model import Article, Author, Theme
from themehub.diagnostics import warning
from themehub.hub.graph import Hub
from themehub.render.brand_assets import has_glyph
from themehub.render.images.pipeline import ImagePipeline
from themehub.render.images.records import ImageRef
from themehub.render.images.resize import RASTER
from themehub.render.images.sources import front_matter_file
from themehub.render.images.text import font
from themehub.source.paths import locate


def plan_and_share(pipeline: ImagePipeline, hub: Hub) -> dict[tuple[str, str], str]:
    """Plan the variants of every front-matter image for the sizes its places need, and a share
    image for each item without one (`queue_pending` hands them to the pool). Returns (kind, slug) -> share-image
    URL (site-relative)."""
    config = hub.config
    share: dict[tuple[str, str], str] = {}

    def reference(item: Article | Theme | Author, key: str, value: str, size: str, focus: str = "center") -> None:
        local = front_matter_file(value)
        if local is not None:
            line, col = item.position(key)
            pipeline.reference_file(local, ImageRef(value, item.source, line, col, focus), size)

    def alt_missing(item: Article | Theme, key: str) -> None:
        if not item.image_alt:
            line, col = item.position(key)
            pipeline.diagnostics.append(warning(item.source, line, col, "missing-alt",
                                                f"'{key}' has no image_alt", "describe the picture in `image_alt`"))

    for theme in hub.themes_ordered:
        if theme.image:
            alt_missing(theme, "image")
            for size in ("tile", "hero"):
                reference(theme, "image", theme.image, size, theme.image_focus)
    for article in (*hub.articles, *hub.archived):
        if article.image:
            alt_missing(article, "image")
            for size in ("card", "hero"):
                reference(article, "image", article.image, size, article.image_focus)
    for author in hub.authors_ordered:
        if author.avatar:
            reference(author, "avatar", author.avatar, "avatar")
    if not config.share_images:
        return share

    def color_of(slugs: Iterable[str]) -> str:
        return next((hub.theme_by_slug[s].color for s in slugs if s in hub.theme_by_slug and
                     hub.theme_by_slug[s].color), "")

    def needs_share(image: str) -> bool:
        # Social networks do not show SVG: an item whose only picture is an SVG gets one drawn.
        return not image or image.lower().split("?")[0].endswith(".svg")

    # A card's words are the interface's, in the site's language, as on the pages, when the card's font
    # can draw them (DejaVu Sans has no Japanese): else no count, and the date as 2027-03-18.
    words = hub.config.interface()
    long_date = i18n.date_formatter(hub.config.language)

    def pieces(count: int) -> str:
        text = words.ngettext("%(num)d piece", "%(num)d pieces", count) % {"num": count}
        return text if drawable(text) else ""

    def date(value: dt.date, style: str = "long") -> str:
        text = long_date(value, style)
        return text if drawable(text) else (value.date() if isinstance(value, dt.datetime) else value).isoformat()

    own = hub.has_own_page  # in another language, only its translations have pages (and cards)
    for theme in hub.themes_ordered:
        if needs_share(theme.image) and own(theme):
            share[("themes", theme.slug)] = pipeline.share_image(
                "themes", theme.slug, title=theme.title, subtitle=theme.tagline, color=theme.color,
                footer=pieces(len(hub.theme_articles[theme.slug])))
    for article in (*hub.articles, *hub.archived):
        if not needs_share(article.image) or not own(article):
            continue
        authors = [hub.author_by_slug[r.slug] for r in article.authors if r.slug in hub.author_by_slug]
        primary = hub.primary_theme(article)
        avatar = _raster(authors[0].avatar, hub.config.root) if authors else None
        share[("articles", article.slug)] = pipeline.share_image(
            "articles", article.slug, title=article.title, subtitle=primary.tagline if primary else "",
            color=color_of(r.slug for r in article.themes), footer=", ".join(a.name for a in authors),
            avatar=avatar, initials=_initials(authors[0].name) if authors else "")
    for author in filter(own, hub.authors_ordered):
        avatar = _raster(author.avatar, hub.config.root)
        share[("authors", author.slug)] = pipeline.share_image(
            "authors", author.slug, title=author.name,
            subtitle=", ".join(x for x in (author.role, author.company) if x),
            color=color_of(r.slug for r in author.expertise), footer=author.name,
            avatar=avatar, initials=_initials(author.name))
    for service in filter(own, hub.services_ordered):
        offering = [t.slug for t in hub.themes_ordered if service in hub.theme_services[t.slug]]
        share[("services", service.slug)] = pipeline.share_image(
            "services", service.slug, title=service.title, subtitle=service.summary, color=color_of(offering),
            footer=service.cta_label)
    for kind in KINDS:
        if kind.share_footer is None:
            continue
        for item in filter(own, hub.content.of(kind.folder)):
            themes = next((r.read(item) for r in kind.references if r.target == "themes"), ())
            share[(kind.folder, item.slug)] = pipeline.share_image(
                kind.folder, item.slug, title=kind.title_of(item), subtitle=str(getattr(item, "summary", "")),
                color=color_of(r.slug for r in themes), footer=kind.share_footer(item, date))
    return share


def _raster(value: str, root: Path) -> Path | None:
    """The real file of an avatar for share cards, when it is a usable raster image of the site."""
    local = front_matter_file(value)
    if local is None or local.suffix not in RASTER:
        return None
    real = locate(local, root)
    return real if isinstance(real, Path) else None


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


def drawable(text: str) -> bool:
    """Whether the share cards' font draws every character of `text` as itself."""
    return all(ch.isspace() or _has_card_glyph(ch) for ch in text)


DRAWN_WITHOUT_ASKING = 0x21, 0xFF
"""Printable characters from here to there (ASCII and Latin-1) are in DejaVu Sans Bold, the cards' font
(a test asks the font for each): the words of most hubs' cards are checked without loading Pillow."""


@functools.lru_cache(maxsize=4096)
def _has_card_glyph(ch: str) -> bool:
    if DRAWN_WITHOUT_ASKING[0] <= ord(ch) <= DRAWN_WITHOUT_ASKING[1] and ch.isprintable():
        return True
    return has_glyph(font(True, 32), ch)
