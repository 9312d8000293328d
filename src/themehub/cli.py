"""The command-line front end: parse, call one driver, print its diagnostics, map to an exit code.

Exit status: 0 success; 1 the content has errors (or warnings under --strict); 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import ipaddress
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from themehub import __version__
from themehub.codes import CODES
from themehub.diagnostics import Diagnostic, format_github, format_json, format_sarif, format_text, summary_line

log = logging.getLogger("themehub")


def _print_diagnostics(diagnostics: Sequence[Diagnostic], fmt: str = "text") -> None:
    if fmt == "json":
        print(format_json(diagnostics))
        return
    if fmt == "sarif":
        print(format_sarif(diagnostics, __version__, CODES))
        return
    if not diagnostics:
        return
    if fmt == "github":
        print(format_github(diagnostics))
        return
    print(format_text(diagnostics), file=sys.stderr, flush=True)


YOUNG_OBJECTS_BEFORE_COLLECTING = 20_000
"""The collector's first threshold (Python's default is 700). A build makes hundreds of thousands of
objects that live until it ends (items, the hub, page contexts) and little cyclic garbage: collecting
every 700 allocations walked them again and again. Measured with `_collect_for_one_run` on 1,000
articles (`farm-bench`, pairs): a no-change rebuild 0.925x the time, a cold build 0.946x, same peak memory."""


@functools.cache
def _collect_for_one_run() -> None:
    """For `build` and `check`, one run each (not `serve`, which lives for hours): collect young objects
    less often, and move what is loaded now (modules, classes, compiled patterns), which lives until the
    process ends, out of the collector's reach, so no full collection walks it again. Once per process:
    a caller that runs several commands in one process (the tests) would otherwise freeze the garbage
    of the one before."""
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTING, *gc.get_threshold()[1:])
    gc.freeze()


def cmd_build(args: argparse.Namespace) -> int:
    from themehub.build import BuildOptions, build
    from themehub.hub.schedule import next_scheduled_line
    from themehub.progress import ProgressLine

    _collect_for_one_run()

    options = BuildOptions(site=Path(args.site), out=Path(args.out) if args.out else None, drafts=args.drafts,
                           base_url=args.base_url, strict=args.strict, jobs=args.jobs, force=args.force,
                           cache=not args.no_cache, search=not args.no_search, now=args.as_of,
                           noindex=args.noindex)
    progress = ProgressLine(enabled=False if args.no_progress else None)
    try:
        result = build(options, progress)
    finally:
        progress.clear()
    _print_diagnostics(result.diagnostics)
    if not result.ok:
        print(f"build failed: {summary_line(result.diagnostics)}; the previous site was left as it was",
              file=sys.stderr)
        return 1
    print(f"built {result.pages} pages ({len(result.rendered)} rendered; {result.files} files, "
          f"{result.written} written, {result.unchanged} unchanged) into {result.out} in {result.elapsed:.2f}s")
    upcoming = next_scheduled_line(result.scheduled)
    if upcoming:
        print(upcoming)
    if args.explain:
        for url, why in result.rendered:
            print(f"  /{url}: {why}")
        if result.proven:
            print(f"  {result.proven} other pages kept unread: only bodies and articles' titles, summaries or "
                  "image descriptions changed since the last build, and none of them shows one")
    if args.timings:
        for stage, seconds in result.timings.items():
            print(f"  {stage:<10} {seconds * 1000:8.1f} ms")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from themehub.check import check

    _collect_for_one_run()

    diagnostics = check(Path(args.site), drafts=args.drafts, now=args.as_of, external=args.external,
                        external_timeout=args.external_timeout)
    _print_diagnostics(diagnostics, args.format)
    failed = any(d.is_error or args.strict for d in diagnostics)
    if args.format == "text":
        print(("check failed: " if failed else "check passed: ") + summary_line(diagnostics),
              file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from themehub.config import load_config
    from themehub.serve.server import serve

    if not Path(args.site).is_dir():  # nothing to watch: say so rather than serve an empty site
        _print_diagnostics(load_config(Path(args.site))[1])
        return 1
    return serve(Path(args.site), host=args.host, port=args.port, drafts=args.drafts, open_browser=args.open,
                 now=args.as_of, process_ends=True)


def cmd_init(args: argparse.Namespace) -> int:
    from themehub.scaffold import init_site

    return _report(init_site(Path(args.dir)))


def cmd_new(args: argparse.Namespace) -> int:
    from themehub.scaffold import OPTIONS, new_item, new_translation

    if args.lang is not None:
        given = [f"--{name}" for name in ("title", "theme", "author", "type") if getattr(args, name) is not None]
        if given:
            args.usage_error(f"argument --lang: a translation takes everything but its words from the original "
                             f"(leave out {', '.join(given)})")
        return _report(new_translation(Path(args.site), args.kind, args.slug, args.lang))
    for name in ("title", "theme", "author", "type"):
        if getattr(args, name) is not None and name not in OPTIONS[args.kind]:
            kinds = ", ".join(kind for kind, used in OPTIONS.items() if name in used)
            args.usage_error(f"argument --{name}: `new {args.kind}` does not use it (it is for: new {kinds})")
    return _report(new_item(Path(args.site), args.kind, args.slug, title=args.title, theme=args.theme,
                            author=args.author, type_=args.type))


def cmd_report(args: argparse.Namespace) -> int:
    from themehub.build import BuildOptions, jobs_for, load_site
    from themehub.hub.report import format_report
    from themehub.render.site import render_site

    options = BuildOptions(site=Path(args.site), drafts=args.drafts, now=args.as_of)
    loaded = load_site(options)
    if loaded.hub is None or any(d.is_error for d in loaded.diagnostics):
        _print_diagnostics(loaded.diagnostics)
        return 1
    rendered = render_site(loaded.hub, jobs=jobs_for(options))
    assert rendered.report is not None
    print(format_report(rendered.report))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from themehub.build import BuildOptions, load_site
    from themehub.diagnostics import did_you_mean, error
    from themehub.hub.explain import format_explain

    loaded = load_site(BuildOptions(site=Path(args.site), drafts=args.drafts, now=args.as_of))
    errors = [d for d in loaded.diagnostics if d.is_error]
    if loaded.hub is None or errors:
        _print_diagnostics(errors or loaded.diagnostics)
        return 1
    slug = Path(args.article).stem  # accept a slug or a file path
    if slug not in loaded.hub.article_by_slug:
        _print_diagnostics([error(args.article, 0, 0, "unknown-article", f"no published article '{slug}'",
                                  did_you_mean(slug, loaded.hub.article_by_slug))])
        return 1
    print(format_explain(loaded.hub, slug))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from themehub.schemas import write_schemas

    written, diagnostics = write_schemas(Path(args.out))
    for path in written:
        print(f"wrote {path}")
    _print_diagnostics(diagnostics)
    return 1 if diagnostics else 0


def cmd_import(args: argparse.Namespace) -> int:
    from themehub.importing.run import ImportOptions, import_site

    options = ImportOptions(source=Path(args.source), out=Path(args.out), themes=args.themes, folder=args.folder or "",
                            taxonomy=args.taxonomy, download=not args.no_download, timeout=args.timeout,
                            dry_run=args.dry_run, overwrite=args.overwrite)
    return _report(import_site(args.format, options))


def cmd_cms(args: argparse.Namespace) -> int:
    from themehub.cms import write_editor

    return _report(write_editor(Path(args.site), repo=args.repo, branch=args.branch, force=args.force))


def _report(result: tuple[str, list[Diagnostic]]) -> int:
    message, diagnostics = result
    _print_diagnostics(diagnostics)
    if any(d.is_error for d in diagnostics):
        return 1
    print(message)
    return 0


def _language(text: str) -> str:
    """A language tag, as `languages:` takes them (`de`, `pt-BR`): it names a file (`x.de.md`)."""
    from themehub.config import LANGUAGE_TAG

    if not LANGUAGE_TAG.fullmatch(_text(text)):
        shown = text.encode("unicode_escape").decode("ascii")[:40]
        raise argparse.ArgumentTypeError(f"'{shown}' is not a language tag (de, fr, pt-BR)")
    return text


def _text(text: str) -> str:
    """Any text argument: UTF-8 (bytes that are not arrive as lone surrogates, which no file, YAML or
    terminal takes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        shown = text.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
        raise argparse.ArgumentTypeError(f"'{shown}' holds bytes that are not UTF-8 text") from None
    return text


def _site(text: str) -> str:
    """--site: a folder name the file system can look up (one over 255 bytes makes it raise, not fail)."""
    from themehub.config import MAX_NAME_BYTES, MAX_PATH_BYTES

    encoded = _text(text).encode("utf-8")
    if len(encoded) > MAX_PATH_BYTES or any(len(part) > MAX_NAME_BYTES for part in encoded.split(b"/")):
        raise argparse.ArgumentTypeError(f"'{text[:60]}…' is too long for a folder name "
                                         f"({MAX_NAME_BYTES} bytes per name, {MAX_PATH_BYTES} in all)")
    return text


def _folder(text: str) -> str:
    """A folder themehub makes (--out, init's DIR): the rules of `output` in themehub.yaml."""
    from themehub.config import output_problem

    problem = output_problem(_text(text))
    if problem:
        raise argparse.ArgumentTypeError(f"this folder cannot be used: {problem}")
    return text


def _as_of(text: str) -> dt.datetime:
    from themehub.source.fields import parse_date_text

    parsed = parse_date_text(_text(text))
    if parsed is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD")
    if len(text.strip()) == 10:  # a date means the end of that day: everything dated that day is published
        parsed = parsed.replace(hour=23, minute=59, second=59, microsecond=999999)
    try:
        parsed.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the first instant Python can hold
        raise argparse.ArgumentTypeError(f"'{text}' is outside the years 1 to 9999 in UTC") from None
    return parsed


def _folder_name(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,100}", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not one plain folder name (letters, digits, '-', '_')")
    return text


