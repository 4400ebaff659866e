#!/usr/bin/env bash
# Installs the Debian packages whose programs are missing, in one apt-get run (CI and fresh
# machines); does nothing when every program is there. The one install-if-missing of the
# repository: .ci/run and the ensure-*.sh / check-*.sh scripts call it.
#
#   infra/ci/apt-install-missing.sh PACKAGE:PROGRAM[,PROGRAM...] ...
#   infra/ci/apt-install-missing.sh prometheus:prometheus,promtool chromium:/usr/bin/chromium
#
# A PROGRAM is a name, looked up on PATH and in the sbin folders daemons live in, or a path.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 PACKAGE:PROGRAM[,PROGRAM...] ..." >&2
  exit 2
fi

has() { # program name or path
  case $1 in
    /*) [ -x "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] ;;
  esac
}

missing=()
for spec in "$@"; do
  package=${spec%%:*}
  IFS=, read -ra programs <<<"${spec#*:}"
  for program in "${programs[@]}"; do
    if ! has "$program"; then
      missing+=("$package")
      break
    fi
  done
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: ${missing[*]} missing and apt-get is not available: install them (or their equivalent) by hand" >&2
  exit 1
fi
echo "== installing ${missing[*]} from Debian's packages"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
