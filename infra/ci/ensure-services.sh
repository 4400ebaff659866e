#!/usr/bin/env bash
# Makes sure the MySQL-compatible server and Redis that the tests use are up on this machine.
# Starts them (with the commands this machine's image uses) when they do not answer, and fails
# with a message when they cannot be started. Used by .ci/run; harmless to run by hand.
set -euo pipefail

wait_for() { # name, check command...
  local name=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then echo "== $name is up"; return 0; fi
    sleep 0.5
  done
  echo "error: $name did not come up; start it and export its URL (see README, Tests)" >&2
  return 1
}

mysql_up() { mysqladmin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG; }

if ! mysql_up >/dev/null 2>&1; then
  echo "== starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
fi
wait_for "MySQL (127.0.0.1:3306)" mysql_up

if ! redis_up >/dev/null 2>&1; then
  echo "== starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
wait_for "Redis (127.0.0.1:6379)" redis_up
