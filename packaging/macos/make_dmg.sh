#!/usr/bin/env bash
# The macOS disk image: make_dmg.sh "dist/Floor Workstation.app" VERSION OUT_FOLDER
# (python build_scripts/build.py --installer calls it). Signs the app (codesign.sh), makes
# FloorWorkstation-VERSION.dmg holding the app and a link to /Applications, signs the image and has it
# notarized (notarize.sh). Each hook skips, saying so, when its credentials are not in the environment.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: make_dmg.sh APP VERSION OUT_FOLDER" >&2
    exit 2
fi
app=$1 version=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)

bundled=$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$app/Contents/Info.plist")
if [ "$bundled" != "$version" ]; then
    echo "make_dmg.sh: the app says version $bundled, not $version: rebuild it (build_scripts/build.py)" >&2
    exit 1
fi

bash "$here/codesign.sh" "$app"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
mkdir -p "$out"
dmg="$out/FloorWorkstation-$version.dmg"
hdiutil create -volname "Floor Workstation $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
fi
bash "$here/notarize.sh" "$dmg"
echo "$dmg"
