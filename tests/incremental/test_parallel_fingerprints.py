"""Fingerprints computed by forked workers (large sites, several cores) are the ones one process computes:
a rebuild after an edit reuses and renders the same pages either way. Off Linux, where nothing is forked,
the same assertions hold of the one-process path."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import NOW, copy_sample, in_one_language, replace, run_build, tree

from themehub.render import renderpass


def rebuild_after_edit(root: Path, jobs: int) -> tuple[list[str], dict[str, bytes]]:
    site = in_one_language(copy_sample(root))
    assert run_build(site, now=NOW, jobs=jobs).ok
    replace(site / "content/articles/cloud-unit-cost-model.md", "title: ", "title: Revised ")
    result = run_build(site, now=NOW, jobs=jobs)
    assert result.ok
    return sorted(url for url, _ in result.rendered), tree(site / "site")


def test_forked_fingerprints_reuse_and_render_what_one_process_does(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    single = rebuild_after_edit(tmp_path / "one", jobs=1)
    monkeypatch.setattr(renderpass, "PARALLEL_FINGERPRINTS", 8)  # the sample's pages are enough
    compared: list[int] = []
    real = renderpass._fingerprint_all

    def checked(specs: list, site_digest: str, memo: dict, workers: int) -> list:  # type: ignore[type-arg]
        prints = real(specs, site_digest, memo, workers)
        if workers > 1 and len(specs) >= 8:  # forked: the same prints and items, in the same order, as in one process
            assert prints == real(specs, site_digest, {}, 1)
            compared.append(len(specs))
        return prints

    monkeypatch.setattr(renderpass, "_fingerprint_all", checked)
    parallel = rebuild_after_edit(tmp_path / "two", jobs=2)
    # Both builds went to two workers: the first build's every page, the rebuild's pages holding the
    # retitled article (the others are proven unchanged, render/reuse.py).
    assert len(compared) == 2 and compared[0] > 50 and 8 <= compared[1] < compared[0]
    assert parallel[0] == single[0] and len(single[0]) > 5
    assert parallel[1] == single[1]
