"""The annotator's keyboard map: actions, their default keys, and remapping with conflict checks.

Keys are written as Qt-style portable key sequence strings ("Space", "Shift+Left", "Ctrl+Z", "?"),
so the UI can turn them into ``QKeySequence`` without this module importing Qt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from workstation.errors import WorkstationError


@dataclass(frozen=True)
class Action:
    name: str
    title: str
    default: str
    group: str


ACTIONS: tuple[Action, ...] = (
    Action("play_pause", "Play / pause", "Space", "Playback"),
    Action("frame_back", "One frame back", "Left", "Playback"),
    Action("frame_forward", "One frame forward", "Right", "Playback"),
    Action("jump_back", "Back 2 seconds", "Shift+Left", "Playback"),
    Action("jump_forward", "Forward 2 seconds", "Shift+Right", "Playback"),
    Action("slower", "Slower", "[", "Playback"),
    Action("faster", "Faster", "]", "Playback"),
    Action("replay", "Replay from the start", "R", "Playback"),
    Action("volume_down", "Volume down", "-", "Sound"),
    Action("volume_up", "Volume up", "=", "Sound"),
    Action("mute", "Mute / unmute", "M", "Sound"),
    Action("undo", "Undo last decision (returns to that clip)", "Ctrl+Z", "Decide"),
    Action("skip", "Skip with a reason", "S", "Decide"),
    Action("flag", "Flag sensitive — dispose", "F", "Decide"),
    Action("comment", "Comment on this clip", "C", "Decide"),
    Action("brighter", "Brighter", "B", "Night view"),
    Action("darker", "Darker", "Shift+B", "Night view"),
    Action("more_contrast", "More contrast", "K", "Night view"),
    Action("less_contrast", "Less contrast", "Shift+K", "Night view"),
    Action("gamma_up", "Lift shadows (gamma)", "G", "Night view"),
    Action("gamma_down", "Deepen shadows (gamma)", "Shift+G", "Night view"),
    Action("clahe", "Local contrast (CLAHE) on / off", "H", "Night view"),
    Action("zoom_in", "Zoom in", "Z", "Night view"),
    Action("zoom_out", "Zoom out", "Shift+Z", "Night view"),
    Action("reset_view", "Reset the view", "0", "Night view"),
    Action("reveal", "Hold to reveal a blurred clip", "V", "Night view"),
    Action("help", "Show these keys", "?", "Help"),
)
"""Every remappable action. Label keys 1–9 come from the taxonomy and are not remappable here."""

RESERVED = {str(i) for i in range(1, 10)}
ACTION_NAMES = {a.name for a in ACTIONS}


class KeyMapError(WorkstationError):
    """A key map that cannot be used."""


class KeyMap:
    """Action → key sequence; unknown actions refused, one key per action, no key used twice."""

    def __init__(self, bindings: dict[str, str] | None = None) -> None:
        self._bindings = {a.name: a.default for a in ACTIONS}
        if bindings:
            for name, key in bindings.items():
                self.bind(name, key)

    def key(self, action: str) -> str:
        return self._bindings[action]

    def action_for(self, key: str) -> str | None:
        for name, bound in self._bindings.items():
            if bound == key:
                return name
        return None

    def bind(self, action: str, key: str) -> None:
        if action not in ACTION_NAMES:
            raise KeyMapError(f"There is no action called {action!r}.")
        key = key.strip()
        if not key:
            raise KeyMapError(f"“{_title(action)}” needs a key.")
        if key in RESERVED:
            raise KeyMapError(f"The key {key} is kept for labels 1–9.", hint="Choose another key.")
        other = self.action_for(key)
        if other is not None and other != action:
            raise KeyMapError(f"The key {key} is already used for “{_title(other)}”.",
                              hint="Give that action another key first.")
        self._bindings[action] = key

    def reset(self) -> None:
        self._bindings = {a.name: a.default for a in ACTIONS}

    def bindings(self) -> dict[str, str]:
        return dict(self._bindings)

    def changed(self) -> dict[str, str]:
        defaults = {a.name: a.default for a in ACTIONS}
        return {k: v for k, v in self._bindings.items() if defaults[k] != v}

    # -- persistence: the annotator's own preference, not machine policy -------------------------
    @classmethod
    def load(cls, path: Path) -> KeyMap:
        """The saved map, or the defaults when there is none; a damaged file is named, not silently dropped."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            raise KeyMapError(f"The saved key map {path} cannot be read ({exc}).",
                              hint="Fix or delete the file; the default keys are used meanwhile.") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise KeyMapError(f"The saved key map {path} is not a table of action names to keys.",
                              hint="Fix or delete the file; the default keys are used meanwhile.")
        return cls(data)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.changed(), indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(path)


def _title(action: str) -> str:
    return next(a.title for a in ACTIONS if a.name == action)
