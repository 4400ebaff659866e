#!/usr/bin/env bash
# Makes sure Debian's `chromium` is at /usr/bin/chromium, installing the package when it is
# missing (CI and fresh machines). loadgen's report test opens the HTML report in it through
# playwright-core (which downloads no browser of its own).
# Used by .ci/run; harmless to run by hand (does nothing when chromium is there).
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  echo "== chromium is installed ($("$CHROMIUM" --version 2>/dev/null | head -n1))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: $CHROMIUM is missing and apt-get is not available; install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi

echo "== installing chromium from Debian's packages"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium
echo "== $("$CHROMIUM" --version 2>/dev/null | head -n1)"
