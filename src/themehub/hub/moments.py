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
    """Every moment at which a later `now` changes the hub's content: publication, expiry and review
    dates, an SME's cadence running out, and each kind's own moments (an event being over). A new month
    (the report's columns) is the other one, asked by `_unchanged_between`."""
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


def _unchanged_between(hub: Hub, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether the files `hub` was made from make the same hub at every time from `start` to `end`."""
    return (start <= end and _month_after(start) > end
            and not any(start < moment <= end for moment in moments(hub)))


def still_current(hub: Hub, now: dt.datetime) -> bool:
    """Whether a hub made at `hub.now` is still the hub a build at `now` would make."""
    return _unchanged_between(hub, hub.now, now)


def same_hub_between(hub: Hub, earlier: dt.datetime) -> bool:
    """Whether the files `hub` was made from made the same hub at `earlier`."""
    return _unchanged_between(hub, earlier, hub.now)
