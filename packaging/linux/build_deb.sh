#!/usr/bin/env bash
# Build the seats' .deb from the frozen one-folder app (python build_scripts/build.py --installer calls this):
#   bash packaging/linux/build_deb.sh APP_FOLDER DEB_VERSION OUT_FOLDER
# Lays: /opt/floor-workstation (the app), /usr/bin/floor-workstation (a link), /usr/sbin/floor-workstation-policy
# (lays /etc/floor-workstation/policy.toml), the desktop entry, floor-hub.service (installed, not enabled) and the
# maintainer scripts. DEB_ARCH and DEB_MAINTAINER may be set in the environment.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: build_deb.sh APP_FOLDER DEB_VERSION OUT_FOLDER" >&2
    exit 2
fi
app=$1 version=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
arch=${DEB_ARCH:-$(dpkg --print-architecture)}
maintainer=${DEB_MAINTAINER:-"Floor workstation IT <floor-it@localhost>"}

if [ ! -x "$app/floor-workstation" ]; then
    echo "build_deb.sh: $app/floor-workstation is not there: build the app first (build_scripts/build.py)" >&2
    exit 1
fi
if ! [[ $version =~ ^[0-9][A-Za-z0-9.+~]*$ ]]; then
    echo "build_deb.sh: '$version' is not a Debian version" >&2
    exit 1
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
install -d -m 0755 "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/sbin" "$root/usr/share/applications" \
    "$root/lib/systemd/system"
cp -a "$app" "$root/opt/floor-workstation"
chmod -R u+rwX,go+rX,go-w "$root/opt/floor-workstation"
ln -s /opt/floor-workstation/floor-workstation "$root/usr/bin/floor-workstation"
install -m 0755 "$here/lay-policy.sh" "$root/usr/sbin/floor-workstation-policy"
install -m 0644 "$here/floor-workstation.desktop" "$root/usr/share/applications/floor-workstation.desktop"
install -m 0644 "$here/floor-hub.service" "$root/lib/systemd/system/floor-hub.service"
for script in postinst prerm postrm; do
    install -m 0755 "$here/$script" "$root/DEBIAN/$script"
done
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@INSTALLED_SIZE@|$size|" -e "s|@MAINTAINER@|$maintainer|" \
    "$here/control" > "$root/DEBIAN/control"

mkdir -p "$out"
deb="$out/floor-workstation_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "$deb"
