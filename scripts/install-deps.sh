#!/usr/bin/env bash
# Installs what bizsync needs on a fresh Debian 12 machine: the ODBC driver
# manager and drivers (apt), then the project itself (pip, editable) in a virtual
# environment, .venv in the checkout (python3-venv from apt when Debian's python3 lacks it).
#   bash scripts/install-deps.sh          # to run bizsync
#   bash scripts/install-deps.sh --test   # + PostgreSQL, squid, tmux, Chromium and the test extra
#   add --no-pip to install the Debian packages only
set -euo pipefail
cd "$(dirname "$0")/.."
test_extra=0
pip_step=1
for arg in "$@"; do
  case "$arg" in
    --test) test_extra=1 ;;
    --no-pip) pip_step=0 ;;
    *) echo "usage: $0 [--test] [--no-pip]" >&2; exit 2 ;;
  esac
done

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

pkgs=(unixodbc libsqliteodbc odbc-postgresql tdsodbc)
[ "$test_extra" = 1 ] && pkgs+=(postgresql squid openssl tmux chromium chromium-driver)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "$pip_step" = 1 ] || exit 0
# The project goes into a virtual environment in the checkout, .venv, on every machine:
# Debian's own python3 refuses `pip install` outside one ("externally-managed-environment",
# PEP 668), and so the README's commands (.venv/bin/bizsync, .venv/bin/python) are the same
# everywhere. PYTHON=/path/to/python3.11+ chooses the interpreter it is made with.
PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "install-deps: $PY was not found; install Python 3.11 or newer (Debian: apt-get install python3 python3-venv)." >&2
  exit 1
fi
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "install-deps: bizsync needs Python 3.11 or newer, and $PY is $("$PY" -V 2>&1); set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
VENV=.venv
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
  # missing, or made by an interpreter that is gone: make it anew
  if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    # Debian ships venv's pip bootstrap apart, in python3-venv (python3.X-venv)
    ver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      python3-venv "python$ver-venv" >/dev/null
  fi
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi
if [ "$test_extra" = 1 ]; then
  "$VENV/bin/python" -m pip install -q -e '.[dev]'
else
  "$VENV/bin/python" -m pip install -q -e .
fi
echo "install-deps: bizsync is installed in $(pwd)/$VENV: run it as .venv/bin/bizsync."
