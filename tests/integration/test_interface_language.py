"""themehub's own words on the pages (headings, buttons, page titles, listing sentences) and its dates
follow the site's `language:`: German, French, Spanish and Japanese ship with it (themehub/locales/).
An English site is unchanged; a language without a catalogue gets English words and a warning."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers import NOW, codes, copy_sample, in_one_language, page, run_build
from themehub.i18n import LOCALES

ARTICLE = "articles/cloud-unit-cost-model/"
ARTICLE_DATE = "2025-04-08"  # content/articles/cloud-unit-cost-model.md
# Written out by hand, not by Babel: what a reader of each language expects for 8 April 2025.
LONG_DATES = {"de": "8. April 2025", "fr": "8 avril 2025", "es": "8 de abril de 2025", "ja": "2025年4月8日"}
PAGES = ("", "themes/", ARTICLE, "authors/", "services/", "tags/", "search/", "404.html")


def catalogue(language: str) -> dict[str, str]:
    """msgid -> msgstr of a shipped catalogue (singular messages without placeholders: those a page
    shows exactly as they are)."""
    with (LOCALES / language / "LC_MESSAGES" / "themehub.po").open("rb") as source:
        messages = read_po(source)
    return {m.id: m.string for m in messages
            if isinstance(m.id, str) and m.id and isinstance(m.string, str) and "%" not in m.id and "<" not in m.id}


def built(tmp_path: Path, language: str) -> Path:
    site = copy_sample(tmp_path / language)
    in_one_language(site, language)
    result = run_build(site, now=NOW)
    assert result.ok, [d for d in result.diagnostics if d.is_error]
    return site / "site"


def visible_text(out: Path, url: str) -> str:
    return " ".join(text_nodes(out, url))


def text_nodes(out: Path, url: str) -> list[str]:
    """The page's text, one entry per run of text between two tags (scripts and styles left out)."""
    text = (out / (url if url.endswith(".html") else url + "index.html")).read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", "<>", text, flags=re.S)
    return [" ".join(html.unescape(node).split()) for node in re.split(r"<[^>]*>", text) if node.strip()]


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("en"), "en")


@pytest.mark.parametrize("language", ["de", "fr", "es", "ja"])
def test_the_interface_is_in_the_sites_language(tmp_path: Path, english: Path, language: str) -> None:
    out = built(tmp_path, language)
    words = catalogue(language)
    assert len(words) > 60
    shown = 0
    for url in PAGES:
        english_nodes, translated_text = text_nodes(english, url), visible_text(out, url)
        for msgid, msgstr in words.items():
            # A message the English page shows as a whole run of text (a heading, a label, a button).
            if msgid != msgstr and msgid in english_nodes:
                assert " ".join(msgstr.split()) in translated_text, f"{url}: {msgid!r} is not shown as {msgstr!r}"
                shown += 1
    assert shown > 25, "the pages show many of the interface's words"
    doc = page(out, "/insights/" + ARTICLE)
    assert doc.one("html").attrs["lang"] == language
    assert LONG_DATES[language] in visible_text(out, ARTICLE)


def test_an_english_site_keeps_english_words_and_dates(english: Path) -> None:
    text = visible_text(english, ARTICLE)
    assert "8 April 2025" in text and "Read deeper" in text


def test_a_language_without_a_catalogue_is_english_with_a_warning(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "nl")
    in_one_language(site, "nl")
    result = run_build(site, now=NOW)
    assert result.ok
    [warning] = [d for d in result.diagnostics if d.code == "interface-untranslated"]
    assert (warning.file, warning.line, warning.severity) == ("themehub.yaml", 4, "warning")
    assert "'nl'" in warning.message and "de" in warning.hint and "ja" in warning.hint
    text = visible_text(site / "site", ARTICLE)
    assert "Read deeper" in text
    assert "8 april 2025" in text, "dates follow the language's own conventions even so (CLDR knows Dutch)"
    assert page(site / "site", "/insights/" + ARTICLE).one("html").attrs["lang"] == "nl"


