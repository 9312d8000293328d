"""Multilingual hubs: one hub per language, made from one load of the content, and the addresses that
join them.

The default language's hub is the site as it always was, at the root. Each other language gets a hub
of its own (`language_contents`): its articles and events are the translations into it (a piece
nobody translated is not listed in that language), and every other item (theme, SME, service, track,
page) is its translation where there is one, else the original, so that every reference still
resolves. Only translated items get pages in that language, under its folder (`/de/`); a link to one
that is not translated goes to the default language's page (`Localization.href`).

Items are joined across languages by identity: a translation keeps its original's slug, and publishes
under its own (`slug:` in the translation) where it has one. `Versions` holds, for every item page,
where it lives in each language: the hreflang alternates and the language switcher come from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from themehub import urls
from themehub.config import Config, Language
from themehub.content.kinds import KINDS, kind_of
from themehub.content.model import Content, Item

ONLY_TRANSLATED = frozenset({"articles", "events"})
"""Kinds listed in a language only where translated into it: a listing of English pieces on a German
page is not a German listing. Every other kind stands in for itself where untranslated."""

LISTINGS = ("", "themes/", "authors/", "services/", "tags/", "search/")
"""Listings every language has; a kind's index (tracks/, events/) only where it has items."""


@dataclass(frozen=True, slots=True)
class Versions:
    """Where each item's page is in each language, shared by every language's hub."""

    languages: tuple[Language, ...] = ()
    base_url: str = ""
    """The default language's base_url (the site root)."""
    pages: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Item page (as the default language addresses it: 'articles/x/') -> {language: its page there,
    from that language's root ('articles/y/')}. Only items with a translation are here."""
    fallback: Mapping[str, str] = field(default_factory=dict)
    """Article page -> its primary theme's page: where the switcher goes when the article has no version."""
    listings: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Language -> the listing pages it has ('', 'themes/', 'events/', …): each is its own version."""

    def shown(self) -> tuple[object, ...]:
        """Everything about the versions a page may show (its fingerprint's part, render/site.py)."""
        return (self.languages, self.base_url, sorted((k, sorted(v.items())) for k, v in self.pages.items()),
                sorted(self.fallback.items()), sorted((k, sorted(v)) for k, v in self.listings.items()))

    def home_of(self, code: str) -> str:
        """The absolute URL of a language's root."""
        lang = next((lang for lang in self.languages if lang.code == code), None)
        return self.base_url + urls.href(lang.path if lang is not None else "")

    def page_in(self, code: str, page: str, exact: bool, absolute: bool = True) -> str | None:
        """The URL of `page` (a default-language address) in language `code`: its version there, or
        (unless `exact`) the nearest page that language has: the piece's own page (from page 2 of its
        listing), its theme, then the language's home. A path from the host unless `absolute`."""
        lang = next((lang for lang in self.languages if lang.code == code), None)
        if lang is None:
            return None
        root = (self.base_url if absolute else urlsplit(self.base_url).path) + urls.href(lang.path)
        version = page if page in self.listings.get(code, ()) else self._version(page, code)
        if version is not None:
            return root + urls.href(version)
        if exact:
            return None
        owner = _owner(page)
        for candidate in (owner, self.fallback.get(owner, "")):
            version = self._version(candidate, code) if candidate else None
            if version is not None:
                return root + urls.href(version)
        return root

    def alternates(self, page: str) -> tuple[tuple[str, str], ...]:
        """(language, absolute URL) of every version of `page` (a default-language address), itself
        included, then `x-default` (the default language's): none for a page in one language only."""
        found = [(lang.code, url) for lang in self.languages if (url := self.page_in(lang.code, page, exact=True))]
        if len(found) < 2:
            return ()
        return (*found, ("x-default", found[0][1]))

    def _version(self, page: str, code: str) -> str | None:
        if code == self.languages[0].code:
            return page  # every translated page has its original
        if page in self.listings.get(self.languages[0].code, ()):
            return None  # a listing the language lacks
        return self.pages.get(page, {}).get(code)


@dataclass(frozen=True, slots=True)
class Localization:
    """How one language's pages address the site. For the default language (or a site in one language)
    every method is what it always was: base_url's path and the address."""

    code: str = ""
    folder: str = ""
    """'de/' for a language below the root; '' for the default language."""
    base_path: str = "/"
    base_url: str = ""
    shared_base_path: str = "/"
    shared_base_url: str = ""
    moved: Mapping[str, str] = field(default_factory=dict)
    """Item page -> its address in this language, where its translation has a `slug:` of its own."""
    elsewhere: frozenset[str] = frozenset()
    """Item pages this language does not have (not translated): links to them go to the default language."""
    elsewhere_files: Mapping[str, str] = field(default_factory=dict)
    """Content file -> its page, for items whose page is only in the default language: what a link in a
    translated body to one of their files resolves to."""
    versions: Versions = field(default_factory=Versions)
    listed: frozenset[str] | None = None
    """Once its pages are listed (render/site.py): every page and feed this language renders. A listing
    it lacks (no piece in it is translated) is then linked in the default language too."""

    @property
    def is_default(self) -> bool:
        return not self.folder

    def has_page(self, path: str) -> bool:
        """Whether this language has the page at `path` (a default-language address)."""
        if self.is_default:
            return True
        if self.listed is not None:
            return path in self.listed
        return _owner(path) not in self.elsewhere

    def local(self, path: str) -> str:
        """`path` as this language names it (a translated slug), from this language's root."""
        owner = _owner(path)
        moved = self.moved.get(owner)
        return moved + path[len(owner):] if moved is not None else path

    def output(self, rel: str) -> str:
        """Where a file of this language's render is written, from the site root."""
        return rel if self.is_default else self.folder + self.local(rel)

    def href(self, path: str) -> str:
        """The link to the site path `path` (which may end in '?…' or '#…') from a page of this language."""
        return self._address(path, self.base_path, self.shared_base_path)

    def absolute(self, path: str) -> str:
        """`href`, as a full URL (canonical links, feeds, the sitemap)."""
        return self._address(path, self.base_url, self.shared_base_url)

    def _address(self, path: str, own: str, root: str) -> str:
        """`path` after `own` (this language's base) or `root` (the site's), in its translated form."""
        if self.is_default:
            return own + urls.href(path)
        bare = path.split("#", 1)[0].split("?", 1)[0]
        if self._at_root(bare):
            return root + urls.href(path)
        return own + urls.href(self.local(bare) + path[len(bare):])

    def _at_root(self, path: str) -> bool:
        """Whether a link to `path` from this language's pages goes to the root: a shared file, or a
        page this language does not have. Its search index is its own."""
        if path.split("/", 1)[0] == "pagefind" or (self.listed is not None and path in self.listed):
            return False  # its own index, or one of its own files (its 404.html too)
        return _is_shared(path) or not self.has_page(path)


def _is_shared(path: str) -> bool:
    """Files every language shares, at the root: assets, images, icons (anything but a page, a feed,
    the hub graph and the search index, which are each language's own)."""
    if path.startswith("assets/"):
        return True
    return not (path == "" or path.endswith("/") or path.endswith("feed.xml") or path in ("hub.json", "sitemap.xml"))


_SECTIONS = frozenset(kind.section for kind in KINDS if kind.section)


def _owner(path: str) -> str:
    """The item page a site path belongs to ('articles/x/' for 'articles/x/page/2/'): its first two
    folders below a section, or its first folder for a page at the root ('about/')."""
    parts = path.split("/")
    if len(parts) >= 3 and parts[0] in _SECTIONS:
        return f"{parts[0]}/{parts[1]}/"
    return f"{parts[0]}/" if len(parts) >= 2 else path


def language_contents(content: Content, config: Config) -> dict[str, Content]:
    """Each language's content but the default's (which is `content`): translations in place of their
    originals; an article or event only where translated."""
    by_language: dict[str, dict[str, Item]] = {}
    for item in content.translations:
        by_language.setdefault(item.language, {})[item.original] = item
    found: dict[str, Content] = {}
    for lang in config.languages[1:]:
        translated = by_language.get(lang.code, {})
        folders = tuple(
            (folder, tuple(translated.get(item.source, item)
                           for item in items if item.source in translated or folder not in ONLY_TRANSLATED))
            for folder, items in content.folders)
        found[lang.code] = dataclasses.replace(content, folders=folders, translations=())
    return found


def versions(content: Content, config: Config, primary_theme: Mapping[str, str],
             listings: Mapping[str, frozenset[str]]) -> Versions:
    """Where each translated item's page is, in each language. `primary_theme`: article slug -> its
    primary theme's slug (the switcher's fallback); `listings`: each language's listing pages."""
    if not config.languages:
        return Versions()
    pages: dict[str, dict[str, str]] = {}
    for item in content.translations:
        kind = kind_of(item)
        pages.setdefault(kind.url(item.slug), {})[item.language] = kind.url(item.localized_slug or item.slug)
    fallback = {urls.article(slug): urls.theme(theme) for slug, theme in primary_theme.items()}
    return Versions(config.languages, config.base_url, pages, fallback, listings)


def localization(config: Config, code: str, language_content: Content,
                 default_pages: Iterable[Item], shared: Versions) -> Localization:
    """How the pages of language `code` (not the default) address the site."""
    own = {item.source: item for item in language_content.items() if item.language == code}
    moved = {kind_of(item).url(item.slug): kind_of(item).url(item.localized_slug)
             for item in own.values() if item.localized_slug}
    translated_pages = {kind_of(item).url(item.slug) for item in own.values()}
    elsewhere_files: dict[str, str] = {}
    for item in default_pages:
        page = kind_of(item).url(item.slug)
        if page not in translated_pages:
            elsewhere_files[item.source] = page
    for item in own.values():
        elsewhere_files.pop(item.original, None)
    language = config.for_language(code)
    return Localization(
        code=code, folder=language.language_path, base_path=language.base_path, base_url=language.base_url,
        shared_base_path=language.shared_base_path, shared_base_url=config.base_url, moved=moved,
        elsewhere=frozenset(elsewhere_files.values()), elsewhere_files=elsewhere_files, versions=shared)


def default_localization(config: Config, shared: Versions | None = None) -> Localization:
    """The default language's (or a one-language site's): the root, and where its pages are in the others."""
    return Localization(code=config.language, base_path=config.base_path, base_url=config.base_url,
                        shared_base_path=config.base_path, shared_base_url=config.base_url,
                        versions=shared or Versions())
