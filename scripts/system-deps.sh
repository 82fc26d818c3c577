#!/usr/bin/env bash
# System packages the test suite needs: Debian's chromium for the real-browser
# tests and postgresql (server binaries only: the tests start a throwaway
# cluster of their own) for the PostgreSQL store tests. Installed when missing
# and we are root (as in CI); otherwise those tests say what to install and
# skip (or fail when CI=true).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ "${#missing[@]}" = 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} (Debian packages) for the browser and PostgreSQL tests..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "${missing[*]} not installed: run 'sudo apt-get install ${missing[*]}' to enable the" \
       "browser and PostgreSQL tests." >&2
fi