def test_a_regional_language_takes_its_languages_catalogue(tmp_path: Path) -> None:
    out = built(tmp_path, "de-AT")
    assert catalogue("de")["Read deeper"] in visible_text(out, ARTICLE)
    assert "interface-untranslated" not in codes(run_build(out.parent, now=NOW).diagnostics)


def test_a_right_to_left_language_is_laid_out_right_to_left(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "ar")
    in_one_language(site, "ar")
    assert run_build(site, now=NOW).ok
    root = page(site / "site", "/insights/" + ARTICLE).one("html")
    assert (root.attrs["lang"], root.attrs.get("dir")) == ("ar", "rtl")


def test_a_language_tag_never_names_a_catalogue_outside_themehub(tmp_path: Path) -> None:
    """`language:` comes from a pull request like content: a tag that walks out of themehub's own
    catalogues to one the pull request added must not put its words (here a script) on the pages."""
    site = copy_sample(tmp_path / "hub")
    evil = site / "static" / "evil" / "LC_MESSAGES"
    evil.mkdir(parents=True)
    (evil / "themehub.po").write_text('msgid "Read deeper"\nmsgstr "<script>alert(1)</script>"\n', encoding="utf-8")
    tag = os.path.relpath(evil.parent, LOCALES)
    assert tag.startswith("..")
    in_one_language(site, tag)
    result = run_build(site, now=NOW)
    assert "interface-untranslated" in codes(result.diagnostics)
    assert result.ok
    text = (site / "site" / ARTICLE / "index.html").read_text(encoding="utf-8")
    assert "alert(1)" not in text and "Read deeper" in text


HOME_TEMPLATE = "themes/default/templates/home.html"
OWN_HOME = ('{% extends "!default/home.html" %}{% block main %}\n<p class="promise">{{ _("Our promise") }}</p>'
            '\n{{ super() }}{% endblock %}')


def theme_catalogue(site: Path, language: str, entries: dict[str, str]) -> Path:
    path = site / "themes" / "default" / "locales" / language / "LC_MESSAGES" / "themehub.po"
    path.parent.mkdir(parents=True)
    path.write_text("".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in entries.items()), encoding="utf-8")
    return path


