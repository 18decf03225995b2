"""Words from Qt-free code, translated where they are shown.

The domain (the taxonomy, the key map, the session layer's rules, the hub's answers) speaks English and
imports no Qt. Its words that reach an annotator's screen are listed here with ``QT_TRANSLATE_NOOP``, so
``pyside6-lupdate`` puts them in the ``.ts`` files under fixed contexts, and they are translated at the
point of display:

- ``Taxonomy``: label names, groups, skip and flag reasons of the default taxonomy. A project's own
  taxonomy from the hub shows as the hub wrote it unless its words are among these.
- ``Keys``: the key map's action titles and groups.
- ``Domain``: sentences of the session layer and the hub that a worker reads (errors, notes, titles). A ``{name}`` field stands for
  a value the domain put in; it is read back from the English sentence, which must match as a whole.
  ``{wait}`` is a wait as :func:`workstation.session.password.wait_words` says it ("30 seconds") and is said
  again in the screen's language; ``{n}`` is a whole number.

A text not listed here shows as the domain wrote it. ``tests/ui/test_i18n.py`` checks that the lists follow
the domain: every default label, reason and action, and every worker-facing ``raise`` of the session layer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QCoreApplication, QObject

from workstation.errors import WorkstationError
from workstation.ui.i18n import QT_TRANSLATE_NOOP

TAXONOMY_WORDS = (
    QT_TRANSLATE_NOOP("Taxonomy", "Real event"),
    QT_TRANSLATE_NOOP("Taxonomy", "False alarm"),
    QT_TRANSLATE_NOOP("Taxonomy", "Sensitive"),
    QT_TRANSLATE_NOOP("Taxonomy", "Person"),
    QT_TRANSLATE_NOOP("Taxonomy", "Vehicle"),
    QT_TRANSLATE_NOOP("Taxonomy", "Animal"),
    QT_TRANSLATE_NOOP("Taxonomy", "Package"),
    QT_TRANSLATE_NOOP("Taxonomy", "Lighting"),
    QT_TRANSLATE_NOOP("Taxonomy", "Weather"),
    QT_TRANSLATE_NOOP("Taxonomy", "Foliage"),
    QT_TRANSLATE_NOOP("Taxonomy", "Insect / spider"),
    QT_TRANSLATE_NOOP("Taxonomy", "Camera fault"),
    QT_TRANSLATE_NOOP("Taxonomy", "Sensitive — dispose"),
    QT_TRANSLATE_NOOP("Taxonomy", "Clip does not play"),
    QT_TRANSLATE_NOOP("Taxonomy", "Cannot tell"),
    QT_TRANSLATE_NOOP("Taxonomy", "Not a security clip"),
    QT_TRANSLATE_NOOP("Taxonomy", "Other"),
    QT_TRANSLATE_NOOP("Taxonomy", "Private content"),
    QT_TRANSLATE_NOOP("Taxonomy", "Nudity or intimacy"),
    QT_TRANSLATE_NOOP("Taxonomy", "A child is visible"),
    QT_TRANSLATE_NOOP("Taxonomy", "Bedroom or bathroom"),
    QT_TRANSLATE_NOOP("Taxonomy", "Violence or distress"),
    QT_TRANSLATE_NOOP("Taxonomy", "Other private content"),
)
"""The default taxonomy's words (resources/taxonomy/security_default.json and workstation.taxonomy)."""

KEY_WORDS = (
    QT_TRANSLATE_NOOP("Keys", "Decide"),
    QT_TRANSLATE_NOOP("Keys", "Playback"),
    QT_TRANSLATE_NOOP("Keys", "Sound"),
    QT_TRANSLATE_NOOP("Keys", "Night view"),
    QT_TRANSLATE_NOOP("Keys", "Help"),
    QT_TRANSLATE_NOOP("Keys", "Play / pause"),
    QT_TRANSLATE_NOOP("Keys", "One frame back"),
    QT_TRANSLATE_NOOP("Keys", "One frame forward"),
    QT_TRANSLATE_NOOP("Keys", "Back 2 seconds"),
    QT_TRANSLATE_NOOP("Keys", "Forward 2 seconds"),
    QT_TRANSLATE_NOOP("Keys", "Slower"),
    QT_TRANSLATE_NOOP("Keys", "Faster"),
    QT_TRANSLATE_NOOP("Keys", "Replay from the start"),
    QT_TRANSLATE_NOOP("Keys", "Volume down"),
    QT_TRANSLATE_NOOP("Keys", "Volume up"),
    QT_TRANSLATE_NOOP("Keys", "Mute / unmute"),
    QT_TRANSLATE_NOOP("Keys", "Undo last decision (returns to that clip)"),
    QT_TRANSLATE_NOOP("Keys", "Skip with a reason"),
    QT_TRANSLATE_NOOP("Keys", "Flag sensitive — dispose"),
    QT_TRANSLATE_NOOP("Keys", "Comment on this clip"),
    QT_TRANSLATE_NOOP("Keys", "Brighter"),
    QT_TRANSLATE_NOOP("Keys", "Darker"),
    QT_TRANSLATE_NOOP("Keys", "More contrast"),
    QT_TRANSLATE_NOOP("Keys", "Less contrast"),
    QT_TRANSLATE_NOOP("Keys", "Lift shadows (gamma)"),
    QT_TRANSLATE_NOOP("Keys", "Deepen shadows (gamma)"),
    QT_TRANSLATE_NOOP("Keys", "Local contrast (CLAHE) on / off"),
    QT_TRANSLATE_NOOP("Keys", "Zoom in"),
    QT_TRANSLATE_NOOP("Keys", "Zoom out"),
    QT_TRANSLATE_NOOP("Keys", "Reset the view"),
    QT_TRANSLATE_NOOP("Keys", "Hold to reveal a blurred clip"),
    QT_TRANSLATE_NOOP("Keys", "Show these keys"),
)
"""The key map's groups and action titles (workstation.labeling.keymap.ACTIONS)."""

