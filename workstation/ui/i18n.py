"""The floor's language: which one the app speaks, its translators, and the pseudo-locale for layout checks.

English is the source language: every user-facing string is written in English in the code and goes through
Qt's translation system (``self.tr`` in QObject subclasses, ``QCoreApplication.translate(context, …)``
elsewhere, ``%n`` for counts); ``resources/i18n/floor_<lang>.qm`` (compiled from the ``.ts`` sources by
``scripts/i18n.py``) carries the translations. The language is the machine policy's ``language``, or the
system's when the policy leaves it empty, or English when the system's is not shipped.

Translators are installed once, before the first window is made; widgets translate their texts when they
are built or when their state changes, never per frame.

``pseudo`` is not a language but a check: every string comes back accented and about 40 % longer
("Sign in" → "Šîĝñ îñ ~~~"), with its placeholders (``{name}``, ``%n``, ``%1``) and line breaks intact, so a
screen that clips, or a string that bypasses translation, shows at a glance.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from workstation.policy import LANGUAGES, PSEUDO_LANGUAGE, SOURCE_LANGUAGE
from workstation.resources import resources_dir

log = logging.getLogger(__name__)

CATALOGUE = "floor"
"""The app's translation files are ``floor_<lang>.ts`` / ``floor_<lang>.qm``."""

NATIVE_NAMES = {"en": "English", "ro": "Română", "hi": "हिन्दी", PSEUDO_LANGUAGE: "Pseudo-locale"}
"""Each language as its speakers write it (the About box names the one in use)."""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for translation in ``context`` and returns it as it is (Qt's own stub is typed ``object``);
    translate it where it is shown: ``QCoreApplication.translate(context, text)``."""
    return text


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def shipped_languages() -> tuple[str, ...]:
    """The languages with a translation (besides English, the source): one per ``.qm`` file shipped."""
    return tuple(sorted(code for code in LANGUAGES
                        if code not in (SOURCE_LANGUAGE, PSEUDO_LANGUAGE)
                        and (i18n_dir() / f"{CATALOGUE}_{code}.qm").is_file()))


def resolve_language(policy_language: str, ui_languages: Sequence[str]) -> str:
    """The language to speak: the policy's when it names one, else the first of the system's preferred
    languages (``QLocale.system().uiLanguages()``, e.g. ``["ro-RO", "en-US"]``) that ships, else English."""
    if policy_language:
        return policy_language
    shipped = shipped_languages()
    for tag in ui_languages:
        code = tag.replace("_", "-").split("-")[0].lower()
        if code == SOURCE_LANGUAGE or code in shipped:
            return code
    return SOURCE_LANGUAGE


# -- the pseudo-locale -------------------------------------------------------------------------------
_ACCENTED = str.maketrans("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                          "àƀċđéƒĝĥîĵķĺɱñöƥǫŕšţûṽŵẋýžÀƁĊĐÉƑĜĤÎĴĶĹṀÑÖƤǪŔŠŢÛṼŴẊÝŽ")
_KEPT = re.compile(r"%n|%L?\d+|\{[^{}]*\}|<[^<>]*>|&&")
"""Placeholders (``%n``, ``%1``, ``{name}``, ``{value:.1f}``), markup and an escaped ampersand stay as they are."""


def pseudo(text: str) -> str:
    """``text`` accented and padded to about 1.4 times its length (each line), placeholders intact."""
    lines = []
    for line in text.split("\n"):
        out, visible, at = [], 0, 0
        for kept in _KEPT.finditer(line):
            plain = line[at:kept.start()]
            out += [plain.translate(_ACCENTED), kept.group()]
            visible += len(plain) + 4  # a placeholder stands for a few characters of text
            at = kept.end()
        plain = line[at:]
        out.append(plain.translate(_ACCENTED))
        visible += len(plain)
        if any(c.isalpha() for c in line):
            pad = max(2, math.ceil(visible * 0.4) - 1)
            out.append(" " + " ".join("~" * min(5, pad - i) for i in range(0, pad, 5)))
        lines.append("".join(out))
    return "\n".join(lines)


_NOT_PSEUDO = {"QShortcut"}
"""Qt's names of keys ("Shift", "Ctrl") are what the keyboard says, not the app's words; "QT_LAYOUT_DIRECTION"
(context QGuiApplication) asks for "LTR" or "RTL", not a text."""


class PseudoTranslator(QTranslator):
    """Answers every lookup with :func:`pseudo` of the source (cached: a text is made once)."""

    def __init__(self, parent: QCoreApplication | None = None) -> None:
        super().__init__(parent)
        self._made: dict[str, str] = {}

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        if not source or source == "QT_LAYOUT_DIRECTION" or context in _NOT_PSEUDO:
            return ""
        made = self._made.get(source)
        if made is None:
            made = self._made[source] = pseudo(source)
        return made

    def isEmpty(self) -> bool:
        return False


# -- installing ----------------------------------------------------------------------------------------
def install_language(app: QCoreApplication, language: str) -> str:
    """Replace the app's translators with those of ``language`` (a :data:`~workstation.policy.LANGUAGES`
    code, "" for the system's); returns the language now spoken. A missing ``.qm`` is logged and English
    is spoken: a floor never loses its screens over a translation file."""
    remove_translators(app)
    wanted = resolve_language(language, QLocale.system().uiLanguages())
    if wanted == PSEUDO_LANGUAGE:
        app.installTranslator(PseudoTranslator(app))
        return wanted
    own = QTranslator(app)
    if wanted == SOURCE_LANGUAGE:  # English is the source; its file holds only the plural forms ("1 clip is left")
        if own.load(f"{CATALOGUE}_{wanted}", str(i18n_dir())):
            app.installTranslator(own)
        else:
            own.deleteLater()
        QLocale.setDefault(QLocale("en_US"))
        return wanted
    if not own.load(f"{CATALOGUE}_{wanted}", str(i18n_dir())):
        log.warning("no translation for %r in %s; the app speaks English", wanted, i18n_dir())
        own.deleteLater()
        return SOURCE_LANGUAGE
    qt_own = QTranslator(app)  # Qt's own words (standard buttons, key names), where Qt ships them
    if qt_own.load(f"qtbase_{wanted}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
    else:
        qt_own.deleteLater()
    app.installTranslator(own)  # installed last, asked first: the app's words win over Qt's
    QLocale.setDefault(QLocale(wanted))
    return wanted


def remove_translators(app: QCoreApplication) -> None:
    """Back to the source language (English)."""
    for translator in app.findChildren(QTranslator):
        app.removeTranslator(translator)
        translator.setParent(None)
        translator.deleteLater()
    QLocale.setDefault(QLocale("en_US"))


def current_language(app: QCoreApplication | None = None) -> str:
    """The language the app speaks now (as :func:`install_language` left it)."""
    app = app or QCoreApplication.instance()
    if app is None:
        return SOURCE_LANGUAGE
    translators = app.findChildren(QTranslator)
    if any(isinstance(t, PseudoTranslator) for t in translators):
        return PSEUDO_LANGUAGE
    for translator in translators:
        name = Path(translator.filePath()).stem
        if name.startswith(f"{CATALOGUE}_"):
            return name.removeprefix(f"{CATALOGUE}_")
    return SOURCE_LANGUAGE


QT_OWN_WORDS = (
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Close"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
)
"""Qt's standard buttons the app uses, translated in the app's own files: Qt ships no Romanian or Hindi
(``qtbase_<lang>.qm``), and it asks every translator installed, the app's too."""
