#!/usr/bin/env bash
# Makes sure `prometheus` and `promtool` are on PATH, installing Debian's `prometheus` package
# when they are missing (CI and fresh machines). The lab's tests need both: promtool checks the
# shipped config and rules, and the end-to-end test runs a real Prometheus.
# Used by .ci/run; harmless to run by hand (does nothing when both are there).
set -euo pipefail

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  echo "== prometheus is installed ($(promtool --version 2>&1 | head -n1))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: prometheus/promtool are missing and apt-get is not available; install Prometheus 2.42+ and put both on PATH" >&2
  exit 1
fi

echo "== installing prometheus from Debian's packages"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends prometheus
# The package's init script may start a system Prometheus on :9090; the lab never uses that one.
echo "== $(promtool --version 2>&1 | head -n1)"