DOMAIN_SENTENCES = (
    # the session layer: decisions
    QT_TRANSLATE_NOOP("Domain", "This shift is {owner}'s; {user} cannot decide on it."),
    QT_TRANSLATE_NOOP("Domain", "The shift is complete; nothing more can be decided on it."),
    QT_TRANSLATE_NOOP("Domain", "This shift is {owner}'s."),
    QT_TRANSLATE_NOOP("Domain", "That clip is not part of this shift."),
    QT_TRANSLATE_NOOP("Domain", "The shift is complete and its clips are gone from this PC; nothing can be undone "
                                "now."),
    QT_TRANSLATE_NOOP("Domain", "A flagged clip was removed from this PC; it cannot be reopened."),
    QT_TRANSLATE_NOOP("Domain", "Nothing to undo in this shift."),
    QT_TRANSLATE_NOOP("Domain", "That clip is no longer part of this shift."),
    QT_TRANSLATE_NOOP("Domain", "The flagged clip could not be removed from this PC ({why}); tell IT."),
    QT_TRANSLATE_NOOP("Domain", "The flagged clip stays closed; the decision before it was undone."),
    # the session layer: going on offline
    QT_TRANSLATE_NOOP("Domain", "Sign in again to take a shift."),
    QT_TRANSLATE_NOOP("Domain", "There is no shift on this PC that can go on without the hub."),
    QT_TRANSLATE_NOOP("Domain", "Sign in once the hub answers again."),
    QT_TRANSLATE_NOOP("Domain", "This PC holds {owner}'s shift: only {owner} can go on with it offline, with their "
                                "own password."),
    QT_TRANSLATE_NOOP("Domain", "Too many wrong passwords: try again in {wait}."),
    QT_TRANSLATE_NOOP("Domain", "This shift cannot go on offline: this PC has no way to check the password."),
    QT_TRANSLATE_NOOP("Domain", "That is not {owner}'s password. Try again in {wait}."),
    QT_TRANSLATE_NOOP("Domain", "That is not {owner}'s password ({n} more tries before a wait)."),
    # the key map
    QT_TRANSLATE_NOOP("Domain", "“{action}” needs a key."),
    QT_TRANSLATE_NOOP("Domain", "The key {key} is kept for labels 1–9."),
    QT_TRANSLATE_NOOP("Domain", "Choose another key."),
    QT_TRANSLATE_NOOP("Domain", "The key {key} is already used for “{action}”."),
    QT_TRANSLATE_NOOP("Domain", "Give that action another key first."),
    # the shift on this PC
    QT_TRANSLATE_NOOP("Domain", "This shift's key is gone from the key store, so its clips cannot be opened."),
    QT_TRANSLATE_NOOP("Domain", "Sign in again to fetch the shift anew; your labels are kept."),
    QT_TRANSLATE_NOOP("Domain", "Sign in again."),
    QT_TRANSLATE_NOOP("Domain", "This PC's label store was damaged, so it was set aside for IT ({file}) and the app "
                                "started with a clean one; decisions that had not reached the hub may be in it, so "
                                "tell IT."),
    # the capture rule
    QT_TRANSLATE_NOOP("Domain", "Clips cannot play on this seat"),
    # the hub's answers to a sign-in, a shift start or a sync (its sentences, and the hub client's hints)
    QT_TRANSLATE_NOOP("Domain", "The user name or password is not correct."),
    QT_TRANSLATE_NOOP("Domain", "This account is disabled."),
    QT_TRANSLATE_NOOP("Domain", "This workstation was revoked by IT and may no longer use the floor hub."),
    QT_TRANSLATE_NOOP("Domain", "This workstation is still waiting for IT to approve it."),
    QT_TRANSLATE_NOOP("Domain", "This workstation is not enrolled with the floor hub."),
    QT_TRANSLATE_NOOP("Domain", "This workstation is not approved to use the floor hub."),
    QT_TRANSLATE_NOOP("Domain", "This session is unknown or has ended."),
    QT_TRANSLATE_NOOP("Domain", "This session has expired."),
    QT_TRANSLATE_NOOP("Domain", "No clips are waiting to be labeled."),
    QT_TRANSLATE_NOOP("Domain", "Ask IT about this workstation's access to the floor hub."),
    QT_TRANSLATE_NOOP("Domain", "Wait, then sign in again; ask a supervisor if you have forgotten the password."),
    QT_TRANSLATE_NOOP("Domain", "It is retried automatically; labeling goes on meanwhile."),
    QT_TRANSLATE_NOOP("Domain", "Tell IT or a supervisor if this keeps happening."),
)
"""Sentences of the domain and the hub that a worker reads, with ``{fields}`` for the values in them."""

