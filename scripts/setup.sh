#!/usr/bin/env bash
# One-time (idempotent) setup for a Debian machine with Python 3.11:
#  - the system libraries Qt 6 needs (only the missing ones; needs root or sudo),
#  - the pinned Python packages of requirements.txt (user-wide, no venv needed).
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's xcb platform plugin, fonts and EGL; libpulse0 for Qt Multimedia; xvfb+xauth for a virtual screen.
APT_PACKAGES="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1
fonts-dejavu-core libdbus-1-3 libpulse0 xvfb xauth"

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in $APT_PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PIP_FLAGS="--disable-pip-version-check -q"
if [ "$(id -u)" != 0 ] && [ -z "${VIRTUAL_ENV:-}" ]; then PIP_FLAGS="$PIP_FLAGS --user"; fi
python3 -m pip install $PIP_FLAGS -r requirements.txt 2>&1 | grep -v "Running pip as the 'root' user" || true
python3 -c "import PySide6, cv2, cryptography, keyring, sqlite_utils, fastapi, uvicorn, httpx" \
  || { echo "setup: the Python packages did not install; see the pip output above." >&2; exit 1; }
