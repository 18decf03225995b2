"""The floor's language: every user-facing string goes through Qt's translation system, Romanian and Hindi are
complete for the annotator's screens, the pseudo-locale renders every screen without clipping, and the
language comes from the machine policy or the system.

(a) an AST scan fails on a literal shown to a person without ``tr``/``translate``;
(b) the ``.ts`` files are complete for the annotator's contexts, keep every placeholder, and the shipped
    ``.qm`` files are what the ``.ts`` files compile to;
(c) with the pseudo-locale (every text about 40 % longer, accented) every annotator screen fits its window's
    default size: no label or button is smaller than its text;
(d) the language from the policy, from the system locale, and one clear message for an unknown one.
"""

from __future__ import annotations

import ast
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from workstation.policy import LANGUAGES, PSEUDO_LANGUAGE, Policy, PolicyError, parse_policy
from workstation.ui.i18n import install_language, pseudo
from workstation.ui.video_view import VideoView

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "workstation" / "ui"
I18N = ROOT / "resources" / "i18n"
NOT_SCANNED = {"bench_window.py"}
"""The benchmark's window is a developer tool, in English on purpose."""


@pytest.fixture
def speaking(qapp: QApplication) -> Iterator[Any]:
    """``speaking("ro")`` makes the app speak that language for one test, with the app's look (its fonts decide
    what fits); English again afterwards."""
    from workstation.ui.theme import apply_theme

    apply_theme(qapp)

    def use(language: str) -> str:
        return install_language(qapp, language)

    yield use
    install_language(qapp, "en")


# -- (a) no literal reaches a person without translation ---------------------------------------------------
SHOWING_METHODS = {
    "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setWhatsThis", "setPlaceholderText", "showMessage",
    "addButton", "addTab", "setTabText", "setTabToolTip", "addItem", "addItems", "insertItem", "setItemText",
    "setTitle", "setLabelText", "setInformativeText", "setDetailedText", "addRow", "setSpecialValueText",
    "setPrefix", "setSuffix", "drawText", "getSaveFileName", "getOpenFileName", "set_points",
    # the app's own ways to show a text
    "show_toast", "show_banner", "show_message", "show_error", "show_problem", "set_status", "say", "set_message",
    "wrong", "cover", "refuse_capture", "set_text", "set_view_info",
}
SHOWING_CLASSES = {
    "QLabel", "QPushButton", "QToolButton", "QCheckBox", "QRadioButton", "QGroupBox", "QMessageBox", "QAction",
    "QListWidgetItem", "QTreeWidgetItem", "QLineEdit", "QPlainTextEdit", "QTextEdit", "QDialog", "QShortcut",
    "ReasonDialog", "_title", "_para", "_pill",
}
MESSAGE_BOX_CALLS = {"information", "warning", "critical", "question", "about"}
"""``QMessageBox.warning(…)`` shows its texts (a logger's ``warning`` does not)."""
FIRST_ARGUMENT_ONLY = {"_para"}
"""Helpers whose later arguments are not shown (``_para(text, object_name)``)."""
TRANSLATING = {"tr", "translate", "QT_TRANSLATE_NOOP", "said", "domain_text", "error_text", "taxonomy_word",
               "key_word", "wait_words"}
"""Calls whose result is in the screen's language."""
NOT_WORDS = re.compile(r"[^A-Za-z]*")
"""A literal with no letter at all ("·", " / ", "%", "12", "▶ ") is not a word to translate."""
SHOWN_AS_WRITTEN = {"CLAHE", "MB"}
"""Technical names that are the same in every language."""


