"""The full killed-builds run: SIGKILL `themehub build` at random moments, at least 100 times.

    python bench/hardening/kill_builds.py [--kills 100] [--seed 20261123] [--keep]

Same harness as tests/hardening/test_kill.py (which kills 25 builds in CI): after every kill, site/ must be
exactly the complete previous site or the complete new one; a build that runs to the end removes the
staging leftovers. Exits 1 and lists the problems when any kill breaks that.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.hardening.test_kill import CI_SEED, prepare, run_kills  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=CI_SEED)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--quiet", action="store_true", help="no line per kill")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="themehub-kills-"))
    started = time.monotonic()
    try:
        setup = prepare(base)
        print(f"references built; one rebuild takes {setup.duration:.2f} s; killing {args.kills} builds "
              f"(seed {args.seed})", flush=True)
        report = run_kills(setup, args.kills, args.seed, log=(lambda _: None) if args.quiet else print)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept {base}")
    print(f"{report.summary()} in {time.monotonic() - started:.0f} s")
    for problem in report.problems:
        print("PROBLEM:", problem)
    return 1 if report.problems or report.kills < args.kills else 0


if __name__ == "__main__":
    sys.exit(main())
