"""The content editor that `themehub cms` sets up, in Chromium: `/admin/` from `themehub serve` loads the
pinned Sveltia CMS, signs in to the editor's local-repository mode, lists every collection of the
generated config.yml with the sample's entries, and a title edited and saved there (an article's, and
its German translation's) round-trips: the saved files pass `themehub check`, keep their other front
matter and their bodies.

Nothing is fetched from the internet. The editor's script (and any chunk it loads) is served from the
verified copy that `scripts/fetch_sveltia.py` unpacks into .cache/ (`make test` runs it first); every
other outside request (the editor's web fonts, its version check, GitHub's status page) is refused.

The local-repository mode asks for a folder with `window.showDirectoryPicker()` and reads and writes it
through the File System Access API. The test replaces the picker with a folder in the page's Origin
Private File System that it fills beforehand with the site's files and a `.git/HEAD` (the editor wants a
`.git` there), and reads the editor's saves back from it.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page, Route, expect
from tests.browser.conftest import ServeProcess
from tests.helpers import REPO, copy_sample

pytestmark = pytest.mark.browser


def _fetch_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fetch_sveltia", REPO / "scripts" / "fetch_sveltia.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FETCH = _fetch_script()
UNPKG = "https://unpkg.com/@sveltia/cms@{version}/dist/"

ARTICLE = "content/articles/why-cloud-bills-surprise-finance.md"
NESTED_ARTICLE = "content/articles/2026/retailer-cloud-reset-case-study.md"  # in a subfolder of the kind's
NEW_TITLE = "Why Your Cloud Bill Still Surprises Finance"
KINDS = ("articles", "themes", "authors", "services", "pages", "tracks", "events")

# Reads every file below the OPFS folder 'repo' (relative path -> text).
READ_REPO = """async () => {
  const files = {};
  async function walk(dir, prefix) {
    for await (const [name, handle] of dir.entries()) {
      if (handle.kind === 'directory') await walk(handle, prefix + name + '/');
      else files[prefix + name] = await (await handle.getFile()).text();
    }
  }
  await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle('repo'), '');
  return files;
}"""

# Writes the files (relative path -> base64) into the OPFS folder 'repo'.
WRITE_REPO = """async (files) => {
  const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('repo', {create: true});
  for (const [path, data] of Object.entries(files)) {
    const parts = path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, {create: true});
    const writable = await (await dir.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await writable.write(Uint8Array.from(atob(data), c => c.charCodeAt(0)));
    await writable.close();
  }
}"""

# The local-repository sign-in's folder picker, answered with the OPFS folder the test filled.
PICKER = """window.showDirectoryPicker = async () =>
  (await navigator.storage.getDirectory()).getDirectoryHandle('repo', {create: true});"""


@pytest.fixture(scope="session")
def sveltia_dist() -> Path:
    """The pinned editor's dist/ folder, unpacked by scripts/fetch_sveltia.py (a failure, not a skip:
    without it the editor is not tested at all)."""
    script = FETCH.script_path()
    if not FETCH.present():
        pytest.fail(f"{script.relative_to(REPO)} is missing: run `make test`, or "
                    f"`.venv/bin/python scripts/fetch_sveltia.py` once, to download the pinned Sveltia CMS "
                    f"{FETCH.VERSION}", pytrace=False)
    return Path(script.parent)


@pytest.fixture
def cms_site(tmp_path: Path) -> Iterator[ServeProcess]:
    """A copy of the sample hub with the editor written by `themehub cms`, served by `themehub serve`."""
    site = copy_sample(tmp_path / "hub")
    shutil.rmtree(site / "static" / "admin", ignore_errors=True)  # what `themehub cms` writes now, not a copy
    made = subprocess.run([sys.executable, "-m", "themehub", "cms", "--site", str(site)],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    server = ServeProcess(site)
    yield server
    server.stop()


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The front matter (parsed) and the body of a markdown file."""
    match = re.match(r"---\n(.*?\n)---\n(.*)", text, re.DOTALL)
    assert match, f"no front matter in:\n{text[:300]}"
    return yaml.safe_load(match[1]), match[2]


def editor_config(site: Path) -> dict[str, Any]:
    config = yaml.safe_load((site / "static/admin/config.yml").read_text(encoding="utf-8"))
    assert isinstance(config, dict)
    return config


def collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [c for c in config["collections"] if c["name"] == name]
    assert len(found) == 1, f"config.yml has {len(found)} collections named {name!r}"
    return found[0]


def field_label(config: dict[str, Any], kind: str, name: str) -> str:
    fields = [f for f in collection(config, kind)["fields"] if f["name"] == name]
    assert fields, f"the {kind} collection has no field {name!r}"
    return str(fields[0].get("label", name))


