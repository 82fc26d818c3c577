#!/usr/bin/env bash
# System packages the test suite needs: Debian's chromium for the real-browser
# tests. Installed when missing and we are root (as in CI); otherwise the
# browser tests say what to install and skip (or fail when CI=true).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium (Debian package) for the browser tests..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is not installed: run 'sudo apt-get install chromium' to enable the browser tests." >&2
fi
