"""Make ``resources/selftest/``: the sealed sample clip that ``self-test`` decrypts and decodes.

The sample is a one-second synthetic clip (160×90, 15 fps, H.264) sealed in the clip container with a
key that is NOT secret: it is written next to it, in ``sample.json``, with the frame count and a digest of
the decoded frames so the self-test can tell a decoder that works from one that returns wrong pictures.
Run again only when the container or the decoder's output format changes:

    PYTHONPATH=. python scripts/make_selftest_sample.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from workstation.media.clipsource import ReaderFrameSource
from workstation.media.synth import make_clip
from workstation.session.selftest import SAMPLE_CLIP_ID, frames_digest
from workstation.vault.container import DecryptingReader, encrypt_bytes, generate_clip_key

OUT = Path(__file__).resolve().parents[1] / "resources" / "selftest"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    key = generate_clip_key()
    with tempfile.TemporaryDirectory() as tmp:
        clip = make_clip(Path(tmp) / "sample.mp4", scene="walker", seed=7, width=160, height=90, fps=15, seconds=1.0)
        sealed = OUT / "sample.clip"
        sealed.write_bytes(encrypt_bytes(clip.read_bytes(), key, SAMPLE_CLIP_ID))
    with ReaderFrameSource(DecryptingReader(sealed, key, expected_clip_id=SAMPLE_CLIP_ID)) as source:
        count, digest = frames_digest(source)
    (OUT / "sample.json").write_text(json.dumps({
        "clip_id": SAMPLE_CLIP_ID, "key": key.hex(), "frames": count, "digest": digest,
        "note": "a self-test sample: this key is not secret",
    }) + "\n", encoding="utf-8")
    print(f"wrote {sealed} ({sealed.stat().st_size} bytes, {count} frames)")


if __name__ == "__main__":
    main()
