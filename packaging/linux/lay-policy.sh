#!/bin/sh
# floor-workstation-policy --hub-url URL [--ca-file FILE]: lay the machine policy, as the Windows installer's
# /HUBURL= and /CAFILE= do. Writes /etc/floor-workstation/policy.toml (hub_url, hub_ca) and the floor CA beside
# it as floor-ca.pem, root-owned and readable by all, then checks it with `floor-workstation policy check`; a
# policy that does not pass is taken back (the previous one, if any, stays) and the exit code is 1.
# Other keys (docs/IT.md) can be added to the file afterwards; run `floor-workstation policy check` again then.
set -eu

ETC=${FLOOR_WORKSTATION_ETC:-/etc/floor-workstation}
APP=${FLOOR_WORKSTATION_APP:-/opt/floor-workstation/floor-workstation}
POLICY=policy.toml
CA=floor-ca.pem

usage() { echo "usage: floor-workstation-policy --hub-url https://HUB:8470 [--ca-file FLOOR-CA.pem]" >&2; exit 2; }
hub_url="" ca_file=""
while [ $# -gt 0 ]; do
    case "$1" in
        --hub-url) [ $# -ge 2 ] || usage; hub_url=$2; shift 2 ;;
        --hub-url=*) hub_url=${1#*=}; shift ;;
        --ca-file) [ $# -ge 2 ] || usage; ca_file=$2; shift 2 ;;
        --ca-file=*) ca_file=${1#*=}; shift ;;
        *) usage ;;
    esac
done
[ -n "$hub_url" ] || usage
case "$hub_url" in
    *[!]A-Za-z0-9:/._~%+[-]*) echo "floor-workstation-policy: the hub URL holds a character a URL does not: $hub_url" >&2; exit 2 ;;
esac
if [ -n "$ca_file" ] && [ ! -r "$ca_file" ]; then
    echo "floor-workstation-policy: cannot read the CA file $ca_file" >&2; exit 2
fi

umask 022
mkdir -p "$ETC"
for f in "$POLICY" "$CA"; do  # keep what was there, to put it back if the new policy does not pass
    if [ -e "$ETC/$f" ]; then cp -p "$ETC/$f" "$ETC/$f.previous"; else rm -f "$ETC/$f.previous"; fi
done
restore() {
    for f in "$POLICY" "$CA"; do
        if [ -e "$ETC/$f.previous" ]; then mv -f "$ETC/$f.previous" "$ETC/$f"; else rm -f "$ETC/$f"; fi
    done
}

if [ -n "$ca_file" ]; then
    cp "$ca_file" "$ETC/$CA.new" && chmod 0644 "$ETC/$CA.new" && mv -f "$ETC/$CA.new" "$ETC/$CA"
fi
{
    echo "# Floor workstation machine policy, laid by floor-workstation-policy. Every key: docs/IT.md."
    echo "hub_url = \"$hub_url\""
    if [ -n "$ca_file" ]; then
        echo "hub_ca = \"$CA\"   # next to this file"
    fi
} > "$ETC/$POLICY.new"
chmod 0644 "$ETC/$POLICY.new"
mv -f "$ETC/$POLICY.new" "$ETC/$POLICY"

if "$APP" policy check --path "$ETC/$POLICY"; then
    rm -f "$ETC/$POLICY.previous" "$ETC/$CA.previous"
    exit 0
fi
restore
echo "floor-workstation-policy: not laid: the policy above is not valid; the previous one (if any) is back." >&2
exit 1
