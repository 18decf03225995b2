"""Sound decoding through the decrypting reader: duration, pitch, speed, start time, errors.

Clips are made here with PyAV (a sine tone of known frequency, AAC in MP4 and Opus in Matroska, with a
small video track as the cameras write them), encrypted into a real clip container in a temporary
folder, and read back through ``DecryptingReader``; no plaintext clip file is written.
"""

from __future__ import annotations

import io
import itertools
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from workstation.media.audio import (
    BYTES_PER_FRAME,
    SAMPLE_RATE,
    AudioError,
    AudioStream,
    AudioTrack,
    PcmChunk,
    atempo_factors,
    clamp_rate,
)
from workstation.vault.container import (
    CT_CHUNK_SIZE,
    HEADER_SIZE,
    DecryptingReader,
    TamperedContainer,
    encrypt_stream,
    generate_clip_key,
)

TONE_HZ = 440.0
SECONDS = 1.5
FRAME_S = 1024 / SAMPLE_RATE  # one AAC frame (an Opus frame is 960 samples: shorter)
CODECS = {"aac": ("aac", "mp4"), "opus": ("libopus", "matroska")}


# ---------------------------------------------------------------- test clips


def tone(seconds: float, *, freq: float = TONE_HZ, rate: int = SAMPLE_RATE,
         silent: tuple[float, float] | None = None) -> np.ndarray:
    """A float32 sine at ``freq`` (amplitude 0.4), optionally silent between two times."""
    t = np.arange(round(seconds * rate)) / rate
    signal = (0.4 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    if silent is not None:
        signal[int(silent[0] * rate):int(silent[1] * rate)] = 0.0
    return signal


def make_clip_bytes(codec: str = "aac", fmt: str = "mp4", *, seconds: float = SECONDS, rate: int = SAMPLE_RATE,
                    layout: str = "stereo", audio: bool = True, video: bool = True, noise_video: bool = False,
                    silent: tuple[float, float] | None = None, audio_delay_s: float = 0.0) -> bytes:
    """An in-memory clip: a 64x48 (or 160x120 noise) 15 fps H.264 track and/or a tone in ``codec``.

    ``audio_delay_s``: the sound starts that much after the picture (its first timestamp).
    """
    buf = io.BytesIO()
    with av.open(buf, "w", format=fmt) as out:
        vstream = None
        if video:
            vstream = out.add_stream("libx264", rate=Fraction(15), options={"preset": "ultrafast"})
            assert isinstance(vstream, av.VideoStream)
            vstream.width, vstream.height = (160, 120) if noise_video else (64, 48)
            vstream.pix_fmt = "yuv420p"
        if audio:
            astream = out.add_stream(codec, rate=rate, layout=layout)
            assert isinstance(astream, av.AudioStream)
            sample_fmt = astream.codec_context.format.name
            channels = 2 if layout == "stereo" else 1
            signal = tone(seconds, rate=rate, silent=silent)
            pts = round(audio_delay_s * rate)
            for i in range(0, len(signal), 960):
                part = signal[i:i + 960]
                planes = np.tile(part, (channels, 1)) if sample_fmt.endswith("p") else np.repeat(part, channels)[None, :]
                if sample_fmt.startswith("s16"):
                    planes = (planes * 32767).astype(np.int16)
                frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(planes), format=sample_fmt, layout=layout)
                frame.sample_rate = rate
                frame.pts = pts
                pts += len(part)
                for packet in astream.encode(frame):
                    out.mux(packet)
            for packet in astream.encode():
                out.mux(packet)
        if vstream is not None:
            rng = np.random.default_rng(7)
            for i in range(int(seconds * 15)):
                if noise_video:
                    image = rng.integers(0, 255, (vstream.height, vstream.width, 3), dtype=np.uint8)
                else:
                    image = np.full((vstream.height, vstream.width, 3), (i * 8) % 250, np.uint8)
                vf = av.VideoFrame.from_ndarray(image, format="rgb24")
                vf.pts = i
                for packet in vstream.encode(vf):
                    out.mux(packet)
            for packet in vstream.encode():
                out.mux(packet)
    return buf.getvalue()


@dataclass(frozen=True)
class SealedClip:
    """An encrypted clip container on disk and its key."""

    path: Path
    key: bytes
    clip_id: str

    def open(self) -> DecryptingReader:
        return DecryptingReader(self.path, self.key, expected_clip_id=self.clip_id)

    def factory(self) -> Callable[[], DecryptingReader]:
        return self.open


def seal(plaintext: bytes, folder: Path, name: str) -> SealedClip:
    """Encrypt ``plaintext`` (held in memory) into ``folder/name.fwclip``: only ciphertext touches the disk."""
    key, clip_id = generate_clip_key(), uuid.uuid4().hex
    path = folder / f"{name}.fwclip"
    with path.open("wb") as dst:
        encrypt_stream(io.BytesIO(plaintext), dst, key, clip_id)
    return SealedClip(path, key, clip_id)


