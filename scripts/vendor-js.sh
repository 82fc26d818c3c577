#!/usr/bin/env bash
# Install the map editor's JavaScript (Leaflet.draw, MIT) from the npm registry into
# static/vendor/, where the app serves it itself (no CDN, nothing fetched at run time).
# The tarball is checked against its pinned sha512 before anything is unpacked.
# Without npm the editor still works: shapes are pasted as GeoJSON.
set -euo pipefail
cd "$(dirname "$0")/.."
name=leaflet-draw
version=1.0.4
integrity='sha512-rsQ6saQO5ST5Aj6XRFylr5zvarWgzWnrg46zQ1MEOEIHsppdC/8hnN8qMoFvACsPvTioAuysya/TVtog15tyAQ=='
target=static/vendor/$name
if [ -f "$target/VERSION" ] && [ "$(cat "$target/VERSION")" = "$version" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "npm not found: the map editor will offer GeoJSON paste only (install npm, then rerun $0)." >&2
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$name@$version" >/dev/null)
tarball="$work/$name-$version.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
  echo "$name $version: checksum mismatch ($actual); refusing to install it." >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
rm -rf "$target"
mkdir -p "$target"
cp -r "$work/package/dist/leaflet.draw.js" "$work/package/dist/leaflet.draw.css" \
  "$work/package/dist/images" "$work/package/package.json" "$target/"  # package.json: MIT
echo "$version" > "$target/VERSION"
