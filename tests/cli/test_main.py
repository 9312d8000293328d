"""The CLI in-process (themehub.cli.main): exit codes and where output goes."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import article
from themehub.cli import main


@pytest.fixture(autouse=True)
def _collector_as_it_was() -> Iterator[None]:
    """`build` and `check` tune the garbage collector for their one run (cli.py): the tests that follow
    in this process get it back as it was."""
    threshold = gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    gc.unfreeze()


def test_check_clean_site(site: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--site", str(site())]) == 0
    out, err = capsys.readouterr()
    assert "check passed: 0 errors" in out
    assert "error" not in err


def test_check_errors_go_to_stderr_in_text_and_stdout_in_json(site: Callable[..., Path],
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = site({"content/articles/bad.md": article("Bad", authors="[ana-quin]")})
    assert main(["check", "--site", str(root)]) == 1
    out, err = capsys.readouterr()
    assert "content/articles/bad.md:4:11: error: unknown author 'ana-quin' [unknown-author]" in err.splitlines()
    assert "check failed: 1 error," in err
    assert main(["check", "--site", str(root), "--format", "json"]) == 1
    out, _ = capsys.readouterr()
    assert [d["code"] for d in json.loads(out) if d["severity"] == "error"] == ["unknown-author"]


def test_warnings_pass_unless_strict(site: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = site({"content/articles/img.md": article("Img", body="![](/images/logo.svg)")})
    assert main(["check", "--site", str(root)]) == 0
    assert main(["check", "--site", str(root), "--strict"]) == 1
    assert main(["check", "--site", str(root), "--format", "github"]) == 0
    out, _ = capsys.readouterr()
    assert "::warning file=content/articles/img.md,line=8,col=1,title=missing-alt::" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["build", "--no-such-option"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_commands_run_in_one_process_freeze_only_what_the_first_loaded(site: Callable[..., Path],
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """`build` and `check` freeze what is loaded (cli.py) once per process: freezing again would keep the
    garbage of the command before for good."""
    root = site()
    assert main(["check", "--site", str(root)]) == 0
    frozen = gc.get_freeze_count()
    garbage = [[] for _ in range(1000)]
    for item in garbage:
        item.append(item)  # cycles: only the collector frees them
    del garbage
    assert main(["build", "--site", str(root), "--no-search"]) == 0
    assert main(["check", "--site", str(root)]) == 0
    capsys.readouterr()
    assert gc.get_freeze_count() <= frozen
