"""The presentation's promises about what a page shows, checked in Chromium on the sample hub as built.

What counts, read from the DOM the reader gets (after CSS, at a phone and a desktop width):

- **A piece shown** is an article (`/articles/<slug>/`) that a `.card` (the home page's `.feature` is one
  too), a `.path-step` or the "Read deeper" card presents; the article page itself shows its own piece.
  The piece of a card or step is the first link to an article inside it (its title; the byline links
  to SMEs). Navigation is not a piece shown: breadcrumbs, tags, the track's previous and next links, the
  "Start the track" button, the header and the footer.
- **"Read deeper"** is the card in the `.read-deeper` section of an article page; its depth is the class
  of its depth badge (`badge depth depth-<key>`), checked against the depth hub.json gives the piece.
- **Scoring text** is what the related-content scorer writes for the team: every reason a
  `data-related-reasons` attribute of the page holds, and the scorer's vocabulary whatever the attributes
  say (a template could print reasons and drop the attribute).
- **A visible CTA link** is an `a[data-cta-placement]` that Chromium renders (`checkVisibility()`).

Two companion promises of the README are checked alongside: the cards of an article are not its track's
previous or next step, and a service whose call to action is shown has no service card on the same page.
The pages are every article and theme hub of the sample, and the home, track and service pages, which make
the same promises.

Every rule is also run once against a page with a fault planted in its DOM, so a rule that can no longer
fail (a selector that stopped matching) fails instead.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from tests.helpers import NOW, copy_sample, run_build
from tests.rebrand import serve

from themehub.config import load_config

pytestmark = pytest.mark.browser

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# Everything a page shows that the rules look at, in one pass over the live DOM.
FACTS = r"""() => {
  const slug = href => {
    const match = new URL(href, location.href).pathname.match(/\/articles\/([^/]+)\/$/);
    return match ? decodeURIComponent(match[1]) : null;
  };
  const where = e => {
    const box = e.closest('section, aside, nav, header, footer, article.article');
    const heading = box && box.querySelector('h1, h2, .cta-heading');
    return (heading ? heading.textContent.trim() : (box ? box.className || box.tagName : 'page')).slice(0, 60);
  };
  const visible = e => e.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const pieces = [];
  for (const box of document.querySelectorAll('.card, .feature, .path-step')) {
    // A link to an article is the piece's title; a card without one (a track card) shows no piece.
    const link = [...box.querySelectorAll('a[href]')].find(a => slug(a.href));
    if (link) pieces.push({slug: slug(link.href), where: where(box)});
  }
  const deeper = [...document.querySelectorAll('.read-deeper')].map(section => {
    const link = [...section.querySelectorAll('.card a[href]')].find(a => slug(a.href));
    const badge = section.querySelector('.card .badge.depth');
    const key = badge && [...badge.classList].find(c => c.startsWith('depth-'));
    return {heading: (section.querySelector('h2') || {}).textContent || '', slug: link ? slug(link.href) : null,
            badge: key ? key.slice('depth-'.length) : null};
  });
  const own = document.body.classList.contains('kind-article') ? slug(location.href) : null;
  const ownBadge = document.querySelector('.article-header .badge.depth');
  const ownKey = ownBadge && [...ownBadge.classList].find(c => c.startsWith('depth-'));
  const leaves = [...document.body.querySelectorAll('*')]
    .filter(e => visible(e) && e.children.length === 0 && e.textContent.trim())
    .map(e => e.textContent.trim());
  return {
    own: own, ownDepth: ownKey ? ownKey.slice('depth-'.length) : null, pieces: pieces, deeper: deeper,
    trackLinks: [...document.querySelectorAll('.track-steps a[href]')].map(a => slug(a.href)).filter(Boolean),
    reasons: [...document.querySelectorAll('[data-related-reasons]')].map(e => e.dataset.relatedReasons),
    text: document.body.innerText, leaves: leaves,
    serviceCards: [...document.querySelectorAll('.service-card')].filter(visible).map(card => {
      const link = card.querySelector('a[href*="/services/"]');
      const match = link && new URL(link.href).pathname.match(/\/services\/([^/]+)\/$/);
      return match ? decodeURIComponent(match[1]) : null; }),
    ctas: [...document.querySelectorAll('a[data-cta-placement]')].filter(visible).map(a => ({
      placement: a.dataset.ctaPlacement, service: a.dataset.service, id: a.dataset.ctaId, where: where(a)})),
  };
}"""

SCORING = re.compile(
    r"\bsame (?:track|theme|author)\b|\b(?:parent theme|sub-theme|sibling theme|related theme|shared tags?):"
    r"|\bone level deeper\b|\bNext on the .{1,80}? path\b", re.IGNORECASE)
"""The scorer's own words (hub/related.py, and "Read deeper"'s path reason), as no reader-facing text says
them: a theme relation is a label followed by a colon and the theme's title ("sub-theme" alone is an
ordinary word of the sample's prose)."""


