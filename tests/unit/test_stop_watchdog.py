"""serve/stopping.py's watchdog, in a process of its own (when it acts, it ends the process): armed, it
leaves after its time with every thread's stack; disarmed (`serve` called from Python), it stands down
and the process goes on."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys, time
from themehub.serve.stopping import StopWatchdog
watchdog = StopWatchdog(0.3)
watchdog.arm()
watchdog.arm()  # twice: one watchdog
if sys.argv[1] == "disarm":
    watchdog.disarm()
time.sleep(1.5)
print("still running")
"""


def _run(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=60)


def test_an_armed_watchdog_leaves_with_the_stacks_and_says_stopped() -> None:
    done = _run("keep")
    assert done.returncode == 0
    assert "still running" not in done.stdout
    assert done.stdout.strip() == "stopped"
    assert "stopping took longer than 0.3 s; leaving anyway" in done.stderr
    assert "in <module>" in done.stderr  # the main thread, asleep in the script
    assert done.stderr.count("stopping took longer") == 1


def test_a_disarmed_watchdog_lets_the_process_go_on() -> None:
    done = _run("disarm")
    assert done.returncode == 0
    assert done.stdout.strip() == "still running"
    assert done.stderr == ""
