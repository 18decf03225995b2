"""PyInstaller hook for PySide6.QtWidgets: the built-in one, less the plugins and files bundle.DROPPED_FILES names.

Filtering here (not after the analysis) keeps the libraries only those plugins need out of the bundle too.
"""

import bundle

hiddenimports, binaries, datas = bundle.qt_hook(__file__)
