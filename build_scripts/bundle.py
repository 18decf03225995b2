"""What goes into the frozen one-folder app, as data: read by ``workstation.spec`` and by the tests.

Everything here is a decision with its reason beside it; ``build.py`` runs PyInstaller on the spec, measures
the folder and fails past the limits. Nothing in this module imports PyInstaller.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

EXE_NAME = "floor-workstation"
"""The executable and the folder's name (``floor-workstation.exe`` on Windows, as docs/IT.md names it)."""

WINDOWED_EXE_NAME = "FloorWorkstation"
"""Windows only: the same app without a console window, for the Start-menu entry (the console one is IT's)."""

APP_BUNDLE = "Floor Workstation.app"
"""macOS: the ``.app`` that ``/Applications`` holds (docs/IT.md)."""

BUNDLE_ID = "com.floor.workstation"
"""macOS bundle identifier (also the Keychain service prefix a signed app is known by)."""

ENTRY = ROOT / "workstation" / "__main__.py"
"""The frozen app's entry is ``python -m workstation`` itself: one ``main()``, ``freeze_support()`` included."""

DATAS: list[tuple[str, str]] = [
    ("resources", "resources"),  # style sheet, default taxonomy, self-test sample, sample policy (resources.py)
    # the hub's Alembic scripts (env.py, versions/*.py): Alembic runs them from files, by path, never by import,
    # so the analysis cannot see them; workstation.hub.db.migrate looks beside itself, _MEIPASS/workstation/hub/db
    ("workstation/hub/db/alembic", "workstation/hub/db/alembic"),
]
"""(source under the repository, folder in the bundle): ``workstation.resources`` looks in ``_MEIPASS/resources``."""

HIDDEN_IMPORTS: list[str] = [
    # keyring picks its backend through entry points at run time; the contrib hook collects the backends,
    # these are the ones a seat uses (Secret Service on Linux, Credential Manager, Keychain) and the chainer.
    "keyring.backends.SecretService",
    "keyring.backends.Windows",
    "keyring.backends.macOS",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    # uvicorn chooses its loop, HTTP protocol and lifespan by name ("auto"); the hub serves with these.
    "uvicorn.loops.auto",
    "uvicorn.loops.asyncio",
    "uvicorn.protocols.http.auto",
    "uvicorn.protocols.http.h11_impl",
    "uvicorn.lifespan.on",
    "uvicorn.logging",
]
"""Modules imported by name at run time, which PyInstaller's import analysis cannot see."""

QT_MODULES_USED: dict[str, str] = {
    "QtCore": "everything Qt",
    "QtGui": "painting frames, the watermark, key events",
    "QtWidgets": "the windows",
    "QtMultimedia": "clip sound through QAudioSink, the audio outputs self-test lists",
    "QtNetwork": "not imported by the app, but PySide6.QtMultimedia imports it (and libQt6Multimedia links it)",
    "QtCharts": "the supervisor dashboard's charts",
    "QtTest": "the benchmark's window child presses keys with QTest (under 1 MB; `bench` works frozen)",
}
"""The PySide6 modules the bundle keeps; every other PySide6 module is excluded (see :func:`excluded_modules`)."""

IMPORTED_ONLY_WHERE_PRESENT: dict[str, str] = {
    "psycopg": "workstation/hub/db/core.py imports it in a try: without it the packaged hub refuses a PostgreSQL "
               "URL in one sentence and runs on SQLite; cluster.py (tests, benchmark) is not run frozen",
}
"""Excluded packages the app imports, each only where it is installed (``EXCLUDED_PYTHON`` names them too)."""

STRIP_DEBUG: tuple[str, ...] = ("_internal/sqlalchemy/**/*_cy.*.so",)
"""Libraries shipped with their compilers' debug sections, removed after the build (``build.strip_debug_info``):
SQLAlchemy's Cython modules are 9 MB with them, 1 MB without."""

EXCLUDED_PYTHON: dict[str, str] = {
    "tkinter": "no Tk UI",
    "_tkinter": "no Tk UI",
    "pytest": "tests only",
    "_pytest": "tests only",
    "pytestqt": "tests only",
    "hypothesis": "tests only",
    "trustme": "tests only",
    "sklearn": "tests only (reference kappa)",
    "statsmodels": "tests only (reference kappa)",
    "krippendorff": "tests only (reference alpha)",
    "scipy": "pulled only by the test-only references",
    "pandas": "optional in sqlite-utils; the app never hands it a DataFrame",
    "matplotlib": "never used",
    "IPython": "never used",
    "mypy": "development only",
    "ruff": "development only",
    "importlinter": "development only",
    "PyInstaller": "the builder itself",
    "tests": "the repository's tests",
    "PySide6.scripts": "PySide6's developer tools (designer, uic wrappers)",
    "psycopg": "the hub's PostgreSQL driver: the packaged hub keeps its data in SQLite (PostgreSQL hubs run from the "
               "Python package; the README says how), and its libpq and OpenSSL copies are 10 MB",
    "psycopg_binary": "psycopg's compiled part (see psycopg)",
    "sqlalchemy.dialects.mysql": "the hub speaks SQLite and PostgreSQL only",
    "sqlalchemy.dialects.mssql": "the hub speaks SQLite and PostgreSQL only",
    "sqlalchemy.dialects.oracle": "the hub speaks SQLite and PostgreSQL only",
    "sqlalchemy.testing": "SQLAlchemy's own test tools",
}
"""Python packages that are installed beside the app but never imported by it."""

