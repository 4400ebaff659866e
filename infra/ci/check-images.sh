#!/usr/bin/env bash
# Builds the two images (services/game-api/Dockerfile, loadgen/Dockerfile) and runs them as the
# lab would: game-api's container against this machine's MySQL and Redis until its healthcheck
# says healthy, then the loadgen image's `baseline` and `match` presets against it, each expected
# to exit 0 and write its summary. Used by .ci/run; a user can run it too (as root, for dockerd).
#
# No image registry is reachable here, so the base image the Dockerfiles name is made locally
# when missing (debootstrap, this machine's Node 20 and npm, its CA bundle) and kept in dockerd's
# storage for the next run; `docker rmi node:20-bookworm-slim` makes it again.
# Skips (exit 0, with the reason) only where no Docker engine can start.
#
# Settings: MYSQL_URL, REDIS_URL (default the machine's, 127.0.0.1), CHECK_DURATION (each
# loadgen run, default 15s), DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

BASE_IMAGE=node:20-bookworm-slim
API_IMAGE=game-load-lab/game-api:local
LOADGEN_IMAGE=game-load-lab/loadgen:local
MYSQL_URL=${MYSQL_URL:-mysql://root@127.0.0.1:3306}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
DURATION=${CHECK_DURATION:-15s}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

skip() {
  echo "== SKIPPED the image check: $*"
  exit 0
}
step() { echo "== $* ($((SECONDS))s)"; }

tmp=$(mktemp -d)
suffix=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
container="glab-image-check-$suffix"
database="glab_image_check_$suffix"
key_prefix="image-check:$suffix:"
dockerd_pid=""
api_started=""

mysql_server() { # MYSQL_URL without its database, as mysql client arguments
  node -e '
    const u = new URL(process.argv[1]);
    const args = ["--protocol=tcp", "-h" + u.hostname, "-P" + (u.port || "3306"), "-u" + decodeURIComponent(u.username || "root")];
    if (u.password) args.push("-p" + decodeURIComponent(u.password));
    console.log(args.join("\n"));' "$MYSQL_URL"
}

cleanup() {
  local status=$?
  if [ -n "$api_started" ]; then
    docker rm -f "$container" >/dev/null 2>&1 || true
    mapfile -t mysql_args < <(mysql_server)
    mysql "${mysql_args[@]}" -e "DROP DATABASE IF EXISTS \`$database\`" || true
    redis-cli -u "$REDIS_URL" --scan --pattern "${key_prefix}*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
  fi
  if [ -n "$dockerd_pid" ]; then
    echo "== stopping the dockerd this check started (pid $dockerd_pid)"
    kill "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null || true
  fi
  # A debootstrap that failed half-way may leave /proc or /sys mounted in its root: unmount first.
  awk -v root="$tmp/" 'index($2, root) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l || true
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT

# --- A Docker engine: the one that runs, or one started here (and stopped after) -------------
if ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || skip "docker/dockerd/debootstrap are missing and apt-get is not here to install them"
  bash infra/ci/apt-install-missing.sh docker.io:docker,dockerd debootstrap:debootstrap
fi
if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || skip "no Docker engine runs, and starting dockerd needs root"
  step "starting dockerd"
  dockerd >"$tmp/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$dockerd_pid" 2>/dev/null || break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    tail -n 15 "$tmp/dockerd.log" >&2
    skip "dockerd cannot start on this machine (its log is above)"
  fi
fi
step "Docker engine $(docker version --format '{{.Server.Version}}')"

# --- The base image: made here when missing --------------------------------------------------
make_base_image() {
  local node_bin npm_dir ca rootfs=$tmp/rootfs
  node_bin=$(readlink -f "$(command -v node)")
  case $("$node_bin" --version) in
    v20.*) ;;
    *) echo "error: the base image needs this machine's Node 20; node is $("$node_bin" --version)" >&2; return 1 ;;
  esac
  npm_dir=$(npm root -g)/npm
  ca=$(npm config get cafile 2>/dev/null || true)
  if [ -z "$ca" ] || [ "$ca" = null ] || [ ! -f "$ca" ]; then ca=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}; fi
  [ -f "$ca" ] || { echo "error: no CA bundle found for npm in the image (npm cafile, NODE_EXTRA_CA_CERTS)" >&2; return 1; }

  step "making $BASE_IMAGE: debootstrap --variant=minbase bookworm from $MIRROR"
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$tmp/debootstrap.log" 2>&1 ||
    { tail -n 20 "$tmp/debootstrap.log" >&2; return 1; }
  # Node and npm where the official image has them; npm's global config (prefix /usr/local)
  # trusts the machine's CA bundle, since the registry is reached through a TLS proxy here.
  install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/etc" "$rootfs/etc/ssl/certs"
  cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  cp "$ca" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  echo "cafile=/etc/ssl/certs/ca-certificates.crt" >"$rootfs/usr/local/etc/npmrc"
  # The official image's unprivileged user, which the Dockerfiles switch to.
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' \
    --change "LABEL org.game-load-lab.made-by=infra/ci/check-images.sh org.game-load-lab.node=$("$node_bin" --version)" \
    --message "debootstrap bookworm minbase + this machine's node $("$node_bin" --version)" \
    - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
}
if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  step "$BASE_IMAGE is there ($(docker image inspect -f '{{index .Config.Labels "org.game-load-lab.node"}}' "$BASE_IMAGE" 2>/dev/null || true))"
else
  make_base_image
  step "$BASE_IMAGE made"