def _literals(node: ast.AST) -> Iterator[ast.Constant]:
    """String literals that ``node`` shows as they are: not inside a translating call, not a format spec, not a
    value compared or looked up, not an argument of another call (a key, a pattern: data, not words)."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in TRANSLATING:
            return
        if name == "format" and isinstance(func, ast.Attribute):  # "…".format(x): the template, then its values
            yield from _literals(func.value)
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                yield from _literals(arg)
            return
        if name == "join" and isinstance(func, ast.Attribute):
            yield from _literals(func.value)
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
        return
    if isinstance(node, ast.FormattedValue):  # f"{x:.1f}": the value, never its spec
        yield from _literals(node.value)
        return
    if isinstance(node, ast.Subscript | ast.Lambda | ast.Compare):  # a lookup, a slot's body, a test: not shown
        return
    for child in ast.iter_child_nodes(node):
        yield from _literals(child)


def _untranslated(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        message_box = name in MESSAGE_BOX_CALLS and isinstance(func, ast.Attribute) \
            and isinstance(func.value, ast.Name) and func.value.id == "QMessageBox"
        if name not in SHOWING_METHODS and name not in SHOWING_CLASSES and not message_box:
            continue
        args = [*node.args, *(k.value for k in node.keywords if k.arg in (None, "text", "title", "toolTip"))]
        if name in FIRST_ARGUMENT_ONLY:
            args = args[:1]
        for arg in args:
            for literal in _literals(arg):
                text = literal.value
                if NOT_WORDS.fullmatch(text) or text in SHOWN_AS_WRITTEN:
                    continue
                found.append(f"{path.relative_to(ROOT)}:{literal.lineno}: {name}(… {text!r} …)")
    return found


def ui_files() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if p.name not in NOT_SCANNED)


def test_no_user_facing_literal_bypasses_translation() -> None:
    found = [line for path in ui_files() for line in _untranslated(path)]
    assert found == [], "wrap these in self.tr(…) or QCoreApplication.translate(context, …):\n" + "\n".join(found)


def test_the_scan_catches_what_it_must() -> None:
    """The scan itself: a bare literal, an f-string and a concatenation are caught; tr and non-words pass."""
    source = '''
label = QLabel("Sign in")
button.setText(f"Clip {n} of {total}")
bar.showMessage("Saved " + name)
self.setWindowTitle(self.tr("Keys"))
label.setText(f"{done} / {total}")
toast.show_toast(QCoreApplication.translate("Decisions", "Clip {n}").format(n=n))
pill.setText("● " + self.tr("online"))
'''
    path = UI / "_scan_probe.py"
    try:
        path.write_text(source, encoding="utf-8")
        found = _untranslated(path)
    finally:
        path.unlink()
    assert [line.split(": ", 1)[1] for line in found] == [
        "QLabel(… 'Sign in' …)", "setText(… 'Clip ' …)", "setText(… ' of ' …)", "showMessage(… 'Saved ' …)"]


def test_counted_words_are_in_a_qobjects_tr() -> None:
    """lupdate marks a plural (``%n``) only in a QObject's ``self.tr(text, "", n)``; a ``%n`` given to
    ``QCoreApplication.translate`` would lose its plural forms in the .ts files."""
    found = []
    for path in ui_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "translate" \
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and "%n" in str(node.args[1].value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


# -- (b) the translations: complete for the annotator, placeholders kept, .qm up to date --------------------
SUPERVISOR_CONTEXTS = {"Dashboard", "DashboardController", "DashboardWindow"}
"""The supervisor's dashboard may stay English (its strings still go through tr); every other context is an
annotator's screen and is translated in full."""
PLACEHOLDER = re.compile(r"%n|%\d+|\{[^{}]*\}")


def _messages(language: str) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(I18N / f"floor_{language}.ts").getroot()
    return [(context.findtext("name") or "", message.findtext("source") or "", message)
            for context in root.iter("context") for message in context.iter("message")]


def _forms(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.iter("numerusform")]
    return [translation.text or ""]


@pytest.mark.parametrize(("language", "plural_forms"), [("ro", 3), ("hi", 2)])
def test_every_annotator_string_is_translated_with_its_placeholders(language: str, plural_forms: int) -> None:
    messages = _messages(language)
    assert len(messages) > 250
    untranslated, broken = [], []
    for context, source, message in messages:
        if context in SUPERVISOR_CONTEXTS:
            continue
        translation = message.find("translation")
        assert translation is not None
        forms = _forms(message)
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(f.strip() for f in forms):
            untranslated.append(f"{context}: {source!r}")
            continue
        if message.get("numerus") == "yes" and len(forms) != plural_forms:
            broken.append(f"{context}: {source!r} has {len(forms)} plural forms, not {plural_forms}")
        wanted = sorted(PLACEHOLDER.findall(source))
        for form in forms:
            if sorted(PLACEHOLDER.findall(form)) != wanted:
                broken.append(f"{context}: {source!r} → {form!r} does not keep {wanted}")
    assert untranslated == [], f"not translated into {language}:\n" + "\n".join(untranslated)
    assert broken == [], "\n".join(broken)