DROPPED_FILES: dict[str, str] = {
    # Qt's FFmpeg: the third FFmpeg copy. Video is decoded by PyAV (its own FFmpeg) and, as a fallback, OpenCV
    # (its own FFmpeg); sound plays through QAudioSink, which lives in libQt6Multimedia with its PulseAudio /
    # PipeWire (Linux), WASAPI (Windows) and Core Audio (macOS) code and needs no media backend plugin.
    "PySide6/Qt/plugins/multimedia/*": "Qt's media backends (FFmpeg, Windows Media, AVFoundation): no QMediaPlayer",
    "PySide6/plugins/multimedia/*": "Qt's media backends (Windows layout)",
    "PySide6/Qt/lib/libavcodec*": "Qt's FFmpeg (only its media backend plugin loads it)",
    "PySide6/Qt/lib/libavformat*": "Qt's FFmpeg",
    "PySide6/Qt/lib/libavutil*": "Qt's FFmpeg",
    "PySide6/Qt/lib/libswresample*": "Qt's FFmpeg",
    "PySide6/Qt/lib/libswscale*": "Qt's FFmpeg",
    "PySide6/av*.dll": "Qt's FFmpeg (Windows)",
    "PySide6/sw*.dll": "Qt's FFmpeg (Windows)",
    "PySide6/Qt/lib/libav*.dylib": "Qt's FFmpeg (macOS)",
    "PySide6/Qt/lib/libsw*.dylib": "Qt's FFmpeg (macOS)",
    "PySide6/Qt/translations/*": "Qt's translations, but qtbase_<lang>.qm of the languages the app ships"
                                 " (KEPT_FILES)",
    "PySide6/translations/*": "Qt's translations (Windows layout), as above",
    "PySide6/Qt/plugins/imageformats/*": "GIF, JPEG, TIFF, WebP, SVG, PDF… readers: the app reads and writes only PNG"
                                         " (built into QtGui)",
    "PySide6/plugins/imageformats/*": "as above (Windows layout)",
    "PySide6/Qt/plugins/iconengines/*": "SVG icons: the app has none",
    "PySide6/plugins/iconengines/*": "SVG icons (Windows layout)",
    "PySide6/Qt/plugins/tls/*": "QtNetwork's TLS backends: the hub client's TLS is Python's ssl, never QtNetwork",
    "PySide6/plugins/tls/*": "QtNetwork's TLS backends (Windows layout)",
    "PySide6/Qt/plugins/networkinformation/*": "QtNetwork's reachability plugins: unused",
    "PySide6/plugins/networkinformation/*": "QtNetwork's reachability plugins (Windows layout)",
    "PySide6/Qt/plugins/platformthemes/libqgtk3*": "the GTK 3 theme, which would bring GTK: Qt's own dialogs serve",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboard*": "the virtual keyboard (needs Qt Quick)",
    "PySide6/Qt/plugins/egldeviceintegrations/*": "EGLFS (a screen without a window system): not a floor PC",
    "PySide6/Qt/plugins/platforms/libqeglfs*": "EGLFS",
    "PySide6/Qt/plugins/platforms/libqlinuxfb*": "Linux framebuffer",
    "PySide6/Qt/plugins/platforms/libqvnc*": "VNC server platform",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay*": "Vulkan display platform",
    "PySide6/Qt/plugins/platforms/libqminimalegl*": "minimal EGL platform",
    "PySide6/Qt/plugins/generic/*": "evdev/tslib input without a window system",
}
"""Files PyInstaller's Qt hooks collect that the app never loads (patterns on the path inside the bundle)."""


def app_languages() -> list[str]:
    """The languages the app ships a translation for: ``resources/i18n/floor_<lang>.ts`` or ``.qm``."""
    folder = ROOT / "resources" / "i18n"
    found = {m.group(1) for p in folder.glob("floor_*.*") if (m := re.fullmatch(r"floor_(\w+)\.(ts|qm)", p.name))}
    return sorted(found)


