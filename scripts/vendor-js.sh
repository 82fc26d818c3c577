#!/usr/bin/env bash
# Install the JavaScript packages the app serves itself from static/vendor/ (no CDN, nothing
# fetched at run time), from the npm registry: the map editor's Leaflet.draw (MIT) and the
# timeline's slider, noUiSlider (MIT). Each tarball is checked against its pinned sha512
# before anything is unpacked. Without npm the app still works: shapes are pasted as
# GeoJSON, and the timeline falls back to the browser's own range input.
set -euo pipefail
cd "$(dirname "$0")/.."

# install NAME VERSION INTEGRITY FILE... (FILE: a path inside the package)
install() {
  local name=$1 version=$2 integrity=$3
  shift 3
  local target=static/vendor/$name
  if [ -f "$target/VERSION" ] && [ "$(cat "$target/VERSION")" = "$version" ]; then
    return 0
  fi
  local work
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
  local tarball="$work/$name-$version.tgz"
  local actual
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "$name $version: checksum mismatch ($actual); refusing to install it." >&2
    rm -rf "$work"
    exit 1
  fi
  tar -xzf "$tarball" -C "$work"
  rm -rf "$target"
  mkdir -p "$target"
  for file in "$@"; do
    cp -r "$work/package/$file" "$target/"
  done
  echo "$version" > "$target/VERSION"
  rm -rf "$work"
}

if ! command -v npm >/dev/null; then
  echo "npm not found: the map editor will offer GeoJSON paste only and the timeline the" \
    "browser's range input (install npm, then rerun $0)." >&2
  exit 0
fi
# package.json: the licence
install leaflet-draw 1.0.4 \
  'sha512-rsQ6saQO5ST5Aj6XRFylr5zvarWgzWnrg46zQ1MEOEIHsppdC/8hnN8qMoFvACsPvTioAuysya/TVtog15tyAQ==' \
  dist/leaflet.draw.js dist/leaflet.draw.css dist/images package.json
install nouislider 15.8.1 \
  'sha512-93TweAi8kqntHJSPiSWQ1o/uZ29VWOmal9YKb6KKGGlCkugaNfAupT7o1qTHqdJvNQ7S0su5rO6qRFCjP8fxtw==' \
  dist/nouislider.min.js dist/nouislider.min.css LICENSE.md package.json
