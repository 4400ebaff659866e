#!/usr/bin/env bash
# Makes sure Debian's `chromium` is at /usr/bin/chromium (or CHROMIUM_PATH), installing the package
# when it is missing (CI and fresh machines). loadgen's report test opens the HTML report in it
# through playwright-core (which downloads no browser of its own).
# Used by .ci/run; harmless to run by hand (does nothing when chromium is there).
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
bash "$(dirname "$0")/apt-install-missing.sh" "chromium:$CHROMIUM"
echo "== chromium: $("$CHROMIUM" --version 2>/dev/null | head -n1)"
