"""A FrameSource bound to the decrypting reader under it: closing one closes both."""

from __future__ import annotations

from typing import Protocol

from workstation.media.decode import Frame, FrameSource


class _Closable(Protocol):
    def close(self) -> None: ...


class ReaderFrameSource:
    """A FrameSource that also closes the decrypting reader under it."""

    def __init__(self, reader: _Closable, source: FrameSource) -> None:
        self._reader = reader
        self._source = source
        self.info = source.info

    def read(self) -> Frame | None:
        return self._source.read()

    def seek(self, index: int) -> None:
        self._source.seek(index)

    def __enter__(self) -> "ReaderFrameSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self._source, name)  # frame index, ended_early, … of the inner source

    def close(self) -> None:
        try:
            self._source.close()
        finally:
            self._reader.close()
