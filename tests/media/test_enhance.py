"""media.enhance: tone, CLAHE, zoom/pan and privacy blur of a frame, and the Enhancement value."""

from __future__ import annotations

import math
import threading

import cv2
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workstation.media.decode import scale_to_fit
from workstation.media.enhance import Enhancement, apply, fit_size, tone_table

IDENTITY = Enhancement()


def noise(w: int, h: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def grey(w: int, h: int, value: int) -> np.ndarray:
    return np.full((h, w, 3), value, np.uint8)


def ramp(w: int, h: int) -> np.ndarray:
    """Channel 0 = source x of the pixel centre (value x), channel 1 = source y (value y), channel 2 = 0."""
    img = np.zeros((h, w, 3), np.uint8)
    img[:, :, 0] = np.arange(w, dtype=np.uint8)[None, :]
    img[:, :, 1] = np.arange(h, dtype=np.uint8)[:, None]
    return img


BLUE, GREEN, RED, WHITE, YELLOW = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 255, 255)


def quadrants(w: int = 400, h: int = 300) -> np.ndarray:
    """Four coloured quadrants (TL blue, TR red, BL white, BR yellow) and a green centre quarter on top."""
    img = np.zeros((h, w, 3), np.uint8)
    img[: h // 2, : w // 2] = BLUE
    img[: h // 2, w // 2:] = RED
    img[h // 2:, : w // 2] = WHITE
    img[h // 2:, w // 2:] = YELLOW
    img[h // 4: 3 * h // 4, w // 4: 3 * w // 4] = GREEN
    return img


def colour_at(img: np.ndarray, fx: float, fy: float) -> tuple[int, ...]:
    h, w = img.shape[:2]
    return tuple(int(v) for v in img[min(h - 1, int(fy * h)), min(w - 1, int(fx * w))])


def share(img: np.ndarray, colour: tuple[int, int, int], tol: int = 8) -> float:
    """Fraction of pixels within ``tol`` of ``colour`` in every channel."""
    return float(np.mean(np.all(np.abs(img.astype(int) - colour) <= tol, axis=2)))


def high_frequency_energy(img: np.ndarray) -> float:
    g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float64)
    return float(np.sum(np.diff(g, axis=0) ** 2) + np.sum(np.diff(g, axis=1) ** 2))


# ---------------------------------------------------------------- identity and the output


@pytest.mark.parametrize(("size", "box"), [((1920, 1080), (1280, 720)), ((640, 360), (1280, 720)),
                                           ((640, 480), (1920, 1080)), ((320, 240), (320, 240))])
def test_identity_is_scale_to_fit(size: tuple[int, int], box: tuple[int, int]) -> None:
    img = noise(*size)
    out = apply(img, IDENTITY, *box)
    assert np.array_equal(out, scale_to_fit(img, *box))
    if size == box:
        assert out is img  # no copy at all


def test_identity_after_round_trips_is_still_identity() -> None:
    e = IDENTITY.brighter(20).brighter(-20).contrast_by(1.1).contrast_by(1 / 1.1).gamma_by(0.8).gamma_by(1.25)
    e = e.toggle_clahe().toggle_clahe().zoom_by(2, (0.4, -0.3)).zoom_by(0.5).pan_by(0.2, 0.1)
    assert e.is_identity and e == IDENTITY and e.describe() == ""


@pytest.mark.parametrize("blur", [False, True])
@pytest.mark.parametrize("enh", [IDENTITY, IDENTITY.brighter(30), IDENTITY.toggle_clahe(),
                                 IDENTITY.zoom_by(2.5, (0.3, 0.7)), IDENTITY.zoom_by(8, (-1, 1)).gamma_by(0.5),
                                 IDENTITY.zoom_by(1.3).contrast_by(2).toggle_clahe()])
@pytest.mark.parametrize(("size", "box"), [((1920, 1080), (1280, 720)), ((640, 360), (1280, 720)),
                                           ((640, 480), (1000, 300)), ((333, 211), (333, 211))])
def test_output_is_contiguous_uint8_of_the_fitted_shape(enh: Enhancement, blur: bool, size: tuple[int, int],
                                                        box: tuple[int, int]) -> None:
    img = noise(*size, seed=1)
    before = img.copy()
    out = apply(img, enh, *box, blur=blur)
    assert out.shape == scale_to_fit(img, *box).shape
    assert out.dtype == np.uint8 and out.flags.c_contiguous
    assert np.array_equal(img, before), "apply wrote into the decoded frame"


def test_non_contiguous_and_grey_input() -> None:
    strided = noise(800, 300)[:, ::2]
    out = apply(strided, IDENTITY.zoom_by(2).brighter(10).toggle_clahe(), 200, 150, blur=True)
    assert out.shape == (150, 200, 3) and out.flags.c_contiguous
    g = cv2.cvtColor(noise(320, 240), cv2.COLOR_BGR2GRAY)
    out = apply(g, IDENTITY.zoom_by(3).gamma_by(0.5).toggle_clahe(), 640, 480, blur=True)
    assert out.shape == (480, 640) and out.dtype == np.uint8 and out.flags.c_contiguous
    with pytest.raises(ValueError):
        apply(noise(10, 10).astype(np.float32), IDENTITY.brighter(1), 10, 10)
    with pytest.raises(ValueError):
        apply(noise(10, 10), IDENTITY.brighter(1), 0, 10)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4000), st.integers(1, 4000), st.integers(1, 4000), st.integers(1, 4000))
def test_fit_size_matches_scale_to_fit(w: int, h: int, box_w: int, box_h: int) -> None:
    img = np.empty((h, w), np.uint8)  # scale_to_fit's size rule, checked without resizing anything big
    scale = min(box_w / w, box_h / h)
    assume(w * scale * h * scale < 2_000_000)
    assert fit_size(w, h, box_w, box_h) == scale_to_fit(img, box_w, box_h).shape[::-1]


# ---------------------------------------------------------------- tone


def test_brightness_raises_the_mean_by_the_step_and_clips() -> None:
    img = cv2.GaussianBlur(noise(320, 240), (0, 0), 3)  # values around 128, far from the ends
    for step in (20, -35, 100):
        out = apply(img, IDENTITY.brighter(step), 320, 240)
        assert abs(out.mean() - img.mean() - step) < 0.6
    out = apply(grey(100, 100, 240), IDENTITY.brighter(50), 100, 100)
    assert (out == 255).all()
    out = apply(grey(100, 100, 10), IDENTITY.brighter(-50), 100, 100)
    assert (out == 0).all()


def test_contrast_spreads_the_histogram_around_128() -> None:
    img = np.clip(np.random.default_rng(2).normal(128, 20, (240, 320, 3)), 0, 255).astype(np.uint8)
    out = apply(img, IDENTITY.contrast_by(2), 320, 240)
    assert abs(float(out.mean()) - float(img.mean())) < 1.5
    assert 1.9 < out.std() / img.std() < 2.1
    assert tuple(apply(grey(4, 4, 128), IDENTITY.contrast_by(3), 4, 4)[0, 0]) == (128, 128, 128)
    assert apply(grey(4, 4, 100), IDENTITY.contrast_by(2), 4, 4)[0, 0, 0] == 72
    assert apply(grey(4, 4, 150), IDENTITY.contrast_by(2), 4, 4)[0, 0, 0] == 172
    flatter = apply(img, IDENTITY.contrast_by(0.5), 320, 240)
    assert 0.45 < flatter.std() / img.std() < 0.55


def test_gamma_below_one_brightens_mid_tones_and_keeps_the_ends() -> None:
    table = tone_table(0, 1.0, 0.5)
    assert table[128] == round(255 * (128 / 255) ** 0.5) > 170
    assert table[0] == 0 and table[255] == 255
    img = grey(50, 50, 100)
    assert apply(img, IDENTITY.gamma_by(0.6), 50, 50).mean() > 130
    assert apply(img, IDENTITY.gamma_by(1.5), 50, 50).mean() < 80


def test_tone_tables_are_cached_and_read_only() -> None:
    a = tone_table(10, 1.3, 0.8)
    assert tone_table(10, 1.3, 0.8) is a
    assert not a.flags.writeable and a.dtype == np.uint8 and a.shape == (256,)
    assert np.array_equal(tone_table(0, 1.0, 1.0), np.arange(256, dtype=np.uint8))


# ---------------------------------------------------------------- CLAHE


def dark_scene() -> np.ndarray:
    """A dark, low-contrast, bluish night scene: a gentle gradient plus noise and some faint shapes."""
    rng = np.random.default_rng(4)
    h, w = 240, 320
    base = np.linspace(15, 45, w)[None, :] + np.linspace(0, 10, h)[:, None] + rng.normal(0, 2, (h, w))
    base[60:120, 40:100] += 8
    base[150:200, 200:280] -= 6
    img = np.stack([base + 12, base + 4, base], axis=2)  # B > G > R: a blue cast
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def local_std(img: np.ndarray, k: int = 15) -> float:
    g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float64)
    mean = cv2.blur(g, (k, k))
    return float(np.sqrt(np.maximum(cv2.blur(g * g, (k, k)) - mean * mean, 0)).mean())


def test_clahe_raises_local_contrast_of_a_dark_scene() -> None:
    img = dark_scene()
    out = apply(img, IDENTITY.toggle_clahe(), 320, 240)
    assert local_std(out) > 1.5 * local_std(img)
    assert cv2.cvtColor(out, cv2.COLOR_BGR2GRAY).std() > cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).std()