def _repository(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not OWNER/NAME of a GitHub repository (acme/insights)")
    return text


def _branch(text: str) -> str:
    # git's rules for a branch name, the part a user can get wrong: no spaces or control characters, no
    # '..', no leading '-' or '/', no trailing '/' or '.lock'
    if (not re.fullmatch(r"[A-Za-z0-9._/-]+", text) or ".." in text or text.startswith(("-", "/"))
            or text.endswith(("/", ".lock"))):
        raise argparse.ArgumentTypeError(f"'{text}' is not a git branch name (main, content/drafts)")
    return text


def _base_url(text: str) -> str:
    from themehub.config import base_url_problem

    problem = base_url_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(f"this base URL cannot be used: {problem}")
    return text


def _number(kind: type[int] | type[float], low: float, high: float, what: str) -> Callable[[str], float]:
    """An argparse type: a number from `low` to `high`, or a usage error saying what it should be."""
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not {what}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value:g} is not {what} ({low:g} to {high:g})")
        return value
    return parse


_count = _number(int, 0, 1024, "a number of processes (0 means one per core)")
_seconds = _number(float, 0.1, 300, "a timeout in seconds")
_theme_count = _number(int, 1, 100, "a number of campaign themes")
_port = _number(int, 1, 65535, "a port number")


