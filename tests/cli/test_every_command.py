"""Every command and every flag of the command line, run end to end as a user runs them
(`python -m themehub ...` in a subprocess) on the small fixture hub: what each flag does, that a bad
value of every option is a usage error (exit 2, argparse's usage on stderr), and that odd input never
ends in "internal error ... this is a bug".

`themehub schema`'s files are checked against the sample hub in test_schema_command.py; the dev
server's hardening (traversal, floods, soak) lives in tests/hardening/test_dev_server.py: here `serve`
is only started with each of its flags and stopped.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from tests.cli.test_cli import no_traceback, themehub
from tests.cli.test_schema_command import front_matter
from tests.helpers import INTERRUPTIBLE_CLI, article, make_site, warn_if_the_stop_watchdog_acted
from themehub.cli import make_parser
from themehub.scaffold import FOLDERS, OPTIONS
from themehub.schemas import schemas

AS_OF = "2026-06-01"
DRAFT = article("A Draft Piece", date="2026-02-01", extra="draft: true\nreview_by: 2026-04-01")
FUTURE = article("A Future Piece", date="2026-07-01", themes="[finops]", extra="review_by: 2026-08-01")
NO_ALT = article("No Alt", date="2026-02-02", body="![](/images/logo.svg)")


def usage_error(proc: subprocess.CompletedProcess[str], command: str, option: str) -> None:
    """Exit 2 with argparse's usage line and an error that names the option; nothing on stdout."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    no_traceback(proc)
    assert proc.stderr.startswith(f"usage: themehub {command}"), proc.stderr
    assert f"themehub {command}: error: argument {option}" in proc.stderr, proc.stderr
    assert proc.stdout == ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture hub with a draft, a piece published after AS_OF and an image without alt text.
    Only read: `check`, `report`, `explain` and usage errors never write the site."""
    return make_site(tmp_path_factory.mktemp("every") / "hub", {
        "content/articles/a-draft-piece.md": DRAFT,
        "content/articles/a-future-piece.md": FUTURE,
    })


# ------------------------------------------------------------------------------------------------ init


def test_init_into_a_new_folder_and_into_the_current_one(tmp_path: Path) -> None:
    named = themehub("init", "my-hub", cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    no_traceback(named)
    assert "created a new hub in my-hub" in named.stdout
    for made in ("themehub.yaml", "content/articles", ".gitignore", ".github/workflows/check.yml"):
        assert (tmp_path / "my-hub" / made).exists(), made
    here = tmp_path / "here"
    here.mkdir()
    current = themehub("init", cwd=here)
    assert current.returncode == 0, current.stderr
    assert (here / "themehub.yaml").read_bytes() == (tmp_path / "my-hub/themehub.yaml").read_bytes()


def test_init_below_a_file_is_a_diagnostic_not_an_internal_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    proc = themehub("init", "notes.txt/hub", cwd=tmp_path)
    assert proc.returncode == 1
    no_traceback(proc)
    assert proc.stderr.startswith("notes.txt/hub: error: could not create the hub in notes.txt/hub: ")
    assert "[write-failed]" in proc.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


# ------------------------------------------------------------------------------------------------- new

# kind, slug, options: every kind, every option, slugs in more than one script.
NEW = [
    ("theme", "云计算", ["--title", "云计算"]),
    ("author", "mia-chen", ["--title", "Mia Chen"]),
    ("service", "cloud-audit", ["--title", "Cloud Audit"]),
    ("article", "first-steps", ["--title", "First: \"steps\"", "--theme", "云计算", "--author", "mia-chen",
                                "--type", "interview"]),
    ("page", "contact", ["--title", "Contact us"]),
    ("track", "cloud-journey", ["--title", "The cloud journey", "--theme", "cloud"]),
    ("track", "ελληνικά", []),
    ("event", "launch-webinar", ["--title", "Launch webinar", "--theme", "cloud"]),
]


def test_new_writes_every_kind_and_every_file_passes_check(tmp_path: Path) -> None:
    root = make_site(tmp_path / "hub")
    assert sorted({kind for kind, _, _ in NEW}) == sorted(FOLDERS)
    for kind, slug, options in NEW:
        proc = themehub("new", kind, slug, *options, "--site", str(root), cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        no_traceback(proc)
        assert proc.stdout == f"created content/{FOLDERS[kind]}/{slug}.md\n"

    articles = root / "content/articles"
    assert "draft: true" in (articles / "first-steps.md").read_text()
    theme = (root / "content/themes/云计算.md").read_text()
    assert re.search(r"^image: \"\"", theme, re.M) and re.search(r"^image_alt: \"\"", theme, re.M)
    track = (root / "content/tracks/cloud-journey.md").read_text()
    # Its theme's published pieces, sub-themes' included, entry level first; the theme's service.
    assert "theme: cloud\nsteps: [cloud-basics, finops-start, finops-deep]\nservice: cost-review\n" in track
    page_keys = re.findall(r"^(\w+):", (root / "content/pages/contact.md").read_text(), re.M)
    assert page_keys == ["title", "summary"]

    # Each file as `themehub schema` describes it (YAML 1.2, as an editor reads it: dates are text).
    described = schemas()
    for kind, slug, _ in NEW:
        document = front_matter(root / "content" / FOLDERS[kind] / f"{slug}.md")
        assert list(jsonschema.Draft202012Validator(described[kind]).iter_errors(document)) == [], slug

    for drafts in ([], ["--drafts"]):
        check = themehub("check", *drafts, cwd=root)
        assert check.returncode == 0, check.stderr
        assert "check passed: 0 errors" in check.stdout
    built = themehub("build", "--drafts", "--no-search", "--as-of", AS_OF, cwd=root)
    assert built.returncode == 0, built.stderr
    for url in ("articles/first-steps", "contact", "tracks/cloud-journey", "tracks/ελληνικά", "themes/云计算",
                "authors/mia-chen", "services/cloud-audit"):
        assert (root / "site" / url / "index.html").is_file(), url
    assert "First: &#34;steps&#34;" in (root / "site/articles/first-steps/index.html").read_text()


@pytest.mark.parametrize(("kind", "option", "value"), [
    ("theme", "--author", "ana-quinn"), ("theme", "--type", "video"), ("theme", "--theme", "cloud"),
    ("author", "--theme", "cloud"), ("service", "--type", "video"), ("page", "--author", "ana-quinn"),
    ("track", "--author", "ana-quinn"), ("track", "--type", "video"),
])
def test_new_option_the_kind_does_not_use_is_a_usage_error(hub: Path, kind: str, option: str, value: str) -> None:
    proc = themehub("new", kind, "fresh", option, value, cwd=hub)
    usage_error(proc, "new", option)
    users = ", ".join(k for k, used in OPTIONS.items() if option.removeprefix("--") in used)
    assert f"argument {option}: `new {kind}` does not use it (it is for: new {users})" in proc.stderr
    assert not (hub / "content" / FOLDERS[kind] / "fresh.md").exists()


@pytest.mark.parametrize(("slug", "reason"), [
    ("Cloud Costs", "has capital letters"),
    ("cloud--costs", "starts or ends with '-', or has '--'"),
    ("cloud_costs", "has characters other than letters, digits and '-': '_'"),
    ("!!!", "has no letters or digits"),
    ("x" * 252, "is 252 bytes long"),
])
def test_new_with_a_bad_slug_says_what_is_wrong(hub: Path, slug: str, reason: str) -> None:
    proc = themehub("new", "article", slug, cwd=hub)
    assert proc.returncode == 1
    no_traceback(proc)
    assert f"is not a slug: it {reason}" in proc.stderr and "[bad-slug]" in proc.stderr
    assert not any(p.stem == slug for p in (hub / "content/articles").iterdir())


def test_new_page_with_a_slug_the_site_uses_is_refused(hub: Path) -> None:
    proc = themehub("new", "page", "search", cwd=hub)
    assert proc.returncode == 1
    no_traceback(proc)
    assert "[reserved-slug]" in proc.stderr
    assert not (hub / "content/pages/search.md").exists()


def test_new_into_a_folder_that_is_a_file_is_a_diagnostic(tmp_path: Path) -> None:
    root = make_site(tmp_path / "hub", {"content/tracks": "not a folder"})
    proc = themehub("new", "track", "t", cwd=root)
    assert proc.returncode == 1
    no_traceback(proc)
    assert "[write-failed]" in proc.stderr


def test_arguments_that_are_not_utf8_are_usage_errors(hub: Path) -> None:
    # An undecodable byte reaches Python as a lone surrogate; no file, YAML or terminal takes one.
    usage_error(themehub("new", "article", "caf\udce9", cwd=hub), "new", "slug")
    usage_error(themehub("new", "article", "x", "--title", "Caf\udce9", cwd=hub), "new", "--title")
    usage_error(themehub("build", "--site", "caf\udce9", cwd=hub), "build", "--site")
    assert sorted(p.name for p in (hub / "content/articles").iterdir()) == sorted(
        ["a-draft-piece.md", "a-future-piece.md", "cloud-basics.md", "data-intro.md", "finops-deep.md",
         "finops-start.md"])


# ----------------------------------------------------------------------------------------------- build


def test_build_flags_that_shape_the_site(tmp_path: Path) -> None:
    root = make_site(tmp_path / "hub", {"content/articles/a-draft-piece.md": DRAFT,
                                        "content/articles/a-future-piece.md": FUTURE})
    out = tmp_path / "preview"
    first = themehub("build", "--site", str(root), "--out", str(out), "--base-url", "https://preview.example.net/pr-7",
                     "--as-of", AS_OF, "--jobs", "2", "--no-search", "--no-progress", "--timings", "--explain",
                     cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    no_traceback(first)
    assert f"into {out} in " in first.stdout
    assert re.search(r"^  config +\d+\.\d ms$", first.stdout, re.M), first.stdout  # --timings
    assert "  /articles/cloud-basics/: new page" in first.stdout.splitlines()  # --explain
    assert "building:" not in first.stderr  # --no-progress (and never when stderr is not a terminal)
    assert not (root / "site").exists()  # --out
    assert not (out / "pagefind").exists()  # --no-search
    home = (out / "index.html").read_text()
    assert 'href="/pr-7/articles/cloud-basics/"' in home  # --base-url
    assert not (out / "articles/a-draft-piece").exists()
    assert not (out / "articles/a-future-piece").exists()  # --as-of: published on 2026-07-01

    later = themehub("build", "--site", str(root), "--out", str(out), "--base-url", "https://preview.example.net/pr-7",
                     "--as-of", "2026-07-01", "--jobs", "1", "--no-search", "--explain", cwd=tmp_path)
    assert later.returncode == 0, later.stderr
    assert (out / "articles/a-future-piece/index.html").is_file()  # published on the day the --as-of names
    assert "  /articles/a-future-piece/: new page" in later.stdout.splitlines()

    drafts = themehub("build", "--drafts", "--no-search", "--as-of", AS_OF, cwd=root)
    assert drafts.returncode == 0, drafts.stderr
    assert (root / "site/articles/a-draft-piece/index.html").is_file()  # --drafts: drafts and future pieces
    assert (root / "site/articles/a-future-piece/index.html").is_file()


def test_build_no_cache_strict_and_force(tmp_path: Path) -> None:
    root = make_site(tmp_path / "hub", {"content/articles/no-alt.md": NO_ALT})
    cache = root / ".themehub-cache"
    plain = themehub("build", "--no-cache", "--no-search", cwd=root)
    assert plain.returncode == 0, plain.stderr
    assert "[missing-alt]" in plain.stderr  # a warning: the build passes
    assert sorted(p.name for p in cache.iterdir()) == ["build.lock"]  # --no-cache: only the lock is taken

    strict = themehub("build", "--strict", "--no-search", "--out", "strict-site", cwd=root)
    assert strict.returncode == 1
    no_traceback(strict)
    assert "[missing-alt]" in strict.stderr and "build failed" in strict.stderr
    assert not (root / "strict-site").exists()

    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("not themehub's")
    refused = themehub("build", "--no-search", "--out", str(theirs), cwd=root)
    assert refused.returncode == 1
    assert "[dangerous-output]" in refused.stderr and "--force" in refused.stderr
    forced = themehub("build", "--no-search", "--out", str(theirs), "--force", cwd=root)
    assert forced.returncode == 0, forced.stderr
    assert (theirs / "index.html").is_file() and not (theirs / "notes.txt").exists()


def test_build_output_with_a_nul_byte_is_a_diagnostic_at_its_line(tmp_path: Path) -> None:
    config = "title: Mini Hub\nbase_url: https://example.com/insights/\noutput: \"public\\0site\"\n"
    root = make_site(tmp_path / "hub", {"themehub.yaml": config})
    for command in ("build", "check"):
        proc = themehub(command, cwd=root)
        assert proc.returncode == 1, command
        no_traceback(proc)
        assert ("themehub.yaml:3:9: error: 'output' cannot be used: it holds a control character (U+0000), "
                "which no folder name should [bad-output]") in proc.stderr.splitlines(), proc.stderr
    assert sorted(p.name for p in root.iterdir() if p.name != ".themehub-cache") == ["content", "static",
                                                                                      "themehub.yaml"]


# ----------------------------------------------------------------------------------------------- serve


@contextlib.contextmanager
def serving(root: Path, log: Path, *options: str) -> Iterator[int]:
    """`themehub serve --port FREE OPTIONS` until its home page answers; stopped with Ctrl-C after."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", INTERRUPTIBLE_CLI, "serve", "--site", str(root), "--port", str(port),
                                 *options], stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while get(port, "/insights/")[0] != 200:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield port
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""
    finally:
        connection.close()