def test_clahe_keeps_the_hue() -> None:
    img = dark_scene()
    out = apply(img, IDENTITY.toggle_clahe(), 320, 240)
    # Only the luminance changes: the differences between channels (the chroma) stay, up to rounding.
    diff_in = img.astype(int)[:, :, 0] - img.astype(int)[:, :, 2]
    diff_out = out.astype(int)[:, :, 0] - out.astype(int)[:, :, 2]
    assert np.abs(diff_out - diff_in).max() <= 2
    hue_in = cv2.cvtColor(img[None, None, :, :, :].mean(axis=(2, 3)).astype(np.uint8), cv2.COLOR_BGR2HSV)[0, 0, 0]
    hue_out = cv2.cvtColor(out[None, None, :, :, :].mean(axis=(2, 3)).astype(np.uint8), cv2.COLOR_BGR2HSV)[0, 0, 0]
    assert abs(int(hue_in) - int(hue_out)) <= 4  # OpenCV hue is 0..180


def test_clahe_is_the_same_from_several_threads() -> None:
    imgs = [noise(640, 360, seed=s) for s in range(4)]
    enhs = [IDENTITY.toggle_clahe().brighter(10 * s).zoom_by(1 + s) for s in range(4)]
    expected = [apply(i, e, 480, 270) for i, e in zip(imgs, enhs, strict=True)]
    results: dict[tuple[int, int], np.ndarray] = {}

    def work(t: int) -> None:
        for n in range(20):
            k = (t + n) % 4
            results[(t, n)] = apply(imgs[k], enhs[k], 480, 270)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for (t, n), out in results.items():
        assert np.array_equal(out, expected[(t + n) % 4])


