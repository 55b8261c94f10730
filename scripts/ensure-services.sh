#!/usr/bin/env bash
# Make sure PostgreSQL, Redis and Chromium are there and running; install or start what is missing.
set -u
fail=0
say() { printf '[services] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null 2>&1
}

# PostgreSQL
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null; then say "installing PostgreSQL"; apt_install postgresql || true; fi
  if command -v pg_ctlcluster >/dev/null; then
    for version in $(ls /etc/postgresql 2>/dev/null); do
      say "starting PostgreSQL $version"
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
    done
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432 -q || { say "MISSING: PostgreSQL on 127.0.0.1:5432 (install the postgresql package or set DATABASE_URL)"; fail=1; }
fi

# The project's database (tests create their own test_ database beside it).
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='integrity'" 2>/dev/null | grep -q 1 \
    || createdb -h 127.0.0.1 -U postgres integrity 2>/dev/null || true
fi

# Redis
if ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1); then
  if ! command -v redis-server >/dev/null; then say "installing Redis"; apt_install redis-server || true; fi
  if command -v redis-server >/dev/null; then
    say "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { say "MISSING: Redis on 127.0.0.1:6379 (install the redis-server package)"; fail=1; }
fi

# Chromium for the browser tests (Debian's package; Playwright drives it).
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  say "installing Chromium"
  apt_install chromium || true
fi
# wrk drives the public-form load in `make bench` (optional for tests).
if ! command -v wrk >/dev/null; then
  apt_install wrk || true
fi
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  say "MISSING: Chromium (apt-get install chromium, or set CHROMIUM_PATH)"; fail=1
fi
# Fonts that render Chinese in screenshots; optional.
if command -v fc-list >/dev/null && ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then apt_install fonts-noto-cjk || true; fi

exit $fail
