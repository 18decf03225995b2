"""A FrameSource that owns the decrypting reader under it: closing the source closes the reader too."""

from __future__ import annotations

from workstation.media.decode import FrameSource, Reader


class ReaderFrameSource(FrameSource):
    """A :class:`FrameSource` over ``reader`` that also closes ``reader`` when it closes (once)."""

    def __init__(self, reader: Reader) -> None:
        self._reader: Reader | None = reader
        super().__init__(reader)

    def close(self) -> None:
        try:
            super().close()
        finally:
            reader, self._reader = getattr(self, "_reader", None), None
            if reader is not None:
                reader.close()