# ---------------------------------------------------------------- zoom and pan


def test_zoom_two_centred_shows_the_centre_quarter() -> None:
    img = quadrants()
    whole = apply(img, IDENTITY, 400, 300)
    assert share(whole, GREEN) == pytest.approx(0.25, abs=0.01)
    for colour in (BLUE, RED, WHITE, YELLOW):
        assert share(whole, colour) == pytest.approx(0.1875, abs=0.01)
    for box in ((400, 300), (800, 600), (200, 150)):  # same size, growing, shrinking
        out = apply(img, IDENTITY.zoom_by(2), *box)
        assert out.shape[:2] == (box[1], box[0])
        assert share(out, GREEN) > 0.97


def test_zoom_into_a_corner_shows_that_corner() -> None:
    img = quadrants()
    top_left = apply(img, IDENTITY.zoom_by(2, (-1, -1)), 400, 300)
    assert colour_at(top_left, 0.1, 0.1) == BLUE and colour_at(top_left, 0.9, 0.9) == GREEN
    bottom_right = apply(img, IDENTITY.zoom_by(2).pan_by(5, 5), 400, 300)
    assert colour_at(bottom_right, 0.9, 0.9) == YELLOW and colour_at(bottom_right, 0.1, 0.1) == GREEN


@settings(max_examples=300, deadline=None)
@given(st.floats(1.0, 8.0), st.floats(-1, 1), st.floats(-1, 1), st.floats(1.0, 20.0),
       st.floats(-1, 1), st.floats(-1, 1))
