"""The audio outputs Qt sees on this PC (for ``self-test``); the Qt side of a Qt-free check."""

from __future__ import annotations


def audio_output_names() -> list[str]:
    """Names of the audio outputs Qt Multimedia finds, the default first; [] when there is none."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtMultimedia import QMediaDevices

    _app = QCoreApplication.instance() or QCoreApplication([])  # QMediaDevices needs an application object
    default = QMediaDevices.defaultAudioOutput()
    names = [] if default.isNull() else [default.description()]
    names += [d.description() for d in QMediaDevices.audioOutputs() if d.description() not in names]
    del _app
    return names
