#!/usr/bin/env bash
# Makes sure `prometheus` and `promtool` are on PATH, installing Debian's `prometheus` package
# when they are missing (CI and fresh machines). The lab's tests need both: promtool checks the
# shipped config and rules, and the end-to-end test runs a real Prometheus. Elsewhere than Debian,
# install Prometheus 2.42+ and put both on PATH.
# Used by .ci/run; harmless to run by hand (does nothing when both are there).
# The package's init script may start a system Prometheus on :9090; the lab never uses that one.
set -euo pipefail

bash "$(dirname "$0")/../ci/apt-install-missing.sh" prometheus:prometheus,promtool
echo "== prometheus: $(promtool --version 2>&1 | head -n1)"
