"""Scene painters for synthetic security-camera clips (used by :mod:`workstation.media.synth`).

Each scene paints its static background once (float math is fine there) and then, per frame, only
the moving parts with cheap OpenCV primitives on a copy of that background. Everything is laid out
in fractions of the frame size so 720p and 1080p clips look alike. No Qt here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from workstation.media.drawing import (
    AA,
    Color,
    add_sprite,
    gradient,
    jitter,
    random_color,
    shade,
    shade_ellipse,
    smooth_path,
    textured,
    to_mono,
    vignette,
)

# ---------------------------------------------------------------- scene base


class Scene:
    """A scene: a static background and moving parts. Subclasses override ``build`` and ``draw``."""

    name = "scene"
    cameras: tuple[str, ...] = ("CAM 1",)
    noise = 2  # luma noise amplitude, grey levels
    grain = 1  # size of a noise speck, pixels at 720p
    crf = 23  # x264 quality; higher = smaller and faster to encode
    mono = False  # IR-style grey picture
    night = False  # the timestamp shows a night-time hour

    def __init__(self, rng: np.random.Generator, width: int, height: int, fps: float, seconds: float) -> None:
        self.rng = rng
        self.w, self.h, self.fps, self.seconds = width, height, fps, seconds
        self.s = height / 720.0  # scale of line widths and sizes
        self.camera = self.cameras[int(rng.integers(len(self.cameras)))]
        self.bg = self.build()

    def px(self, v: float) -> int:
        """``v`` pixels at 720p, scaled to this frame size (at least 1)."""
        return max(1, round(v * self.s))

    def build(self) -> np.ndarray:
        raise NotImplementedError

    def base(self, t: float) -> np.ndarray:
        """The picture behind the moving parts at time ``t`` (not modified by the caller)."""
        return self.bg

    def draw(self, img: np.ndarray, t: float) -> None:
        """Paint the moving parts for time ``t`` onto ``img`` in place."""

    def is_mono(self, t: float) -> bool:
        return self.mono

    def yard(self, horizon: float, sky: tuple[Color, Color], ground: Color, tex: float = 14.0) -> np.ndarray:
        """Sky gradient above ``horizon`` (fraction of height), textured ground below."""
        h, w, rng = self.h, self.w, self.rng
        hy = int(h * horizon)
        img = np.empty((h, w, 3), np.uint8)
        img[:hy] = gradient(hy, w, jitter(rng, sky[0], 12), jitter(rng, sky[1], 12))
        g = np.empty((h - hy, w, 3), np.uint8)
        g[:] = gradient(h - hy, w, jitter(rng, ground, 10), shade(ground, 1.25))
        textured(g, rng, self.px(70), tex * 0.5, grain=tex)
        img[hy:] = g
        return img


# ---------------------------------------------------------------- walker


@dataclass(frozen=True)
class Person:
    t0: float  # when they enter, seconds
    dir: int  # +1 walks left to right
    height: float  # px
    speed: float  # px/s
    foot: float  # y of the feet, px
    freq: float  # steps per second / 2
    shirt: Color
    pants: Color
    skin: Color
    hair: Color
    bag: bool


class Walker(Scene):
    """A person walking across a porch/yard in front of a house wall with a door and a window."""

    name = "walker"
    cameras = ("FRONT PORCH", "FRONT DOOR", "BACKYARD", "PORCH CAM")

    def build(self) -> np.ndarray:
        h, w, rng, px = self.h, self.w, self.rng, self.px
        img = self.yard(0.34, ((235, 200, 150), (225, 220, 205)), jitter(rng, (60, 120, 75), 15))
        hy = int(h * 0.34)
        # a hedge along the horizon
        hedge = img[hy - px(40) : hy + px(10)]
        hedge[:] = jitter(rng, (40, 90, 50), 12)
        textured(hedge, rng, px(14), 10, grain=16)
        # house wall with siding on one side
        left = bool(rng.integers(2))
        ww = int(w * rng.uniform(0.32, 0.45))
        x0, x1 = (0, ww) if left else (w - ww, w)
        wall_y1 = int(h * 0.72)
        wall = img[0:wall_y1, x0:x1]
        wall_col = jitter(rng, (175, 190, 200), 30)
        wall[:] = wall_col
        textured(wall, rng, px(60), 5, grain=3)
        for y in range(px(8), wall_y1, px(22)):
            cv2.line(wall, (0, y), (ww, y), shade(wall_col, 0.8), px(2))
        # door with frame, window, lamp, step
        dw, dh = int(ww * 0.28), int(h * 0.42)
        dx = int(ww * rng.uniform(0.15, 0.55))
        dy = wall_y1 - dh
        cv2.rectangle(wall, (dx - px(8), dy - px(8)), (dx + dw + px(8), wall_y1), (235, 235, 235), -1)
        door = jitter(rng, (40, 60, 110), 30)
        cv2.rectangle(wall, (dx, dy), (dx + dw, wall_y1), door, -1)
        for fy in (0.08, 0.55):
            cv2.rectangle(wall, (dx + px(10), dy + int(dh * fy)), (dx + dw - px(10), dy + int(dh * (fy + 0.37))),
                          shade(door, 0.8), px(3))
        cv2.circle(wall, (dx + dw - px(14), dy + dh // 2), px(5), (60, 170, 200), -1, AA)
        wx = dx + dw + int(ww * 0.12)
        if wx + int(ww * 0.25) < ww:
            cv2.rectangle(wall, (wx, dy + px(20)), (wx + int(ww * 0.25), dy + int(dh * 0.55)), (90, 70, 60), -1)
            cv2.rectangle(wall, (wx + px(6), dy + px(26)), (wx + int(ww * 0.25) - px(6), dy + int(dh * 0.55) - px(6)),
                          (150, 120, 100), -1)
        cv2.rectangle(img, (x0, wall_y1), (x1, wall_y1 + px(18)), (150, 150, 155), -1)
        # a path from the door to the bottom of the frame
        door_x = x0 + dx + dw // 2
        path = np.array([[door_x - dw // 2, wall_y1 + px(18)], [door_x + dw // 2, wall_y1 + px(18)],
                         [door_x + dw * 2, h], [door_x - dw * 2, h]], np.int32)
        cv2.fillPoly(img, [path], jitter(rng, (150, 165, 175), 15), AA)
        # a planter or two
        for _ in range(int(rng.integers(1, 3))):
            px0 = int(rng.uniform(0.05, 0.9) * w)
            py0 = int(h * rng.uniform(0.75, 0.82))
            cv2.rectangle(img, (px0, py0), (px0 + px(60), py0 + px(55)), jitter(rng, (60, 80, 140), 20), -1)
            cv2.ellipse(img, (px0 + px(30), py0), (px(45), px(35)), 0, 180, 360, jitter(rng, (50, 110, 60), 20), -1, AA)
        img = cv2.GaussianBlur(img, (3, 3), 0)
        # the people who will cross
        self.people: list[Person] = []
        t0 = rng.uniform(0.5, 4.0)
        for _ in range(1 if rng.random() < 0.7 else 2):
            height = h * rng.uniform(0.42, 0.55)
            direction = 1 if rng.integers(2) else -1
            cross = rng.uniform(7.0, 12.0)  # seconds to cross the frame
            self.people.append(Person(
                t0=t0, dir=direction, height=height, speed=(w + height) / cross,
                foot=h * rng.uniform(0.84, 0.95), freq=rng.uniform(0.85, 1.05),
                shirt=random_color(rng, 30, 220),
                pants=jitter(rng, (70, 50, 40), 30), skin=jitter(rng, (120, 160, 200), 40),
                hair=jitter(rng, (30, 35, 45), 20), bag=bool(rng.random() < 0.4),
            ))
            t0 += cross + rng.uniform(1.0, 5.0)
        return vignette(img, 0.35)

    def draw(self, img: np.ndarray, t: float) -> None:
        for p in self.people:
            dt = t - p.t0
            if dt < 0:
                continue
            hgt = p.height
            x = (-hgt * 0.3 + p.speed * dt) if p.dir > 0 else (self.w + hgt * 0.3 - p.speed * dt)
            if x < -hgt or x > self.w + hgt:
                continue
            self._person(img, x, p, dt)

    def _person(self, img: np.ndarray, x: float, p: Person, dt: float) -> None:
        hgt, d = p.height, p.dir
        phase = 2 * math.pi * p.freq * dt
        foot = p.foot - hgt * 0.012 * abs(math.sin(phase))
        hip = (x, foot - hgt * 0.47)
        sh = (x + d * hgt * 0.02, foot - hgt * 0.80)
        leg, arm = hgt * 0.25, hgt * 0.19
        shade_ellipse(img, (int(x), int(p.foot)), (int(hgt * 0.16), int(hgt * 0.025)), 0.45)

        def limb(root: tuple[float, float], angle: float, bend: float, length: float, colour: Color,
                 thick: float, sign: float) -> tuple[int, int]:
            a1 = angle
            j = (root[0] + d * math.sin(a1) * length, root[1] + math.cos(a1) * length)
            a2 = a1 + sign * bend
            e = (j[0] + d * math.sin(a2) * length, j[1] + math.cos(a2) * length)
            pts = np.array([root, j, e], np.int32)
            cv2.polylines(img, [pts], False, colour, max(2, int(thick)), AA)
            return int(e[0]), int(e[1])

        swing = 0.45 * math.sin(phase)
        dark = shade(p.pants, 0.7)
        dshirt = shade(p.shirt, 0.75)
        # far leg and arm first, darker
        limb(hip, -swing, 0.35 * max(0.0, math.sin(phase + 1.2)), leg, dark, hgt * 0.065, -1)
        limb(sh, swing * 0.8, 0.3, arm, dshirt, hgt * 0.05, 1)
        torso = np.array([[sh[0] - hgt * 0.09, sh[1]], [sh[0] + hgt * 0.09, sh[1]],
                          [hip[0] + hgt * 0.075, hip[1] + hgt * 0.03], [hip[0] - hgt * 0.075, hip[1] + hgt * 0.03]],
                         np.int32)
        cv2.fillPoly(img, [torso], p.shirt, AA)
        if p.bag:
            cv2.rectangle(img, (int(sh[0] - d * hgt * 0.16), int(sh[1] + hgt * 0.02)),
                          (int(sh[0] - d * hgt * 0.08), int(sh[1] + hgt * 0.2)), (40, 40, 45), -1)
        limb(hip, swing, 0.35 * max(0.0, math.sin(phase + 1.2 + math.pi)), leg, p.pants, hgt * 0.07, -1)
        hand = limb(sh, -swing * 0.8, 0.3, arm, p.shirt, hgt * 0.055, 1)
        cv2.circle(img, hand, max(2, int(hgt * 0.025)), p.skin, -1, AA)
        head = (int(sh[0] + d * hgt * 0.01), int(sh[1] - hgt * 0.085))
        r = max(3, int(hgt * 0.062))
        cv2.circle(img, head, r, p.skin, -1, AA)
        cv2.ellipse(img, (head[0] - d * r // 4, head[1] - r // 4), (r, int(r * 0.8)), 0, 160, 380, p.hair, -1, AA)


# ---------------------------------------------------------------- car


@dataclass(frozen=True)
class Vehicle:
    t0: float  # when it enters, seconds
    dir: int  # +1 drives left to right
    length: float  # px
    y: float  # y of the wheels' contact line, px
    speed: float  # px/s
    paint: Color


class Car(Scene):
    """Cars passing on a residential street seen from a driveway camera."""

    name = "car"
    cameras = ("DRIVEWAY", "STREET", "GARAGE", "FRONT YARD")

    BODY = np.array([[0.00, 0.30], [0.01, 0.19], [0.05, 0.15], [0.24, 0.13], [0.36, 0.03], [0.66, 0.02],
                     [0.80, 0.13], [0.96, 0.16], [1.00, 0.22], [1.00, 0.30], [0.98, 0.33], [0.02, 0.33]])
    GLASS = np.array([[0.28, 0.13], [0.38, 0.05], [0.64, 0.045], [0.76, 0.13]])

    def build(self) -> np.ndarray:
        h, w, rng, px = self.h, self.w, self.rng, self.px
        img = self.yard(0.40, ((230, 190, 140), (225, 215, 200)), jitter(rng, (70, 115, 80), 12))
        # houses along the far side of the street
        x = -int(rng.integers(0, px(120)))
        base_y = int(h * 0.45)
        while x < w:
            hw = int(rng.uniform(0.18, 0.30) * w)
            hh = int(rng.uniform(0.14, 0.22) * h)
            c = jitter(rng, (170, 185, 200), 50)
            cv2.rectangle(img, (x, base_y - hh), (x + hw, base_y), c, -1)
            roof = np.array([[x - px(10), base_y - hh], [x + hw // 2, base_y - hh - int(hh * 0.5)],
                             [x + hw + px(10), base_y - hh]], np.int32)
            cv2.fillPoly(img, [roof], jitter(rng, (60, 60, 80), 25), AA)
            for wx in range(x + px(20), x + hw - px(40), px(70)):
                cv2.rectangle(img, (wx, base_y - hh + px(18)), (wx + px(34), base_y - hh + px(48)), (110, 90, 80), -1)
            x += hw + int(rng.uniform(0.03, 0.1) * w)
        # street trees
        for _ in range(int(rng.integers(2, 5))):
            tx = int(rng.uniform(0, w))
            cv2.line(img, (tx, base_y + px(10)), (tx, base_y - px(60)), (40, 55, 70), px(8))
            cv2.circle(img, (tx, base_y - px(90)), px(rng.uniform(40, 70)), jitter(rng, (45, 100, 60), 20), -1, AA)
        # sidewalk, curb, road, lane marks
        self.road_top, self.road_bot = int(h * 0.50), int(h * 0.86)
        cv2.rectangle(img, (0, base_y), (w, self.road_top), jitter(rng, (175, 180, 185), 10), -1)
        road = img[self.road_top : self.road_bot]
        grey = int(rng.integers(70, 100))
        road[:] = (grey, grey, grey + 4)
        textured(road, rng, px(40), 5, grain=9)
        cv2.line(img, (0, self.road_top), (w, self.road_top), (200, 200, 205), px(5))
        mid = (self.road_top + self.road_bot) // 2
        for mx in range(int(rng.integers(0, px(80))), w, px(140)):
            cv2.line(img, (mx, mid), (mx + px(70), mid), (120, 210, 225), px(5))
        cv2.rectangle(img, (0, self.road_bot), (w, h), jitter(rng, (150, 155, 160), 10), -1)  # driveway apron
        img = cv2.GaussianBlur(img, (3, 3), 0)
        # the cars that will pass
        self.cars: list[Vehicle] = []
        t0 = rng.uniform(0.5, 5.0)
        for _ in range(int(rng.integers(1, 4))):
            near = bool(rng.integers(2))
            length = w * (rng.uniform(0.30, 0.36) if near else rng.uniform(0.22, 0.26))
            lane_y = (self.road_bot - px(20)) if near else (mid - px(10))
            speed_ms = rng.uniform(7.0, 15.0)  # 25-55 km/h
            self.cars.append(Vehicle(
                t0=t0, dir=1 if near else -1, length=length, y=lane_y,
                speed=speed_ms * length / 4.5, paint=random_color(rng, 20, 230),
            ))
            t0 += rng.uniform(3.0, 9.0)
        return vignette(img, 0.3)

    def draw(self, img: np.ndarray, t: float) -> None:
        for c in sorted(self.cars, key=lambda v: v.y):
            dt = t - c.t0
            if dt < 0:
                continue
            L = c.length
            x = -L + c.speed * dt if c.dir > 0 else self.w + c.speed * dt * -1
            if x < -L * 1.1 or x > self.w + L * 0.1:
                continue
            self._car(img, x, c, c.speed * dt)

    def _car(self, img: np.ndarray, left: float, c: Vehicle, travelled: float) -> None:
        L, d, bottom = c.length, c.dir, c.y
        top = bottom - 0.33 * L

        def place(shape: np.ndarray) -> np.ndarray:
            xs = shape[:, 0] if d > 0 else 1.0 - shape[:, 0]
            return np.stack([left + xs * L, top + shape[:, 1] * L], axis=1).astype(np.int32)

        shade_ellipse(img, (int(left + L / 2), int(bottom)), (int(L * 0.52), int(L * 0.035)), 0.55)
        cv2.fillPoly(img, [place(self.BODY)], c.paint, AA)
        cv2.fillPoly(img, [place(self.GLASS)], (70, 55, 50), AA)
        pillar = place(np.array([[0.52, 0.05], [0.53, 0.13]]))
        cv2.line(img, tuple(pillar[0]), tuple(pillar[1]), c.paint, self.px(5))
        trim = place(np.array([[0.03, 0.22], [0.97, 0.22]]))
        cv2.line(img, tuple(trim[0]), tuple(trim[1]), shade(c.paint, 0.7), self.px(2), AA)
        head = place(np.array([[0.955, 0.18], [0.995, 0.21]]))
        tail = place(np.array([[0.005, 0.19], [0.03, 0.23]]))
        cv2.rectangle(img, tuple(head[0]), tuple(head[1]), (190, 235, 245), -1)
        cv2.rectangle(img, tuple(tail[0]), tuple(tail[1]), (40, 40, 200), -1)
        r = int(L * 0.075)
        angle = travelled / max(1.0, r)
        for wx in (0.2, 0.8):
            cx, cy = int(left + wx * L), int(top + 0.31 * L)
            cv2.circle(img, (cx, cy), r, (25, 25, 28), -1, AA)
            cv2.circle(img, (cx, cy), int(r * 0.55), (160, 160, 165), -1, AA)
            for k in range(3):
                a = d * angle + k * 2.094
                cv2.line(img, (cx, cy), (int(cx + math.cos(a) * r * 0.5), int(cy + math.sin(a) * r * 0.5)),
                         (90, 90, 95), self.px(3))


# ---------------------------------------------------------------- foliage


class Foliage(Scene):
    """A garden with a tree and a bush swaying in gusty wind; nothing else moves."""

    name = "foliage"
    cameras = ("GARDEN", "BACKYARD", "SIDE YARD", "PATIO")
    crf = 24  # everything moves: keep the bit rate (and encode time) in check

    def build(self) -> np.ndarray:
        h, w, rng, px = self.h, self.w, self.rng, self.px
        img = self.yard(0.45, ((240, 205, 160), (230, 225, 215)), jitter(rng, (55, 125, 70), 15), tex=18)
        # a wooden fence
        fy0, fy1 = int(h * 0.30), int(h * 0.52)
        plank = jitter(rng, (70, 110, 150), 25)
        for x in range(0, w, px(34)):
            k = 0.85 + 0.3 * rng.random()
            cv2.rectangle(img, (x, fy0), (x + px(30), fy1), shade(plank, k), -1)
        cv2.rectangle(img, (0, fy0 + px(20)), (w, fy0 + px(30)), shade(plank, 0.7), -1)
        # a patio slab and a chair
        cv2.rectangle(img, (int(w * 0.55), int(h * 0.70)), (w, h), jitter(rng, (160, 170, 180), 15), -1)
        img = cv2.GaussianBlur(img, (3, 3), 0)
        # the tree: trunk in the background picture, leaves drawn per frame
        side = 1 if rng.integers(2) else -1
        self.trunk_x = int(w * (0.18 if side > 0 else 0.82) + rng.uniform(-0.05, 0.05) * w)
        self.trunk_top = int(h * rng.uniform(0.18, 0.30))
        cv2.line(img, (self.trunk_x, h), (self.trunk_x, self.trunk_top), (40, 55, 75), px(26), AA)
        n_br = int(rng.integers(6, 10))
        self.branches = []
        for _ in range(n_br):
            ang = rng.uniform(-2.6, -0.5)
            ln = rng.uniform(0.12, 0.30) * w
            by = self.trunk_top + rng.uniform(0, 0.25) * h
            self.branches.append((by, ang, ln, rng.uniform(0.6, 1.4), rng.uniform(0, 6.28)))
        n_leaf = int(rng.integers(180, 240))
        self.leaf_branch = rng.integers(0, n_br, n_leaf)
        self.leaf_t = rng.uniform(0.35, 1.05, n_leaf)  # position along the branch
        self.leaf_off = rng.normal(0, 0.07 * w, (n_leaf, 2))
        self.leaf_r = rng.uniform(10, 26, n_leaf) * self.s
        self.leaf_phase = np.array([b[4] for b in self.branches])[self.leaf_branch] + rng.uniform(0, 0.6, n_leaf)
        base = jitter(rng, (45, 120, 70), 15)
        self.leaf_col = [shade(base, k) for k in rng.uniform(0.55, 1.35, n_leaf)]
        # a bush in the foreground
        n_bush = 60
        self.bush = np.stack([rng.uniform(0.3, 0.7, n_bush) * w, h - rng.uniform(0, 0.18, n_bush) * h], axis=1)
        self.bush_r = rng.uniform(18, 40, n_bush) * self.s
        bush = jitter(rng, (40, 100, 55), 10)
        self.bush_col = [shade(bush, k) for k in rng.uniform(0.6, 1.3, n_bush)]
        # gusts: a slow envelope made of a few sines
        self.gust = [(rng.uniform(0.03, 0.15), rng.uniform(0, 6.28), rng.uniform(0.3, 1.0)) for _ in range(3)]
        self.freq = rng.uniform(0.5, 1.1)
        return vignette(img, 0.3)

    def wind(self, t: float) -> float:
        g = sum(a * (0.5 + 0.5 * math.sin(2 * math.pi * f * t + p)) for f, p, a in self.gust)
        g /= sum(a for _, _, a in self.gust)
        return 0.15 + 1.1 * g * g  # calm spells between gusts

    def draw(self, img: np.ndarray, t: float) -> None:
        strength = self.wind(t)
        tips = []
        for by, ang, ln, f, ph in self.branches:
            sway = strength * 0.06 * math.sin(2 * math.pi * self.freq * f * t + ph)
            a = ang + sway
            root = (self.trunk_x, by)
            tip = (root[0] + math.cos(a) * ln, root[1] + math.sin(a) * ln)
            tips.append((root, tip, sway))
            cv2.line(img, (int(root[0]), int(root[1])), (int(tip[0]), int(tip[1])), (45, 60, 80), self.px(7), AA)
        roots = np.array([r for r, _, _ in tips])[self.leaf_branch]
        ends = np.array([e for _, e, _ in tips])[self.leaf_branch]
        leaf_sway = np.array([s for _, _, s in tips])[self.leaf_branch]
        pos = roots + (ends - roots) * self.leaf_t[:, None] + self.leaf_off
        flutter = strength * 2.0 * self.s * np.sin(2 * math.pi * 2.3 * t + self.leaf_phase)
        pos[:, 0] += flutter + leaf_sway * 60 * self.s
        pos[:, 1] += flutter * 0.5
        for (x, y), r, c in zip(pos.astype(np.int32).tolist(), self.leaf_r.astype(np.int32).tolist(), self.leaf_col):
            cv2.circle(img, (x, y), r, c, -1)
        bush_dx = strength * 8.0 * self.s * np.sin(2 * math.pi * 0.9 * self.freq * t + self.bush[:, 1] * 0.01)
        for (x, y), r, c in zip(np.stack([self.bush[:, 0] + bush_dx, self.bush[:, 1]], 1).astype(np.int32).tolist(),
                                self.bush_r.astype(np.int32).tolist(), self.bush_col):
            cv2.circle(img, (x, y), r, c, -1)


# ---------------------------------------------------------------- night noise


class NightNoise(Scene):
    """A yard at night in IR (grey) with heavy sensor noise and a moth fluttering near the lens."""

    name = "night_noise"
    cameras = ("BACKYARD", "DRIVEWAY", "SIDE GATE", "GARDEN")
    noise = 6
    grain = 2
    crf = 28  # cameras drop quality at night; heavy noise is slow to encode
    mono = True
    night = True

    def build(self) -> np.ndarray:
        h, w, rng, px = self.h, self.w, self.rng, self.px
        img = self.yard(0.38, ((30, 30, 30), (45, 45, 45)), (110, 110, 110), tex=12)
        # a fence, bushes (bright in IR), a bin, a chair
        fy0, fy1 = int(h * 0.24), int(h * 0.45)
        for x in range(0, w, px(36)):
            v = int(rng.uniform(90, 130))
            cv2.rectangle(img, (x, fy0), (x + px(31), fy1), (v, v, v), -1)
        for _ in range(int(rng.integers(3, 7))):
            bx, by = int(rng.uniform(0, w)), int(h * rng.uniform(0.42, 0.55))
            for _ in range(12):
                v = int(rng.uniform(150, 210))
                cv2.circle(img, (bx + int(rng.normal(0, px(40))), by + int(rng.normal(0, px(15)))),
                           px(rng.uniform(18, 35)), (v, v, v), -1, AA)
        for k in range(int(rng.integers(3, 6))):  # stepping stones, reflective in IR
            sx = int(w * (0.5 + rng.uniform(-0.1, 0.1)) + (k - 2) * px(rng.uniform(40, 70)))
            sy = int(h * (0.58 + k * 0.08))
            v = int(rng.uniform(150, 190))
            cv2.ellipse(img, (sx, sy), (px(45 + 12 * k), px(12 + 4 * k)), 0, 0, 360, (v, v, v), -1, AA)
        bx = int(rng.uniform(0.1, 0.8) * w)
        cv2.rectangle(img, (bx, int(h * 0.55)), (bx + px(70), int(h * 0.70)), (70, 70, 70), -1)
        cv2.rectangle(img, (bx - px(5), int(h * 0.55)), (bx + px(75), int(h * 0.57)), (95, 95, 95), -1)
        img = cv2.GaussianBlur(img, (5, 5), 0)
        # IR illuminator: bright near the camera (bottom centre), falling off with distance
        ys = (np.arange(h, dtype=np.float32) / h)[:, None]
        xs = (np.arange(w, dtype=np.float32) / w - 0.5)[None, :]
        fall = np.clip(1.25 - np.sqrt(xs * xs * 1.2 + (1.05 - ys) ** 2) * 1.25, 0.2, 1.1)
        img = np.clip(img.astype(np.float32) * fall[:, :, None], 0, 255).astype(np.uint8)
        # the moth: an out-of-focus bright blob with flapping wings
        self.moth_r = h * rng.uniform(0.04, 0.08)
        self.moth_sprites = []
        for stretch in (0.7, 0.85, 1.0, 0.85):
            size = int(self.moth_r * 4) | 1
            spr: np.ndarray = np.zeros((size, size), np.float32)
            axes = (int(self.moth_r * stretch), int(self.moth_r * 0.55))
            cv2.ellipse(spr, (size // 2, size // 2), axes, 0, 0, 360, 1.0, -1)
            spr = cv2.GaussianBlur(spr, (0, 0), self.moth_r * 0.35)
            spr = (spr / spr.max() * rng.uniform(170, 230)).astype(np.uint8)
            self.moth_sprites.append(cv2.cvtColor(spr, cv2.COLOR_GRAY2BGR))
        n = int(self.seconds * self.fps) + 2
        self.moth_x = smooth_path(rng, n, rng.uniform(0.2, 0.8) * w, -0.05 * w, 1.05 * w, 0.004 * w)
        self.moth_y = smooth_path(rng, n, rng.uniform(0.2, 0.7) * h, 0.05 * h, 0.9 * h, 0.004 * h)
        self.moth_on = (rng.uniform(0.0, 5.0), rng.uniform(12.0, 30.0))
        # a spider-web strand near the lens, sometimes
        self.strand: tuple[float, float, float] | None = None
        if rng.random() < 0.5:
            self.strand = (rng.uniform(0.1, 0.9) * w, rng.uniform(0.3, 0.7) * h, rng.uniform(0.3, 0.9))
        return vignette(img, 0.45)

    def draw(self, img: np.ndarray, t: float) -> None:
        if self.strand is not None:
            sx, sy, ph = self.strand
            sway = math.sin(2 * math.pi * 0.3 * t + ph) * 0.04 * self.w
            pts = np.array([[sx + sway * (k / 10) ** 2, sy * k / 10] for k in range(11)], np.int32)
            cv2.polylines(img, [pts], False, (150, 150, 150), self.px(2), AA)
        if self.moth_on[0] <= t <= self.moth_on[1]:
            i = min(int(t * self.fps), len(self.moth_x) - 1)
            add_sprite(img, self.moth_sprites[i % 4], int(self.moth_x[i]), int(self.moth_y[i]))


# ---------------------------------------------------------------- light switch


class LightSwitch(Scene):
    """A living room at night: IR grey while dark; a lamp switches on (colour) and later off again."""

    name = "light_switch"
    cameras = ("LIVING ROOM", "HALLWAY", "LOUNGE", "FAMILY ROOM")
    night = True

    def build(self) -> np.ndarray:
        h, w, rng, px = self.h, self.w, self.rng, self.px
        img: np.ndarray = np.empty((h, w, 3), np.uint8)
        floor_y = int(h * rng.uniform(0.62, 0.70))
        img[:floor_y] = jitter(rng, (150, 185, 205), 30)
        textured(img[:floor_y], rng, px(60), 4, grain=2)
        wood = jitter(rng, (60, 100, 140), 20)
        img[floor_y:] = wood
        for y in range(floor_y, h, px(28)):
            cv2.line(img, (0, y), (w, y), shade(wood, 0.75), px(2))
        textured(img[floor_y:], rng, px(30), 5, grain=5)
        cv2.rectangle(img, (0, floor_y - px(14)), (w, floor_y), (225, 230, 235), -1)  # skirting board
        # window (night outside), picture, doorway
        wx = int(rng.uniform(0.05, 0.35) * w)
        cv2.rectangle(img, (wx, int(h * 0.12)), (wx + int(w * 0.2), int(h * 0.45)), (230, 230, 230), -1)
        cv2.rectangle(img, (wx + px(10), int(h * 0.12) + px(10)), (wx + int(w * 0.2) - px(10), int(h * 0.45) - px(10)),
                      (45, 30, 20), -1)
        curtain = jitter(rng, (90, 80, 160), 40)
        cv2.rectangle(img, (wx - px(30), int(h * 0.08)), (wx + px(10), floor_y - px(20)), curtain, -1)
        p0, p1 = (int(w * 0.78), int(h * 0.20)), (int(w * 0.9), int(h * 0.36))  # a picture on the wall
        cv2.rectangle(img, p0, p1, (40, 60, 80), px(6))
        art = jitter(rng, (150, 140, 110), 60)
        cv2.rectangle(img, (p0[0] + px(6), p0[1] + px(6)), (p1[0] - px(6), p1[1] - px(6)), art, -1)
        # sofa
        sx0, sx1 = int(w * rng.uniform(0.35, 0.45)), int(w * rng.uniform(0.70, 0.78))
        fabric = random_color(rng, 40, 180)
        cv2.rectangle(img, (sx0, int(h * 0.42)), (sx1, floor_y + px(40)), shade(fabric, 0.85), -1)
        cv2.rectangle(img, (sx0 + px(30), int(h * 0.55)), (sx1 - px(30), floor_y + px(10)), fabric, -1)
        for cx in (sx0, sx1):
            cv2.rectangle(img, (cx - px(30), int(h * 0.50)), (cx + px(30), floor_y + px(40)), shade(fabric, 0.7), -1)
        # side table and lamp
        lx = int(w * rng.uniform(0.84, 0.92))
        cv2.rectangle(img, (lx - px(45), int(h * 0.52)), (lx + px(45), floor_y + px(30)), (40, 70, 100), -1)
        cv2.line(img, (lx, int(h * 0.52)), (lx, int(h * 0.40)), (60, 60, 60), px(5))
        lamp_shade = np.array([[lx - px(25), int(h * 0.31)], [lx + px(25), int(h * 0.31)], [lx + px(45), int(h * 0.41)],
                          [lx - px(45), int(h * 0.41)]], np.int32)
        lit = img.copy()
        cv2.fillPoly(img, [lamp_shade], (170, 200, 215), AA)
        cv2.fillPoly(lit, [lamp_shade], (200, 245, 255), AA)
        img = cv2.GaussianBlur(img, (3, 3), 0)
        lit = cv2.GaussianBlur(lit, (3, 3), 0)
        # lit: warm light falling off from the lamp; dark: IR grey, dim and flat
        ys = (np.arange(h, dtype=np.float32)[:, None] - h * 0.36) / h
        xs = (np.arange(w, dtype=np.float32)[None, :] - lx) / h
        d = np.sqrt(xs * xs + ys * ys)
        glow = np.clip(1.25 - d * 0.55, 0.35, 1.25)
        warm = np.array([0.85, 0.97, 1.08], np.float32)
        self.bg_lit = np.clip(lit.astype(np.float32) * glow[:, :, None] * warm, 0, 255).astype(np.uint8)
        self.bg_lit = vignette(self.bg_lit, 0.4)
        self.bg_lit_mono = to_mono(self.bg_lit)
        dark = to_mono(img).astype(np.float32) * 0.45
        self.bg_dark = vignette(np.clip(dark + 12, 0, 255).astype(np.uint8), 0.7)
        self.scratch = np.empty_like(self.bg_lit)
        # switch times: on, maybe off, maybe on again
        self.toggles = [rng.uniform(2.0, 6.0)]
        while rng.random() < 0.75 and len(self.toggles) < 3:
            self.toggles.append(self.toggles[-1] + rng.uniform(5.0, 10.0))
        return self.bg_dark

    def _state(self, t: float) -> tuple[bool, float]:
        """(light on?, seconds since the last switch)."""
        on, since = False, t
        for k, tt in enumerate(self.toggles):
            if t >= tt:
                on, since = (k % 2 == 0), t - tt
        return on, since

    def base(self, t: float) -> np.ndarray:
        on, since = self._state(t)
        if on:
            pic = self.bg_lit_mono if since < 1.2 else self.bg_lit  # IR-cut filter clicks in a moment later
            gain = 1.0 + 0.7 * math.exp(-since / 0.25)  # auto-exposure overshoot
        else:
            pic = self.bg_dark if (since >= 1.0 or t < self.toggles[0]) else self.bg_lit_mono
            gain = 1.0 if pic is self.bg_dark else 0.25 + 0.5 * since
        if abs(gain - 1.0) < 0.02:
            return pic
        cv2.convertScaleAbs(pic, self.scratch, alpha=gain)
        return self.scratch

    def is_mono(self, t: float) -> bool:
        on, since = self._state(t)
        return not on or since < 1.2


SCENES: dict[str, type[Scene]] = {
    cls.name: cls for cls in (Walker, Car, Foliage, NightNoise, LightSwitch)
}