def test_zooming_in_keeps_the_anchored_point_exactly(zoom: float, pan_x: float, pan_y: float, factor: float,
                                                     ax: float, ay: float) -> None:
    before = Enhancement(zoom=zoom, pan_x=pan_x, pan_y=pan_y)
    after = before.zoom_by(factor, (ax, ay))
    w, h = 1920, 1080
    bx, by = before.view_to_source(ax, ay, w, h)
    px, py = after.view_to_source(ax, ay, w, h)
    assert px == pytest.approx(bx, abs=1e-6) and py == pytest.approx(by, abs=1e-6)
    assert after.source_to_view(bx, by, w, h) == pytest.approx((ax, ay), abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(st.floats(1.0, 8.0), st.floats(-1, 1), st.floats(-1, 1), st.floats(0.05, 1.0),
       st.floats(-1, 1), st.floats(-1, 1))
def test_zooming_out_keeps_the_anchored_point_unless_the_window_hits_an_edge(
        zoom: float, pan_x: float, pan_y: float, factor: float, ax: float, ay: float) -> None:
    before = Enhancement(zoom=zoom, pan_x=pan_x, pan_y=pan_y)
    after = before.zoom_by(factor, (ax, ay))
    w, h = 1920, 1080
    bx, by = before.view_to_source(ax, ay, w, h)
    px, py = after.view_to_source(ax, ay, w, h)
    if after.zoom > 1 and abs(after.pan_x) < 1:
        assert px == pytest.approx(bx, abs=1e-6)
    if after.zoom > 1 and abs(after.pan_y) < 1:
        assert py == pytest.approx(by, abs=1e-6)
    x, y, ww, wh = after.source_rect(w, h)
    assert -1e-9 <= x and x + ww <= w + 1e-9 and -1e-9 <= y and y + wh <= h + 1e-9


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([(256, 144), (512, 288), (160, 90)]), st.floats(1.0, 4.0), st.floats(-1, 1),
       st.floats(-1, 1), st.floats(1.0, 2.0), st.data())
def test_zoom_anchor_keeps_the_rendered_point_under_the_same_view_pixel(
        box: tuple[int, int], zoom: float, pan_x: float, pan_y: float, factor: float, data: st.DataObject) -> None:
    img = ramp(256, 144)  # 256x144 frame: channel 0 tells the source x, channel 1 the source y
    out_w, out_h = box
    i = data.draw(st.integers(0, out_w - 1), label="view x")
    j = data.draw(st.integers(0, out_h - 1), label="view y")
    anchor = (2 * (i + 0.5) / out_w - 1, 2 * (j + 0.5) / out_h - 1)  # the centre of view pixel (i, j)
    before = Enhancement(zoom=zoom, pan_x=pan_x, pan_y=pan_y)
    after = before.zoom_by(factor, anchor)
    sx, sy = before.view_to_source(*anchor, 256, 144)
    assume(2 <= sx <= 254 and 2 <= sy <= 142)  # away from the replicated border
    seen_before = apply(img, before, out_w, out_h)[j, i].astype(int)
    seen_after = apply(img, after, out_w, out_h)[j, i].astype(int)
    # Within a source pixel (the shrinking path cuts whole source pixels) plus rounding.
    assert abs(seen_before[0] - seen_after[0]) <= 1.5 and abs(seen_before[1] - seen_after[1]) <= 1.5
    assert abs(seen_after[0] - (sx - 0.5)) <= 1.5 and abs(seen_after[1] - (sy - 0.5)) <= 1.5


