#!/usr/bin/env bash
# Idempotent setup for a Debian machine with Python 3.11, no venv:
#  - the system libraries Qt 6 needs (only the missing ones; as root, or through sudo),
#  - pip itself where the system Python lacks it,
#  - the pinned Python packages of requirements.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt core (glib), the xcb platform plugin, EGL/GL, fonts, D-Bus; libpulse0 for Qt Multimedia (clip sound);
# xvfb + xauth for a virtual screen on a machine without one; xdotool to hold real keys on it in the tests;
# postgresql for the hub on PostgreSQL: the tests and the benchmark start throwaway clusters of their own
# (workstation/hub/db/cluster.py), so its own service need not run.
APT_PACKAGES="libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxkbcommon0 libxkbcommon-x11-0
libegl1 libgl1 libfontconfig1 fonts-dejavu-core fonts-noto-ui-core libdbus-1-3 libpulse0 xvfb xauth xdotool binutils
postgresql"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
apt_install() {
  echo "setup: installing system packages: $*"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in $APT_PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ! python3 -m pip --version >/dev/null 2>&1; then missing+=(python3-pip); fi
fi
if ((${#missing[@]})); then apt_install "${missing[@]}"; fi

PIP_FLAGS=(--disable-pip-version-check -q)
if [ -z "${VIRTUAL_ENV:-}" ]; then
  if [ "$(id -u)" != 0 ]; then PIP_FLAGS+=(--user); fi
  # Debian's own Python refuses pip installs outside a venv (PEP 668); this project installs without one.
  if python3 -c 'import sys, sysconfig, os; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)'; then
    PIP_FLAGS+=(--break-system-packages)
  fi
fi
if ! python3 -m pip install "${PIP_FLAGS[@]}" -r requirements.txt 2> >(grep -v "Running pip as the 'root' user" >&2); then
  echo "setup: pip could not install requirements.txt (see above)." >&2
  exit 1
fi
# Load Qt for real (not just the Python package) so a missing system library shows here, not in the demo.
QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES="qt.multimedia*=false" python3 -c "from PySide6 import QtWidgets, QtMultimedia; import cv2, cryptography, keyring, sqlite_utils, fastapi, uvicorn, httpx, av, sqlalchemy, alembic, psycopg" \
  || { echo "setup: the packages installed but do not load; see the error above." >&2; exit 1; }
