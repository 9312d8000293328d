"""The event kind, added as one record (content/event.py), one page template and one card template: the
sample hub's events get pages that name their speakers and services, upcoming ones are listed on the hub
of each theme they name and past ones are not, and their references are checked like every kind's.
It also holds the checks the kinds made generic: the expired-link warning and the reserved section names
now cover every kind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.helpers import (
    NOW,
    article,
    copy_sample,
    errors,
    internal_link_problems,
    make_site,
    page,
    run_build,
)
from themehub.check import check

UPCOMING = "/insights/events/cloud-costs-live-2027/"
PAST = "/insights/events/data-trust-breakfast-2026/"


def _listed_events(out: Path, theme: str) -> list[str]:
    """The titles of the events listed on a theme hub, under its "Upcoming events" section."""
    hub = page(out, f"/insights/themes/{theme}/")
    sections = [s for s in hub.find_all("section") if (s.find("h2") or s).text.strip() == "Upcoming events"]
    assert len(sections) <= 1
    for section in sections:  # labelled by its heading, whose id no heading of a body may take
        assert section.attrs.get("aria-labelledby") == section.one("h2").attrs.get("id") == "events-heading"
    return [h.text.strip() for s in sections for h in s.find_all("h3")]


def test_sample_events_have_pages_and_upcoming_ones_are_listed_on_their_themes(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    result = run_build(site, now=NOW)
    assert result.ok, errors(result)
    out = site / "site"

    upcoming = page(out, UPCOMING)
    assert upcoming.one("h1").text == "Cloud costs, live: a round table for finance and engineering"
    hrefs = upcoming.one("main").hrefs()
    assert "/insights/authors/maya-okafor/" in hrefs and "/insights/authors/daniel-reyes/" in hrefs
    assert "/insights/services/cloud-cost-optimisation/" in hrefs
    assert "https://example.com/events/cloud-costs-live" in hrefs  # the sign-up button, while it is ahead
    assert "Past event" not in upcoming.one("main").text
    # A share image is drawn for it (an event has no picture of its own): a 1200x630 PNG.
    og = [m.attrs.get("content") for m in upcoming.find_all("meta") if m.attrs.get("property") == "og:image"]
    assert og == ["https://example.com/insights/share/events/cloud-costs-live-2027.png"]
    card = (out / "share/events/cloud-costs-live-2027.png").read_bytes()
    assert card[:8] == b"\x89PNG\r\n\x1a\n" and card[16:24] == (1200).to_bytes(4, "big") + (630).to_bytes(4, "big")

    past = page(out, PAST)
    assert "Past event" in past.one("main").text
    assert "https://example.com/events/data-trust-breakfast" not in past.one("main").hrefs()
    assert "/insights/authors/lena-hartmann/" in past.one("main").hrefs()

    # Listed on each theme it names, while ahead; a past event leaves the listing and keeps its page.
    title = "Cloud costs, live: a round table for finance and engineering"
    assert _listed_events(out, "cloud-economics") == [title]
    assert _listed_events(out, "finops") == [title]
    assert _listed_events(out, "data-trust") == []
    assert internal_link_problems(out) == []
    assert "events/cloud-costs-live-2027/" in (out / "sitemap.xml").read_text()


def test_an_event_is_listed_until_it_ends(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    result = run_build(site, now=dt.datetime(2026, 10, 8, 8, 0, tzinfo=dt.UTC))  # during the breakfast
    assert result.ok, errors(result)
    assert _listed_events(site / "site", "data-trust") == ["Data you can trust: a breakfast briefing in Berlin"]


EVENT = """---
title: Webinar
date: 2026-07-01T16:00:00Z
end: {end}
themes: [cloud, nowhere]
speakers: [ana-quinn, nobody]
---

