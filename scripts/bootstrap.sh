#!/usr/bin/env bash
# Create the virtual environment and install Kharita (editable) into it.
# Usage: bootstrap.sh PYTHON VENV EXTRAS   (EXTRAS: "" or "[test]")
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
extras=${3:-}

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Kharita needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    # Debian ships venv separately.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      rm -rf "$venv" && "$python" -m venv "$venv"
    else
      echo "Cannot create a virtual environment: install python3-venv (sudo apt-get install python3-venv)." >&2
      exit 1
    fi
  fi
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet --editable ".${extras}"
bash "$(dirname "$0")/vendor-js.sh"
# The UI's gettext catalogs (webapp/i18n.py; the app also compiles a stale one on start).
"$venv/bin/pybabel" -q compile -d "$(dirname "$0")/../webapp/translations"