def repo_files(site: Path) -> dict[str, str]:
    """What the editor's folder holds (relative path -> base64): the site's sources and a `.git`."""
    paths = [site / "themehub.yaml", site / "static/admin/config.yml", *(site / "content").rglob("*"),
             *(site / "static/images").rglob("*")]
    files = {p.relative_to(site).as_posix(): base64.b64encode(p.read_bytes()).decode() for p in paths if p.is_file()}
    files[".git/HEAD"] = base64.b64encode(b"ref: refs/heads/main\n").decode()
    return files


class Editor:
    """The editor at /admin/ in `page`, signed in to the local repository that holds `server.site`."""

    def __init__(self, page: Page, server: ServeProcess, dist: Path) -> None:
        self.page = page
        self.site = server.site
        self.refused: list[str] = []
        self.problems: list[str] = []  # console errors and page errors, not counting refused requests
        self.warnings: list[str] = []
        local = f"http://127.0.0.1:{server.port}/"
        unpkg = UNPKG.format(version=FETCH.VERSION)

        def route(r: Route) -> None:
            url = r.request.url
            if url.startswith(local):
                r.continue_()
            elif url.startswith(unpkg) and (dist / url[len(unpkg):].split("?")[0]).is_file():
                r.fulfill(path=dist / url[len(unpkg):].split("?")[0], headers={"access-control-allow-origin": "*"})
            else:
                self.refused.append(url)
                r.abort()

        def console(message: Any) -> None:
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                self.problems.append(message.text)
            elif message.type == "warning":
                self.warnings.append(message.text)

        page.route("**/*", route)
        page.on("console", console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.add_init_script(PICKER)

    def open(self, base: str) -> None:
        response = self.page.goto(base + "admin/")
        assert response is not None and response.ok, f"/admin/ answered {response and response.status}"
        self.page.evaluate(WRITE_REPO, repo_files(self.site))
        self.page.get_by_role("button", name="Work with Local Repository").click()
        try:
            expect(self.sidebar.get_by_role("treeitem").first).to_be_visible(timeout=15_000)
        except AssertionError as exc:
            raise AssertionError(f"the editor shows no collections: {self.page.locator('body').inner_text()[:1500]}"
                                 f"\nconsole errors: {self.problems}") from exc

    @property
    def sidebar(self) -> Any:
        return self.page.get_by_role("tree", name="Collection List")

    def read(self) -> dict[str, str]:
        """Every file of the editor's folder, as it is now."""
        files: dict[str, str] = self.page.evaluate(READ_REPO)
        return files


def test_admin_loads_the_pinned_editor_and_lists_every_collection(sveltia_dist: Path, cms_site: ServeProcess,
                                                                 page: Page) -> None:
    import themehub.cms

    # One release everywhere: the page's script, its integrity, and the copy the test serves.
    assert themehub.cms.SVELTIA_VERSION == FETCH.VERSION, "scripts/fetch_sveltia.py pins another release"
    script = UNPKG.format(version=FETCH.VERSION) + "sveltia-cms.js"
    assert script == themehub.cms.SVELTIA_SCRIPT
    digest = base64.b64encode(hashlib.sha384((sveltia_dist / "sveltia-cms.js").read_bytes()).digest()).decode()
    assert f"sha384-{digest}" == themehub.cms.SVELTIA_SRI, "the page's integrity is not the pinned script's"
    index = (cms_site.site / "static/admin/index.html").read_text(encoding="utf-8")
    assert f'src="{script}"' in index

    config = editor_config(cms_site.site)
    labels = [str(c.get("label", c["name"])) for c in config["collections"]]
    assert len(labels) == 7
    assert sorted(c["name"] for c in config["collections"]) == sorted(KINDS)

    editor = Editor(page, cms_site, sveltia_dist)
    editor.open(cms_site.base)
    items = editor.sidebar.get_by_role("treeitem")
    expect(items).to_have_count(7)
    for label in labels:
        expect(editor.sidebar.get_by_role("treeitem", name=label, exact=True)).to_be_visible()

    # The articles' list has the sample's articles by title, those in content/articles/2026/ too.
    editor.sidebar.get_by_role("treeitem", name=str(collection(config, "articles").get("label", "articles")),
                               exact=True).click()
    for rel in (ARTICLE, NESTED_ARTICLE):
        title = front_matter((cms_site.site / rel).read_text(encoding="utf-8"))[0]["title"]
        expect(page.get_by_role("row", name=title, exact=True)).to_be_visible()
    expect(page.get_by_role("row", name="A Unit-Cost Model for Cloud Spend", exact=True)).to_be_visible()
    assert not editor.problems, f"the editor logged errors: {editor.problems}"
    # Its warnings are about the configuration (a deprecated option, a collection it cannot name entries in).
    assert not editor.warnings, f"the editor warned about config.yml: {editor.warnings}"
    # What it asked the internet for besides its script: its web fonts, its newest version, GitHub's status.
    assert all(url.startswith(("https://cdn.jsdelivr.net/fontsource/", "https://www.githubstatus.com/",
                               "https://unpkg.com/@sveltia/cms/package.json")) for url in editor.refused), \
        f"the editor needs more from the internet: {editor.refused}"


def saved_title(page: Page, server: ServeProcess, dist: Path, rel: str, new_title: str, locale: str | None = None,
                ) -> tuple[dict[str, str], dict[str, str]]:
    """Open the article `rel` (the original, in English) in the editor, set the title of its `locale`
    version (the default locale when None) to `new_title`, save, and put every content file the editor
    changed back into the site. (content files before, files changed)."""
    site = server.site
    before = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in (site / "content").rglob("*.md")}
    target = rel if locale is None else rel.replace(".md", f".{locale}.md")
    editor = Editor(page, server, dist)
    editor.open(server.base)
    page.get_by_role("row", name=front_matter(before[rel])[0]["title"], exact=True).click()
    field = page.get_by_role("textbox", name=field_label(editor_config(site), "articles", "title"), exact=True)
    if locale is not None:
        # The locale switch of the editing pane (the first one; the second is the preview pane's).
        page.get_by_role("radiogroup", name="Switch Locale").first.locator(f'[role=radio][value="{locale}"]').click()
        field = field.and_(page.locator(f'[lang="{locale}"]'))
    expect(field.first).to_have_value(front_matter(before[target])[0]["title"])
    field.first.fill(new_title)
    # The local repository has no pull requests: even with `publish_mode: editorial_workflow` the editor's
    # Save writes the files straight into the folder.
    page.get_by_role("button", name="Save", exact=True).click()
    deadline = time.monotonic() + 15
    while new_title not in editor.read().get(target, "") and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    saved = editor.read()
    assert new_title in saved.get(target, ""), f"the editor did not save {target}: {editor.problems}"
    # Every file the editor changed goes back into the site (it rewrites an entry's translations too).
    changed = {path: text for path, text in saved.items() if path.startswith("content/") and before.get(path) != text}
    for path, text in changed.items():
        (site / path).write_text(text, encoding="utf-8")
    assert set(changed) <= {rel, rel.replace(".md", ".de.md"), rel.replace(".md", ".ja.md")}, \
        f"the editor changed unrelated files: {sorted(changed)}"
    assert not editor.problems, f"the editor logged errors: {editor.problems}"
    return before, changed


