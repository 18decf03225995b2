"""Small test clips in the formats cameras send, made with PyAV, and an independent PyAV reference decode.

Every clip is tiny (at most a couple of seconds, 320x240 unless a case needs otherwise) so the suite
stays fast. The pictures carry an asymmetric marker: a white square in the top-left corner of the
*upright* picture (the picture as it should be displayed), and a per-frame coloured bar so that every
frame differs from its neighbours. Rotated clips store the picture turned the other way and carry a
display matrix, as phones and cameras do, so a player that honours rotation shows the marker top-left.

Functions:

* :func:`make_video` — the general encoder (codec, container, size, rate or explicit timestamps,
  rotation, optional sound).
* :func:`make_case` — one clip of the codec/container matrix :data:`CASES`.
* :func:`make_rotated_clip`, :func:`make_vfr_clip`, :func:`make_odd_size_clip`,
  :func:`make_clip_with_audio` — the special cases.
* :func:`corrupt_middle` — a copy of a clip whose frame data is destroyed from the middle on.
* :func:`reference_decode` — decode a plain file with PyAV (not OpenCV) into upright BGR frames and
  their presentation times, to check the product's decoder against.

Rotation convention here: ``rotation_cw`` is the clockwise turn that makes the stored picture upright
(the value of the old ``rotate`` tag a phone writes for a portrait clip, and of OpenCV's
``CAP_PROP_ORIENTATION_META``). FFmpeg's display matrix holds the counter-clockwise angle, i.e.
``-rotation_cw``; PyAV 18 writes it with ``VideoStream.set_display_rotation`` (MP4: the ``tkhd``
matrix; Matroska: the projection roll) and reports it back as ``VideoFrame.rotation`` on decoded frames.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

W, H, FPS = 320, 240, 15

_VFR_GAPS = (0.04, 0.16, 0.05, 0.35, 0.04, 0.04, 0.04, 0.28, 0.1, 0.03, 0.37, 0.05, 0.35)


def _vfr_times(n: int) -> tuple[float, ...]:
    times, t = [], 0.0
    for i in range(n):
        times.append(round(t, 3))
        t += _VFR_GAPS[i % len(_VFR_GAPS)]
    return tuple(times)


#: the irregular frame times (seconds) of the variable-frame-rate clip: 0, 0.04, 0.2, 0.25, 0.6, ...
#: 60 frames over about 8.6 s, enough that OpenCV's own constant-rate frame seeking goes wrong on it
VFR_TIMES: tuple[float, ...] = _vfr_times(60)

_FORMAT_OF_SUFFIX = {".mp4": "mp4", ".mkv": "matroska", ".webm": "webm", ".avi": "avi", ".mov": "mov"}


@dataclass(frozen=True)
class Case:
    """One codec/container combination of the matrix."""

    codec: str
    suffix: str
    options: dict[str, str] = field(default_factory=dict)
    pix_fmt: str = "yuv420p"
    #: the codec name FFmpeg reports when reading the clip back
    decoded_as: str = ""


_X264 = {"preset": "medium", "g": "12", "bf": "2"}  # B-frames on: decode order differs from display order
_X265 = {"preset": "ultrafast", "x265-params": "log-level=none:keyint=12:bframes=2"}
_VP9 = {"deadline": "realtime", "cpu-used": "8", "g": "12"}
_MJPEG = {"q:v": "5"}

#: the codec/container matrix of real camera clips
CASES: dict[str, Case] = {
    "h264-mp4": Case("libx264", ".mp4", _X264, decoded_as="h264"),
    "hevc-mkv": Case("libx265", ".mkv", _X265, decoded_as="hevc"),
    "vp9-webm": Case("libvpx-vp9", ".webm", _VP9, decoded_as="vp9"),
    "mjpeg-avi": Case("mjpeg", ".avi", _MJPEG, pix_fmt="yuvj420p", decoded_as="mjpeg"),
    "h264-mkv": Case("libx264", ".mkv", _X264, decoded_as="h264"),
}

_DEFAULT_OPTIONS = {"libx264": _X264, "libx265": _X265, "libvpx-vp9": _VP9, "mjpeg": _MJPEG}
_DEFAULT_PIX_FMT = {"mjpeg": "yuvj420p"}


def upright_picture(i: int, width: int = W, height: int = H) -> np.ndarray:
    """Frame ``i`` as it should be displayed: a white top-left square and a bar that moves with ``i``.

    The background is dark grey, the bar a saturated colour that changes with ``i``; only the marker
    is near-white, so ``marker_corner`` can find it after any lossy codec.
    """
    img = np.full((height, width, 3), 40, np.uint8)
    side = max(4, min(width, height) // 5)
    img[:side, :side] = 255
    bar_w = max(4, width // 8)
    x = side + (i * 7) % max(1, width - side - bar_w)
    colour = (int(i * 53 % 180 + 40), int(i * 97 % 180 + 40), int(200 - i * 29 % 160))
    img[height // 2:, x:x + bar_w] = colour
    return img


def stored_picture(upright: np.ndarray, rotation_cw: int) -> np.ndarray:
    """What the camera stores: the upright picture turned back by ``rotation_cw`` (so turning it shows it upright)."""
    return np.ascontiguousarray(np.rot90(upright, k=rotation_cw // 90))  # rot90 with k>0 turns counter-clockwise


def marker_corner(image: np.ndarray) -> str:
    """Which corner of ``image`` holds the bright marker: 'top-left', 'top-right', 'bottom-left' or 'bottom-right'."""
    h, w = image.shape[:2]
    side = max(2, min(w, h) // 8)
    corners = {
        "top-left": image[:side, :side], "top-right": image[:side, w - side:],
        "bottom-left": image[h - side:, :side], "bottom-right": image[h - side:, w - side:],
    }
    return max(corners, key=lambda k: float(corners[k].mean()))


def _format_for(path: Path) -> str:
    try:
        return _FORMAT_OF_SUFFIX[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"no container known for the suffix of {path.name}") from None


def _add_audio(out: av.container.OutputContainer, audio_codec: str, rate: int) -> av.AudioStream:
    stream = out.add_stream(audio_codec, rate=rate)
    assert isinstance(stream, av.AudioStream)
    stream.layout = "mono"
    return stream


def _encode_tone(out: av.container.OutputContainer, stream: av.AudioStream, seconds: float, tone_hz: float) -> None:
    rate = stream.rate or 48000
    fmt = stream.format.name if stream.format is not None else "fltp"
    n = round(seconds * rate)
    t = np.arange(n) / rate
    samples = (0.3 * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)
    block = 960 if stream.codec_context.name == "libopus" else 1024
    pts = 0
    for start in range(0, n, block):
        part = samples[start:start + block]
        if len(part) < block and stream.codec_context.name in ("libopus", "aac"):
            part = np.pad(part, (0, block - len(part)))
        if fmt == "s16":
            frame = av.AudioFrame.from_ndarray((part * 32767).astype(np.int16)[None, :], format="s16", layout="mono")
        else:
            frame = av.AudioFrame.from_ndarray(part[None, :], format="fltp", layout="mono")
        frame.sample_rate = rate
        frame.pts = pts
        frame.time_base = Fraction(1, rate)
        pts += len(part)
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)


def make_video(path: str | os.PathLike[str], *, codec: str = "libx264", width: int = W, height: int = H,
               fps: int = FPS, frames: int | None = None, seconds: float = 2.0,
               times: tuple[float, ...] | list[float] | None = None, time_base: Fraction | None = None,
               rotation_cw: int = 0, options: dict[str, str] | None = None, pix_fmt: str | None = None,
               audio_codec: str | None = None, tone_hz: float = 440.0, faststart: bool = True) -> Path:
    """Encode a clip of :func:`upright_picture` frames to ``path`` (container from the suffix) and return it.

    ``frames`` (default ``seconds * fps``) frames at a constant ``fps``, or — when ``times`` is given —
    one frame at each of those times in seconds (variable frame rate; stored with ``time_base``,
    default 1/90000 for MP4 and 1/1000 for Matroska). ``rotation_cw`` (0, 90, 180, 270) stores the
    picture turned back and writes a display matrix. ``audio_codec`` ('aac' or 'libopus') adds a
    mono sine tone of ``tone_hz`` for the whole clip.
    """
    path = Path(path)
    fmt = _format_for(path)
    if rotation_cw % 90:
        raise ValueError("rotation_cw must be a multiple of 90")
    rotation_cw %= 360
    if times is not None:
        frame_times = [float(t) for t in times]
        if sorted(frame_times) != frame_times or len(set(frame_times)) != len(frame_times):
            raise ValueError("frame times must be strictly increasing")
        tb = time_base or (Fraction(1, 1000) if fmt in ("matroska", "webm") else Fraction(1, 90000))
    else:
        n = frames if frames is not None else round(seconds * fps)
        frame_times = [i / fps for i in range(n)]
        tb = time_base or Fraction(1, fps)
    opts = dict(_DEFAULT_OPTIONS.get(codec, {}) if options is None else options)
    container_opts = {"movflags": "+faststart"} if fmt in ("mp4", "mov") and faststart else {}
    swapped = rotation_cw in (90, 270)
    stored_w, stored_h = (height, width) if swapped else (width, height)  # width/height are the displayed size
    with av.open(str(path), "w", format=fmt, options=container_opts) as out:
        stream = out.add_stream(codec, rate=Fraction(fps), options=opts)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height = stored_w, stored_h
        stream.pix_fmt = pix_fmt or _DEFAULT_PIX_FMT.get(codec, "yuv420p")
        stream.codec_context.time_base = tb
        if times is not None:
            stream.time_base = tb
        if rotation_cw:
            stream.set_display_rotation(-rotation_cw)  # FFmpeg's display matrix angle is counter-clockwise
        audio = _add_audio(out, audio_codec, 48000) if audio_codec else None
        for i, t in enumerate(frame_times):
            picture = stored_picture(upright_picture(i, width, height), rotation_cw)
            vf = av.VideoFrame.from_ndarray(picture, format="bgr24")
            vf.pts = round(Fraction(t).limit_denominator(1_000_000) / tb)
            vf.time_base = tb
            for packet in stream.encode(vf):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
        if audio is not None:
            last = frame_times[-1] + (1 / fps if times is None else 0.04) if frame_times else 0.0
            _encode_tone(out, audio, last, tone_hz)
    return path


def make_case(directory: str | os.PathLike[str], name: str, **kwargs: object) -> Path:
    """The matrix clip ``name`` (a key of :data:`CASES`) in ``directory``; ``kwargs`` go to :func:`make_video`."""
    case = CASES[name]
    path = Path(directory) / f"{name}{case.suffix}"
    return make_video(path, codec=case.codec, options=case.options, pix_fmt=case.pix_fmt, **kwargs)  # type: ignore[arg-type]


def make_rotated_clip(path: str | os.PathLike[str], *, rotation_cw: int = 90, width: int = 240, height: int = 320,
                      codec: str = "libx264", seconds: float = 1.0, fps: int = FPS) -> Path:
    """A phone-style portrait clip: displayed ``width`` x ``height``, stored turned back, with a display matrix."""
    return make_video(path, codec=codec, width=width, height=height, seconds=seconds, fps=fps, rotation_cw=rotation_cw)


def make_vfr_clip(path: str | os.PathLike[str], *, times: tuple[float, ...] = VFR_TIMES, codec: str = "libx264",
                  time_base: Fraction | None = None, width: int = W, height: int = H) -> Path:
    """A variable-frame-rate clip: one frame at each of ``times`` (seconds)."""
    return make_video(path, codec=codec, times=times, time_base=time_base, width=width, height=height)


def make_odd_size_clip(path: str | os.PathLike[str], *, width: int = 641, height: int = 359, codec: str = "libvpx-vp9",
                       frames: int = 8) -> Path:
    """A clip whose width and height are odd (VP9 and MJPEG allow it; H.264/HEVC 4:2:0 do not)."""
    return make_video(path, codec=codec, width=width, height=height, frames=frames)


def make_clip_with_audio(path: str | os.PathLike[str], *, seconds: float, fps: int, width: int, height: int,
                         audio_codec: str = "aac", tone_hz: float = 440.0) -> Path:
    """A clip with sound: H.264 video (VP9 for ``.webm``) plus a mono ``tone_hz`` sine tone for the whole clip.

    ``audio_codec`` is ``"aac"`` or ``"libopus"`` (48 kHz mono). The container comes from the suffix of
    ``path`` (``.mp4``, ``.mkv``, ``.webm``); Opus in MP4 works with FFmpeg's muxer, WebM needs Opus.
    Width and height must be even for H.264.
    """
    if audio_codec not in ("aac", "libopus"):
        raise ValueError(f"audio_codec must be 'aac' or 'libopus', got {audio_codec!r}")
    codec = "libvpx-vp9" if Path(path).suffix.lower() == ".webm" else "libx264"
    return make_video(path, codec=codec, width=width, height=height, fps=fps, seconds=seconds,
                      audio_codec=audio_codec, tone_hz=tone_hz)


def corrupt_middle(src: str | os.PathLike[str], dst: str | os.PathLike[str], *, start: float = 0.5,
                   end: float = 1.0, fill: str = "zeros", seed: int = 7) -> Path:
    """Copy ``src`` to ``dst`` with the MP4 ``mdat`` payload overwritten from fraction ``start`` to ``end`` of it.

    The file keeps its length and its index (moov), so it opens and the first part decodes; the frames
    whose data lies in the overwritten range cannot. ``fill`` is ``"zeros"`` or ``"random"``.
    """
    data = bytearray(Path(src).read_bytes())
    at = data.find(b"mdat")
    if at < 4:
        raise ValueError(f"{src} has no mdat box")
    size = int.from_bytes(data[at - 4:at], "big")
    body_start = at + 4
    body_end = (at - 4 + size) if size > 8 else len(data)
    lo = body_start + int((body_end - body_start) * start)
    hi = body_start + int((body_end - body_start) * end)
    if fill == "zeros":
        data[lo:hi] = bytes(hi - lo)
    elif fill == "random":
        data[lo:hi] = np.random.default_rng(seed).bytes(hi - lo)
    else:
        raise ValueError("fill must be 'zeros' or 'random'")
    out = Path(dst)
    out.write_bytes(bytes(data))
    return out


@dataclass
class Reference:
    """A clip decoded by PyAV straight from its plain file: the independent truth for the tests."""

    times: list[float]  # presentation time of each frame, seconds from the first frame, display order
    images: list[np.ndarray]  # upright BGR pictures
    rotation_cw: int
    width: int  # displayed size
    height: int
    codec: str
    has_audio: bool
    audio_codec: str | None
    declared_duration_s: float  # the video stream's duration as the container declares it


def reference_decode(path: str | os.PathLike[str]) -> Reference:
    """Decode every video frame of the plain file ``path`` with PyAV, upright, with its presentation time."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        raw: list[tuple[float, np.ndarray]] = []
        rotation_ccw = 0
        time_base = stream.time_base or Fraction(1, 1)
        for packet in container.demux(stream):
            try:
                decoded = packet.decode()  # the flush packet at the end (no data) drains the decoder
            except av.error.InvalidDataError:
                continue  # a damaged packet: keep what decodes, as a player would
            for frame in decoded:
                assert isinstance(frame, av.VideoFrame)
                rotation_ccw = frame.rotation
                if frame.pts is None:
                    raise AssertionError("a decoded frame without a timestamp")
                raw.append((float(frame.pts * time_base), frame.to_ndarray(format="bgr24")))
        codec = stream.codec_context.name
        if stream.duration is not None and stream.time_base is not None:
            declared = float(stream.duration * stream.time_base)
        elif "DURATION" in stream.metadata:  # Matroska keeps it as a per-track tag
            h, m, sec = stream.metadata["DURATION"].split(":")
            declared = int(h) * 3600 + int(m) * 60 + float(sec)
        else:
            declared = (container.duration or 0) / 1_000_000
    raw.sort(key=lambda item: item[0])
    rotation_cw = (-rotation_ccw) % 360
    images = [np.ascontiguousarray(np.rot90(img, k=-(rotation_cw // 90))) for _, img in raw]
    t0 = raw[0][0] if raw else 0.0
    times = [t - t0 for t, _ in raw]
    h, w = images[0].shape[:2] if images else (0, 0)
    return Reference(times=times, images=images, rotation_cw=rotation_cw, width=w, height=h, codec=codec,
                     has_audio=audio is not None, audio_codec=audio.codec_context.name if audio else None,
                     declared_duration_s=declared)


def close_enough(a: np.ndarray, b: np.ndarray, *, mean_abs: float = 6.0) -> bool:
    """Two decodes of the same frame: same shape, and pixels that differ only by colour-conversion rounding."""
    return a.shape == b.shape and float(cv2.absdiff(a, b).mean()) <= mean_abs
