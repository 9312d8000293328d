"""Theme colours stay readable under white text, whatever colour a marketer picks."""

from __future__ import annotations

import pytest

from themehub.colors import contrast_with_white, on_white_text, pattern_angle


def _contrast(a: str) -> float:
    # WCAG relative luminance, computed here independently of the module under test.
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(a[i:i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


@pytest.mark.parametrize("color", ["#ffffff", "#fde047", "#7dd3fc", "#22c55e", "#f97316", "#0f766e", "#1e40af", "#000"])
def test_any_colour_gets_aa_contrast_with_white_text(color: str) -> None:
    readable = on_white_text(color)
    assert _contrast(readable) >= 4.5
    assert abs(contrast_with_white(readable) - _contrast(readable)) < 0.01


def test_dark_colours_are_left_alone_and_light_ones_darkened() -> None:
    assert on_white_text("#1e40af") == "#1e40af"
    assert on_white_text("#fde047") != "#fde047"


def test_pattern_angle_is_stable_and_differs_between_themes() -> None:
    angles = {pattern_angle(slug) for slug in ("cloud-economics", "data-trust", "ai-at-scale", "finops")}
    assert len(angles) == 4 and all(0 <= a < 180 for a in angles)
    assert pattern_angle("finops") == pattern_angle("finops")
