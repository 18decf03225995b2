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
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from workstation.ui.i18n import install_language

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "workstation" / "ui"
I18N = ROOT / "resources" / "i18n"
NOT_SCANNED = {"bench_window.py"}
"""The benchmark's window is a developer tool, in English on purpose."""


@pytest.fixture
def speaking(qapp: QApplication) -> Iterator[Any]:
    """``speaking("ro")`` makes the app speak that language for one test; English again afterwards."""

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