def tamper(clip: SealedClip, chunk: int, folder: Path) -> SealedClip:
    """A copy of ``clip`` with one ciphertext byte of ``chunk`` flipped."""
    data = bytearray(clip.path.read_bytes())
    data[HEADER_SIZE + chunk * CT_CHUNK_SIZE + 100] ^= 0x01
    path = folder / f"tampered-{chunk}-{clip.path.name}"
    path.write_bytes(bytes(data))
    return SealedClip(path, clip.key, clip.clip_id)


@pytest.fixture(scope="module")
def sealed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sealed-audio")


@pytest.fixture(scope="module", params=sorted(CODECS))
def tone_clip(request: pytest.FixtureRequest, sealed_dir: Path) -> SealedClip:
    """A 1.5 s clip with a 440 Hz tone, per codec, sealed in a clip container."""
    codec, fmt = CODECS[request.param]
    return seal(make_clip_bytes(codec, fmt), sealed_dir, f"tone-{request.param}")


@pytest.fixture(scope="module")
def silent_clip(sealed_dir: Path) -> SealedClip:
    """Video only: no audio stream."""
    return seal(make_clip_bytes(audio=False), sealed_dir, "video-only")


@pytest.fixture(scope="module")
def big_clip(sealed_dir: Path) -> SealedClip:
    """2 s with a noisy 160x120 video so the container has several 64 KiB chunks (for tampering)."""
    clip = seal(make_clip_bytes(seconds=2.0, noise_video=True), sealed_dir, "big")
    assert (clip.path.stat().st_size - HEADER_SIZE) // CT_CHUNK_SIZE >= 4
    return clip


# ---------------------------------------------------------------- measuring


def concat(chunks: list[PcmChunk]) -> np.ndarray:
    assert chunks, "no audio came out"
    return np.concatenate([c.pcm for c in chunks])


def peak_hz(pcm: np.ndarray) -> float:
    """The strongest frequency in the left channel (Hann-windowed FFT)."""
    x = pcm[:, 0].astype(np.float64)
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * SAMPLE_RATE / len(x))


def assert_contiguous(chunks: list[PcmChunk]) -> None:
    for a, b in itertools.pairwise(chunks):
        assert b.media_s == pytest.approx(a.media_end_s, abs=1e-6)
        assert b.rate == a.rate


def decode(clip: SealedClip, from_s: float = 0.0, rate: float = 1.0) -> list[PcmChunk]:
    with clip.open() as reader, AudioTrack(reader) as track:
        assert track.has_audio
        return list(track.chunks(from_s, rate))


# ---------------------------------------------------------------- tests


def test_rate_helpers() -> None:
    assert atempo_factors(1.0) == []
    assert atempo_factors(2.0) == [2.0]
    assert atempo_factors(4.0) == [2.0, 2.0]
    assert atempo_factors(0.25) == [0.5, 0.5]
    for rate in (0.25, 0.3, 0.5, 0.75, 1.5, 3.0, 4.0):
        factors = atempo_factors(rate)
        assert all(0.5 <= f <= 2.0 for f in factors)
        assert float(np.prod(factors)) == pytest.approx(rate)
    assert clamp_rate(10) == 4.0
    assert clamp_rate(0.1) == 0.25
    assert clamp_rate(float("nan")) == 1.0


def test_track_describes_the_stream(tone_clip: SealedClip) -> None:
    with tone_clip.open() as reader:
        assert AudioTrack.probe(reader)
        with AudioTrack(reader) as track:
            assert track.has_audio
            assert track.codec in ("aac", "opus")
            assert track.source_rate == SAMPLE_RATE
            assert track.source_channels == 2
            assert track.duration_s == pytest.approx(SECONDS, abs=FRAME_S)
            assert track.origin_s == 0.0
        assert track.closed
        assert not reader.closed  # the track never closes the reader


def test_decodes_whole_clip_at_the_right_pitch(tone_clip: SealedClip) -> None:
    chunks = decode(tone_clip)
    pcm = concat(chunks)
    assert pcm.dtype == np.int16 and pcm.shape[1] == 2
    assert chunks[0].media_s == pytest.approx(0.0, abs=1e-9)
    assert_contiguous(chunks)
    assert len(pcm) / SAMPLE_RATE == pytest.approx(SECONDS, abs=FRAME_S)
    assert chunks[-1].media_end_s == pytest.approx(SECONDS, abs=FRAME_S)
    assert peak_hz(pcm) == pytest.approx(TONE_HZ, abs=2.0)
    assert 0.3 * 32767 < np.abs(pcm).max() < 0.5 * 32767  # the 0.4 tone, not clipped or lost