fi

# --- Both images ------------------------------------------------------------------------------
build() { # Dockerfile, tag
  # --network host: npm ci reaches the registry as this machine does, bridge or not.
  if ! docker build --network host -f "$1" -t "$2" . >"$tmp/build.log" 2>&1; then
    tail -n 40 "$tmp/build.log" >&2
    echo "error: docker build -f $1 failed (the end of its output is above)" >&2
    return 1
  fi
  step "built $2 from $1"
}
build services/game-api/Dockerfile "$API_IMAGE"
build loadgen/Dockerfile "$LOADGEN_IMAGE"

# --- game-api's container, healthy against this machine's MySQL and Redis ---------------------
port=$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
mysql_url=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$MYSQL_URL" "$database")
api_started=yes
# A 1 s health interval instead of the image's 10 s: the check's command is the image's own.
docker run -d --name "$container" --network host \
  -e PORT="$port" -e MYSQL_URL="$mysql_url" -e REDIS_URL="$REDIS_URL" -e REDIS_KEY_PREFIX="$key_prefix" \
  -e JWT_SECRET="image-check-secret-$suffix-0123456789abcdef" \
  -e PASSWORD_PEPPER="image-check-pepper-$suffix-0123456789abcdef" \
  -e BCRYPT_COST=4 -e ADMIN_TOKEN="image-check-$suffix" \
  --health-interval 1s "$API_IMAGE" >/dev/null
health=""
for _ in $(seq 1 120); do
  health=$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$container")
  case $health in
    running/healthy | exited/* | dead/* | */unhealthy) break ;;
  esac
  sleep 0.5
done
if [ "$health" != running/healthy ]; then
  docker logs --tail 30 "$container" >&2 || true
  echo "error: game-api's container is $health, not healthy (its log is above)" >&2
  exit 1
fi
step "game-api's container is healthy on 127.0.0.1:$port (database $database)"

# --- The loadgen image's presets against it ---------------------------------------------------
results=$tmp/results
mkdir -p "$results"
chmod 0777 "$results" # the image runs as uid 1000
run_preset() { # preset, extra loadgen flags...
  local preset=$1 code=0
  shift
  docker run --rm --network host -v "$results:/results" -e LOADGEN_OUT=/results "$LOADGEN_IMAGE" \
    run "$preset" --target "http://127.0.0.1:$port" --testid "image-check-$preset" --duration "$DURATION" "$@" \
    >"$tmp/$preset.log" 2>&1 || code=$?
  if [ "$code" -ne 0 ] || [ ! -f "$results/image-check-$preset/summary.json" ]; then
    tail -n 40 "$tmp/$preset.log" >&2
    echo "error: the loadgen image's $preset run exited $code (its output is above)" >&2
    return 1
  fi
  step "loadgen image: $preset exited 0 and wrote its summary"
}
# Both at once (a light load: 10 and 6 players), so the check takes one run's time.
run_preset baseline --spawn-rate 10 &
baseline=$!
run_preset match --users 6 --spawn-rate 6 &
match=$!
failed=0
wait "$baseline" || failed=1
wait "$match" || failed=1
[ "$failed" -eq 0 ] || exit 1
echo "== images: ok ($((SECONDS))s)"