def test_english_says_one_and_many() -> None:
    """English is the source; its file holds the plural forms only, each with a singular."""
    messages = _messages("en")
    assert messages and all(m.get("numerus") == "yes" for _, _, m in messages)
    for context, source, message in messages:
        one, many = _forms(message)
        assert one != many or "%n to sync" in source or "refused" in source, (context, source)


def test_the_shipped_files_are_what_the_sources_compile_to() -> None:
    """The .ts files follow the code (lupdate finds nothing new) and each .qm is its .ts compiled."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_default_domain_word_is_marked_for_translation() -> None:
    """The domain's words reach the screen through ui/domain_text.py: every default taxonomy word, every key map
    action, and every worker-facing sentence the session layer raises are listed there."""
    from workstation.labeling.keymap import ACTIONS
    from workstation.resources import default_taxonomy
    from workstation.taxonomy import DEFAULT_FLAG_REASONS, DEFAULT_SKIP_REASONS
    from workstation.ui.domain_text import DOMAIN_SENTENCES, ENGLISH_VARIANTS, KEY_WORDS, TAXONOMY_WORDS

    data = default_taxonomy()
    words = {x["name"] for part in ("labels", "flags", "skip_reasons", "flag_reasons") for x in data.get(part, [])}
    words |= {x["group"] for part in ("labels", "flags") for x in data.get(part, [])}
    words |= {r.name for r in (*DEFAULT_SKIP_REASONS, *DEFAULT_FLAG_REASONS)}
    assert words - set(TAXONOMY_WORDS) == set()
    assert {a.title for a in ACTIONS} | {a.group for a in ACTIONS} | {"Decide"} <= set(KEY_WORDS)
    templates = {re.sub(r"\{\w+\}", "{}", s) for s in DOMAIN_SENTENCES}
    templates |= {re.sub(r"\{\w+\}", "{}", v) for variants in ENGLISH_VARIANTS.values() for v in variants}
    raised = _raised_sentences(ROOT / "workstation" / "session" / "decisions.py", {"NotAllowed"}) \
        + _raised_sentences(ROOT / "workstation" / "session" / "signin.py", {"OfflineRefused"}) \
        + _raised_sentences(ROOT / "workstation" / "labeling" / "keymap.py", {"KeyMapError"})
    missing = [s for s in raised if s not in templates]
    assert missing == [], "add these to DOMAIN_SENTENCES in workstation/ui/domain_text.py:\n" + "\n".join(missing)


def _raised_sentences(path: Path, classes: set[str]) -> list[str]:
    """The message and hint templates of every ``raise X(…)`` of ``classes`` in ``path``: "{}" for each value, and
    each form of an inline choice (``{'try' if n == 1 else 'tries'}``); developer errors (a ``!r`` value) and
    errors about a file that only reach the log are left out."""

    def template(node: ast.expr) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):  # "a" if x else "b": both
            return template(node.body) + template(node.orelse)
        if isinstance(node, ast.JoinedStr):
            choices: list[list[str]] = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    choices.append([str(value.value)])
                elif isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.IfExp) \
                        and template(value.value):
                    choices.append(template(value.value))
                else:
                    assert isinstance(value, ast.FormattedValue)
                    choices.append(["{!r}" if value.conversion == ord("r") else "{}"])
            return ["".join(parts) for parts in itertools.product(*choices)]
        return []

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name) \
                and node.exc.func.id in classes and node.exc.args:
            messages = template(node.exc.args[0])
            if any("{!r}" in m or "saved key map" in m for m in messages):
                continue
            found += messages
            for keyword in node.exc.keywords:
                if keyword.arg == "hint":
                    found += template(keyword.value)
    return found


def test_domain_sentences_are_said_in_the_screens_language(speaking: Any) -> None:
    """A sentence of the session layer comes back in Romanian, with its values (a name, a wait) in place and the
    wait said again in Romanian; an unknown one stays as the domain wrote it."""
    from workstation.session.signin import OfflineRefused
    from workstation.ui.domain_text import domain_text, error_text

    speaking("ro")
    assert error_text(OfflineRefused("This PC holds ana's shift: only ana can go on with it offline, with their own "
                                     "password.", hint="Sign in once the hub answers again.")) == (
        "Pe acest PC se află tura utilizatorului ana: doar ana o poate continua offline, cu propria parolă. "
        "Conectați-vă după ce hubul răspunde din nou.")
    assert domain_text("That is not ana's password. Try again in 20 seconds.") == \
        "Aceasta nu este parola utilizatorului ana. Încercați din nou peste 20 de secunde."
    assert domain_text("The hub is on fire.") == "The hub is on fire."
    speaking("en")
    assert domain_text("That is not ana's password. Try again in 1 second.") == \
        "That is not ana's password. Try again in 1 second."


# -- (c) every annotator screen fits its texts, in the pseudo-locale (and in Romanian and Hindi) ------------
DATA = re.compile(r"\b[0-9a-f]{8}\b|\b[A-Z0-9]{4}-[A-Z0-9]{4}\b|https?://\S+|python -m workstation hub devices approve \S+ --data HUB_DATA_DIR"
                  r"|\bana\b|\bseat-7\b|\b(?:Space|Left|Right|Shift|Ctrl|CLAHE|HUB_DATA_DIR)\b|Pseudo-locale")
"""What a screen shows as it is in every language: names, the seat, clip ids, addresses, key names, IT's command."""
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _texts(widget: QWidget) -> list[str]:
    texts = [widget.toolTip()]
    if isinstance(widget, QLabel | QAbstractButton):
        texts.append(widget.text())
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        texts.append(widget.placeholderText())
    if widget.isWindow():
        texts.append(widget.windowTitle())
    return [t for t in texts if t]


