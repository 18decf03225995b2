"""Guards against a Qt binding that cannot last a shift."""

from __future__ import annotations

import subprocess
import sys

import PySide6


def test_void_qt_calls_do_not_leak_none() -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call and dies after ~10k."""
    code = ("from PySide6.QtCore import QCoreApplication, QTimer\n"
            "app = QCoreApplication([])\nt = QTimer()\n"
            "for _ in range(60000):\n    t.stop()\nprint('ok')\n")
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", (PySide6.__version__, result.stderr[-500:])


def test_qt_multimedia_imports() -> None:
    from PySide6 import QtMultimedia

    assert hasattr(QtMultimedia, "QAudioSink")
