#!/usr/bin/env bash
# Copied from the verified recipe in the shared mailstack folder (KS digihjelpen team); the project
# runs it from here and never from the shared folder.
# mailstack-down.sh - stop exactly the processes mailstack-up.sh started, using the pid
# files in $MAILSTACK_DIR/pids (no pkill/killall). Dovecot and Postfix masters stop their
# own children on SIGTERM. All are signalled first, then waited for (about 2 s in total).
# MAILSTACK_CLEAN=1 also deletes $MAILSTACK_DIR.
set -uo pipefail
MAILSTACK_DIR=${MAILSTACK_DIR:-/tmp/digihjelpen-mailstack}
PIDDIR=$MAILSTACK_DIR/pids
log() { printf '[mailstack %s] %s\n' "$(date +%T)" "$*" >&2; }

# executable name expected per pid file, so that a recycled pid is never signalled
expected() {
  case "$1" in
    dovecot) echo dovecot ;;
    mailpit) echo mailpit ;;
    postfix) echo master ;;     # /usr/lib/postfix/sbin/master
    idp) echo testidp ;;
    *) echo "" ;;
  esac
}

rc=0
declare -A victims=()
for f in "$PIDDIR"/*.pid; do
  [ -e "$f" ] || continue
  name=$(basename "$f" .pid)
  pid=$(tr -dc 0-9 <"$f")
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    log "$name: not running (stale $f)"; rm -f "$f"; continue
  fi
  exe=$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)" 2>/dev/null)
  want=$(expected "$name")
  if [ -n "$want" ] && [ "$exe" != "$want" ]; then
    log "$name: pid $pid is '$exe', not '$want' - not touching it"; rm -f "$f"; rc=1; continue
  fi
  kill -TERM "$pid" && victims[$name]=$pid
done

for _ in $(seq 100); do            # wait up to 10 s for all of them
  alive=0
  for name in "${!victims[@]}"; do kill -0 "${victims[$name]}" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && break
  sleep 0.1
done
for name in "${!victims[@]}"; do
  pid=${victims[$name]}
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: pid $pid ignored SIGTERM for 10 s, sending SIGKILL"; kill -KILL "$pid"
  fi
  log "$name: stopped (pid $pid)"
  rm -f "$PIDDIR/$name.pid"
done

if [ "${MAILSTACK_CLEAN:-0}" = 1 ] && [ -d "$MAILSTACK_DIR" ]; then
  rm -rf -- "$MAILSTACK_DIR"; log "removed $MAILSTACK_DIR"
fi
exit $rc
