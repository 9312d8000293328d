"""The CLI in-process (themehub.cli.main): exit codes and where output goes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import article
from themehub.cli import main


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