def test_serve_with_every_flag_then_ctrl_c(hub: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serving(hub, log, "--host", "127.0.0.1", "--drafts", "--as-of", "2031-03-15") as port:
        assert get(port, "/insights/articles/a-draft-piece/")[0] == 200  # --drafts
        status, report = get(port, "/insights/report/")
        assert status == 200
        assert "2030-04" in report  # --as-of: the report's 12 months end in March 2031, not in the clock's month
    output = log.read_text()
    assert f"at http://127.0.0.1:{port}/insights/ (Ctrl-C to stop)" in output  # --host, --port
    assert output.rstrip().endswith("stopped")
    assert "Traceback" not in output and "internal error" not in output
    warn_if_the_stop_watchdog_acted(output)


def test_serve_a_folder_that_does_not_exist_says_so(tmp_path: Path) -> None:
    proc = themehub("serve", "--site", "missing", "--port", str(free_port()), cwd=tmp_path)
    assert proc.returncode == 1
    no_traceback(proc)
    assert "[no-config]" in proc.stderr and "serving" not in proc.stdout


# ----------------------------------------------------------------------------------------------- check


def test_check_in_every_format(hub: Path) -> None:
    text = themehub("check", cwd=hub)
    assert text.returncode == 0, text.stderr
    assert re.search(r"^check passed: 0 errors, \d+ warnings$", text.stdout, re.M)
    assert "warning: SME 'ana-quinn' has no avatar [author-without-avatar]" in text.stderr

    github = themehub("check", "--format", "github", cwd=hub)
    assert github.returncode == 0
    assert "::warning file=content/authors/ana-quinn.md,line=1,col=1,title=author-without-avatar::" in github.stdout

    as_json = themehub("check", "--format", "json", cwd=hub)
    assert as_json.returncode == 0
    found = json.loads(as_json.stdout)
    assert {"file", "line", "col", "severity", "code", "message", "hint"} <= set(found[0])
    assert {d["code"] for d in found} >= {"author-without-avatar", "thin-theme"}

    sarif = themehub("check", "--format", "sarif", "--site", str(hub), cwd=hub.parent)
    assert sarif.returncode == 0
    log = json.loads(sarif.stdout)
    assert log["version"] == "2.1.0"
    assert len(log["runs"][0]["results"]) == len(found)
    for proc in (text, github, as_json, sarif):
        no_traceback(proc)


def test_check_strict_drafts_and_as_of(hub: Path) -> None:
    assert themehub("check", "--strict", cwd=hub).returncode == 1  # the fixture hub has warnings

    def overdue(*options: str) -> list[str]:
        proc = themehub("check", "--format", "json", *options, cwd=hub)
        assert proc.returncode == 0, proc.stderr
        return sorted(d["file"] for d in json.loads(proc.stdout) if d["code"] == "review-overdue")

    assert overdue("--as-of", "2026-03-31") == []
    assert overdue("--as-of", AS_OF) == []  # the draft is overdue, but not published
    assert overdue("--as-of", AS_OF, "--drafts") == ["content/articles/a-draft-piece.md"]
    assert overdue("--as-of", "2026-08-01") == ["content/articles/a-future-piece.md"]


def test_check_external_flags_parse() -> None:
    # Parsed only: the checking itself is another piece of work, and needs the network.
    args = make_parser().parse_args(["check", "--external", "--external-timeout", "2.5"])
    assert (args.external, args.external_timeout) == (True, 2.5)
    args = make_parser().parse_args(["check"])
    assert (args.external, args.external_timeout) == (False, 10.0)


# -------------------------------------------------------------------------------------- report, explain


def test_report(hub: Path) -> None:
    proc = themehub("report", "--as-of", AS_OF, cwd=hub)
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    assert proc.stdout.startswith("4 published pieces, 0 archived\n")
    assert "Pieces per SME, 2025-07 to 2026-06:" in proc.stdout
    later = themehub("report", "--site", str(hub), "--drafts", "--as-of", "2026-07-01", cwd=hub.parent)
    assert later.returncode == 0, later.stderr
    assert later.stdout.startswith("6 published pieces, 0 archived\n")


def test_explain(hub: Path) -> None:
    by_slug = themehub("explain", "finops-start", "--as-of", AS_OF, cwd=hub)
    assert by_slug.returncode == 0, by_slug.stderr
    no_traceback(by_slug)
    assert by_slug.stdout.startswith("Starting FinOps (article, Start here)\n")
    assert "read deeper: finops-deep" in by_slug.stdout
    by_file = themehub("explain", "content/articles/finops-start.md", "--site", str(hub), "--as-of", AS_OF,
                       cwd=hub.parent)
    assert by_file.stdout == by_slug.stdout
    draft = themehub("explain", "a-draft-piece", "--drafts", "--as-of", AS_OF, cwd=hub)
    assert draft.returncode == 0, draft.stderr
    unknown = themehub("explain", "finops-strat", cwd=hub)
    assert unknown.returncode == 1
    no_traceback(unknown)
    assert "[unknown-article]" in unknown.stderr and "did you mean 'finops-start'?" in unknown.stderr


def test_schema_out(tmp_path: Path) -> None:
    proc = themehub("schema", "--out", "editor/schemas", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    assert sorted(p.name for p in (tmp_path / "editor/schemas").iterdir()) == sorted(
        f"{name}.schema.json" for name in schemas())


# ---------------------------------------------------------------------------------------- usage errors

LONG = "x" * 300

BAD_VALUES = [
    ("build", ["--as-of", "tomorrow"], "--as-of"),
    ("build", ["--as-of", "2026-02-30"], "--as-of"),
    ("build", ["--jobs", "-3"], "--jobs"),
    ("build", ["--jobs", "many"], "--jobs"),
    ("build", ["--base-url", "https://u:p@x.example/"], "--base-url"),
    ("build", ["--base-url", "ftp://example.com/"], "--base-url"),
    ("build", ["--out", "public\tsite"], "--out"),
    ("build", ["--out", LONG], "--out"),
    ("build", ["--out", "~no-such-user-of-this-machine/site"], "--out"),
    ("build", ["--site", LONG], "--site"),
    ("serve", ["--port", "99999"], "--port"),
    ("serve", ["--port", "abc"], "--port"),
    ("serve", ["--port", "0"], "--port"),
    ("serve", ["--host", "two words"], "--host"),
    ("serve", ["--host", "a" * 64 + ".example"], "--host"),  # a label over 63: the resolver raised on it
    ("serve", ["--host", "[::1"], "--host"),
    ("serve", ["--host", ""], "--host"),
    ("serve", ["--as-of", "tomorrow"], "--as-of"),
    ("check", ["--format", "xml"], "--format"),
    ("check", ["--external-timeout", "0"], "--external-timeout"),
    ("check", ["--external-timeout", "-1"], "--external-timeout"),
    ("check", ["--external-timeout", "nan"], "--external-timeout"),
    ("check", ["--external-timeout", "soon"], "--external-timeout"),
    ("check", ["--as-of", "0001-01-01T00:00:00+01:00"], "--as-of"),  # before the first instant of year 1 in UTC
    ("report", ["--as-of", "tomorrow"], "--as-of"),
    ("explain", ["finops-start", "--as-of", "tomorrow"], "--as-of"),
    ("new", ["blog", "x"], "kind"),
    ("new", ["article", "x", "--lang", "../../de"], "--lang"),  # a tag names a file: never a path
    ("new", ["article", "x", "--lang", "DE"], "--lang"),
    ("init", ["hub\x1b[31m"], "DIR"),
    ("schema", ["--out", "schemas\nhere"], "--out"),
    ("import", ["blogger", "x"], "format"),
    ("import", ["hugo", "x" * 300], "SOURCE"),
    ("import", ["hugo", "x", "--out", "public\tsite"], "--out"),
    ("import", ["hugo", "x", "--themes", "0"], "--themes"),
    ("import", ["hugo", "x", "--themes", "many"], "--themes"),
    ("import", ["hugo", "x", "--folder", "../up"], "--folder"),
    ("import", ["hugo", "x", "--taxonomy", "two words"], "--taxonomy"),
    ("import", ["wordpress", "x.xml", "--timeout", "0"], "--timeout"),
    ("cms", ["--repo", "acme"], "--repo"),
    ("cms", ["--repo", "acme/insights hub"], "--repo"),
    ("cms", ["--branch", "two words"], "--branch"),
    ("cms", ["--branch", "main..evil"], "--branch"),
]


@pytest.mark.parametrize(("command", "args", "option"), BAD_VALUES,
                         ids=[f"{c}{' '.join(a)[:40]}" for c, a, _ in BAD_VALUES])
def test_a_bad_value_is_a_usage_error(hub: Path, command: str, args: list[str], option: str) -> None:
    usage_error(themehub(command, *args, cwd=hub), command, option)


FREE_TEXT = ("slug", "article", "--title", "--theme", "--author", "--type")
"""Options whose every UTF-8 value is valid: `new` and `explain` judge them (did-you-mean) and exit 1."""


def test_every_option_that_takes_a_value_has_a_bad_value_tested() -> None:
    tested = {(command, option) for command, _, option in BAD_VALUES}
    parser = make_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    untested = []
    for name, sub in commands.items():
        for action in sub._actions:
            option = action.option_strings[-1] if action.option_strings else action.metavar or action.dest
            if action.nargs == 0 or option in FREE_TEXT or (option == "--site" and name != "build"):
                continue  # a flag, free text, or --site: one check for every command, tested on build
            if (name, option) not in tested:
                untested.append(f"{name} {option}")
    assert untested == []


def test_as_of_at_the_end_of_time_is_not_an_internal_error(hub: Path) -> None:
    # '9999-12-31' means the end of that day; it was computed by adding a day, past year 9999.
    proc = themehub("check", "--as-of", "9999-12-31", "--format", "json", cwd=hub)
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
