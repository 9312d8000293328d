"""Campaign journeys as a reader meets them: tracks, signposts, calls to action, explain, hub.json."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import jsonschema

from themehub.schemas import hub_schema

from .conftest import Built

TRACK = "tracks/cloud-costs-in-five-steps/"
STEPS = ["why-cloud-bills-surprise-finance", "finops-first-90-days", "tagging-policy-that-sticks",
         "cloud-unit-cost-model", "commitment-discounts-portfolio"]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.anchors.append({k: v or "" for k, v in attrs})


def anchors(html: str) -> list[dict[str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.anchors


def test_track_page_lists_the_steps_in_order_and_starts_at_step_one(sample: Built) -> None:
    html = sample.html(TRACK)
    assert "<h1>Cloud costs in five steps</h1>" in html
    positions = [html.index(f'href="/insights/articles/{slug}/"') for slug in STEPS]
    assert positions == sorted(positions)
    start = [a for a in anchors(html) if a.get("data-track") == "cloud-costs-in-five-steps" and "data-cta-id" not in a]
    assert [a["href"] for a in start] == [f"/insights/articles/{STEPS[0]}/"]
    assert re.search(r'data-track="cloud-costs-in-five-steps">Start the track</a>', html)


def test_every_step_says_where_it_is_and_links_its_neighbours(sample: Built) -> None:
    for number, slug in enumerate(STEPS, start=1):
        html = sample.html(f"articles/{slug}/")
        assert f"Step {number} of 5 in" in html, slug
        assert f'<progress max="5" value="{number}"' in html
        rels = {(a["href"], a.get("rel")) for a in anchors(html)}
        if number > 1:
            assert (f"/insights/articles/{STEPS[number - 2]}/", "prev") in rels
        if number < 5:
            assert (f"/insights/articles/{STEPS[number]}/", "next") in rels


def test_the_last_step_ends_with_the_tracks_call_to_action(sample: Built) -> None:
    html = sample.html(f"articles/{STEPS[-1]}/")
    assert "You have finished the track Cloud costs in five steps" in html
    cta = next(a for a in anchors(html) if a.get("data-cta-placement") == "track-end")
    assert cta["data-track"] == "cloud-costs-in-five-steps"
    assert cta["data-cta-id"] == "track-end--cloud-costs-in-five-steps--cloud-cost-optimisation"
    query = parse_qs(urlsplit(cta["href"]).query)
    assert query["utm_source"] == ["northwind-insights"]
    assert query["utm_medium"] == ["content-hub"]
    assert query["utm_campaign"] == ["cloud-costs-in-five-steps"]
    assert query["utm_content"] == [cta["data-cta-id"]]
    assert query["service"] == ["cloud-cost-optimisation"]  # the service's own query survives


def test_article_theme_and_service_ctas_carry_depth_theme_and_utm(sample: Built) -> None:
    article = next(a for a in anchors(sample.html("articles/interview-cdo-data-quality/"))
                   if a.get("data-cta-placement") == "article-end")
    assert (article["data-theme"], article["data-depth"], article["data-track"]) == ("data-trust", "entry", "")
    hub = [a for a in anchors(sample.html("themes/cloud-economics/")) if a.get("data-cta-placement") == "theme-hub"]
    assert len(hub) == 1 and hub[0]["data-theme"] == "cloud-economics"
    service = next(a for a in anchors(sample.html("services/ai-delivery/"))
                   if a.get("data-cta-placement") == "service-page")
    assert parse_qs(urlsplit(service["href"]).query)["utm_content"] == ["service-page--ai-delivery"]


def test_theme_hub_cta_comes_after_cta_after_cards_and_never_inside_a_group(sample: Built) -> None:
    """The banner follows the depth group in which the sixth card falls (`cta_after` defaults to 6), or
    the last group: it never cuts a group in two."""
    html = sample.html("themes/cloud-economics/")
    listing = html[html.index('id="content-heading"'):html.index('id="help-heading"')]
    cta = listing.index('data-cta-placement="theme-hub"')
    before, after = listing[:cta], listing[cta:]
    assert before.count('<article class="card"') >= 6 or 'class="depth-heading' not in after
    assert '<article class="card"' not in after.split('class="depth-heading')[0]


def test_customer_voice_is_marked_and_grouped(sample: Built) -> None:
    article = sample.html("articles/what-we-would-do-differently/")
    assert re.search(r'Sam Whitfield</a> <span class="badge voice voice-customer">Customer</span>', article)
    theme = sample.html("themes/finops/")
    heading = 'id="stories-heading"' if 'id="stories-heading"' in theme else 'id="more-heading"'
    stories = theme[theme.index(heading):]
    assert "What We Would Do Differently" in stories[:6000]


def test_explain_prints_scores_reasons_and_the_read_deeper_choice(sample: Built) -> None:
    done = subprocess.run([sys.executable, "-m", "themehub", "explain", "cloud-unit-cost-model", "--site",
                           str(sample.root), "--as-of", "2026-11-20"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # The track's next step has its own link on the page: "Read deeper" is another, deeper piece.
    assert "read deeper: retailer-cloud-reset-case-study (Next on the Cloud Economics path)" in out
    assert re.search(r"^\s+\d+\s+\d+\.\d\d\s+track\s+white-paper\s+commitment-discounts-portfolio$", out, re.M)
    assert "same track: Cloud costs in five steps" in out
    ranks = re.findall(r"^\s+(\d+)\s+(\d+\.\d\d)\s+(yes|deeper|track|-)\s+(\S+)\s+(\S+)$", out, re.M)
    scores = [float(score) for _, score, _, _, _ in ranks]
    assert scores == sorted(scores, reverse=True) and len(ranks) >= 4
    shown_types = [kind for _, _, shown, kind, _ in ranks if shown == "yes"]
    assert len(shown_types) == 4 and max(shown_types.count(t) for t in shown_types) <= 2  # varied


def test_hub_json_validates_against_its_schema_and_maps_journeys(sample: Built) -> None:
    data = json.loads((sample.out / "hub.json").read_text())
    jsonschema.validate(data, hub_schema())
    track = next(t for t in data["tracks"] if t["slug"] == "cloud-costs-in-five-steps")
    assert track["steps"] == STEPS
    assert track["cta"]["service"] == "cloud-cost-optimisation"
    piece = next(c for c in data["content"] if c["slug"] == "cloud-unit-cost-model")
    # "next" is "Read deeper": deeper than the piece, never the track's next step (linked by the track)
    assert piece["tracks"] == ["cloud-costs-in-five-steps"] and piece["next"] == "retailer-cloud-reset-case-study"
    assert {a["voice"] for a in data["authors"]} == {"expert", "customer"}