@dataclass(frozen=True)
class Shown:
    """What one page showed at one width."""

    path: str
    width: str
    facts: dict[str, Any]

    @property
    def name(self) -> str:
        return f"/{self.path} at {self.width} width"


@dataclass(frozen=True)
class Sample:
    url: str
    hub: dict[str, Any]
    depths: tuple[str, ...]
    """The site's depth levels, entry first."""

    def path_of(self, record: dict[str, Any]) -> str:
        return str(record["url"]).split("/insights/", 1)[1]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """The sample hub as it ships, built once (no search index: no rule reads the search page)."""
    work = tmp_path_factory.mktemp("page-rules")
    root = copy_sample(work / "hub")
    result = run_build(root, now=NOW)
    assert not [d for d in result.diagnostics if d.is_error], result.diagnostics
    hub = json.loads((root / "site/hub.json").read_text(encoding="utf-8"))
    (work / "www").mkdir()
    config, _ = load_config(root)
    assert config is not None
    with serve(root / "site", work / "www") as url:
        yield Sample(url, hub, config.depth_keys)


def _rule_pages(sample: Sample) -> list[str]:
    """Every article page and every theme hub of the sample; and the home page, the track pages and the
    service pages, which make the same promises (each piece once, one call to action per placement)."""
    return ["", *(sample.path_of(t) for t in sample.hub["themes"]), *(sample.path_of(c) for c in sample.hub["content"]),
            *(sample.path_of(t) for t in sample.hub["tracks"]), *(sample.path_of(s) for s in sample.hub["services"])]


def _collect(page: Page, url: str) -> dict[str, Any]:
    page.goto(url)
    return page.evaluate(FACTS)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def shown(sample: Sample, browser: Browser) -> list[Shown]:
    """Every rule page at both widths, read once for all the rules."""
    found = []
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        page = context.new_page()
        try:
            for path in _rule_pages(sample):
                found.append(Shown(path, width, _collect(page, sample.url + path)))
        finally:
            context.close()
    return found


# -------------------------------------------------------------------------------------------- the rules
# Each rule returns one line per breach, naming the page, the width and what is where.


def duplicate_problems(shown: Shown, sample: Sample) -> list[str]:
    facts = shown.facts
    seen = Counter(p["slug"] for p in facts["pieces"])
    if facts["own"]:
        seen[facts["own"]] += 1
    problems = []
    for slug, count in sorted(seen.items()):
        if count > 1:
            places = [p["where"] for p in facts["pieces"] if p["slug"] == slug]
            if slug == facts["own"]:
                places.insert(0, "the page itself")
            problems.append(f"{shown.name}: {slug} is shown {count} times ({'; '.join(places)})")
    return problems


def track_step_problems(shown: Shown, sample: Sample) -> list[str]:
    """The README's "On an article, the track's own steps are its previous and next links, "Read deeper" is
    another piece, and the related cards are none of these": the previous and next links are navigation,
    not pieces shown, so this is a rule of its own."""
    steps = set(shown.facts["trackLinks"])
    return [f"{shown.name}: {p['slug']} is a card ({p['where']}) and the track's previous or next step"
            for p in shown.facts["pieces"] if p["slug"] in steps]


