"""Key events → the portable key strings of :mod:`workstation.labeling.keymap`."""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

_MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr}
_MODS = (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
         | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier)


def _text(mods: Qt.KeyboardModifier, key: int) -> str:
    return QKeySequence(QKeyCombination(mods, Qt.Key(key))).toString(QKeySequence.SequenceFormat.PortableText)


def key_candidates(event: QKeyEvent) -> list[str]:
    """The key as written in a key map, most specific first.

    "Shift+B" comes before "B"; a character typed with Shift ("?" on most layouts) also matches
    its plain form, so a map can say "?" whatever the layout needs to type it.
    """
    key = event.key()
    if key in _MODIFIER_KEYS or key == 0 or key == Qt.Key.Key_unknown:
        return []
    mods = event.modifiers() & _MODS
    out = [_text(mods, key)]
    if mods & Qt.KeyboardModifier.ShiftModifier and not Qt.Key.Key_A <= key <= Qt.Key.Key_Z \
            and key not in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
        out.append(_text(mods & ~Qt.KeyboardModifier.ShiftModifier, key))
    return out


def label_key(event: QKeyEvent) -> str | None:
    """"1"–"9" when a digit was pressed without Ctrl/Alt/Meta (main row or keypad)."""
    if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                            | Qt.KeyboardModifier.MetaModifier):
        return None
    if Qt.Key.Key_1 <= event.key() <= Qt.Key.Key_9:
        return chr(event.key())
    return None


def key_id(event: QKeyEvent) -> str:
    """The physical key, the same on its press and its release whatever the modifiers ("key:90")."""
    return f"key:{int(event.key())}"
