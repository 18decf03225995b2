#!/usr/bin/env bash
# Code-signing hook for macOS: codesign.sh "Floor Workstation.app"
# Signs every library and executable inside (inside out), then the app, with the hardened runtime and
# entitlements.plist, and verifies. The certificate comes from the environment; without it the hook says it
# skipped and succeeds (the app then runs only where Gatekeeper is told to allow it):
#   MACOS_SIGN_IDENTITY  "Developer ID Application: NAME (TEAMID)", in the keychain; unset = no signing
#   MACOS_SIGN_KEYCHAIN  the keychain holding it, when not the default one
set -euo pipefail

app=${1:?usage: codesign.sh APP}
if [ -z "${MACOS_SIGN_IDENTITY:-}" ]; then
    echo "codesign skipped: MACOS_SIGN_IDENTITY is not set; $app stays unsigned"
    exit 0
fi
here=$(cd "$(dirname "$0")" && pwd)
args=(--force --timestamp --options runtime --sign "$MACOS_SIGN_IDENTITY")
if [ -n "${MACOS_SIGN_KEYCHAIN:-}" ]; then args+=(--keychain "$MACOS_SIGN_KEYCHAIN"); fi

# 1. every Mach-O file outside the frameworks (Python extensions, dylibs, Qt plugins)
while IFS= read -r -d '' file; do
    if file -b "$file" | grep -q 'Mach-O'; then codesign "${args[@]}" "$file"; fi
done < <(find "$app/Contents" -type f ! -path '*.framework/*' ! -path "$app/Contents/MacOS/*" -print0)
# 2. the Qt frameworks, each as a bundle (deepest first)
while IFS= read -r -d '' framework; do
    codesign "${args[@]}" "$framework"
done < <(find "$app/Contents" -type d -name '*.framework' -print0 | sort -rz)
# 3. the executable and the app, with the entitlements
codesign "${args[@]}" --entitlements "$here/entitlements.plist" "$app/Contents/MacOS/"*
codesign "${args[@]}" --entitlements "$here/entitlements.plist" "$app"
codesign --verify --deep --strict --verbose=2 "$app"
echo "signed: $app"
