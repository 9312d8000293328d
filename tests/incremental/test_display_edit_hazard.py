"""The hazard of the display-edit proof (render/reuse.py `proven_unchanged`, hub/display.py).

A rebuild after an edit of only an article's title, summary or image description fingerprints just the
pages whose context held that article at the last render (CachedPage.items), and keeps every other
page's fingerprint unread. That is exact only while (1) the hub never orders, groups, ranks or counts
articles by those fields, and (2) no page copies one of them into its context without the article
itself (a call to action labelled with a title, a breadcrumb built as text). Either would leave a stale
page that no byte-for-byte test of one chosen article would notice.

So this walks every article file of the sample hub, translations too, in every language's hub: it edits
the three display fields in the file, loads the site again, and recomputes every page's fingerprint.
Every page whose fingerprint changed must be one the proof looks at.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from markupsafe import Markup
from tests.helpers import NOW, copy_sample

from themehub.build import BuildOptions, load_site
from themehub.content.model import Article
from themehub.hub.display import DISPLAY_FIELDS, shape_digest
from themehub.hub.graph import Hub
from themehub.render.pages import PageInputs, all_pages
from themehub.render.renderpass import page_fingerprint

PagePrints = dict[str, tuple[str, frozenset[str] | None]]
"""Page URL -> its fingerprint and the content files of the items its context holds."""


def hubs(site: Path, parsed: dict) -> dict[str, Hub]:
    loaded = load_site(BuildOptions(site=site, now=NOW), parse_cache=parsed)
    assert loaded.hub is not None and not [d for d in loaded.diagnostics if d.is_error], loaded.diagnostics
    return {hub.language.code: hub for hub in (loaded.hub, *loaded.languages)}


def page_prints(hub: Hub) -> PagePrints:
    # Bodies as the pages hold them, one Markup per file; no edit here touches one.
    bodies = {item.source: Markup(f"<p>{item.source}</p>") for item in hub.items_with_pages()}
    memo: dict = {}
    return {spec.url: page_fingerprint("site", spec, memo) for spec in all_pages(PageInputs(hub, bodies))}


def articles(hub: Hub) -> dict[str, Article]:
    return {article.source: article for article in hub.content.articles}


EDITS = ("!{}", "~ {} (edited)")
"""Two edits of each field: one sorting before anything and one after, of two lengths, so that an order
or a grouping by these fields would move the article (and be caught) whatever it compares."""


def edit_display_fields(path: Path, article: Article, edit: str) -> None:
    """The three display fields given new values in the file's front matter (added where absent)."""
    text = path.read_text(encoding="utf-8")
    head, body = text[4:].split("\n---\n", 1)
    lines = head.split("\n")
    for name in sorted(DISPLAY_FIELDS):
        value = json.dumps(edit.format(getattr(article, name)), ensure_ascii=False)  # JSON strings are YAML
        at = [i for i, line in enumerate(lines) if line.startswith(f"{name}:")]
        assert len(at) <= 1 and all(not lines[i + 1:i + 2] or not lines[i + 1].startswith(" ") for i in at), \
            f"{path.name}: '{name}' written over several lines; edit this test to handle it"
        if at:
            lines[at[0]] = f"{name}: {value}"
        else:
            lines.append(f"{name}: {value}")
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def test_a_display_edit_of_any_article_changes_only_pages_that_held_it(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    parsed: dict = {}
    before = hubs(site, parsed)
    prints = {code: page_prints(hub) for code, hub in before.items()}
    files = sorted((site / "content/articles").rglob("*.md"))
    assert len(files) >= 20 and any(".de." in f.name for f in files)
    looked_at = 0
    for file, edit in ((file, edit) for file in files for edit in EDITS):
        original = file.read_text(encoding="utf-8")
        source = file.relative_to(site).as_posix()
        article = next(a for hub in before.values() for a in hub.content.articles if a.source == source)
        edit_display_fields(file, article, edit)
        after = hubs(site, parsed)
        for code, hub in after.items():
            old, new = articles(before[code]), articles(hub)
            edited = {s for s, a in new.items() if a.meta_digest != old[s].meta_digest}
            # What the hub reads of each edited article is unchanged (the proof's first condition).
            assert all(shape_digest(new[s]) == shape_digest(old[s]) for s in edited), (file.name, code)
            assert all(getattr(new[s], f) == getattr(old[s], f) for s in edited
                       for f in ("slug", "date", "themes", "tags", "authors", "depth", "type", "draft"))
            now = page_prints(hub)
            assert list(now) == list(prints[code]), f"{file.name}: the pages of {code} are not the same pages"
            changed = {url for url in now if now[url][0] != prints[code][url][0]}
            looked = {url for url, (_, items) in prints[code].items() if items is None or items & edited}
            assert changed <= looked, f"{file.name} in {code}: stale pages {sorted(changed - looked)}"
            looked_at += len(changed)
        file.write_text(original, encoding="utf-8")
    assert looked_at >= 10 * len(files) * len(EDITS)  # edits that show: listings, cards, the article's own page


def test_the_walk_finds_items_however_deep_they_sit(tmp_path: Path) -> None:
    # An article inside a record inside a tuple inside a mapping is held; a copy of its title is not,
    # which is why the hazard test above must hold for every page.
    site = copy_sample(tmp_path / "hub")
    hub = hubs(site, {})["en"]
    article = hub.content.articles[0]

    @dataclasses.dataclass(frozen=True)
    class Card:
        label: str
        piece: Article | None

    spec = next(spec for spec in all_pages(PageInputs(hub, {})) if spec.url == "")
    deep = dataclasses.replace(spec, context={"cards": {"first": (Card("x", article),)}})
    copied = dataclasses.replace(spec, context={"cards": {"first": (Card(article.title, None),)}})
    assert page_fingerprint("site", deep, {})[1] == {article.source}
    assert page_fingerprint("site", copied, {})[1] == frozenset()
