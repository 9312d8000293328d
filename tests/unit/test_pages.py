"""Pagination of long listings."""

from __future__ import annotations

from themehub.render.pages import paginate


def test_paginate_splits_items_and_links_every_page() -> None:
    pages = paginate(list(range(5)), 2, "themes/x/")
    assert [p.items for p in pages] == [(0, 1), (2, 3), (4,)]
    assert [p.number for p in pages] == [1, 2, 3]
    assert {p.total for p in pages} == {3}
    assert pages[0].pages == ((1, "themes/x/"), (2, "themes/x/page/2/"), (3, "themes/x/page/3/"))
    assert (pages[0].prev_url, pages[0].next_url) == (None, "themes/x/page/2/")
    assert (pages[1].prev_url, pages[1].next_url) == ("themes/x/", "themes/x/page/3/")
    assert (pages[2].prev_url, pages[2].next_url) == ("themes/x/page/2/", None)


def test_an_empty_or_short_listing_is_one_page() -> None:
    for items in ([], [1], [1, 2]):
        (only,) = paginate(items, 2, "tags/t/")
        assert only.items == tuple(items)
        assert (only.total, only.prev_url, only.next_url) == (1, None, None)
