#!/usr/bin/env bash
# testdeps.sh - install what `make test` needs when it is missing: Dovecot (IMAP and LMTP; its
# oauth2 passdb is part of dovecot-core), Postfix (SMTP AUTH through Dovecot), Mailpit (SMTP
# sink with an API) and Chromium (browser tests). Debian packages come from apt-get, as root or
# through sudo; Mailpit is built with `go install`. Without a way to install, it stops and names
# the package to install by hand.
set -euo pipefail
log() { printf '[testdeps] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

MAILPIT_VERSION=${MAILPIT_VERSION:-v1.27.11}
MAILPIT_BIN=${MAILPIT_BIN:-$(go env GOPATH)/bin/mailpit}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

pkgs=()
command -v dovecot >/dev/null 2>&1 || pkgs+=(dovecot-imapd)
[ -x /usr/lib/dovecot/lmtp ] || pkgs+=(dovecot-lmtpd)
command -v postfix >/dev/null 2>&1 || pkgs+=(postfix)
command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
if [ ${#pkgs[@]} -gt 0 ]; then
  log "installing ${pkgs[*]} with apt-get"
  # Keep the packages' init scripts from starting system daemons on 0.0.0.0:143 and friends.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null && as_root chmod 755 /usr/sbin/policy-rc.d && own_policy=1 \
      || die "cannot install packages: run as root or with sudo, or install by hand: apt-get install ${pkgs[*]}"
  fi
  # Postfix asks how to configure itself unless told: the mail stack runs its own instance.
  echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    || die "apt-get update failed; install by hand: apt-get install ${pkgs[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/dev/null \
    || die "apt-get install failed; install by hand: apt-get install ${pkgs[*]}"
  [ "$own_policy" = 1 ] && as_root rm -f /usr/sbin/policy-rc.d
fi

if [ ! -x "$MAILPIT_BIN" ] && ! command -v mailpit >/dev/null 2>&1; then
  log "building mailpit $MAILPIT_VERSION with go install (about 45 s the first time)"
  GOBIN=$(dirname "$MAILPIT_BIN") CGO_ENABLED=0 go install "github.com/axllent/mailpit@$MAILPIT_VERSION" \
    || die "go install github.com/axllent/mailpit@$MAILPIT_VERSION failed"
fi
log "dovecot, postfix, mailpit and chromium are present"