def kept_files() -> list[str]:
    """Exceptions to :data:`DROPPED_FILES`: Qt's own words (standard buttons, key names) in the app's languages,
    which ``workstation/ui/i18n.py`` loads from Qt's translations folder where Qt has them."""
    return [f"{folder}/qtbase_{lang}.qm" for lang in app_languages()
            for folder in ("PySide6/Qt/translations", "PySide6/translations")]


LIMITS_MB = {"folder": 490, "archive": 200}
"""DESIGN.md "Numbers to reach": the one-folder app and its ``.tar.gz``."""


def installed_pyside6_modules() -> list[str]:
    """The PySide6 extension modules present in this Python (``QtCore``, ``QtWebEngineCore``, …)."""
    try:
        import PySide6
    except ImportError:
        return []
    folder = Path(PySide6.__file__).parent
    names = {re.split(r"[.]", p.name)[0] for p in folder.iterdir() if p.suffix in (".so", ".pyd")}
    return sorted(n for n in names if n.startswith("Qt"))


def excluded_modules() -> list[str]:
    """Every module the analysis must not follow: the unused PySide6 modules, then the Python packages."""
    qt = [f"PySide6.{name}" for name in installed_pyside6_modules() if name not in QT_MODULES_USED]
    return qt + list(EXCLUDED_PYTHON)


def dropped(dest: str) -> bool:
    """True for a path inside the bundle that matches :data:`DROPPED_FILES` (either slash)."""
    path = dest.replace("\\", "/")
    if path in kept_files():
        return False
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in DROPPED_FILES)


def version() -> str:
    """``workstation.__version__``: the one version, read from the source without importing the package."""
    import ast

    tree = ast.parse((ROOT / "workstation" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__version__" for t in node.targets):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise RuntimeError("workstation/__init__.py has no __version__ = \"…\"")


def deb_version(text: str | None = None) -> str:
    """The version as Debian orders it: a pre-release sorts before its release (``1.2.0rc1`` → ``1.2.0~rc1``)."""
    return re.sub(r"\.?(a|b|rc|dev)(\d*)", r"~\1\2", text or version())


def numeric_version(text: str | None = None) -> str:
    """The release numbers only (``1.2.0rc1`` → ``1.2.0``): Windows file versions and CFBundleVersion take no letters."""
    match = re.match(r"\d+(\.\d+){0,3}", text or version())
    if match is None:
        raise ValueError(f"version {text or version()!r} does not start with a number")
    return match.group(0)


def info_plist_extra() -> dict[str, object]:
    """The keys of ``packaging/macos/Info.plist`` with the version filled in (PyInstaller adds the rest)."""
    import plistlib

    text = (ROOT / "packaging" / "macos" / "Info.plist").read_text(encoding="utf-8")
    data: dict[str, object] = plistlib.loads(fill(text).encode("utf-8"))
    return data


def fill(template: str) -> str:
    """A packaging template with ``@VERSION@``, ``@NUMERIC_VERSION@``, ``@BUNDLE_ID@``, ``@EXE_NAME@`` filled in."""
    return (template.replace("@VERSION@", version()).replace("@NUMERIC_VERSION@", numeric_version())
            .replace("@BUNDLE_ID@", BUNDLE_ID).replace("@EXE_NAME@", EXE_NAME))


def qt_hook(hook_file: str) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """What PyInstaller's own hook for a PySide6 module collects, less :data:`DROPPED_FILES`.

    Used by ``build_scripts/hooks/hook-PySide6.*.py`` (which take precedence over the built-in hooks), so a
    dropped plugin's libraries are never analysed and never collected. The hidden imports of other Qt modules
    the built-in hook would add (``QtMultimediaWidgets``, …) are left to :func:`excluded_modules`.
    """
    from PyInstaller.utils.hooks.qt import add_qt6_dependencies, pyside6_library_info

    hiddenimports, binaries, datas = add_qt6_dependencies(hook_file)
    if hook_file.endswith("hook-PySide6.QtNetwork.py"):
        binaries += pyside6_library_info.collect_qtnetwork_files()

    def kept(entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(src, dest) for src, dest in entries if not dropped(f"{dest}/{Path(src).name}")]

    return list(hiddenimports), kept(binaries), kept(datas)


def dropped_entry(entry: tuple[str, str, str]) -> bool:
    """A TOC entry ``(dest, src, typecode)`` to leave out: a dropped file, or a link pointing at one."""
    dest, src, typecode = entry
    if typecode == "SYMLINK":
        target = Path(dest).parent / src  # a link's src is its target, relative to the link's folder
        return dropped(target.as_posix()) or dropped(dest)
    return dropped(dest)


def machine() -> str:
    """``x86_64`` or ``arm64`` (one spelling per architecture, for file names)."""
    import platform

    arch = platform.machine().lower()
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(arch, arch)


def platform_tag() -> str:
    """``linux``, ``windows`` or ``macos`` for the OS this runs on."""
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"
