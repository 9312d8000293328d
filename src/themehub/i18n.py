"""The interface in the site's language: message catalogues and locale-aware dates.

themehub's own words on every page (headings such as "Read deeper", buttons, page titles, the
sentences of listings) are gettext messages. The catalogues ship with themehub as `.po` files in
`themehub/locales/<lang>/LC_MESSAGES/themehub.po` and are compiled in memory when first used (Babel
reads them; no compiled `.mo` files are kept in the repository to go stale). English is the source
language: with no catalogue, a message is its own text, so an English site's pages are exactly what
the templates say.

Dates follow the language too: English keeps themehub's own "4 March 2026"; other languages take
the CLDR patterns that come with Babel ("4. März 2026", "2026年3月4日"), which depend on Babel's
version only, never on the machine's locale, so builds stay reproducible.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from collections.abc import Callable
from pathlib import Path

from themehub.dates import format_date
from themehub.source.files import file_stamp

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "themehub"
SOURCE_LANGUAGE = "en"


def type_name(key: str) -> str:
    """A content type as pages name it, in English: its key with spaces ("case study")."""
    return key.replace("-", " ")


def _names(language: str) -> list[str]:
    """The catalogue names a BCP 47 tag may use, most specific first: `pt-BR` -> pt_BR, pt."""
    parts = language.replace("_", "-").split("-")
    return list(dict.fromkeys(["_".join([parts[0].lower(), *[p.upper() if len(p) == 2 else p for p in parts[1:]]]),
                               parts[0].lower()]))


def _found(folder: Path) -> dict[str, Path]:
    """Language -> catalogue, for the catalogues in a `locales/` folder."""
    return {path.parent.parent.name: path for path in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))}


def catalogue_path(language: str) -> Path | None:
    """The catalogue for a BCP 47 language tag: its own (`pt-BR` -> `pt_BR`), else its language's
    (`de-AT` -> `de`); None for English and for languages themehub has no catalogue of. The tag comes
    from themehub.yaml: it only ever selects one of the catalogues found in `locales/`, never names a
    path (`language: ../../static/x` must not load a catalogue of a pull request's making)."""
    for name in _names(language):
        if name == SOURCE_LANGUAGE:
            return None
        if name in _catalogues():
            return _catalogues()[name]
    return None


@functools.cache
def _catalogues() -> dict[str, Path]:
    """Language -> its catalogue, for every catalogue themehub ships."""
    return _found(LOCALES)


def theme_catalogue(root: Path, theme: str, language: str) -> Path | None:
    """The site's own presentation theme's catalogue for `language`
    (`themes/<theme>/locales/<lang>/LC_MESSAGES/themehub.po`): its words for its own templates' messages,
    and its rewording of themehub's (English included). Found among the files there, never by a path
    made of the tag, and read only when its real path lies inside the site."""
    folder = root / "themes" / theme / "locales"
    if not folder.is_dir():
        return None
    found = _found(folder)
    for name in _names(language):
        path = found.get(name)
        if path is not None and path.is_file() and path.resolve().is_relative_to(root.resolve()):
            return path
    return None


def is_source_language(language: str) -> bool:
    """Whether a tag names English (`en`, `en-GB`, `EN_us`), the language of the messages themselves."""
    return language.replace("_", "-").split("-")[0].lower() == SOURCE_LANGUAGE


def has_interface(language: str) -> bool:
    """Whether themehub's interface is in `language` (English, or a language with a catalogue)."""
    return is_source_language(language) or catalogue_path(language) is not None


def shipped_languages() -> tuple[str, ...]:
    """The languages themehub's interface is translated into, English first."""
    return (SOURCE_LANGUAGE, *_catalogues())


def translations(language: str, own: Path | None = None) -> gettext.NullTranslations:
    """The interface's messages in `language` (English, the messages themselves, when there is no
    catalogue), with the theme's own catalogue `own` over them. Fuzzy and empty entries are left out:
    such a message shows in English."""
    shipped = catalogue_path(language)
    if own is None or catalogue_problems(own):
        return _translations(shipped, "")  # a broken catalogue of the theme's is reported, never used
    return _translations(shipped, own, file_stamp(own))  # an edited catalogue is read again (`serve`)


def catalogue_problems(path: Path) -> list[tuple[int, str]]:
    """What is wrong with a catalogue, at its lines: a file Babel cannot read, or a translation whose
    placeholders differ from its message's (it would fail every page that shows it)."""
    return list(_catalogue(path, file_stamp(path))[1])


@functools.cache
def _catalogue(path: Path, stamp: str) -> tuple[bytes, tuple[tuple[int, str], ...]]:
    """A catalogue read once: compiled to gettext's binary form in memory (b"" when it cannot be), and
    what is wrong with it. `stamp` is the file's size and mtime, so an edited file is read again."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    compiled = io.BytesIO()
    try:
        with path.open("rb") as source:
            catalogue = read_po(source, domain=DOMAIN, abort_invalid=True)
        write_mo(compiled, catalogue)
    except (PoFileError, ValueError, LookupError, OSError) as exc:  # LookupError: an unknown charset
        return b"", ((getattr(exc, "lineno", 1) or 1, f"the catalogue cannot be read: {exc}"),)
    return compiled.getvalue(), tuple((message.lineno or 1, f"the translation of '{str(message.id)[:60]}' {error}")
                                      for message, errors in catalogue.check() for error in errors)


@functools.cache
def _translations(shipped: Path | None, own: Path | str, stamp: str = "") -> gettext.NullTranslations:
    if shipped is None and not own:
        return gettext.NullTranslations()
    from babel.support import Translations

    def compiled(path: Path) -> io.BytesIO:
        return io.BytesIO(_catalogue(path, file_stamp(path))[0])

    words = Translations(compiled(shipped), domain=DOMAIN) if shipped is not None else None
    if own:
        theirs = Translations(compiled(Path(own)), domain=DOMAIN)
        if words is None:
            return theirs
        words.merge(theirs)  # the theme's translation of a message wins
    assert words is not None
    return words


def translates(words: gettext.NullTranslations, function: str, message: str | tuple[str | None, ...]) -> bool:
    """Whether `words` holds a translation of a message as Jinja's extraction gives it: `_("x")` and
    `gettext` a text, `ngettext` (singular, plural, …), `pgettext` (context, text)."""
    catalogue: dict[object, str] = getattr(words, "_catalog", {})
    if isinstance(message, str):
        return message in catalogue
    if function in ("pgettext", "npgettext") and len(message) >= 2:
        return f"{message[0]}\x04{message[1]}" in catalogue or (f"{message[0]}\x04{message[1]}", 0) in catalogue
    return (message[0], 0) in catalogue


def text_direction(language: str) -> str:
    """'rtl' for languages written right to left (Arabic, Hebrew, Persian, Urdu…), else 'ltr'. English
    is known without Babel: importing it and loading a locale's data cost 40 ms of every build."""
    if is_source_language(language):
        return "ltr"
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_")).text_direction
    except (ValueError, UnknownLocaleError):
        return "ltr"


def date_formatter(language: str) -> Callable[..., str]:
    """The `date` filter for `language`: 'long' (4 March 2026), 'short' (Mar 2026), 'iso', 'time'."""
    if is_source_language(language):
        return format_date
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date as babel_date
    from babel.dates import format_skeleton

    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return format_date

    def localized(value: dt.datetime | dt.date | None, style: str = "long") -> str:
        if value is None or style in ("iso", "time"):
            return format_date(value, style)
        day = value.date() if isinstance(value, dt.datetime) else value
        if style == "short":
            return format_skeleton("yMMM", day, locale=locale)
        return babel_date(day, "long", locale=locale)

    return localized