def misfits(window: QWidget, *, pseudo: bool) -> list[str]:
    """What does not fit in ``window`` at the size it has: the window's own minimum, each visible label or button
    smaller than its text, text painted over the video that runs off it; with the pseudo-locale also any visible
    text with an English word left in it (a string that bypassed translation)."""
    QApplication.processEvents()
    found = []
    need = window.minimumSizeHint()
    if need.width() > window.width() or need.height() > window.height():
        found.append(f"{type(window).__name__} needs {need.width()}×{need.height()}, has "
                     f"{window.width()}×{window.height()}")
    for widget in [window, *window.findChildren(QWidget)]:
        if widget is not window and not widget.isVisibleTo(window):
            continue
        name = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            if widget.wordWrap():
                wanted = widget.heightForWidth(widget.width())
                if wanted > widget.height() + 1:
                    found.append(f"{name} {widget.text()[:60]!r}: {wanted} px tall at {widget.width()} px, has "
                                 f"{widget.height()}")
            else:
                hint = widget.sizeHint()
                if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
                    found.append(f"{name} {widget.text()[:60]!r}: needs {hint.width()}×{hint.height()}, has "
                                 f"{widget.width()}×{widget.height()}")
        elif isinstance(widget, QAbstractButton) and widget.text():
            hint = widget.sizeHint()
            if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
                found.append(f"{name} {widget.text()[:60]!r}: needs {hint.width()}×{hint.height()}, has "
                             f"{widget.width()}×{widget.height()}")
        elif isinstance(widget, VideoView) and not widget.text_fits():
            found.append(f"the text over the video runs off it: {widget.message_text()[:60]!r}")
        if pseudo:
            for text in _texts(widget):
                left = ENGLISH_WORD.findall(DATA.sub("", text))
                if left:
                    found.append(f"{name}: {text[:70]!r} is not translated ({left[:3]})")
    return found


def test_the_fit_check_sees_a_text_cut_off(qtbot: Any) -> None:
    """The check itself: a label squeezed below its text, a wrapped one too short, a button too narrow."""
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(400, 300)
    short = QLabel("A sentence far too long for the few pixels it is given here", host)
    short.setGeometry(0, 0, 80, 30)
    wrapped = QLabel("A sentence that wraps onto several lines when it is given little width " * 3, host)
    wrapped.setWordWrap(True)
    wrapped.setGeometry(0, 40, 200, 20)
    narrow = QPushButton("Continue my shift offline", host)
    narrow.setGeometry(0, 100, 60, 30)
    host.show()
    found = misfits(host, pseudo=True)
    assert len(found) == 3 + 3, found  # each cut off, and each English in the pseudo-locale


def _assert_fits(seen: dict[str, list[str]]) -> None:
    report = [f"{screen}: {problem}" for screen, problems in seen.items() for problem in problems]
    assert report == [], "\n" + "\n".join(report)


LANGUAGES_SHOWN = ("pseudo", "ro", "hi")


@pytest.fixture(params=LANGUAGES_SHOWN)
def language(request: pytest.FixtureRequest, speaking: Any) -> str:
    spoken = speaking(request.param)
    assert spoken == request.param
    return str(request.param)