def test_a_message_of_the_sites_own_templates_without_a_translation_is_named_at_its_line(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    in_one_language(site, "de")
    (site / HOME_TEMPLATE).parent.mkdir(parents=True)
    (site / HOME_TEMPLATE).write_text(OWN_HOME, encoding="utf-8")
    result = run_build(site, now=NOW)
    assert result.ok
    [warning] = [d for d in result.diagnostics if d.code == "message-untranslated"]
    assert (warning.file, warning.line, warning.severity) == (HOME_TEMPLATE, 2, "warning")
    assert "'Our promise'" in warning.message and "'de'" in warning.message
    assert "themes/default/locales/de/LC_MESSAGES/themehub.po" in warning.hint
    assert '<p class="promise">Our promise</p>' in (site / "site" / "index.html").read_text(encoding="utf-8")


def test_a_themes_own_catalogue_translates_its_messages_and_rewords_themehubs(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    in_one_language(site, "de")
    (site / HOME_TEMPLATE).parent.mkdir(parents=True)
    (site / HOME_TEMPLATE).write_text(OWN_HOME, encoding="utf-8")
    theme_catalogue(site, "de", {"Our promise": "Unser Versprechen", "Read deeper": "Weiterlesen"})
    result = run_build(site, now=NOW)
    assert result.ok and "message-untranslated" not in codes(result.diagnostics)
    assert '<p class="promise">Unser Versprechen</p>' in (site / "site" / "index.html").read_text(encoding="utf-8")
    article = visible_text(site / "site", ARTICLE)
    assert "Weiterlesen" in article and catalogue("de")["Read deeper"] not in article
    assert catalogue("de")["Skip to content"] in article, "the rest stays themehub's translation"


def test_an_english_theme_may_reword_themehubs_words(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    theme_catalogue(site, "en", {"Read deeper": "Keep reading", "Our experts": "The team"})
    result = run_build(site, now=NOW)
    assert result.ok and "message-untranslated" not in codes(result.diagnostics)
    assert "Keep reading" in visible_text(site / "site", ARTICLE)
    assert "The team" in visible_text(site / "site", "authors/")


def test_a_theme_catalogue_outside_the_site_is_never_read(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    outside = tmp_path / "outside.po"
    outside.write_text('msgid "Read deeper"\nmsgstr "<script>alert(1)</script>"\n', encoding="utf-8")
    link = site / "themes" / "default" / "locales" / "en" / "LC_MESSAGES" / "themehub.po"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    assert run_build(site, now=NOW).ok
    text = (site / "site" / ARTICLE / "index.html").read_text(encoding="utf-8")
    assert "alert(1)" not in text and "Read deeper" in text


def test_an_edited_catalogue_reaches_every_page_of_the_next_build(tmp_path: Path) -> None:
    """The catalogues are part of what every page is made from: pages kept from the last build (their
    fingerprints unchanged) would keep the old words."""
    site = copy_sample(tmp_path / "hub")
    path = theme_catalogue(site, "en", {"Read deeper": "Keep reading"})
    assert run_build(site, now=NOW).ok
    assert "Keep reading" in visible_text(site / "site", ARTICLE)
    path.write_text('msgid "Read deeper"\nmsgstr "Read on"\n', encoding="utf-8")
    assert run_build(site, now=NOW).ok
    text = visible_text(site / "site", ARTICLE)
    assert "Read on" in text and "Keep reading" not in text


def share_footers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> dict[tuple[str, str], str]:
    """The footer line of every share image a build of the sample in `language` draws."""
    from themehub.render.images.pipeline import ImagePipeline

    footers: dict[tuple[str, str], str] = {}
    real = ImagePipeline.share_image

    def recorded(self: ImagePipeline, kind: str, slug: str, **fields: object) -> str:
        footers[(kind, slug)] = str(fields["footer"])
        return real(self, kind, slug, **fields)  # type: ignore[arg-type]

    monkeypatch.setattr(ImagePipeline, "share_image", recorded)
    site = copy_sample(tmp_path / "hub")
    in_one_language(site, language)
    assert run_build(site, now=NOW).ok
    return footers


def test_share_images_carry_the_interfaces_words_and_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The footer line of a generated share image (what social networks show) is in the site's
    language: a theme's count of pieces, an event's date."""
    footers = share_footers(tmp_path, monkeypatch, "de")
    assert re.fullmatch(r"\d+ Beiträge", footers[("themes", "cloud-economics")])
    assert footers[("events", "cloud-costs-live-2027")].startswith("18. März 2027 · ")


def test_share_images_never_draw_words_their_font_lacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cards' font (DejaVu Sans) has no Japanese: rather than boxes, no count and an ISO date."""
    footers = share_footers(tmp_path, monkeypatch, "ja")
    assert footers[("themes", "cloud-economics")] == ""
    assert footers[("events", "cloud-costs-live-2027")].startswith("2027-03-18 · ")


@pytest.mark.parametrize(("po", "line", "says"), [
    ('msgid "Read deeper"\nmsgstr "Mehr"\n\nmsgid "Search %(site)s"\nmsgstr "Suche in %(seite)s"\n', 4, "placeholder"),
    ('msgid ""\nmsgstr "Content-Type: text/plain; charset=klingon\\n"\n', 1, "cannot be read"),
    (b'msgid "Read deeper"\nmsgstr "\xff\xfe"\n', 1, "cannot be read"),
])
def test_a_broken_theme_catalogue_is_an_error_at_its_line_and_the_site_is_kept(
        tmp_path: Path, po: str | bytes, line: int, says: str) -> None:
    site = copy_sample(tmp_path / "hub")
    in_one_language(site, "de")
    assert run_build(site, now=NOW).ok
    before = (site / "site" / ARTICLE / "index.html").read_bytes()
    path = theme_catalogue(site, "de", {})
    path.write_bytes(po.encode() if isinstance(po, str) else po)
    result = run_build(site, now=NOW)
    assert not result.ok
    [problem] = [d for d in result.diagnostics if d.code == "bad-catalogue"]
    assert (problem.file, problem.line, problem.severity) == ("themes/default/locales/de/LC_MESSAGES/themehub.po",
                                                              line, "error")
    assert says in problem.message
    assert (site / "site" / ARTICLE / "index.html").read_bytes() == before