_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z")


def _host(text: str) -> str:
    """--host: an IP address or a host name. Checked here because the resolver raises on some
    malformed names (a label over 63 characters) instead of failing to find them."""
    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        ipaddress.ip_address(bare.split("%", 1)[0])  # an IPv6 address may carry a %zone
        return text
    except ValueError:
        pass
    try:
        ascii_name = _text(bare).encode("idna").decode("ascii")  # an internationalized name as its xn-- form
    except UnicodeError:
        ascii_name = ""
    labels = ascii_name.rstrip(".").split(".")
    if bare != text or not ascii_name or len(ascii_name) > 253 or not all(_HOST_LABEL.match(x) for x in labels):
        raise argparse.ArgumentTypeError(f"'{text[:80]}' is not an IP address or a host name; "
                                         "use 127.0.0.1 (this machine only) or 0.0.0.0 (every network)")
    return text


def make_parser() -> argparse.ArgumentParser:
    from themehub.content.kinds import KINDS  # the kinds `new` writes (not scaffold: it loads the config stage)

    parser = argparse.ArgumentParser(prog="themehub", description="Build themed thought-leadership hubs.")
    parser.add_argument("--version", action="version", version=f"themehub {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def site_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--site", type=_site, default=".", metavar="DIR", help="the site folder (default: .)")

    def as_of_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--as-of", type=_as_of, metavar="DATE",
                       help="build as if today were DATE (preview a launch: scheduled, expired, overdue)")

    p = sub.add_parser("build", help="build the site into its output folder")
    site_arg(p)
    p.add_argument("--out", type=_folder, metavar="DIR",
                   help="output folder (default: `output` of themehub.yaml, site/)")
    p.add_argument("--drafts", action="store_true", help="include drafts and future-dated articles")
    p.add_argument("--base-url", type=_base_url, metavar="URL", help="override base_url of themehub.yaml")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--jobs", type=_count, default=0, metavar="N", help="worker processes (default: cores)")
    p.add_argument("--force", action="store_true", help="replace an output folder themehub did not create")
    p.add_argument("--timings", action="store_true", help="print the time of each stage")
    p.add_argument("--explain", action="store_true", help="say why each rendered page was rendered")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not write .themehub-cache/")
    p.add_argument("--no-search", action="store_true", help="skip the search index (faster local builds)")
    p.add_argument("--noindex", action="store_true",
                   help="keep search engines out (previews): robots noindex on every page, robots.txt disallows all")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress line (it shows only on a terminal, for builds over 2 s)")
    as_of_arg(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("check", help="check the content without writing the site")
    site_arg(p)
    p.add_argument("--format", choices=("text", "github", "json", "sarif"), default="text")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--external", action="store_true",
                   help="also check links to other sites (cached a day in .themehub-cache/external.json)")
    p.add_argument("--external-timeout", type=_seconds, default=10.0, metavar="S",
                   help="give up on an external link after S seconds (default: 10)")
    p.add_argument("--drafts", action="store_true", help="include drafts and future-dated articles")
    as_of_arg(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("serve", help="preview the site with live reload")
    site_arg(p)
    p.add_argument("--host", type=_host, default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1; 0.0.0.0 shows the preview to the network)")
    p.add_argument("--port", type=_port, default=8000, help="port (default: 8000, or the next free one)")
    p.add_argument("--drafts", action="store_true", help="include drafts and future-dated articles")
    p.add_argument("--open", action="store_true", help="open the site in a web browser")
    as_of_arg(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("init", help="create a new site with a small sample hub")
    p.add_argument("dir", type=_folder, nargs="?", default=".", metavar="DIR")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("report", help="print the hub health report (also published at /report/)")
    site_arg(p)
    p.add_argument("--drafts", action="store_true", help="include drafts and future-dated articles")
    as_of_arg(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("explain", help="show why each related piece is suggested for an article")
    p.add_argument("article", type=_text, help="article slug or file")
    site_arg(p)
    p.add_argument("--drafts", action="store_true", help="include drafts and future-dated articles")
    as_of_arg(p)
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("schema", help="write JSON Schemas of the front matter and themehub.yaml")
    p.add_argument("--out", type=_folder, default="schemas", metavar="DIR",
                   help="folder to write them to (default: schemas)")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("import", help="turn a WordPress export, a Hugo site or a Jekyll site into a hub")
    p.add_argument("format", choices=("wordpress", "hugo", "jekyll"))
    p.add_argument("source", type=_site, metavar="SOURCE",
                   help="the WordPress export (WXR .xml file) or the Hugo or Jekyll site's folder")
    p.add_argument("--out", type=_folder, default=".", metavar="DIR",
                   help="the new hub's folder (new or empty), or a hub to import into (default: .)")
    p.add_argument("--themes", type=_theme_count, default=6, metavar="N",
                   help="how many of the most used categories become campaign themes (default: 6); the rest stay tags")
    p.add_argument("--folder", type=_folder_name, metavar="NAME",
                   help="into an existing hub: the folder below content/articles/ (default: imported)")
    p.add_argument("--taxonomy", type=_folder_name, default="categories", metavar="NAME",
                   help="Hugo: the taxonomy whose terms become campaign themes (default: categories)")
    p.add_argument("--no-download", action="store_true",
                   help="WordPress: link pictures on the old site instead of downloading them")
    p.add_argument("--timeout", type=_seconds, default=20.0, metavar="S",
                   help="give up on one picture's download after S seconds (default: 20)")
    p.add_argument("--dry-run", action="store_true", help="say what would be written, and write nothing")
    p.add_argument("--overwrite", action="store_true", help="replace files the import would write that exist")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("cms", help="write the web editor (Sveltia CMS) into static/admin/, from the content schemas")
    site_arg(p)
    p.add_argument("--repo", type=_repository, metavar="OWNER/NAME",
                   help="the GitHub repository the editor commits to (default: the git remote `origin`)")
    p.add_argument("--branch", type=_branch, default="main", help="the branch it opens pull requests against")
    p.add_argument("--force", action="store_true", help="replace editor files themehub did not write")
    p.set_defaults(func=cmd_cms)

    p = sub.add_parser("new", help="create a new article, theme, author, service, page, track or event")
    p.add_argument("kind", choices=tuple(kind.name for kind in KINDS))
    p.add_argument("slug", type=_text)
    site_arg(p)
    p.add_argument("--title", type=_text, help="title (an author's name)")
    p.add_argument("--theme", type=_text, help="campaign theme slug (articles, tracks, events)")
    p.add_argument("--author", type=_text, help="author slug (articles)")
    p.add_argument("--type", type=_text, help="content type (articles)")
    p.add_argument("--lang", type=_language, metavar="LANG",
                   help="write a translation of the existing SLUG into LANG (one of `languages:`), beside it")
    p.set_defaults(func=cmd_new, usage_error=p.error)
    return parser


def entry() -> NoReturn:
    """The `themehub` command (and `python -m themehub`): `main`, then the process ends.

    Everything a build made is still alive when `main` returns: the site's theme environment holds the
    hub until the next build replaces it, which a one-shot process never runs. Python's shutdown then
    runs one last full collection over all of it, 0.2 s at 10,000 articles (a rebuild's whole process:
    +0.30 s after `main` returned, against +0.08–0.13 s with this freeze). Frozen objects are left out of
    that collection and still freed as the modules go. Not in `main`, which the tests call many times
    in one process: there, frozen garbage would never be collected.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        args = make_parser().parse_args(argv)  # inside: a check of an argument may have a bug too
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: not an error of ours
        sys.stderr = sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the interpreter's flush at exit
        return 0
    except Exception as exc:  # an escaped exception is a bug: say so in one line, no traceback
        where = traceback.extract_tb(exc.__traceback__)[-1]
        print(f"themehub: internal error ({type(exc).__name__}: {exc}) at {Path(where.filename).name}:"
              f"{where.lineno}; this is a bug, please report it", file=sys.stderr)
        return 1
