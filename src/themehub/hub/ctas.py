"""Calls to action as data: which CTA goes where, and the attributes that let any analytics or
marketing-automation tool measure depth and conversion without a script of ours.

Placement rules (documented in the README):
- article-end: after an article, the CTA of its first service that has one (its own services
  first, then its themes');
- track-end: at the last step of a track, the track's own `cta`, else its `service`'s, else the
  first CTA of the track's theme;
- theme-hub: on a theme hub, after `cta_after` cards: the theme's own `cta`, else its first
  service's;
- service-page: on a service page, the service's CTA.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from themehub.config import Config
from themehub.content.model import Article, Author, Service, Theme, Track
from themehub.hub.graph import Hub


@dataclass(frozen=True, slots=True)
class Cta:
    id: str
    """Stable: placement and the slugs of what it sits on and leads to."""
    label: str
    url: str
    """With UTM parameters."""
    placement: str
    theme: str
    depth: str
    track: str
    service: str


def with_utm(url: str, config: Config, campaign: str, content: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", ""):
        return url  # mailto:, tel: carry no UTM
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    query += [("utm_source", config.utm_source), ("utm_medium", config.utm_medium),
              ("utm_campaign", campaign), ("utm_content", content)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _make(hub: Hub, placement: str, owner: str, label: str, url: str, *, theme: str = "", depth: str = "",
          track: str = "", service: str = "") -> Cta:
    cta_id = "--".join(part for part in (placement, owner, service if service != owner else "") if part)
    campaign = track or theme or service or owner
    return Cta(cta_id, label, with_utm(url, hub.config, campaign, cta_id), placement, theme, depth, track, service)


def _service_cta(hub: Hub, services: tuple[Service, ...]) -> Service | None:
    return next((s for s in services if s.cta_url), None)


def article_cta(hub: Hub, article: Article) -> Cta | None:
    service = _service_cta(hub, hub.article_services.get(article.slug, ()))
    if service is None:
        return None
    theme = hub.primary_theme(article)
    return _make(hub, "article-end", article.slug, service.cta_label, service.cta_url,
                 theme=theme.slug if theme else "", depth=article.depth, service=service.slug)


def track_cta(hub: Hub, track: Track) -> Cta | None:
    theme = track.theme.slug if track.theme and track.theme.slug in hub.theme_by_slug else ""
    if track.cta_url:
        return _make(hub, "track-end", track.slug, track.cta_label, track.cta_url, theme=theme, track=track.slug)
    candidates: tuple[Service, ...] = ()
    if track.service and track.service.slug in hub.service_by_slug:
        candidates = (hub.service_by_slug[track.service.slug],)
    elif theme:
        candidates = hub.theme_services[theme]
    service = _service_cta(hub, candidates)
    if service is None:
        return None
    return _make(hub, "track-end", track.slug, service.cta_label, service.cta_url, theme=theme, track=track.slug,
                 service=service.slug)


def theme_cta(hub: Hub, theme: Theme) -> Cta | None:
    if theme.cta_url:
        return _make(hub, "theme-hub", theme.slug, theme.cta_label, theme.cta_url, theme=theme.slug)
    service = _service_cta(hub, hub.theme_services[theme.slug])
    if service is None:
        return None
    return _make(hub, "theme-hub", theme.slug, service.cta_label, service.cta_url, theme=theme.slug,
                 service=service.slug)


def service_cta(hub: Hub, service: Service, placement: str = "service-page") -> Cta | None:
    """The service's own call to action: `service-page` at its top, `service-end` after its proof."""
    if not service.cta_url:
        return None
    return _make(hub, placement, service.slug, service.cta_label, service.cta_url, service=service.slug)


def author_cta(hub: Hub, author: Author) -> Cta | None:
    """`sme-contact`: talk to the SME (their `contact`), on their page. A mailto: link keeps no UTM."""
    if not author.contact:
        return None
    _ = hub.config.interface().gettext
    label = _("Talk to %(name)s") % {"name": author.name.split()[0] if author.name.split() else author.name}
    if author.contact.startswith("mailto:"):
        cta_id = f"sme-contact--{author.slug}"
        return Cta(cta_id, label, author.contact, "sme-contact", "", "", "", "")
    return _make(hub, "sme-contact", author.slug, label, author.contact)
