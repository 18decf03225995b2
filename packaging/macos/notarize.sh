#!/usr/bin/env bash
# Notarization hook for macOS: notarize.sh FILE.dmg
# Sends the signed disk image to Apple's notary service, waits for the verdict and staples the ticket, so the
# app opens without a Gatekeeper warning even offline. Without credentials it says it skipped and succeeds:
#   MACOS_NOTARY_PROFILE  a keychain profile made once with `xcrun notarytool store-credentials PROFILE`
#                         (Apple ID, team ID and an app-specific password); unset = no notarization
set -euo pipefail

file=${1:?usage: notarize.sh FILE.dmg}
if [ -z "${MACOS_NOTARY_PROFILE:-}" ]; then
    echo "notarization skipped: MACOS_NOTARY_PROFILE is not set; $file is not notarized"
    exit 0
fi
if [ -z "${MACOS_SIGN_IDENTITY:-}" ]; then
    echo "notarize.sh: only a signed app can be notarized: set MACOS_SIGN_IDENTITY too" >&2
    exit 1
fi
xcrun notarytool submit "$file" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
xcrun stapler staple "$file"
xcrun stapler validate "$file"
echo "notarized: $file"