def deeper_problems(shown: Shown, sample: Sample) -> list[str]:
    facts, depths = shown.facts, sample.depths
    hub_depth = {c["slug"]: c["depth"] for c in sample.hub["content"]}
    hub_next = {c["slug"]: c["next"] for c in sample.hub["content"]}
    own = facts["own"]
    if own is None:
        return [f"{shown.name}: a 'Read deeper' section outside an article"] if facts["deeper"] else []
    problems = []
    if facts["ownDepth"] != hub_depth[own]:
        problems.append(f"{shown.name}: the page's depth badge says {facts['ownDepth']}, hub.json {hub_depth[own]}")
    if len(facts["deeper"]) > 1:
        problems.append(f"{shown.name}: {len(facts['deeper'])} 'Read deeper' sections")
    for deeper in facts["deeper"]:
        target, badge = deeper["slug"], deeper["badge"]
        if deeper["heading"].strip() != "Read deeper" or target is None or badge not in depths:
            problems.append(f"{shown.name}: a 'Read deeper' section without its heading, a piece or a depth: {deeper}")
            continue
        if badge != hub_depth.get(target):
            problems.append(f"{shown.name}: 'Read deeper' {target}: its badge says {badge}, hub.json "
                            f"{hub_depth.get(target)}")
        if depths.index(badge) < depths.index(hub_depth[own]):
            problems.append(f"{shown.name}: 'Read deeper' goes up, from {hub_depth[own]} to {badge} ({target})")
        if badge == depths[0]:
            problems.append(f"{shown.name}: 'Read deeper' leads to an entry piece ({target})")
        if target in facts["trackLinks"]:
            problems.append(f"{shown.name}: 'Read deeper' repeats the track's previous or next step ({target})")
        if target != hub_next.get(own):
            problems.append(f"{shown.name}: 'Read deeper' shows {target}, hub.json says {hub_next.get(own)}")
    if not facts["deeper"] and hub_next.get(own):
        problems.append(f"{shown.name}: no 'Read deeper', hub.json says {hub_next[own]}")
    return problems


def scoring_problems(shown: Shown, sample: Sample) -> list[str]:
    facts = shown.facts
    reasons = {r.strip() for value in facts["reasons"] for r in value.split(";") if r.strip()}
    text = facts["text"]
    problems = [f"{shown.name}: the scorer's words are visible: {m.group(0)!r} in "
                f"…{text[max(0, m.start() - 40):m.end() + 20]!r}…" for m in SCORING.finditer(text)]
    folded = text.casefold()
    # A reason of several words is nobody else's text; a one-word reason ("recent") is an ordinary word of
    # prose, so it counts only when it is all the text of an element (a badge, a chip).
    leaves = {leaf.casefold() for leaf in facts["leaves"]}
    for reason in sorted(reasons):
        if (" " in reason and reason.casefold() in folded) or reason.casefold() in leaves:
            problems.append(f"{shown.name}: the related-content reason {reason!r} is visible")
    return problems


def cta_problems(shown: Shown, sample: Sample) -> list[str]:
    ctas = shown.facts["ctas"]
    counts = Counter((c["placement"], c["service"]) for c in ctas)
    problems = [f"{shown.name}: {n} visible calls to action for {service!r} at placement {placement!r} ("
                + "; ".join(c["where"] for c in ctas if (c["placement"], c["service"]) == (placement, service)) + ")"
                for (placement, service), n in sorted(counts.items()) if n > 1]
    # The README's companion rule: a service whose call to action is shown is not offered again among
    # the services (whose cards carry the service's own button).
    offered = {c["service"] for c in ctas}
    problems += [f"{shown.name}: {service!r} has a call to action and a service card"
                 for service in shown.facts["serviceCards"] if service in offered]
    return problems


Rule = Callable[[Shown, Sample], list[str]]


def _breaches(rule: Rule, shown: list[Shown], sample: Sample) -> str:
    return "\n".join(p for s in shown for p in rule(s, sample))


