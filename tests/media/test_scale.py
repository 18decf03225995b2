"""media.decode.scale_to_fit: fit a frame into a box, keeping its aspect ratio."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.media.decode import scale_to_fit


def frame(w: int, h: int) -> np.ndarray:
    rng = np.random.default_rng(w * 10_000 + h)
    return rng.integers(0, 256, (h, w, 3), dtype=np.uint8)


@pytest.mark.parametrize(
    ("size", "box", "expected"),
    [
        ((1920, 1080), (1280, 720), (1280, 720)),  # same aspect, shrink
        ((1920, 1080), (800, 800), (800, 450)),  # width-limited
        ((1920, 1080), (1000, 300), (533, 300)),  # height-limited
        ((640, 360), (1280, 720), (1280, 720)),  # grow
        ((640, 480), (1920, 1080), (1440, 1080)),  # 4:3 into 16:9: pillar-boxed
        ((1280, 720), (1281, 2000), (1281, 721)),  # grows by a pixel: the box is a pixel wider
    ],
)
def test_shapes(size: tuple[int, int], box: tuple[int, int], expected: tuple[int, int]) -> None:
    out = scale_to_fit(frame(*size), *box)
    assert (out.shape[1], out.shape[0]) == expected
    assert out.shape[2] == 3 and out.dtype == np.uint8 and out.flags.c_contiguous


def test_exact_fit_returns_the_same_array() -> None:
    img = frame(1280, 720)
    assert scale_to_fit(img, 1280, 720) is img
    assert scale_to_fit(img, 1280, 1000) is img


def test_non_contiguous_input_gives_contiguous_output() -> None:
    view = frame(400, 300)[:, ::2]  # 200 x 300, strided
    assert not view.flags.c_contiguous
    same_size = scale_to_fit(view, 200, 300)
    assert same_size.flags.c_contiguous and np.array_equal(same_size, view)
    assert scale_to_fit(view, 100, 100).flags.c_contiguous


def test_interpolation_area_when_shrinking_linear_when_growing() -> None:
    img = frame(640, 360)
    assert np.array_equal(scale_to_fit(img, 320, 180), cv2.resize(img, (320, 180), interpolation=cv2.INTER_AREA))
    assert np.array_equal(scale_to_fit(img, 1280, 720), cv2.resize(img, (1280, 720), interpolation=cv2.INTER_LINEAR))


def test_grey_images_and_a_bad_box() -> None:
    grey = np.zeros((100, 200), np.uint8)
    assert scale_to_fit(grey, 50, 50).shape == (25, 50)
    with pytest.raises(ValueError):
        scale_to_fit(grey, 0, 10)


@settings(max_examples=150, deadline=None)
@given(
    w=st.integers(1, 700), h=st.integers(1, 700), box_w=st.integers(1, 900), box_h=st.integers(1, 900),
)
def test_always_fits_and_keeps_aspect(w: int, h: int, box_w: int, box_h: int) -> None:
    out = scale_to_fit(np.zeros((h, w, 3), np.uint8), box_w, box_h)
    oh, ow = out.shape[:2]
    assert 1 <= ow <= box_w and 1 <= oh <= box_h
    assert ow == box_w or oh == box_h or (ow, oh) == (w, h) or ow == 1 or oh == 1  # touches the box
    scale = min(box_w / w, box_h / h)
    assert abs(ow - w * scale) <= 1 and abs(oh - h * scale) <= 1  # aspect kept, within rounding
    assert out.flags.c_contiguous
