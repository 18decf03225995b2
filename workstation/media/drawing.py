"""Painting helpers for the synthetic scenes: gradients, textures, vignettes, sprites, smooth paths. No Qt.

Backgrounds are painted once per clip (float math is fine there); the per-frame helpers use cheap
OpenCV primitives.
"""

from __future__ import annotations

import cv2
import numpy as np

Color = tuple[int, int, int]
AA = cv2.LINE_AA


# ---------------------------------------------------------------- background helpers (run once)


def shade(c: Color, k: float) -> Color:
    """Colour ``c`` scaled by ``k`` (clipped to 255)."""
    return min(255, int(c[0] * k)), min(255, int(c[1] * k)), min(255, int(c[2] * k))


def random_color(rng: np.random.Generator, lo: int, hi: int) -> Color:
    b, g, r = (int(v) for v in rng.integers(lo, hi, 3))
    return b, g, r


def jitter(rng: np.random.Generator, base: Color, amount: int) -> Color:
    """``base`` (BGR) with each channel moved by up to ``amount``."""
    b, g, r = (int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in base)
    return b, g, r


def gradient(h: int, w: int, top: Color, bottom: Color) -> np.ndarray:
    """A vertical colour gradient, ``h`` × ``w`` BGR uint8."""
    t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    rows = (1.0 - t) * np.array(top, np.float32) + t * np.array(bottom, np.float32)
    return np.ascontiguousarray(np.broadcast_to(rows[:, None, :], (h, w, 3)).astype(np.uint8))


def blotches(rng: np.random.Generator, h: int, w: int, cell: int, amp: float) -> np.ndarray:
    """Smooth random variation (float32, ``h`` × ``w``, roughly ±``amp``) with features ~``cell`` px."""
    cell = max(2, cell)
    small = rng.normal(0.0, 1.0, (h // cell + 2, w // cell + 2)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC) * np.float32(amp)


def textured(img: np.ndarray, rng: np.random.Generator, cell: int, amp: float, grain: float = 0.0) -> None:
    """Add soft blotches (features ~``cell`` px, ±``amp``) and fine 2–3 px grain (±``grain``), in place."""
    h, w = img.shape[:2]
    var = blotches(rng, h, w, cell, amp)
    if grain:
        var += blotches(rng, h, w, 2, grain)
    img[:] = np.clip(img.astype(np.float32) + var[:, :, None], 0, 255).astype(np.uint8)


def vignette(img: np.ndarray, strength: float, cx: float = 0.5, cy: float = 0.5) -> np.ndarray:
    """Darken towards the corners like a cheap wide-angle lens; returns a new image."""
    h, w = img.shape[:2]
    ys = (np.arange(h, dtype=np.float32) / h - cy)[:, None]
    xs = (np.arange(w, dtype=np.float32) / w - cx)[None, :]
    r2 = xs * xs * 1.6 + ys * ys
    gain = np.clip(1.0 - strength * r2 * 2.2, 0.0, 1.2)
    out: np.ndarray = np.clip(img.astype(np.float32) * gain[:, :, None], 0, 255).astype(np.uint8)
    return out


def to_mono(img: np.ndarray) -> np.ndarray:
    """An IR-style grey picture (3 equal channels)."""
    return cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)


# ---------------------------------------------------------------- per-frame helpers (cheap)


def shade_ellipse(img: np.ndarray, center: tuple[int, int], axes: tuple[int, int], strength: float) -> None:
    """Darken a soft ellipse (a shadow) in place, touching only its bounding box."""
    h, w = img.shape[:2]
    cx, cy = center
    ax, ay = max(1, axes[0]), max(1, axes[1])
    x0, x1 = max(0, cx - ax - 2), min(w, cx + ax + 3)
    y0, y1 = max(0, cy - ay - 2), min(h, cy + ay + 3)
    if x0 >= x1 or y0 >= y1:
        return
    roi = img[y0:y1, x0:x1]
    mask = np.zeros(roi.shape[:2], np.uint8)
    cv2.ellipse(mask, (cx - x0, cy - y0), (ax, ay), 0, 0, 360, 255, -1, AA)
    soft = cv2.blur(mask, (5, 5))
    factor = 1.0 - strength * (soft.astype(np.float32) / 255.0)
    roi[:] = (roi * factor[:, :, None]).astype(np.uint8)


def add_sprite(img: np.ndarray, sprite: np.ndarray, cx: int, cy: int) -> None:
    """Add a (glowing) sprite centred at ``cx, cy`` with saturation, clipped to the frame."""
    h, w = img.shape[:2]
    sh, sw = sprite.shape[:2]
    x0, y0 = cx - sw // 2, cy - sh // 2
    ix0, iy0, ix1, iy1 = max(0, x0), max(0, y0), min(w, x0 + sw), min(h, y0 + sh)
    if ix0 >= ix1 or iy0 >= iy1:
        return
    roi = img[iy0:iy1, ix0:ix1]
    cv2.add(roi, sprite[iy0 - y0 : iy1 - y0, ix0 - x0 : ix1 - x0], dst=roi)


def smooth_path(rng: np.random.Generator, n: int, start: float, lo: float, hi: float, step: float) -> np.ndarray:
    """A wandering 1-D path of ``n`` samples that bounces between ``lo`` and ``hi``."""
    vel = np.convolve(rng.normal(0.0, step, n + 30), np.ones(15) / 15.0, mode="same")[15 : 15 + n]
    out = np.empty(n, np.float64)
    x = start
    for i in range(n):
        x += vel[i] * 6.0
        if x < lo or x > hi:  # bounce off the border
            x = 2 * lo - x if x < lo else 2 * hi - x
            vel[i:] *= -1
        out[i] = x
    return out
