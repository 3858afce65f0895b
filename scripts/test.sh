#!/usr/bin/env bash
# test.sh - the whole test suite against the real mail stack (Dovecot, Mailpit, Postfix and the
# test OpenID provider on 127.0.0.1) and headless Chromium: `make test`. Starts the stack unless
# one is already up in $MAILSTACK_DIR, and stops what it started, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export MAILSTACK_DIR=${MAILSTACK_DIR:-/tmp/digihjelpen-mailstack}
# Postfix (SMTP AUTH through Dovecot) and the OpenID provider (OAuth2 tokens that Dovecot
# validates) belong to the suite: the XOAUTH2/OAUTHBEARER tests and the SSO tests need them.
export MAILSTACK_POSTFIX=${MAILSTACK_POSTFIX:-1} MAILSTACK_IDP=${MAILSTACK_IDP:-1}

alive() {
  [ -f "$MAILSTACK_DIR/mailstack.env" ] || return 1
  local n=0 p
  for p in "$MAILSTACK_DIR"/pids/*.pid; do
    [ -e "$p" ] || return 1
    kill -0 "$(cat "$p")" 2>/dev/null || return 1
    n=$((n + 1))
  done
  [ "$n" -gt 0 ]
}
if alive; then
  echo "[test] using the mail stack already running in $MAILSTACK_DIR"
else
  root=""; [ "$(id -u)" = 0 ] || root="sudo -E"
  $root bash scripts/mailstack-up.sh
  trap '$root bash scripts/mailstack-down.sh' EXIT
fi
# shellcheck disable=SC1091
. "$MAILSTACK_DIR/mailstack.env"
# Tests that need the stack or a browser fail instead of skipping when these are set.
export DIGIHJELPEN_TEST_REQUIRE_MAILSTACK=1
export DIGIHJELPEN_TEST_REQUIRE_BROWSER=1
go test -race -count=1 -timeout 15m "$@" ./...
