"""The home page's old ids (`aliases: [/?p=123]`, WordPress's addresses): a static site cannot answer a
query with a file, so the home page carries the map and a script that sends the reader on. Other
queries stay `bad-alias`; one id claimed twice is `alias-collision`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers import article, errors, make_site, run_build

ARTICLE = "content/articles/old-post.md"


def home(out: Path) -> str:
    return (out / "index.html").read_text(encoding="utf-8")


def old_addresses(html: str) -> dict[str, str]:
    match = re.search(r'<script type="application/json" id="old-addresses">(.*?)</script>', html, re.S)
    assert match, "the home page has no map of old addresses"
    found: dict[str, str] = json.loads(match[1])
    return found


def test_an_old_id_is_redirected_by_the_home_page(tmp_path: Path) -> None:
    site = make_site(tmp_path / "hub", {ARTICLE: article("Old Post", extra="aliases: [/?p=123, '/?page_id=7', /2019/05/old-post/]")})
    result = run_build(site)
    assert errors(result) == []
    page = home(result.out)
    assert old_addresses(page) == {"p=123": "/insights/articles/old-post/", "page_id=7": "/insights/articles/old-post/"}
    script = re.search(r'<script src="/insights/(assets/old-addresses\.js)\?v=[0-9a-f]+"></script>', page)
    assert script and (result.out / script[1]).is_file()
    assert (result.out / "2019" / "05" / "old-post" / "index.html").is_file()  # a path alias: its own page
    assert not list(result.out.rglob("*p=123*"))  # no file for a query


def test_a_site_without_old_ids_has_no_script_on_its_home_page(tmp_path: Path) -> None:
    result = run_build(make_site(tmp_path / "hub"))
    assert 'id="old-addresses"' not in home(result.out) and "old-addresses" not in home(result.out)


def test_other_queries_are_still_refused(tmp_path: Path) -> None:
    bad = "aliases: ['/blog/?p=1', '/?p=1&x=2', '/?p=<script>', '/?=1', '/#top']"
    result = run_build(make_site(tmp_path / "hub", {ARTICLE: article("Old Post", extra=bad)}))
    found = [(d.code, d.line) for d in errors(result)]
    assert found == [("bad-alias", 6)] * 5, found
    assert "/?p=123" in next(d.hint for d in errors(result) if d.code == "bad-alias")


def test_one_old_id_claimed_by_two_articles_is_an_error(tmp_path: Path) -> None:
    result = run_build(make_site(tmp_path / "hub", {
        ARTICLE: article("Old Post", extra="aliases: [/?p=5]"),
        "content/articles/other-post.md": article("Other Post", extra="aliases: [/?p=5]")}))
    assert [d.code for d in errors(result)] == ["alias-collision"]