# -------------------------------------------------------------------------------------------- the tests


def test_the_rules_see_every_article_and_theme_page(sample: Sample, shown: list[Shown]) -> None:
    paths = {s.path for s in shown}
    assert {sample.path_of(c) for c in sample.hub["content"]} <= paths
    assert {sample.path_of(t) for t in sample.hub["themes"]} <= paths
    # The definitions find what they define: pieces on every page, "Read deeper", reasons and CTAs on many.
    assert all(s.facts["pieces"] for s in shown)
    assert sum(1 for s in shown if s.facts["deeper"]) >= 2 * len(sample.hub["content"]) - 4
    assert sum(1 for s in shown if s.facts["ctas"]) >= 2 * len(sample.hub["content"])
    assert sum(1 for s in shown if s.facts["reasons"]) >= 2 * len(sample.hub["content"])


def test_no_piece_is_shown_twice_on_a_page(sample: Sample, shown: list[Shown]) -> None:
    assert not (problems := _breaches(duplicate_problems, shown, sample)), problems


def test_cards_do_not_repeat_the_tracks_own_steps(sample: Sample, shown: list[Shown]) -> None:
    assert not (problems := _breaches(track_step_problems, shown, sample)), problems


def test_read_deeper_never_goes_shallower_nor_to_an_entry_piece(sample: Sample, shown: list[Shown]) -> None:
    assert not (problems := _breaches(deeper_problems, shown, sample)), problems


def test_no_reader_visible_scoring_text(sample: Sample, shown: list[Shown]) -> None:
    assert not (problems := _breaches(scoring_problems, shown, sample)), problems
    # The reasons are still there for the team, in the attributes.
    assert any(SCORING.search(reason) for s in shown for reason in s.facts["reasons"])


def test_one_call_to_action_per_placement_and_service(sample: Sample, shown: list[Shown]) -> None:
    assert not (problems := _breaches(cta_problems, shown, sample)), problems


# --------------------------------------------------------------------------------- the rules can fail

ENTRY_PIECE = "why-cloud-bills-surprise-finance"
TRACK_STEP = "commitment-discounts-portfolio"
"""The next step of cloud-unit-cost-model's track."""

# Each fault is planted in the live DOM of an article that has related cards, "Read deeper", a track's
# previous and next links and a call to action.
FAULTS: dict[str, tuple[Rule, str]] = {
    "a related card repeated": (duplicate_problems, """() => {
        const card = document.querySelector('[data-related-reasons]');
        card.parentElement.append(card.cloneNode(true)); }"""),
    "a related card for the next step": (track_step_problems, f"""() => {{
        document.querySelector('#related-heading + .cards .card-title a').href = '../{TRACK_STEP}/'; }}"""),
    "Read deeper to an entry piece": (deeper_problems, f"""() => {{
        const card = document.querySelector('.read-deeper .card');
        card.querySelector('.card-title a').href = '../{ENTRY_PIECE}/';
        card.querySelector('.badge.depth').className = 'badge depth depth-entry'; }}"""),
    "a reason shown on its card": (scoring_problems, """() => {
        const card = document.querySelector('[data-related-reasons]');
        const note = document.createElement('p');
        note.textContent = card.dataset.relatedReasons;
        card.append(note); }"""),
    "a call to action repeated": (cta_problems, """() => {
        const link = document.querySelector('a[data-cta-placement]');
        link.parentElement.append(link.cloneNode(true)); }"""),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_each_rule_catches_a_planted_fault(sample: Sample, browser: Browser, fault: str) -> None:
    rule, plant = FAULTS[fault]
    path = "articles/cloud-unit-cost-model/"
    context = browser.new_context(viewport=WIDTHS["desktop"])  # type: ignore[arg-type]
    try:
        page = context.new_page()
        clean = Shown(path, "desktop", _collect(page, sample.url + path))
        page.evaluate(plant)
        broken = Shown(path, "desktop", page.evaluate(FACTS))
    finally:
        context.close()
    assert rule(clean, sample) == []
    assert rule(broken, sample), f"the rule did not see {fault}"
