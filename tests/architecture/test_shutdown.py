"""The `themehub` command leaves nothing of a build for Python's last collection at shutdown.

When `main` returns, the hub is still alive (the theme environment holds it), and the interpreter's
shutdown runs a full collection over every object the collector tracks: 0.2 s of a 10,000-article
rebuild. `cli.entry` freezes them first. What is frozen is out of the collector's lists, so an exit
handler can count what that last collection would walk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import make_site

# An exit handler registered first runs last: after the command, just before the modules go.
COUNT_AT_EXIT = """
import atexit, gc, sys
def count():
    ours = [o for o in gc.get_objects() if type(o).__module__.startswith("themehub.")]
    print("themehub objects left for the last collection:", len(ours), file=sys.stderr)
atexit.register(count)
site, how = sys.argv[1:]
sys.argv = ["themehub", "build", "--no-search", "--site", site]
from themehub.cli import entry, main
if how == "main":  # the command as it was: the exit code of `main`, and nothing else
    sys.exit(main(sys.argv[1:]))
entry()
"""


def _left_at_exit(site: Path, how: str) -> tuple[int, int]:
    done = subprocess.run([sys.executable, "-c", COUNT_AT_EXIT, str(site), how], capture_output=True, text=True,
                          timeout=300)
    line = [row for row in done.stderr.splitlines() if row.startswith("themehub objects left")][-1]
    return done.returncode, int(line.rsplit(":", 1)[1])


def test_the_command_leaves_no_object_of_the_build_to_the_last_collection(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    code, left_by_main = _left_at_exit(site, "main")
    assert code == 0
    assert left_by_main > 100  # the hub, its articles, the environment's objects: the count sees them
    code, left = _left_at_exit(site, "entry")
    assert code == 0
    assert (site / "site" / "index.html").is_file()
    assert left == 0
