"""The night-view settings in words for the clip bar ("bright +20 · contrast 1.3 · γ 0.8 · CLAHE · zoom 2.0×"),
in the screen's language (:meth:`workstation.media.enhance.Enhancement.describe` says the same in English)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from workstation.media.enhance import Enhancement


def _number(value: float) -> str:
    return f"{value:.2f}".removesuffix("0")


def describe(view: Enhancement) -> str:
    """'' when the view changes nothing."""
    parts = []
    if view.brightness:
        parts.append(QCoreApplication.translate("NightView", "bright {value}").format(value=f"{view.brightness:+d}"))
    if view.contrast != 1.0:
        parts.append(QCoreApplication.translate("NightView", "contrast {value}").format(value=_number(view.contrast)))
    if view.gamma != 1.0:
        parts.append(f"γ {_number(view.gamma)}")
    if view.clahe:
        parts.append("CLAHE")
    if view.zoom != 1.0:
        parts.append(QCoreApplication.translate("NightView", "zoom {value}×").format(value=_number(view.zoom)))
    return " · ".join(parts)