@pytest.mark.parametrize("rate", [0.5, 2.0, 4.0, 0.25, 3.0])
def test_speed_keeps_pitch_and_scales_duration(tone_clip: SealedClip, rate: float) -> None:
    chunks = decode(tone_clip, 0.0, rate)
    pcm = concat(chunks)
    assert all(c.rate == rate for c in chunks)
    assert_contiguous(chunks)
    assert len(pcm) / SAMPLE_RATE == pytest.approx(SECONDS / rate, abs=FRAME_S / rate)  # playing time
    assert chunks[-1].media_end_s == pytest.approx(SECONDS, abs=FRAME_S)  # media time covered
    assert peak_hz(pcm) == pytest.approx(TONE_HZ, abs=3.0)  # pitch kept


@pytest.mark.parametrize("rate", [1.0, 2.0, 0.5])
def test_starting_at_0_8_s(tone_clip: SealedClip, rate: float) -> None:
    chunks = decode(tone_clip, 0.8, rate)
    assert chunks[0].media_s == pytest.approx(0.8, abs=FRAME_S)
    assert_contiguous(chunks)
    assert chunks[-1].media_end_s == pytest.approx(SECONDS, abs=FRAME_S)
    pcm = concat(chunks)
    assert len(pcm) / SAMPLE_RATE == pytest.approx((SECONDS - 0.8) / rate, abs=FRAME_S / rate)
    assert peak_hz(pcm) == pytest.approx(TONE_HZ, abs=4.0)


def test_starting_past_the_end_gives_nothing(tone_clip: SealedClip) -> None:
    assert decode(tone_clip, SECONDS + 0.5) == []


@pytest.mark.parametrize("codec", sorted(CODECS))
@pytest.mark.parametrize("rate", [0.5, 1.0, 2.0, 4.0])
def test_media_time_tags_stay_exact_under_atempo(sealed_dir: Path, codec: str, rate: float) -> None:
    """A silent gap at 0.9–1.1 s is found, through the chunks' media-time tags, where it is in the clip."""
    name, fmt = CODECS[codec]
    clip = seal(make_clip_bytes(name, fmt, seconds=2.0, silent=(0.9, 1.1), video=False), sealed_dir,
                f"gap-{codec}-{rate}")
    for start in (0.0, 0.5):
        times, loudness = [], []
        for chunk in decode(clip, start, rate):
            x = np.abs(chunk.pcm[:, 0].astype(np.int32))
            for k in range(0, chunk.frames - 240 + 1, 240):  # 5 ms windows of playing time
                times.append(chunk.media_s + (k + 120) * chunk.rate / SAMPLE_RATE)
                loudness.append(int(x[k:k + 240].max()))
        t, level = np.array(times), np.array(loudness)
        quiet = np.where((level < level.max() / 2) & (t > 0.6) & (t < 1.4))[0]
        middle = (t[quiet[0]] + t[quiet[-1]]) / 2
        # atempo works in ~40 ms windows; 40 ms of media is 10 ms of playing time at 4x
        assert middle == pytest.approx(1.0, abs=0.04), (start, t[quiet[0]], t[quiet[-1]])


def test_sound_that_starts_after_the_picture_is_led_in_with_silence(sealed_dir: Path) -> None:
    """Media time is the picture's clock: a sound track starting at 0.25 s plays silence until then."""
    clip = seal(make_clip_bytes("aac", "mp4", seconds=1.0, audio_delay_s=0.25), sealed_dir, "late-sound")
    for rate in (1.0, 2.0):
        chunks = decode(clip, 0.0, rate)
        assert chunks[0].media_s == 0.0
        assert_contiguous(chunks)
        pcm = concat(chunks)
        first_loud = int(np.argmax(np.abs(pcm[:, 0]) > 3000))
        # atempo's ~40 ms windows smear an onset by up to that much media time (10 ms of playing at 4x)
        assert first_loud * rate / SAMPLE_RATE == pytest.approx(0.25, abs=FRAME_S if rate == 1 else 0.04)
        assert chunks[-1].media_end_s == pytest.approx(1.25, abs=FRAME_S)
    assert decode(clip, 0.1, 1.0)[0].media_s == pytest.approx(0.1)


def test_mono_44k_is_resampled_to_48k_stereo(sealed_dir: Path) -> None:
    clip = seal(make_clip_bytes("aac", "mp4", rate=44_100, layout="mono"), sealed_dir, "mono44")
    with clip.open() as reader, AudioTrack(reader) as track:
        assert track.source_rate == 44_100 and track.source_channels == 1
        chunks = list(track.chunks(0.0, 1.0))
    pcm = concat(chunks)
    assert len(pcm) / SAMPLE_RATE == pytest.approx(SECONDS, abs=FRAME_S)
    assert peak_hz(pcm) == pytest.approx(TONE_HZ, abs=2.0)
    assert np.array_equal(pcm[:, 0], pcm[:, 1])


