#!/usr/bin/env bash
# Installs what bizsync needs on a fresh Debian 12 machine: the ODBC driver
# manager and drivers (apt), then the project itself (pip, editable).
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
PY=${PYTHON:-python3}
if [ "$test_extra" = 1 ]; then
  $PY -m pip install -q -e '.[dev]'
else
  $PY -m pip install -q -e .
fi