ENGLISH_VARIANTS = {
    "That is not {owner}'s password ({n} more tries before a wait).":
        ("That is not {owner}'s password ({n} more try before a wait).",),
}
"""Other English forms of a listed sentence (a singular the domain writes for one), read as the same one."""

_FIELD = re.compile(r"\{(\w+)\}")
_WAIT = re.compile(r"(\d+) (second|minute|hour)s?")


def taxonomy_word(text: str) -> str:
    """A label name, group or reason in the screen's language (as written when it is not a default one)."""
    return QCoreApplication.translate("Taxonomy", text)


def key_word(text: str) -> str:
    """A key map action's title or group in the screen's language."""
    return QCoreApplication.translate("Keys", text)


class Waits(QObject):
    """Waits in words (a QObject: lupdate finds counted words, ``%n``, only in a QObject's ``tr``)."""

    def words(self, seconds: float) -> str:
        s = max(1, round(seconds))
        if s < 90:
            return self.tr("%n seconds", "", s)
        minutes = round(s / 60)
        if minutes < 90:
            return self.tr("%n minutes", "", minutes)
        return self.tr("%n hours", "", round(minutes / 60))


def wait_words(seconds: float) -> str:
    """A wait as people say it ("30 seconds", "2 minutes", "1 hour"), in the screen's language; the same
    rounding as :func:`workstation.session.password.wait_words`."""
    return Waits().words(seconds)


def _said_again(wait: str) -> str:
    """"30 seconds" (the domain's English) in the screen's language."""
    match = _WAIT.fullmatch(wait)
    if match is None:
        return wait
    count, unit = int(match.group(1)), match.group(2)
    return wait_words(count * {"second": 1, "minute": 60, "hour": 3600}[unit])


def _pattern(sentence: str) -> re.Pattern[str]:
    parts, seen, at = [], set(), 0
    for field in _FIELD.finditer(sentence):
        parts.append(re.escape(sentence[at:field.start()]))
        name = field.group(1)
        if name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            body = _WAIT.pattern if name == "wait" else r"\d+" if name == "n" else ".+?"
            parts.append(f"(?P<{name}>{body})")
        at = field.end()
    parts.append(re.escape(sentence[at:]))
    return re.compile("".join(parts), re.DOTALL)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for sentence in DOMAIN_SENTENCES:
        for english in (sentence, *ENGLISH_VARIANTS.get(sentence, ())):
            out.append((sentence, _pattern(english)))
    return tuple(out)


def sentence(text: str) -> str | None:
    """``text`` (a whole sentence of the domain or the hub) in the screen's language; None when it is not
    one of :data:`DOMAIN_SENTENCES`."""
    for source, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        translated = QCoreApplication.translate("Domain", source)
        if translated == source:  # no translation (English): the domain's own words, as it wrote them
            return text
        values = {name: _said_again(value) if name == "wait" else key_word(value) if name == "action" else value
                  for name, value in match.groupdict().items()}
        return translated.format(**values)
    return None


def domain_text(text: str) -> str:
    """``text`` translated when it is a known sentence, else as it is."""
    if not text:
        return text
    return sentence(text) or text


def error_text(exc: WorkstationError) -> str:
    """The error's message and hint (each translated when known), as one paragraph."""
    return f"{domain_text(exc.message)} {domain_text(exc.hint)}".strip()


def error_is_known(exc: WorkstationError) -> bool:
    """Both the message and the hint have a translation (or there is no hint)."""
    return sentence(exc.message) is not None and (not exc.hint or sentence(exc.hint) is not None)
