"""Small in-memory builders of the content model, for tests that need a hub but no files.

    hub = a_hub(a_theme("cloud"), an_author("ana"), an_article("intro", themes=["cloud"], authors=["ana"]))

Each builder makes one frozen item with quiet defaults; only what a test says matters is given. A
reference is written as a slug ("cloud") or, where a test checks where a diagnostic points, as
`ref("cloud", line=5, col=17)`. Dates are written "2026-01-05" (midnight UTC, as the loader reads them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from themehub.config import Config
from themehub.content.kinds import KINDS, kind_of
from themehub.content.model import Article, Author, Content, Item, Page, Ref, Service, Theme, Track
from themehub.diagnostics import Diagnostic
from themehub.hub.graph import Hub, build_hub

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
"""The clock of the in-memory hubs: after every default date below (the mini hub's MINI_NOW)."""

SITE = Path("/in-memory-site")
"""The root a built-in-memory Config names: never read (nothing here touches the disk)."""

RefLike = str | Ref
DateLike = str | dt.date | dt.datetime


def ref(slug: str, *, line: int = 1, col: int = 1) -> Ref:
    """A reference written at `line`, `col` of its file."""
    return Ref(slug, line, col)


def refs(values: Iterable[RefLike]) -> tuple[Ref, ...]:
    return tuple(value if isinstance(value, Ref) else Ref(value, 1, 1) for value in values)


def when(value: DateLike) -> dt.datetime:
    """'2026-01-05' (or a date, or a datetime) as the loader reads it: a datetime in UTC."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _title(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def a_config(**overrides: Any) -> Config:
    """themehub.yaml's defaults, with the `overrides` (any Config field: related=2, depths=…)."""
    values: dict[str, Any] = {"root": SITE, "title": "Mini Hub", "base_url": "https://example.com/insights/"}
    return Config(**(values | overrides))


def an_article(slug: str, *, title: str | None = None, date: DateLike = "2026-01-05",
               themes: Iterable[RefLike] = ("cloud",), authors: Iterable[RefLike] = ("ana-quinn",),
               type: str = "article", depth: str | None = None, tags: Iterable[str] = (),
               services: Iterable[RefLike] = (), summary: str = "", draft: bool = False,
               expires: DateLike | None = None, review_by: DateLike | None = None, featured: bool = False,
               aliases: Iterable[str] = (), positions: Iterable[tuple[str, int, int]] = (),
               config: Config | None = None) -> Article:
    """An article; its depth, when not given, is its type's default depth (as the loader gives it)."""
    return Article(
        slug=slug, source=f"content/articles/{slug}.md", body="Body text.", body_line=8,
        positions=tuple(positions), title=title or _title(slug), date=when(date), authors=refs(authors),
        themes=refs(themes), type=type, depth=depth or (config or a_config()).default_depth(type),
        summary=summary, tags=tuple(tags), services=refs(services), draft=draft, image="", image_alt="",
        updated=None, aliases=tuple(aliases), expires=when(expires) if expires is not None else None,
        review_by=when(review_by) if review_by is not None else None, featured=featured,
    )


def a_theme(slug: str, *, title: str | None = None, parent: RefLike | None = None, weight: int = 0,
            services: Iterable[RefLike] = (), start: Iterable[RefLike] = ()) -> Theme:
    return Theme(
        slug=slug, source=f"content/themes/{slug}.md", body="", body_line=1, title=title or _title(slug),
        tagline="", parent=refs([parent])[0] if parent is not None else None, color="", image="", image_alt="",
        services=refs(services), start=refs(start), weight=weight,
    )


def an_author(slug: str, *, name: str | None = None, expertise: Iterable[RefLike] = ()) -> Author:
    return Author(slug=slug, source=f"content/authors/{slug}.md", body="", body_line=1,
                  name=name or slug.replace("-", " ").title(), role="", company="", avatar="",
                  expertise=refs(expertise), links=())


def a_service(slug: str, *, title: str | None = None, weight: int = 0) -> Service:
    return Service(slug=slug, source=f"content/services/{slug}.md", body="", body_line=1,
                   title=title or _title(slug), summary="", cta_label="", cta_url="", weight=weight)


def a_page(slug: str, *, title: str | None = None) -> Page:
    return Page(slug=slug, source=f"content/pages/{slug}.md", body="", body_line=1, title=title or _title(slug),
                summary="")


def a_track(slug: str, *, steps: Iterable[RefLike] = (), title: str | None = None, theme: RefLike | None = None,
            service: RefLike | None = None, weight: int = 0) -> Track:
    return Track(
        slug=slug, source=f"content/tracks/{slug}.md", body="", body_line=1, title=title or _title(slug),
        summary="", theme=refs([theme])[0] if theme is not None else None, steps=refs(steps),
        service=refs([service])[0] if service is not None else None, cta_label="", cta_url="", weight=weight,
    )


def content(*items: Item) -> Content:
    """The items under their kinds' folders, in the order of the kinds, each sorted by slug (as loaded)."""
    folders = []
    for kind in KINDS:
        mine = sorted((item for item in items if kind_of(item) is kind), key=lambda item: item.slug)
        folders.append((kind.folder, tuple(mine)))
    return Content(folders=tuple(folders))


def build(*items: Item, config: Config | None = None, now: DateLike = NOW,
          drafts: bool = False) -> tuple[Hub, list[Diagnostic]]:
    """The hub of `items`, and what building it reported."""
    return build_hub(content(*items), config or a_config(), now=when(now), drafts=drafts)


def a_hub(*items: Item, config: Config | None = None, now: DateLike = NOW, drafts: bool = False) -> Hub:
    """The hub of `items`, which must build without an error."""
    hub, diagnostics = build(*items, config=config, now=now, drafts=drafts)
    assert [d for d in diagnostics if d.is_error] == []
    return hub


def errors_of(*items: Item, config: Config | None = None) -> list[Diagnostic]:
    """The errors building the hub of `items` reports."""
    return [d for d in build(*items, config=config)[1] if d.is_error]


def mini_hub(*extra: Item, without: Iterable[str] = ()) -> tuple[Item, ...]:
    """tests/fixtures/mini_hub in memory (what the hub reads of it), with `extra` items added or put in
    place of the item of the same kind and slug, and the items whose source is in `without` left out."""
    items: list[Item] = [
        an_article("cloud-basics", title="Cloud Basics", date="2026-01-10", authors=["ana-quinn"],
                   themes=["cloud"], summary="The basics of cloud spend.", tags=["Cloud Costs"]),
        an_article("data-intro", title="Data Trust Case Study", date="2026-01-20", authors=["ben-okoro"],
                   themes=["data"], type="case-study", services=["data-audit"]),
        an_article("finops-deep", title="FinOps in Depth", date="2026-03-01", authors=["ben-okoro", "ana-quinn"],
                   themes=["finops", "cloud"], type="white-paper", summary="A deep dive into FinOps.",
                   services=["cost-review"]),
        an_article("finops-start", title="Starting FinOps", date="2026-02-01", authors=["ana-quinn"],
                   themes=["finops"], summary="How to start a FinOps practice.",
                   tags=["cloud costs", "Operating Model"]),
        an_author("ana-quinn", name="Ana Quinn", expertise=["cloud"]),
        an_author("ben-okoro", name="Ben Okoro"),
        a_page("about", title="About Mini Hub"),
        a_service("cost-review", title="Cost Review", weight=1),
        a_service("data-audit", title="Data Audit", weight=2),
        a_theme("cloud", title="Cloud Economics", services=["cost-review"], weight=1),
        a_theme("data", title="Data Trust", services=["data-audit"], weight=3),
        a_theme("finops", title="FinOps", parent="cloud", weight=2),
    ]
    replaced = {(type(item), item.slug) for item in extra}
    left_out = set(without)
    kept = [item for item in items if (type(item), item.slug) not in replaced and item.source not in left_out]
    return (*kept, *extra)