def test_pan_clamps_at_the_edges() -> None:
    e = IDENTITY.zoom_by(4)
    far = e.pan_by(100, -100)
    assert (far.pan_x, far.pan_y) == (1.0, -1.0)
    x, y, w, _ = far.source_rect(1920, 1080)
    assert x + w == pytest.approx(1920) and y == 0
    assert IDENTITY.pan_by(0.5, 0.5) == IDENTITY  # nothing to pan at zoom 1
    img = quadrants()
    img[-3:, :] = (0, 0, 128)  # a dark red bottom row and right column: the frame's own edge
    img[:, -3:] = (0, 0, 128)
    out = apply(img, e.pan_by(100, 100), 400, 300)
    assert colour_at(out, 0.99, 0.99) == (0, 0, 128)  # the frame's corner, nothing from beyond it
    assert out[-1, :].mean() > 0 and out[:, -1].mean() > 0
    # A quarter of the view per step at zoom 4 moves the window by a quarter of its width.
    moved = e.pan_by(0.25, 0)
    assert moved.source_rect(1920, 1080)[0] - e.source_rect(1920, 1080)[0] == pytest.approx(0.25 * 480)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["zoom", "pan"]), st.floats(-50, 50), st.floats(-1, 1),
                          st.floats(-1, 1)), max_size=12))
def test_the_window_never_leaves_the_frame(steps: list[tuple[str, float, float, float]]) -> None:
    e = IDENTITY
    for kind, amount, a, b in steps:
        e = e.zoom_by(math.exp(amount / 20), (a, b)) if kind == "zoom" else e.pan_by(amount * a, amount * b)
        x, y, w, h = e.source_rect(640, 360)
        assert -1e-9 <= x and x + w <= 640 + 1e-9 and -1e-9 <= y and y + h <= 360 + 1e-9
        assert 1.0 <= e.zoom <= 8.0 and -1 <= e.pan_x <= 1 and -1 <= e.pan_y <= 1


# ---------------------------------------------------------------- the Enhancement value


def test_every_field_is_clamped() -> None:
    assert IDENTITY.brighter(1000).brightness == 100 and IDENTITY.brighter(-1000).brightness == -100
    assert IDENTITY.contrast_by(100).contrast == 3.0 and IDENTITY.contrast_by(0.01).contrast == 0.5
    assert IDENTITY.gamma_by(100).gamma == 3.0 and IDENTITY.gamma_by(0.01).gamma == 0.3
    assert IDENTITY.zoom_by(100).zoom == 8.0 and IDENTITY.zoom_by(2).zoom_by(0.01).zoom == 1.0
    assert IDENTITY.zoom_by(3).pan_by(9, -9).pan_x == 1.0 and IDENTITY.zoom_by(3).pan_by(9, -9).pan_y == -1.0
    e = Enhancement(brightness=500, contrast=9, gamma=0.01, zoom=0.2, pan_x=4, pan_y=-4)
    assert (e.brightness, e.contrast, e.gamma, e.zoom, e.pan_x, e.pan_y) == (100, 3.0, 0.3, 1.0, 0.0, 0.0)
    e = Enhancement(brightness=-500, contrast=0.1, gamma=30, zoom=20, pan_x=4, pan_y=-4)
    assert (e.brightness, e.contrast, e.gamma, e.zoom, e.pan_x, e.pan_y) == (-100, 0.5, 3.0, 8.0, 1.0, -1.0)
    nan = float("nan")
    assert Enhancement(contrast=nan, gamma=math.inf, zoom=nan, pan_x=nan) == IDENTITY
    for bad in (0, -2, nan, math.inf):
        with pytest.raises(ValueError):
            IDENTITY.contrast_by(bad)
        with pytest.raises(ValueError):
            IDENTITY.zoom_by(bad)


