#!/usr/bin/env bash
# The first minutes of a new user, as loadgen/README.md and the README tell them: a fresh clone,
# `npm ci`, `npm run build`, then `npx loadgen ...` and `npx lab ...`. A fresh clone matters: in a
# work tree where dist/ already existed at install time the bins link either way, which is how
# `npx loadgen` once broke unnoticed. Clones the committed HEAD of this repository.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

git clone --quiet "$repo" "$tmp/clone"
cd "$tmp/clone"
npm ci --no-audit --no-fund --loglevel=error

# Before the build the command exists and says what to do (--no-install: never a registry package).
if out=$(npx --no-install loadgen --version 2>&1); then
  echo "npx loadgen ran before the build: $out" >&2
  exit 1
fi
grep -q 'run npm run build first' <<<"$out" || { echo "npx loadgen before the build said: $out" >&2; exit 1; }

npm run build --silent >/dev/null
echo "npx loadgen --version: $(npx --no-install loadgen --version)"
npx --no-install loadgen run --help | grep -q 'Usage: loadgen run'
(cd loadgen && npx --no-install loadgen merge --help | grep -q 'Usage: loadgen merge')
npx --no-install lab --help | grep -q 'Usage: lab'
echo "first run from a fresh clone: ok"
