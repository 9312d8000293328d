"""What is scheduled: the moments ahead at which the built site changes by itself, because time passes
(a future-dated piece goes live, an `expires:` date passes, an event is over and leaves the listings).

`themehub build` prints the next one, `themehub report` and /report/ list them all. hub/moments.py says
when a hub goes stale (reviews and cadences too, which change warnings, not the site); this says what a
reader of the site will see change, and when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from themehub.content.kinds import KINDS
from themehub.hub.graph import Hub

GOES_LIVE = "goes live"
EXPIRES = "expires"
LEAVES_LISTINGS = "leaves listings"


@dataclass(frozen=True, slots=True)
class Scheduled:
    """One change ahead: at `when`, the piece in `source` `change`s."""

    when: dt.datetime
    title: str
    source: str
    """The file, relative to the site root ('content/articles/x.md')."""
    change: str
    """GOES_LIVE (a future-dated piece is published), EXPIRES (it is archived: it leaves listings, feeds
    and related content, and keeps its page) or LEAVES_LISTINGS (an item of another kind, an event over)."""

    @property
    def when_utc(self) -> str:
        """'2027-01-12 09:00 UTC': what the terminal and /report/ show."""
        return self.when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")

    def describe(self) -> str:
        return f'{self.when_utc} "{self.title}" ({self.source}) {self.change}'


def schedule(hub: Hub) -> tuple[Scheduled, ...]:
    """Every change ahead of `hub.now` for the files the hub was made from, soonest first. Drafts never
    go live by themselves; in a `--drafts` build every piece is shown already, so only expiries and the
    other kinds' moments are ahead."""
    now = hub.now
    found: list[Scheduled] = []
    for article in hub.content.articles:
        shown = article.slug in hub.publication.by_slug
        goes_live = not shown and not article.draft and article.date > now
        if goes_live:
            found.append(Scheduled(article.date, article.title, article.source, GOES_LIVE))
        if (shown or goes_live) and article.expires is not None and article.expires > now:
            found.append(Scheduled(article.expires, article.title, article.source, EXPIRES))
    for kind in KINDS:
        if kind.folder == "articles":
            continue
        for item in hub.content.of(kind.folder):
            for moment in kind.moments(item):
                if moment > now:
                    found.append(Scheduled(moment, kind.title_of(item), item.source, LEAVES_LISTINGS))
    return tuple(sorted(found, key=lambda s: (s.when, s.source, s.change)))


def next_scheduled_line(scheduled: tuple[Scheduled, ...]) -> str | None:
    """The line `themehub build` prints after its summary; None when nothing is scheduled."""
    if not scheduled:
        return None
    return f"next scheduled: {scheduled[0].describe()}; {len(scheduled)} scheduled in all"