def test_values_are_canonical() -> None:
    e = IDENTITY
    for _ in range(3):
        e = e.contrast_by(1.1)
    assert e.contrast == 1.33  # rounded to two decimals, not 1.3310000000000004
    assert IDENTITY.gamma_by(0.8).gamma == 0.8
    assert IDENTITY.toggle_clahe().clahe and not IDENTITY.toggle_clahe().toggle_clahe().clahe


def test_reset_is_identity() -> None:
    e = IDENTITY.brighter(40).contrast_by(2).gamma_by(0.5).toggle_clahe().zoom_by(3, (0.5, 0.5)).pan_by(0.1, 0.2)
    assert not e.is_identity
    assert e.reset().is_identity and e.reset() == IDENTITY
    img = noise(320, 240)
    assert np.array_equal(apply(img, e.reset(), 160, 120), scale_to_fit(img, 160, 120))


def test_describe() -> None:
    assert IDENTITY.describe() == ""
    e = IDENTITY.brighter(20).contrast_by(1.3).gamma_by(0.8).toggle_clahe().zoom_by(2)
    assert e.describe() == "bright +20 · contrast 1.3 · γ 0.8 · CLAHE · zoom 2.0×"
    assert IDENTITY.brighter(-15).describe() == "bright -15"
    assert IDENTITY.contrast_by(1.1).contrast_by(1.1).describe() == "contrast 1.21"
    assert IDENTITY.zoom_by(2).pan_by(0.3, 0).describe() == "zoom 2.0×"


# ---------------------------------------------------------------- blur


def checkerboard(w: int, h: int, cell: int) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w]
    board = (((xx // cell) + (yy // cell)) % 2 * 255).astype(np.uint8)
    return np.repeat(board[:, :, None], 3, axis=2)


@pytest.mark.parametrize("cell", [1, 2, 4, 8])
@pytest.mark.parametrize("enh", [IDENTITY, IDENTITY.zoom_by(4), IDENTITY.toggle_clahe().brighter(10)])
def test_blur_destroys_fine_detail(cell: int, enh: Enhancement) -> None:
    img = checkerboard(640, 480, cell)
    sharp = apply(img, enh, 640, 480)
    blurred = apply(img, enh, 640, 480, blur=True)
    assert high_frequency_energy(blurred) < 0.1 * high_frequency_energy(sharp)
    assert abs(float(blurred.mean()) - float(sharp.mean())) < 10  # blurred, not blanked


def test_blur_hides_a_face_sized_pattern_even_when_zoomed_in() -> None:
    # A 40x40-pixel "face" (eyes and mouth) in a 1280x720 frame, zoomed in 8x onto it: the blur works in
    # source pixels as well, so the features still vanish.
    img = grey(1280, 720, 128)
    cv2.rectangle(img, (620, 340), (660, 380), (200, 200, 200), -1)
    cv2.circle(img, (630, 352), 3, (0, 0, 0), -1)
    cv2.circle(img, (650, 352), 3, (0, 0, 0), -1)
    cv2.line(img, (630, 370), (650, 370), (0, 0, 0), 2)
    e = IDENTITY.zoom_by(8)
    sharp = apply(img, e, 1280, 720)
    blurred = apply(img, e, 1280, 720, blur=True)
    assert high_frequency_energy(blurred) < 0.1 * high_frequency_energy(sharp)
    assert blurred.min() > 100  # no dark feature survives
