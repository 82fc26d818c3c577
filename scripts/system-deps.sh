#!/usr/bin/env bash
# System packages the test suite needs: Debian's chromium for the real-browser
# tests, postgresql (server binaries only: the tests start a throwaway
# cluster of their own) and its PostGIS package for the PostgreSQL store tests.
# Installed when missing and we are root (as in CI); otherwise those tests say
# what to install and skip (or fail when CI=true).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# PostGIS for the installed server's major version (15 on Debian 12): the tests create the
# extension in their databases so the store answers bbox queries with it.
major=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
major=${major:-15}
[ -e "/usr/share/postgresql/$major/extension/postgis.control" ] \
  || missing+=("postgresql-$major-postgis-3")
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
