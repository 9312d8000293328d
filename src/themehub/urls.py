"""The one place that decides URLs. Every function returns a path relative to the site root
("articles/x/"), which templates turn into links with the `url` filter (adding base_url's path)."""

from __future__ import annotations

import re
from urllib.parse import quote

from themehub.source.slugs import slugify

RESERVED_TOP_LEVEL = frozenset(
    {"articles", "themes", "authors", "services", "tags", "tracks", "search", "page", "static", "assets", "report",
     "feed.xml", "sitemap.xml", "robots.txt", "404.html", "hub.json", "index.html", "pagefind"}
)


URL_SAFE = "/:@!$&'()*+,;=-._~%?#"
"""What stays as it is when a site path becomes a URL: the URL syntax itself, and escapes already made."""


def href(path: str) -> str:
    """A site path as it is written in a URL: letters outside ASCII (a tag in Chinese, a slug in Greek)
    and spaces percent-encoded, UTF-8, as RFC 3986 asks; the file on disk keeps the characters."""
    return path if path.isascii() and " " not in path else quote(path, safe=URL_SAFE)


def home() -> str:
    return ""


def article(slug: str) -> str:
    return f"articles/{slug}/"


def theme(slug: str) -> str:
    return f"themes/{slug}/"


def author(slug: str) -> str:
    return f"authors/{slug}/"


def service(slug: str) -> str:
    return f"services/{slug}/"


def theme_depth(slug: str, depth: str) -> str:
    """Every piece of a theme at one depth level, paginated (the theme hub shows the first few)."""
    return f"themes/{slug}/{depth}/"


def service_pieces(slug: str) -> str:
    """Every piece that leads to a service, paginated (the service page shows the first few)."""
    return f"services/{slug}/all/"


def track(slug: str) -> str:
    return f"tracks/{slug}/"


def page(slug: str) -> str:
    return f"{slug}/"


def tag(name: str) -> str:
    return f"tags/{slugify(name)}/"


def paginated(first_page: str, number: int) -> str:
    """Page 1 is the listing itself; page n is <listing>page/n/."""
    return first_page if number <= 1 else f"{first_page}page/{number}/"


def feed(owner: str = "") -> str:
    return f"{owner}feed.xml"


def output_file(url: str) -> str:
    """The file a URL is written to: pretty URLs end in '/', and become '<url>index.html'."""
    return url + "index.html" if url == "" or url.endswith("/") else url


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME_BYTES = 255
"""The longest file or folder name a file system takes (ext4, APFS, NTFS: 255 bytes or UTF-16 units)."""


def is_safe_output_path(rel: str) -> bool:
    """Whether `rel` names a file inside the output folder: relative, '/'-separated, no '.' or '..',
    no empty, over-long or control-character names. The writer refuses anything else."""
    if not rel or rel.startswith("/") or "\\" in rel or _CONTROL.search(rel):
        return False
    return all(part not in ("", ".", "..") and len(part.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES
               for part in rel.split("/"))
