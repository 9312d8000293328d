"""When the hub goes stale: the moments at which a later `now` makes a different hub from the same
files (a piece published or expired, a review or an SME's cadence due, an event over, a new month for
the report). `serve`'s body-edit path and a build's proof that only bodies changed ask it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from themehub.content.kinds import KINDS
from themehub.hub.graph import Hub


def _month_after(now: dt.datetime) -> dt.datetime:
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def moments(hub: Hub) -> Iterator[dt.datetime]:
    """Every moment at which a later `now` changes the hub: publication, expiry and review dates,
    an SME's cadence running out, each kind's own moments (an event being over), and a new month (the
    report's columns)."""
    for article in hub.content.articles:
        yield article.date
        if article.expires is not None:
            yield article.expires
        if article.review_by is not None:
            yield article.review_by
    cadence = dt.timedelta(days=hub.config.cadence_days)
    for pieces in hub.author_articles.values():
        if pieces:
            yield pieces[0].date + cadence
    for kind in KINDS:  # an event leaving the listings when it is over
        for item in hub.content.of(kind.folder):
            yield from kind.moments(item)
    yield _month_after(hub.now)


def still_current(hub: Hub, now: dt.datetime) -> bool:
    """Whether a hub made at `hub.now` is still the hub a build at `now` would make."""
    return now >= hub.now and not any(hub.now < moment <= now for moment in moments(hub))


def same_hub_between(hub: Hub, earlier: dt.datetime) -> bool:
    """Whether the files `hub` was made from made the same hub at `earlier` (no moment in between; the
    month `moments` gives is the one after `hub.now`, so the one after `earlier` is asked here)."""
    return (earlier <= hub.now and _month_after(earlier) > hub.now
            and not any(earlier < moment <= hub.now for moment in moments(hub)))
