"""The interface's message catalogues: extract themehub's messages and merge them into each language.

    python scripts/messages.py            # write locales/themehub.pot, merge it into every themehub.po
    python scripts/messages.py --check    # exit 1 if the template is stale or a language lacks a message
    python scripts/messages.py --new ko   # start a catalogue for another language

Messages come from the built-in templates (`_()`, `gettext`, `ngettext`, `pgettext`, `{% trans %}`)
and from the Python modules that build what pages show (`_()` and `N_()`). A message new in the
template is added to every catalogue untranslated (and shows in English until it is translated); one
that is gone is dropped. `tests/unit/test_messages.py` runs the check, so a template change that adds
a message fails the tests until every shipped language translates it.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "themehub"
LOCALES = PACKAGE / "locales"
TEMPLATES = PACKAGE / "themes" / "default" / "templates"
PYTHON_SOURCES = ("render/pages.py", "hub/ctas.py")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
COMMENT_TAGS = ("Translators:",)
HEADER = "Messages of themehub's built-in presentation theme."


def extracted() -> Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]:
    """(file, line, message, translator comments, context) for every message, files in a fixed order."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        for line, message, comments, context in extract_from_file(
                "jinja2.ext:babel_extract", str(path), keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                options={"trimmed": "true", "extensions": ""}, strip_comment_tags=True):
            yield path.relative_to(PACKAGE).as_posix(), line, message, comments, context
    for rel in PYTHON_SOURCES:
        for line, message, comments, context in extract_from_file(
                "python", str(PACKAGE / rel), keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True):
            yield rel, line, message, comments, context


def data_messages() -> Iterator[tuple[str, int | None, str, None]]:
    """Words of themehub's own that reach pages as data, not as calls: the default depth labels and
    type names, the subscribe button's default label, and the index titles and theme listing headings
    of the content kinds."""
    sys.path.insert(0, str(PACKAGE.parent))
    from themehub.brand import Subscribe
    from themehub.config import DEFAULT_DEPTHS, DEFAULT_TYPES
    from themehub.content.kinds import KINDS
    from themehub.i18n import type_name

    for _key, label in DEFAULT_DEPTHS:
        yield "config.py", None, label, None
    for key, _depth in DEFAULT_TYPES:
        yield "config.py", None, type_name(key), None
    yield "brand.py", None, next(str(f.default) for f in dataclasses.fields(Subscribe) if f.name == "label"), None
    for kind in KINDS:
        for words in (kind.index_title, kind.theme_listing):
            if words:
                yield f"content/{kind.name}.py", None, words, None


def template_catalogue() -> Catalog:
    catalogue = Catalog(project="themehub", domain="themehub", header_comment=f"# {HEADER}", fuzzy=False)
    for file, line, message, comments, context in extracted():
        catalogue.add(message, locations=[(file, line)], context=context, auto_comments=comments)
    for file, line, message, context in data_messages():
        catalogue.add(message, locations=[(file, line)], context=context)
    return catalogue


def po_bytes(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    # Locations name the file, not the line: a line moved by an unrelated edit leaves the catalogues as they are.
    write_po(out, catalogue, width=100, omit_header=False, sort_output=False, no_location=False,
             include_previous=False, include_lineno=False)
    return out.getvalue()


def _without_dates(data: bytes) -> bytes:
    """A catalogue's bytes without the header lines Babel dates on every write."""
    return b"\n".join(line for line in data.split(b"\n")
                      if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:')))


def languages() -> list[Path]:
    return sorted(LOCALES.glob("*/LC_MESSAGES/themehub.po"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is out of date")
    parser.add_argument("--new", metavar="LANG", help="start the catalogue of another language")
    args = parser.parse_args(argv)
    template = template_catalogue()
    if args.new:
        path = LOCALES / args.new / "LC_MESSAGES" / "themehub.po"
        if path.exists():
            print(f"{path.relative_to(PACKAGE)} exists already", file=sys.stderr)
            return 1
        catalogue = Catalog(locale=args.new, project="themehub", domain="themehub",
                            header_comment=f"# {HEADER}", fuzzy=False)
        for message in template:
            if message.id:
                catalogue.add(message.id, locations=message.locations, flags=message.flags,
                              auto_comments=message.auto_comments, context=message.context)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(catalogue))
    pot = LOCALES / "themehub.pot"
    problems: list[str] = []
    fresh = po_bytes(template)
    if not pot.is_file() or _without_dates(pot.read_bytes()) != _without_dates(fresh):
        if args.check:
            problems.append(f"{pot.relative_to(PACKAGE)} is out of date: run python scripts/messages.py")
        else:
            LOCALES.mkdir(parents=True, exist_ok=True)
            pot.write_bytes(fresh)
    for path in languages():
        with path.open("rb") as source:
            catalogue = read_po(source, domain="themehub")
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        missing = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy
                                                         or (isinstance(m.string, tuple) and not all(m.string)))]
        merged = po_bytes(catalogue)
        if args.check:
            if _without_dates(path.read_bytes()) != _without_dates(merged):
                problems.append(f"{path.relative_to(PACKAGE)} is not merged with the template: "
                                "run python scripts/messages.py")
            problems += [f"{path.relative_to(PACKAGE)}: no translation of {m!r}" for m in missing]
        else:
            path.write_bytes(merged)
            if missing:
                print(f"{path.relative_to(PACKAGE)}: {len(missing)} messages to translate")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
