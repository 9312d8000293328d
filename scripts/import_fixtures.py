"""Import each hand-written fixture of tests/fixtures/import/ as a user would, then check and build it,
and print one summary per format: what the closing note of the import work reports.

    python scripts/import_fixtures.py [OUT_DIR]      # default: a new temporary folder

The WordPress export points at https://old.example/; a local server stands in for that old site (its
media library made of small generated pictures), so the pictures are really downloaded.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "import"
UPLOADS = {"cloud-bill.jpg": "JPEG", "cloud-bill-300x200.jpg": "JPEG", "cloud-bill-1024x683.jpg": "JPEG",
           "chart.png": "PNG", "team photo.jpg": "JPEG"}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def themehub(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "themehub", *args], capture_output=True, text=True, check=False)


def old_site(work: Path) -> str:
    """Serve the old WordPress site's media library; its address."""
    uploads = work / "www" / "blog" / "wp-content" / "uploads" / "2019" / "05"
    uploads.mkdir(parents=True)
    for name, fmt in UPLOADS.items():
        Image.new("RGB", (120, 80), (30, 90, 160)).save(uploads / name, fmt)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(work / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def summary(fmt: str, source: Path, shown: str, out: Path) -> str:
    made = themehub("import", fmt, str(source), "--out", str(out))
    if made.returncode != 0:
        return f"## {fmt}: {shown}: import failed\n{made.stderr}"
    report = json.loads((out / "import-report.json").read_text(encoding="utf-8"))
    posts = report["posts"]
    articles = Counter(p["status"] for p in posts if p["kind"] == "article")
    notes = Counter(n["kind"] for p in posts for n in p["notes"]) + Counter(n["kind"] for n in report["site_notes"])
    checked = themehub("check", "--site", str(out))
    built = themehub("build", "--site", str(out), "--no-search")
    warnings = Counter(re.findall(r"warning: .*\[([a-z-]+)\]$", checked.stdout + checked.stderr, re.M))
    errors = len(re.findall(r": error: ", checked.stdout + checked.stderr))
    pictures = dict(Counter(p["fate"] for p in report["pictures"]))
    first_line = built.stdout.strip().splitlines()[0] if built.stdout.strip() else built.stderr
    return "\n".join([
        f"## {fmt}: {shown}",
        f"articles {sum(articles.values())} ({articles['published']} published, {articles['scheduled']} scheduled, "
        f"{articles['draft']} drafts); pages {sum(p['kind'] == 'page' for p in posts)}; "
        f"themes {[t['title'] for t in report['themes']]}",
        f"aliases written {sum(len(p['aliases']) for p in posts)}; pictures {pictures}",
        f"notes: {dict(notes)}",
        f"check: exit {checked.returncode}, {errors} errors, warnings {dict(warnings)}",
        f"build: exit {built.returncode}, {first_line}",
    ])


def main() -> int:
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="themehub-import-"))
    work.mkdir(parents=True, exist_ok=True)
    url = old_site(work)
    export = work / "export.xml"
    export.write_text((FIXTURES / "wordpress" / "site.xml").read_text(encoding="utf-8")
                      .replace("https://old.example/", url), encoding="utf-8")
    sources = (("wordpress", export), ("hugo", FIXTURES / "hugo" / "blog"), ("jekyll", FIXTURES / "jekyll" / "blog"),
               ("jekyll", FIXTURES / "jekyll" / "eleventy"))
    for n, (fmt, source) in enumerate(sources):
        shown = "wordpress/site.xml" if source == export else source.relative_to(FIXTURES).as_posix()
        print(summary(fmt, source, shown, work / f"hub-{n}"), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