Body.
"""


def test_event_references_and_dates_are_checked_at_their_lines(tmp_path: Path) -> None:
    site = make_site(tmp_path / "hub", {"content/events/webinar.md": EVENT.format(end="2026-07-01T15:00:00Z")})
    found = {(d.code, d.line, d.col) for d in check(site, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
             if d.file == "content/events/webinar.md"}
    assert found == {("bad-date", 4, 6), ("unknown-theme", 5, 17), ("unknown-author", 6, 23)}


def test_an_event_without_its_required_keys_is_one_error_each(tmp_path: Path) -> None:
    site = make_site(tmp_path / "hub", {"content/events/bare.md": "---\ntitle: Bare\n---\n\nBody.\n"})
    found = sorted((d.code, d.message) for d in check(site) if d.file == "content/events/bare.md")
    assert [code for code, _ in found] == ["missing-field", "missing-field"]
    assert any("'date'" in message for _, message in found) and any("'themes'" in message for _, message in found)


def test_a_page_may_not_take_the_name_of_a_kind_section(tmp_path: Path) -> None:
    site = make_site(tmp_path / "hub", {"content/pages/events.md": "---\ntitle: Our events\n---\n\nSoon.\n"})
    assert [(d.code, d.file) for d in errors(check(site))] == [("reserved-slug", "content/pages/events.md")]


def test_every_kind_linking_to_an_expired_piece_is_warned(tmp_path: Path) -> None:
    """The expired-link check covered articles, themes, authors and services only: a page or a track
    linking to an expired piece went unreported."""
    site = make_site(tmp_path / "hub", {
        "content/articles/old-news.md": article("Old news", themes="[cloud]", extra="expires: 2026-02-01"),
        "content/pages/about.md": "---\ntitle: About\n---\n\nSee [old news](../articles/old-news.md).\n",
        "content/tracks/start.md": "---\ntitle: Start\nsteps: [cloud-basics]\n---\n\n"
                                   "Then [old news](/insights/articles/old-news/).\n",
        "content/events/talk.md": "---\ntitle: Talk\ndate: 2026-09-01\nthemes: [cloud]\n---\n\n"
                                  "Read [old news](../articles/old-news.md) first.\n",
    })
    warned = sorted(d.file for d in check(site, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
                    if d.code == "expired-link")
    assert warned == ["content/events/talk.md", "content/pages/about.md", "content/tracks/start.md"]


def test_the_events_index_lists_upcoming_events_then_past_ones(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    result = run_build(site, now=NOW)
    assert result.ok, errors(result)
    index = page(site / "site", "/insights/events/")
    sections = {s.one("h2").text: [h.text.strip() for h in s.find_all("h3")] for s in index.find_all("section")}
    assert sections == {"Upcoming": ["Cloud costs, live: a round table for finance and engineering"],
                        "Past events": ["Data you can trust: a breakfast briefing in Berlin"]}


DAY_EVENT = "---\ntitle: All-day summit\ndate: 2026-06-10\nthemes: [cloud]\n---\n\nBody.\n"


def test_an_event_without_an_end_is_listed_all_of_its_day(tmp_path: Path) -> None:
    site = make_site(tmp_path / "hub", {"content/events/summit.md": DAY_EVENT})

    def listed_at(hour: int, day: int = 10) -> list[str]:
        result = run_build(site, now=dt.datetime(2026, 6, day, hour, tzinfo=dt.UTC))
        assert result.ok, errors(result)
        return _listed_events(site / "site", "cloud")

    assert listed_at(20) == ["All-day summit"]  # it started at midnight, and the day is not over
    assert listed_at(1, day=11) == []


def test_serve_renders_everything_again_once_an_event_is_over(tmp_path: Path) -> None:
    """A body edit takes serve's short path only while the hub it starts from is still current: an
    event that is over since must leave the theme hubs, which only a full render does."""
    from themehub.build import BuildOptions, load_site
    from themehub.hub.moments import still_current

    made = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    later = dt.datetime(2026, 6, 11, 1, tzinfo=dt.UTC)  # the summit is over, nothing else happened
    with_event = make_site(tmp_path / "a", {"content/events/summit.md": DAY_EVENT})
    without = make_site(tmp_path / "b")
    for root, current in ((with_event, False), (without, True)):
        hub = load_site(BuildOptions(site=root, now=made)).hub
        assert hub is not None
        assert still_current(hub, later) is current, root


def test_a_hub_without_events_gets_no_events_index(tmp_path: Path) -> None:
    site = make_site(tmp_path / "hub")
    result = run_build(site)
    assert result.ok, errors(result)
    assert not (site / "site" / "events").exists()
    assert "events/" not in (site / "site" / "sitemap.xml").read_text()
