"""Presentation-theme templates come from pull requests, and `check` renders them in CI: they run in a
sandbox. Each attack is a theme template that tries to run a command, read a file or exhaust the
machine; `check` and `build` must report a `template-error` at the template's line, and the command
must not have run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.hardening.conftest import NOW, build_in_process, make_mini_hub, run_cli, show, where
from tests.helpers import finishes
from themehub.check import check

MARKER = "themehub-sandbox-escaped"


def _attacks(marker: Path) -> dict[str, str]:
    touch = f"touch {marker}"
    return {
        "cycler-globals-os": f"{{{{ cycler.__init__.__globals__.os.system('{touch}') }}}}",
        "joiner-globals": f"{{{{ joiner.__init__.__globals__['os'].system('{touch}') }}}}",
        "lipsum-globals": f"{{{{ lipsum.__globals__['os'].system('{touch}') }}}}",
        "namespace-class": "{{ namespace.__class__.__base__.__subclasses__() }}",
        "string-mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "attr-filter": "{{ ''|attr('__class__')|attr('__mro__') }}",
        "format-attribute": "{{ '{0.__class__}'.format(site) }}",
        "self-context": "{{ self._TemplateReference__context }}",
        "config-path-read": "{{ site.root.joinpath('/etc/passwd').read_text() }}",
        "config-output-path": "{{ site.output_dir.parent }}",
        "hub-config-path": "{{ hub.config.root }}",
        "mutate-hub": "{{ hub.theme_by_slug.clear() }}",
        "huge-string": "{{ 'x' * 10**10 }}",
        "huge-power": "{{ 7 ** 100000000 }}",
        "huge-range": "{% for i in range(10**12) %}{% endfor %}",
    }


@pytest.mark.parametrize("name", sorted(_attacks(Path("/x"))))
def test_a_template_cannot_escape_the_sandbox(tmp_path: Path, name: str) -> None:
    marker = tmp_path / MARKER
    template = "{% extends \"!default/page.html\" %}\n{% block main %}\n" + _attacks(marker)[name] + \
        "\n{% endblock %}\n"
    root = make_mini_hub(tmp_path / "hub", {
        "themehub.yaml": "title: Hub\nbase_url: https://example.com/insights/\ntheme: hostile\n",
        "themes/hostile/templates/page.html": template,
    })
    # A hang guard, not a speed bound: an attack the sandbox let through (range(10**12)) would never return.
    result = finishes(lambda: build_in_process(root), what="the build with a hostile template")
    assert not marker.exists(), "the template ran a command"
    assert not result.ok
    errors = [where(d) for d in result.diagnostics if d.is_error]
    assert errors == [("template-error", "themes/hostile/templates/page.html", 3, 1)], show(result.diagnostics)
    assert [where(d) for d in check(root, now=NOW) if d.is_error] == errors
    assert not marker.exists()


def test_the_cli_check_reports_the_escape_at_its_line_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / MARKER
    root = make_mini_hub(tmp_path / "hub", {
        "themehub.yaml": "title: Hub\nbase_url: https://example.com/insights/\ntheme: hostile\n",
        "themes/hostile/templates/page.html":
            "{% extends \"!default/page.html\" %}\n{% block main %}\n<p>About</p>\n"
            f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n{{% endblock %}}\n",
    })
    done = run_cli("check", "--site", str(root), "--as-of", "2026-11-23")
    assert done.returncode == 1
    assert "themes/hostile/templates/page.html:4:1: error: " in done.stderr
    assert "unsafe" in done.stderr
    assert "Traceback" not in done.stderr
    assert not marker.exists()


def test_a_template_that_links_outside_the_site_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "ci-secret.txt"
    secret.write_text("CI-TOKEN-a81f\n")
    root = make_mini_hub(tmp_path / "hub", {
        "themehub.yaml": "title: Hub\nbase_url: https://example.com/insights/\ntheme: hostile\n",
        "themes/hostile/templates/page.html":
            "{% extends \"!default/page.html\" %}\n{% block main %}{% include \"secret.html\" %}{% endblock %}\n",
    })
    (root / "themes/hostile/templates/secret.html").symlink_to(secret)
    result = build_in_process(root)
    assert not result.ok
    assert [d.code for d in result.diagnostics if d.is_error] == ["template-error"], show(result.diagnostics)
    assert "is a link to a file outside the site" in next(d.message for d in result.diagnostics if d.is_error)
    site = root / "site"
    assert not site.exists() or not any(b"CI-TOKEN" in p.read_bytes() for p in site.rglob("*") if p.is_file())


def test_a_link_out_of_a_template_folder_is_not_even_read_for_the_digest(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file of the template folders counts in the site's digest; one whose real path lies outside
    the site counts by its name, unread (the loader never reads it either)."""
    secret = tmp_path / "ci-secret.txt"
    secret.write_text("CI-TOKEN-a81f\n")
    root = make_mini_hub(tmp_path / "hub", {
        "themehub.yaml": "title: Hub\nbase_url: https://example.com/insights/\ntheme: hostile\n",
        "themes/hostile/templates/page.html": "{% extends \"!default/page.html\" %}\n",
    })
    (root / "themes/hostile/templates/unused.html").symlink_to(secret)
    read: list[Path] = []
    real_read_bytes, real_read_text = Path.read_bytes, Path.read_text

    def read_bytes(self: Path) -> bytes:
        read.append(self.resolve())
        return real_read_bytes(self)

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        read.append(self.resolve())
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "read_text", read_text)
    result = build_in_process(root)
    assert result.ok, show(result.diagnostics)
    assert (root / "themes/hostile/templates/page.html").resolve() in read, "the recording works"
    assert secret.resolve() not in read


def test_ordinary_template_features_still_work_in_the_sandbox(tmp_path: Path) -> None:
    """What themes do: loops, namespaces, dict(), filters, macros from the built-in theme, hub lookups."""
    root = make_mini_hub(tmp_path / "hub", {
        "themehub.yaml": "title: Hub\nbase_url: https://example.com/insights/\ntheme: mine\n",
        "themes/mine/templates/page.html": """\
            {% extends "!default/page.html" %}
            {% block main %}
            {% set ns = namespace(titles=[]) %}
            {% for t in hub.themes_ordered %}{% set ns.titles = ns.titles + [t.title | upper] %}{% endfor %}
            <p id="themes">{{ ns.titles | join(', ') }}</p>
            <p id="dict">{{ dict(a=1) | merge({'b': 2}) | tojson }}</p>
            <p id="depth">{{ depth_label('entry') }} {{ site.title }} {{ 'about' | url }}</p>
            {% endblock %}
            """,
    })
    result = build_in_process(root)
    assert result.ok, show(result.diagnostics)
    html = (root / "site/about/index.html").read_text()
    assert '<p id="themes">CLOUD, FINOPS, DATA</p>' in html
    assert '<p id="dict">{&#34;a&#34;: 1, &#34;b&#34;: 2}</p>' in html or '<p id="dict">{"a": 1, "b": 2}</p>' in html
    assert '<p id="depth">Start here Hub /insights/about</p>' in html
