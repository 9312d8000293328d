"""The interface's catalogues (themehub/locales/) are complete and well-formed: the template holds every
message the built-in theme and the page builders use, every shipped language translates every one of
them, and no translation drops, adds or renames a placeholder (which would fail at render time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from themehub.i18n import LOCALES, shipped_languages, translations

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = ("de", "es", "fr", "ja")


def test_every_language_themehub_ships_is_found() -> None:
    assert shipped_languages() == ("en", *LANGUAGES)


def test_the_catalogues_are_up_to_date_and_complete() -> None:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "messages.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_breaks_its_placeholders(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "themehub.po").open("rb") as source:
        catalogue = read_po(source, locale=language)
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalogue.check()]
    assert problems == []
    assert len(catalogue) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_catalogue_is_compiled_from_its_po_file(language: str) -> None:
    words = translations(language)
    assert words.gettext("Read deeper") != "Read deeper"
    assert words.gettext("not a message of themehub") == "not a message of themehub"
    one, many = (words.ngettext("A guided track of %(num)d step.", "A guided track of %(num)d steps.", n) % {"num": n}
                 for n in (1, 5))
    assert "1" in one and "5" in many