def test_clip_without_audio(silent_clip: SealedClip) -> None:
    with silent_clip.open() as reader:
        assert not AudioTrack.probe(reader)
        with AudioTrack(reader) as track:
            assert not track.has_audio
            assert track.duration_s is None
            assert list(track.chunks(0.0, 1.0)) == []
    stream = AudioStream(silent_clip.factory())
    try:
        stream.start(0.0, 1.0)
        assert list(stream.chunks()) == []
        assert stream.has_audio is False
        assert stream.finished and stream.error is None
    finally:
        stream.close(wait=True)
    assert stream.closed


def test_not_media_raises_audio_error(sealed_dir: Path) -> None:
    clip = seal(bytes(range(256)) * 64, sealed_dir, "garbage")
    with clip.open() as reader, pytest.raises(AudioError) as info:
        AudioTrack(reader)
    assert info.value.hint


def test_stream_plays_through_a_second_reader(tone_clip: SealedClip) -> None:
    """A second DecryptingReader on the same cache file, opened and closed by the stream itself."""
    opened: list[DecryptingReader] = []

    def factory() -> DecryptingReader:
        opened.append(tone_clip.open())
        return opened[-1]

    with tone_clip.open() as video_reader:  # the picture's reader stays open alongside
        stream = AudioStream(factory)
        try:
            stream.start(0.0, 2.0)
            chunks = list(stream.chunks())
            assert stream.error is None and stream.has_audio
            assert_contiguous(chunks)
            assert len(concat(chunks)) / SAMPLE_RATE == pytest.approx(SECONDS / 2, abs=FRAME_S)
            # a restart drops what was queued: the next chunk is the new start, at the new rate
            stream.start(0.8, 1.0)
            again = list(stream.chunks())
            assert again[0].media_s == pytest.approx(0.8, abs=FRAME_S) and again[0].rate == 1.0
            assert_contiguous(again)
        finally:
            stream.close(wait=True)
        assert not video_reader.closed
    assert stream.closed
    assert len(opened) == 1 and opened[0].closed


def test_stream_read_splits_chunks_exactly(tone_clip: SealedClip) -> None:
    whole = concat(decode(tone_clip))  # a fresh decoder, like the stream's first start
    stream = AudioStream(tone_clip.factory())
    try:
        stream.start(0.0, 1.0)
        pieces: list[PcmChunk] = []
        deadline = time.monotonic() + 30
        while not stream.finished and time.monotonic() < deadline:
            piece = stream.read(100)
            if piece is None:
                time.sleep(0.001)  # let the worker run
                continue
            assert piece.frames <= 100
            pieces.append(piece)
        assert stream.finished
        assert_contiguous(pieces)
        assert np.array_equal(concat(pieces), whole)
        assert pieces[0].nbytes == pieces[0].frames * BYTES_PER_FRAME
        assert pieces[0].to_bytes() == whole[:pieces[0].frames].tobytes()
    finally:
        stream.close(wait=True)


@pytest.mark.parametrize("chunk", [0, 3])
def test_tampered_container_ends_the_stream_with_an_error(big_clip: SealedClip, sealed_dir: Path, chunk: int) -> None:
    bad = tamper(big_clip, chunk, sealed_dir)
    readers: list[DecryptingReader] = []

    def factory() -> DecryptingReader:
        readers.append(bad.open())
        return readers[-1]

    stream = AudioStream(factory)
    try:
        stream.start(0.0, 1.0)
        played = list(stream.chunks())  # ends, does not hang or raise
        assert isinstance(stream.error, TamperedContainer)
        assert stream.finished
        if chunk == 3:
            assert played and sum(c.frames for c in played) < 2.0 * SAMPLE_RATE  # what came before, then the end
    finally:
        stream.close(wait=True)
    assert stream.closed
    assert all(r.closed for r in readers)
    # the synchronous decoder raises the same error to its caller
    with bad.open() as reader, pytest.raises(TamperedContainer), AudioTrack(reader) as track:
        list(track.chunks(0.0, 1.0))


def test_factory_failure_is_reported(tone_clip: SealedClip) -> None:
    def factory() -> DecryptingReader:
        return DecryptingReader(tone_clip.path, generate_clip_key())  # wrong key

    stream = AudioStream(factory)
    try:
        stream.start(0.0, 1.0)
        assert list(stream.chunks()) == []
        assert stream.error is not None and "key" in str(stream.error)
        assert stream.has_audio is None and stream.finished
    finally:
        stream.close(wait=True)
