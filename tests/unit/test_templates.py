"""The Jinja2 environment: URL filters honour base_url's path, dates never depend on the locale, autoescape."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from themehub.config import Config
from themehub.dates import format_date
from themehub.render.templates import asset_version, make_environment, theme_dirs


def _env(tmp_path: Path, base_url: str = "https://example.com/insights/"):  # type: ignore[no-untyped-def]
    config = Config(root=tmp_path, title="T", base_url=base_url)
    return make_environment(config, theme_dirs(config), {"style.css": "abc123"})


def test_url_filters(tmp_path: Path) -> None:
    env = _env(tmp_path)
    render = lambda src: env.from_string(src).render()  # noqa: E731
    assert render("{{ 'articles/x/' | url }}") == "/insights/articles/x/"
    assert render("{{ '' | url }}") == "/insights/"
    assert render("{{ 'articles/x/' | abs_url }}") == "https://example.com/insights/articles/x/"
    assert render("{{ asset('style.css') }}") == "/insights/assets/style.css?v=abc123"
    assert render("{{ asset('other.js') }}") == "/insights/assets/other.js"


def test_autoescape_is_on(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert env.from_string("{{ x }}").render(x="<script>&") == "&lt;script&gt;&amp;"


def test_dates() -> None:
    day = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
    assert format_date(day) == "4 March 2026"
    assert format_date(day, "short") == "Mar 2026"
    assert format_date(day, "iso") == "2026-03-04T10:00:00+00:00"
    assert format_date(None) == ""
    assert format_date(day, "time") == "10:00 UTC"
    plus_one = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert format_date(plus_one, "time") == "09:30 UTC+01:00"


def test_asset_version_changes_with_content() -> None:
    assert asset_version(b"a") == asset_version(b"a")
    assert asset_version(b"a") != asset_version(b"b")