def test_the_start_window_fits_every_text(qtbot: Any, language: str) -> None:
    from workstation.session.capture import REFUSAL_HINT, REFUSAL_TITLE
    from workstation.sync.errors import HubAuthError, HubUnavailable
    from workstation.ui.about import AboutDialog
    from workstation.ui.domain_text import domain_text
    from workstation.ui.start_window import StartWindow
    from workstation.ui.words import CAPTURE_REFUSED, error_for_worker, said

    pseudo = language == PSEUDO_LANGUAGE
    window = StartWindow("https://hub.floor:8470", "seat-7")  # at its own default size
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.sign_in
    seen = {}
    page.set_device("approved", "")
    seen["sign-in"] = misfits(window, pseudo=pseudo)
    page.set_device("pending", "K7Q2-9XPM")
    page.details.toggle.click()
    seen["pending, IT details open"] = misfits(window, pseudo=pseudo)
    page.details.toggle.click()
    page.set_device("approved", "")
    page.show_error(*error_for_worker(HubUnavailable("The floor hub at https://hub.floor:8470 cannot be reached.",
                                                     detail="ConnectError")))
    page.offer_offline("ana", 37, 150)
    seen["hub away, offline offered"] = misfits(window, pseudo=pseudo)
    page.offer_offline(None)
    page.show_error(*error_for_worker(HubAuthError("The user name or password is not correct.",
                                                   hint="Sign in again.", status=401)))
    seen["wrong password"] = misfits(window, pseudo=pseudo)
    window.download.set_progress(40_000_000, 120_000_000, 48, 150)
    window.stack.setCurrentWidget(window.download)
    seen["download"] = misfits(window, pseudo=pseudo)
    window.show_problem(domain_text(REFUSAL_TITLE), said(CAPTURE_REFUSED), "", REFUSAL_HINT)
    seen["refusal"] = misfits(window, pseudo=pseudo)
    about = AboutDialog(window, None)
    qtbot.addWidget(about)
    about.show()
    seen["about"] = misfits(about, pseudo=pseudo)
    _assert_fits(seen)


def test_the_shift_window_and_its_dialogs_fit_every_text(qtbot: Any, language: str, make_shift: Any, open_rig: Any,
                                                          small_clips: list[Path]) -> None:
    from workstation.session.password import LocalPassword
    from workstation.ui.about import AboutDialog
    from workstation.ui.dialogs import CommentDialog
    from workstation.ui.keyinput import TOO_EARLY_TEXT
    from workstation.ui.keymap_dialog import KeymapDialog

    pseudo = language == PSEUDO_LANGUAGE
    rig = open_rig(make_shift(small_clips[:2]), idle_lock_s=600, password=LocalPassword("ana", "ana-password"))
    rig.wait_painted()
    window, controller = rig.window, rig.controller
    seen = {}
    seen["playing"] = misfits(window, pseudo=pseudo)
    rig.decide(Qt.Key.Key_1)
    seen["decided (toast)"] = misfits(window, pseudo=pseudo)
    rig.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    rig.wait(lambda: controller.index == 0)
    rig.wait_painted()
    seen["undone (toast)"] = misfits(window, pseudo=pseudo)
    window.show_toast(QCoreApplication.translate("KeyInput", TOO_EARLY_TEXT), calm=True)
    seen["too early (toast)"] = misfits(window, pseudo=pseudo)
    controller._break_s, controller._work_since = 50 * 60, 0.0  # fifty minutes without a break
    controller._tick()
    seen["break reminder"] = misfits(window, pseudo=pseudo)
    window.show_banner("")
    for action in ("clahe", "brighter", "more_contrast", "zoom_in"):
        controller.on_action(action)
    controller.blur_default = True
    controller._view(controller.enhancement)
    seen["night view, blurred"] = misfits(window, pseudo=pseudo)
    controller.blur_default = False
    controller.on_action("reset_view")
    window.set_help(True)
    seen["help"] = misfits(window, pseudo=pseudo)
    window.set_help(False)
    for title, dialog in (("skip", controller.skip_dialog()), ("flag", controller.flag_dialog()),
                          ("comment", CommentDialog("", window)), ("keys", KeymapDialog(window.keymap, window)),
                          ("about", AboutDialog(window, lambda: "0.1.0")),
                          ("close question", window.close_box(controller.close_question() or "")[0])):
        dialog.show()
        qtbot.waitExposed(dialog)
        seen[title] = misfits(dialog, pseudo=pseudo)
        dialog.close()
    controller.guard.lock("idle")
    seen["locked"] = misfits(window, pseudo=pseudo)
    controller.guard.try_unlock("not her password")
    seen["locked, a wrong password"] = misfits(window, pseudo=pseudo)
    controller.guard.try_unlock("ana-password")
    controller._show_unplayable("The clip file was altered after it was cached (a chunk fails its check).")
    seen["unplayable"] = [m for m in misfits(window, pseudo=pseudo) if "altered after it was cached" not in m]
    rig.press(Qt.Key.Key_S)  # skip it (reason: clip does not play), then decide the other one
    rig.wait(lambda: controller.index == 1)
    rig.wait_painted()
    rig.decide(Qt.Key.Key_2)
    rig.wait(lambda: controller.index is None and "\n" in window.video.message_text())
    seen["summary"] = misfits(window, pseudo=pseudo)
    _assert_fits(seen)


