"""media.synth: synthetic security-camera clips and the reusable demo set."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from workstation.media import scenes, synth
from workstation.media.decode import ClipInfo, FrameSource, MediaError, probe
from workstation.media.index import build_index
from workstation.media.synth import SCENE_NAMES, clip_seconds, ensure_demo_clips, make_clip


def top_level_boxes(path: Path) -> list[bytes]:
    data = path.read_bytes()
    boxes, pos = [], 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        boxes.append(kind)
        pos += size if size >= 8 else len(data)
    return boxes


def frames_of(path: Path) -> list[np.ndarray]:
    with open(path, "rb") as f, FrameSource(f) as source:
        out = []
        while (frame := source.read()) is not None:
            out.append(frame.image)
    return out


def test_scene_names() -> None:
    assert SCENE_NAMES == ("walker", "car", "foliage", "night_noise", "light_switch")


@pytest.mark.parametrize("scene", SCENE_NAMES)
def test_every_scene_makes_a_decodable_faststart_h264_clip(tmp_path: Path, scene: str) -> None:
    path = make_clip(tmp_path / f"{scene}.mp4", scene=scene, seed=11, width=320, height=180, fps=10, seconds=1.5)
    assert path == tmp_path / f"{scene}.mp4"
    with open(path, "rb") as f:
        assert probe(f) == ClipInfo(width=320, height=180, fps=10.0, frame_count=15, duration_s=1.5, codec="h264")
    boxes = top_level_boxes(path)
    assert boxes.index(b"moov") < boxes.index(b"mdat")  # faststart
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


@pytest.mark.parametrize("scene", SCENE_NAMES)
def test_scenes_look_like_camera_footage(tmp_path: Path, scene: str) -> None:
    frames = frames_of(make_clip(tmp_path / "c.mp4", scene=scene, seed=4, width=256, height=144, fps=10, seconds=1))
    first = frames[0]
    assert first.std() > 8  # a background with structure, not a flat colour
    assert 15 < first.mean() < 235
    # the timestamp overlay: near-white pixels in the top-left corner
    assert (first[: 144 // 5, : 256 // 2] > 180).any()
    if scene in ("night_noise",):  # IR: a grey picture
        b, g, r = (first[..., c].astype(int) for c in range(3))
        assert np.abs(b - g).max() < 12 and np.abs(g - r).max() < 12


def test_the_moving_part_moves(tmp_path: Path) -> None:
    # a walker clip long enough for the person to enter: some frames differ a lot from the first
    frames = frames_of(make_clip(tmp_path / "w.mp4", scene="walker", seed=2, width=256, height=144, fps=5, seconds=12))
    diffs = [np.abs(f.astype(int) - frames[0].astype(int)).mean() for f in frames]
    assert max(diffs) > 3 * min(d for d in diffs[1:] if d > 0)


def test_light_switch_changes_brightness(tmp_path: Path) -> None:
    frames = frames_of(make_clip(tmp_path / "l.mp4", scene="light_switch", seed=9, width=256, height=144, fps=5,
                                 seconds=12))
    means = [f.mean() for f in frames]
    assert max(means) > 1.5 * min(means)


def test_same_seed_same_clip_other_seed_other_clip(tmp_path: Path) -> None:
    def car(name: str, seed: int) -> bytes:
        return make_clip(tmp_path / name, scene="car", seed=seed, width=192, height=108, fps=10, seconds=1).read_bytes()

    a, b, c = car("a.mp4", 5), car("b.mp4", 5), car("c.mp4", 6)
    assert a == b
    assert a != c


def test_duration_comes_from_the_seed_when_not_given(tmp_path: Path) -> None:
    lengths = {clip_seconds(scene, seed) for scene in SCENE_NAMES for seed in range(40)}
    assert min(lengths) >= 20 and max(lengths) <= 30 and len(lengths) > 20
    path = make_clip(tmp_path / "n.mp4", scene="night_noise", seed=8, width=96, height=64, fps=4)
    with open(path, "rb") as f:
        info = probe(f)
    assert info.frame_count == round(clip_seconds("night_noise", 8) * 4)
    assert 20 <= info.duration_s <= 30


def test_full_hd_30fps_for_the_benchmark(tmp_path: Path) -> None:
    path = make_clip(tmp_path / "hd.mp4", scene="walker", seed=1, width=1920, height=1080, fps=30, seconds=0.5)
    with open(path, "rb") as f:
        assert probe(f) == ClipInfo(1920, 1080, 30.0, 15, 0.5, "h264")


def test_the_keyframe_interval_can_be_chosen(tmp_path: Path) -> None:
    path = make_clip(tmp_path / "gop.mp4", scene="walker", seed=1, width=320, height=240, fps=30, seconds=3, gop=40)
    with open(path, "rb") as f:
        index = build_index(f)
    assert [i for i, key in enumerate(index.keyframes) if key] == [0, 40, 80]
    with pytest.raises(ValueError, match="gop"):
        make_clip(tmp_path / "x.mp4", scene="car", seed=1, gop=0)


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown scene"):
        make_clip(tmp_path / "x.mp4", scene="volcano", seed=1)
    with pytest.raises(ValueError, match="even"):
        make_clip(tmp_path / "x.mp4", scene="car", seed=1, width=321, height=240)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_clip_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}

    def explode(self: scenes.Scene, img: np.ndarray, t: float) -> None:
        calls["n"] += 1
        if calls["n"] > 3:
            raise RuntimeError("boom")

    monkeypatch.setattr(scenes.Car, "draw", explode)
    target = tmp_path / "car.mp4"
    target.write_bytes(b"previous good clip")
    with pytest.raises(RuntimeError):
        make_clip(target, scene="car", seed=1, width=128, height=72, fps=5, seconds=2)
    assert [p.name for p in tmp_path.iterdir()] == ["car.mp4"]
    assert target.read_bytes() == b"previous good clip"  # untouched: the new clip never replaced it


def small_demo(folder: Path, n: int, progress: Callable[[int, int], None] | None = None) -> list[Path]:
    return ensure_demo_clips(folder, n, progress=progress, width=128, height=72, fps=5, seconds=1)


def test_ensure_demo_clips_generates_once_and_reuses(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    calls: list[tuple[int, int]] = []
    paths = small_demo(folder, 6, lambda d, t: calls.append((d, t)))
    assert len(paths) == 6 and len(set(paths)) == 6
    assert all(p.parent == folder and p.is_file() for p in paths)
    assert [p.name.split("-")[0] for p in paths] == [*SCENE_NAMES, SCENE_NAMES[0]]  # scenes in turn
    assert len({p.name.split("-")[1] for p in paths}) == 6  # distinct seeds
    assert paths[0].name == "walker-s101-128x72-5fps-1s-v1.mp4"
    assert calls[0] == (0, 6) and calls[-1] == (6, 6) and len(calls) == 7
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)  # no temp files
    for p in paths:
        with open(p, "rb") as f:
            assert probe(f).frame_count == 5

    mtimes = {p: p.stat().st_mtime_ns for p in paths}
    calls.clear()
    again = small_demo(folder, 6, lambda d, t: calls.append((d, t)))
    assert again == paths
    assert {p: p.stat().st_mtime_ns for p in again} == mtimes  # nothing regenerated
    assert calls == [(6, 6)]

    paths[2].unlink()  # a missing one is made again, alone
    calls.clear()
    small_demo(folder, 6, lambda d, t: calls.append((d, t)))
    assert calls == [(5, 6), (6, 6)]
    others = [p for p in paths if p != paths[2]]
    assert {p: p.stat().st_mtime_ns for p in others} == {p: mtimes[p] for p in others}


def test_ensure_demo_clips_default_names_describe_720p15() -> None:
    assert synth.demo_clip_name("car", 102, 1280, 720, 15) == "car-s102-1280x720-15fps-v1.mp4"
    assert synth.demo_specs(7)[5:] == [("walker", 106), ("car", 107)]


def test_ensure_demo_clips_reports_an_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(MediaError) as info:
        small_demo(blocker / "demo", 2)
    assert "could not be written" in str(info.value) and info.value.hint
