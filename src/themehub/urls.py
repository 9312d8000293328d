"""The one place that decides URLs. Every function returns a path relative to the site root
("articles/x/"), which templates turn into links with the `url` filter (adding base_url's path)."""

from __future__ import annotations

from themehub.content.fields import slugify

RESERVED_TOP_LEVEL = frozenset(
    {"articles", "themes", "authors", "services", "tags", "tracks", "search", "page", "static", "assets", "report",
     "feed.xml", "sitemap.xml", "robots.txt", "404.html", "hub.json", "index.html", "pagefind"}
)


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