# -- (d) the language: from the policy, from the system, one clear message for an unknown one -------------
def test_the_policy_names_the_language_and_refuses_an_unknown_one() -> None:
    assert Policy(hub_url="http://127.0.0.1:1").language == ""
    for code in LANGUAGES:
        assert parse_policy({"hub_url": "http://127.0.0.1:1", "language": code}).language == code
    with pytest.raises(PolicyError) as refused:
        parse_policy({"hub_url": "http://127.0.0.1:1", "language": "fr", "idle_lock_minutes": 5})
    assert refused.value.problems == [
        "'language' must be one of en, hi, ro, pseudo, or \"\" for the system's language (got 'fr')"]
    with pytest.raises(PolicyError) as wrong_type:
        parse_policy({"hub_url": "http://127.0.0.1:1", "language": 7})
    assert wrong_type.value.problems == ["'language' must be text in quotes, not 7"]


def test_the_language_comes_from_the_policy_else_the_system(speaking: Any) -> None:
    from workstation.ui.i18n import resolve_language

    assert resolve_language("hi", ["ro-RO", "en-US"]) == "hi"  # the policy wins
    assert resolve_language("", ["ro-RO", "en-US"]) == "ro"  # the system's first language that ships
    assert resolve_language("", ["fr-FR", "hi-IN"]) == "hi"
    assert resolve_language("", ["fr-FR", "de-DE"]) == "en"  # none ships: English
    assert resolve_language("", ["en-GB", "ro-RO"]) == "en"


def test_the_app_speaks_the_policys_language_and_the_systems(qapp: QApplication, speaking: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from workstation.ui.app import application
    from workstation.ui.i18n import current_language
    from workstation.ui.start_window import StartWindow

    application(language="ro")
    assert current_language() == "ro"
    assert StartWindow("", "seat-7").sign_in.submit.text() == "Conectare"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("hi_IN")))
    application(language="")
    assert current_language() == "hi"
    assert StartWindow("", "seat-7").sign_in.submit.text() == "साइन इन करें"
    application(language="pseudo")
    assert StartWindow("", "seat-7").sign_in.submit.text() == pseudo("Sign in")
    speaking("en")
    assert StartWindow("", "seat-7").sign_in.submit.text() == "Sign in"


def test_the_pseudo_locale_is_longer_and_keeps_every_placeholder() -> None:
    for source in ("Sign in", "Clip {number} of {total}", "%n clips are left in this shift.",
                   "This clip cannot be played.\n\n{why}\n\nPress {key} to skip it.", "Volume {percent} %"):
        made = pseudo(source)
        assert PLACEHOLDER.findall(made) == PLACEHOLDER.findall(source)
        assert made.count("\n") == source.count("\n")
        assert len(PLACEHOLDER.sub("1234", made)) >= 1.35 * len(PLACEHOLDER.sub("1234", source))
        assert not ENGLISH_WORD.search(PLACEHOLDER.sub("", made))


def test_devanagari_renders_with_a_font_that_has_it(qapp: QApplication) -> None:
    """Hindi needs a font with Devanagari (scripts/setup.sh installs one): Qt must find one for it."""
    from PySide6.QtGui import QFontDatabase, QRawFont

    assert QFontDatabase.families(QFontDatabase.WritingSystem.Devanagari), \
        "no Devanagari font: run scripts/setup.sh (fonts-noto-ui-core)"
    font = QRawFont.fromFont(QApplication.font(), QFontDatabase.WritingSystem.Devanagari)
    assert all(font.supportsCharacter(ord(c)) for c in "साइनकरें"), font.familyName()