def assert_checks(site: Path, changed: dict[str, str]) -> None:
    checked = subprocess.run([sys.executable, "-m", "themehub", "check", "--site", str(site)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, (checked.stdout + checked.stderr
                                     + "".join(f"\n--- {rel}\n{text}" for rel, text in changed.items()))


def field_defaults(config: dict[str, Any], kind: str) -> dict[str, Any]:
    """The default of each field of the kind's collection that has one (the editor writes a boolean field's
    default into every file it saves, e.g. `draft: false`)."""
    return {f["name"]: f["default"] for f in collection(config, kind)["fields"] if "default" in f}


def assert_kept(rel: str, before: str, after: str, defaults: dict[str, Any], **changes: Any) -> None:
    """`after` has `before`'s front matter (with `changes`; a key it adds must hold its field's default)
    and every paragraph of its body."""
    meta, body = front_matter(before)
    saved_meta, saved_body = front_matter(after)
    added = {key: value for key, value in saved_meta.items() if key not in meta and key not in changes}
    assert all(key in defaults and defaults[key] == value for key, value in added.items()), \
        f"{rel}: the editor added front matter: {added}"
    kept = {key: value for key, value in saved_meta.items() if key not in added}
    assert kept == {**meta, **changes}, f"{rel}: the editor changed other front matter"
    for paragraph in body.strip().split("\n\n"):
        assert paragraph in saved_body, f"{rel}: the body lost {paragraph[:80]!r}"


def test_a_title_saved_in_the_editor_round_trips_through_check(sveltia_dist: Path, cms_site: ServeProcess,
                                                               page: Page) -> None:
    before, changed = saved_title(page, cms_site, sveltia_dist, ARTICLE, NEW_TITLE)
    assert_checks(cms_site.site, changed)
    defaults = field_defaults(editor_config(cms_site.site), "articles")
    assert_kept(ARTICLE, before[ARTICLE], changed[ARTICLE], defaults, title=NEW_TITLE)
    # The translations, which the editor writes again with the original, keep their values and bodies.
    for rel in changed.keys() - {ARTICLE}:
        assert_kept(rel, before[rel], changed[rel], defaults)


def test_a_translation_saved_in_the_editor_round_trips_through_check(sveltia_dist: Path, cms_site: ServeProcess,
                                                                     page: Page) -> None:
    german = ARTICLE.replace(".md", ".de.md")
    new_title = "Warum die Cloud-Rechnung das Finanzteam noch immer überrascht"
    before, changed = saved_title(page, cms_site, sveltia_dist, ARTICLE, new_title, locale="de")
    assert_checks(cms_site.site, changed)
    defaults = field_defaults(editor_config(cms_site.site), "articles")
    assert_kept(german, before[german], changed[german], defaults, title=new_title)
    for rel in changed.keys() - {german}:
        assert_kept(rel, before[rel], changed[rel], defaults)
