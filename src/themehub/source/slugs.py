"""Slugs: the names items, tags and headings have in URLs and file names, in any script.

A slug is lowercase letters, marks and digits of any script, in Unicode normal form NFC, words joined
by single '-': `cloud-costs`, `云计算`, `ελληνικά`, `नमस्ते`. Lowercase is Unicode's lower case, not case
folding: folding would write a Greek final 'ς' as 'σ' (`περίπτωσης` -> `περίπτωσησ`) and 'ß' as 'ss'.
It becomes a folder name and the stem of a file name (`share/articles/<slug>.png`), so it is at
most 251 bytes of UTF-8: the file systems' 255-byte limit on a name, less the longest extension
themehub adds. In a URL it is percent-encoded (`urls.href`); on disk it is written as it is.
"""

from __future__ import annotations

import functools
import re
import unicodedata

MAX_SLUG_BYTES = 251
"""255 bytes per file or folder name (ext4, APFS, NTFS), less '.png' of a share image."""

_ASCII_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_ASCII_RUNS = re.compile(r"[^a-z0-9]+")


def _kept(ch: str) -> bool:
    """Letters, combining marks (Devanagari vowel signs, accents) and digits of every script."""
    return unicodedata.category(ch)[0] in "LMN"


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """`Cloud Costs` -> `cloud-costs`, `云计算 入门` -> `云计算-入门`: NFC, lowercase, every run of other
    characters one '-', cut to MAX_SLUG_BYTES at a character boundary. '' when nothing is left. Pure, so cached."""
    folded = unicodedata.normalize("NFC", text.lower())
    if folded.isascii():
        slug = _ASCII_RUNS.sub("-", folded).strip("-")
    else:
        slug = "".join(ch if _kept(ch) else "-" for ch in folded)
        slug = re.sub(r"-{2,}", "-", slug).strip("-")
        slug = unicodedata.normalize("NFC", slug)
    return _shortened(slug)


def _shortened(slug: str) -> str:
    if len(slug) <= MAX_SLUG_BYTES // 4 or len(slug.encode("utf-8")) <= MAX_SLUG_BYTES:
        return slug
    cut = slug.encode("utf-8")[:MAX_SLUG_BYTES].decode("utf-8", "ignore")
    return cut.rstrip("-")


def is_slug(text: str) -> bool:
    """Whether `text` is a slug as it is (what a file name or a `slug:` must be)."""
    if text.isascii():
        return bool(_ASCII_SLUG.match(text)) and len(text) <= MAX_SLUG_BYTES
    return slug_problem(text) is None


def slug_problem(text: str) -> tuple[str, str] | None:
    """Why `text` is not a slug, and the slug it would become; None when it is one. Each way a slug can
    be wrong has its own words, so the author knows what to change."""
    suggestion = slugify(text)
    size = len(text.encode("utf-8"))
    if not suggestion:
        return "has no letters or digits to make an address from", ""
    if size > MAX_SLUG_BYTES:
        return (f"is {size} bytes long; a slug is at most {MAX_SLUG_BYTES} bytes (it becomes a folder and a file "
                "name)", suggestion)
    if text == suggestion:
        return None
    if unicodedata.normalize("NFC", text) != text:
        return "is not in Unicode normal form NFC (an accent typed as a separate mark)", suggestion
    if text.lower() != text:
        return "has capital letters", suggestion
    if text.strip("-") != text or "--" in text:
        return "starts or ends with '-', or has '--'", suggestion
    others = sorted({ch for ch in text if not _kept(ch) and ch != "-"})
    if others:
        shown = " ".join(repr(ch) for ch in others[:5])
        return f"has characters other than letters, digits and '-': {shown}", suggestion
    return "is not in its lowercase form", suggestion


def bad_slug_hint(text: str) -> str:
    """What to write instead of a text that is not a slug."""
    problem = slug_problem(text)
    suggestion = problem[1] if problem else text
    if "," in text and all(is_slug(part.strip()) for part in text.split(",") if part.strip()):
        return "this looks like a list written as one text: write it as a list, [" + \
            ", ".join(part.strip() for part in text.split(",") if part.strip()) + "]"
    if suggestion:
        return f"write '{suggestion}' (slugs are lowercase letters and digits of any script, joined by '-')"
    return "a slug needs letters or digits, e.g. 'cloud-costs' or '云计算'"


def heading_slug(text: str) -> str:
    """A heading's id, as GitHub and Python-Markdown make them (authors write links to them by hand):
    punctuation and symbols (emoji) dropped, letters and digits of every script kept, lowercase, spaces
    and '-' runs one '-'. `## 🚀 Launch plan` -> `launch-plan`; `## 数据治理` -> `数据治理`."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        kept = re.sub(r"[^\w\s-]", "", text)
    else:
        kept = "".join(ch for ch in text if _kept(ch) or ch in "_-" or ch.isspace())
    return re.sub(r"[-\s]+", "-", kept.strip().lower()).strip("-")
