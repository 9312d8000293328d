"""base_url is printed in every page and feed: credentials, a fake host, a port out of range or a
space must stop the build at the line of base_url, and never reach an output file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.conftest import build_in_process, make_mini_hub, run_cli, show, where

BAD = {
    "credentials": ("https://user:s3cr3t-pw@example.com/insights/", "user name or password"),
    "user-only": ("https://admin@example.com/", "user name or password"),
    "port-out-of-range": ("https://example.com:99999/", "port"),
    "port-zero": ("https://example.com:0/", "port 0 is out of range"),
    "port-not-a-number": ("https://example.com:http/", "port"),
    "space-in-host": ("https://exa mple.com/", "space"),
    "tab": ("https://example.com/\tinsights/", "space or a control character"),
    "no-host": ("https:///insights/", "no host name"),
    "bad-host": ("https://-bad-.example/", "not a valid host name"),
    "underscore-host": ("https://my_site.example/", "not a valid host name"),
    "query": ("https://example.com/?utm=1", "query"),
    "fragment": ("https://example.com/#top", "fragment"),
    "script-scheme": ("javascript:alert(1)//example.com/", "https://"),
    "dot-dot-path": ("https://example.com/a/../insights/", "'..'"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_base_url_stops_the_build_at_its_line(tmp_path: Path, name: str) -> None:
    url, reason = BAD[name]
    root = make_mini_hub(tmp_path / "hub", {"themehub.yaml": f"title: Hub\nbase_url: '{url}'\n"})
    result = build_in_process(root)
    assert not result.ok
    errors = [d for d in result.diagnostics if d.is_error]
    assert [where(d) for d in errors] == [("bad-base-url", "themehub.yaml", 2, 11)], show(result.diagnostics)
    assert reason in errors[0].message
    assert "s3cr3t" not in errors[0].message  # a password is never repeated into a CI log
    assert not (root / "site").exists()


def test_good_base_urls_still_build(tmp_path: Path) -> None:
    for n, url in enumerate(("https://example.com/insights/", "http://localhost:8000/", "https://[::1]:8443/hub/",
                             "https://例え.jp/洞察/", "https://192.168.10.4/")):
        root = make_mini_hub(tmp_path / f"hub{n}", {"themehub.yaml": f"title: Hub\nbase_url: '{url}'\n"})
        result = build_in_process(root)
        assert result.ok, (url, show(result.diagnostics))


def test_base_url_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "hub")
    done = run_cli("build", "--site", str(root), "--base-url", "https://u:secret@example.com/")
    assert done.returncode == 2
    assert "--base-url: this base URL cannot be used: it holds a user name or password" in done.stderr
    assert not (root / "site").exists()
