#!/usr/bin/env bash
# loadtest.sh - the HTTP load test against the real binary (`make loadtest`): a copy of the
# million-ticket store, 50 staff accounts, `digihjelpen serve` on 127.0.0.1, and cmd/loadtest
# with 50 concurrent sessions (inbox, ticket pages, searches, replies) for a while; it prints
# throughput, p50, p99 and errors, and fails on an error or a p99 over LOADTEST_MAX_P99. Each
# session pauses LOADTEST_THINK on average between requests (default 1s: a person clicking
# every second, far busier than staff reading tickets); LOADTEST_THINK=0s sends back to back
# and measures the most the machine serves.
#
# The store is var/bench/datagen-s<schema>-1000000-*.db (make it with
# `go test -run '^$' -bench BenchDB -benchtime 1x ./web/`), or LOADTEST_DB. It is copied, so the
# replies do not change it. Outgoing mail is off (smtp.addr empty: replies wait in the outbox),
# and so are the two jobs whose first run on a store that never ran them catches up on years at
# once (referral reminders, auto-close): this measures the steady state, after the routing
# model's training at start.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${LOADTEST_PORT:-8090}
SESSIONS=${LOADTEST_SESSIONS:-50}
DURATION=${LOADTEST_DURATION:-60s}
REQUESTS=${LOADTEST_REQUESTS:-200000}
MAX_P99=${LOADTEST_MAX_P99:-50ms}
THINK=${LOADTEST_THINK:-1s} # a session's mean pause between requests; 0s: back to back, a stress test
src=${LOADTEST_DB:-$(ls -t var/bench/datagen-s*-1000000-*.db 2>/dev/null | grep -v '\.tmp$' | head -1 || true)}
if [ -z "$src" ] || [ ! -f "$src" ]; then
  echo "loadtest: no million-ticket store in var/bench; make it with: go test -run '^\$' -bench BenchDB -benchtime 1x ./web/" >&2
  exit 1
fi

work=$(mktemp -d "${LOADTEST_TMP:-${TMPDIR:-/tmp}}/digihjelpen-loadtest.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "loadtest: copying $src ($(du -h "$src" | cut -f1)) to $work"
cp --sparse=always "$src" "$work/dh.db"
go build -o "$work/digihjelpen" ./cmd/digihjelpen
go build -o "$work/loadtest" ./cmd/loadtest

export DIGIHJELPEN_STORAGE_PATH="$work/dh.db" DIGIHJELPEN_SERVER_ADDR="127.0.0.1:$PORT" \
  DIGIHJELPEN_SERVER_BASE_URL="http://127.0.0.1:$PORT" DIGIHJELPEN_SERVER_LOG_LEVEL=info \
  DIGIHJELPEN_ROUTING_REFERRAL_REMINDER_AFTER=0s DIGIHJELPEN_TICKETS_CLOSE_RESOLVED_AFTER=0s
LOADTEST_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
export LOADTEST_PASSWORD
echo "loadtest: adding $SESSIONS staff accounts"
for i in $(seq 1 "$SESSIONS"); do
  printf '%s' "$LOADTEST_PASSWORD" | "$work/digihjelpen" user add "loadtest$i@ks.no" -name "Last $i" -role agent -password-stdin >/dev/null
done

"$work/digihjelpen" serve >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$work/serve.log" >&2; exit 1; fi
  sleep 0.1
done
# the routing model trains once at start, over every labelled ticket: wait for it, so the run
# measures the steady state (it trains again only when staff's choices change)
for _ in $(seq 1 "${LOADTEST_SETTLE:-300}"); do
  if grep -q 'routing model trained' "$work/serve.log"; then break; fi
  sleep 1
done
echo "loadtest: $(grep -o 'routing model trained.*took=[^ ]*' "$work/serve.log" | head -1)"
echo "loadtest: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
"$work/loadtest" -base "http://127.0.0.1:$PORT" -sessions "$SESSIONS" -duration "$DURATION" -requests "$REQUESTS" -max-p99 "$MAX_P99" -think "$THINK" || status=$?
echo "loadtest: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -q 'level=ERROR' "$work/serve.log"; then
  echo "loadtest: the server logged errors:" >&2; grep 'level=ERROR' "$work/serve.log" | head -20 >&2; status=1
fi
exit $status
