#!/usr/bin/env bash
# Copied from the verified recipe in the shared mailstack folder (KS digihjelpen team); the project
# runs it from here and never from the shared folder.
# mailstack-up.sh - install (apt / go install) and start a loopback-only mail stack for tests:
#   * Dovecot 2.3 IMAP server (real), plain-text auth, Maildir in $MAILSTACK_DIR/mail
#   * Mailpit SMTP sink with a REST API (http://127.0.0.1:8025/api/v1/...)
#   * optional Postfix (MAILSTACK_POSTFIX=1): SMTP in -> LMTP -> Dovecot (full real loop),
#     mail for other domains relayed to Mailpit (never off the machine) for clients that
#     authenticate through Dovecot's SASL (PLAIN/LOGIN with a password, XOAUTH2/OAUTHBEARER
#     with a token the test provider issued)
#   * optional test OpenID provider (MAILSTACK_IDP=1): cmd/testidp, built from this repository.
#     Dovecot then also has an oauth2 passdb that validates the provider's JWTs itself
#     (introspection_mode = local, the public key read from $MAILSTACK_DIR/idp/keys), so
#     IMAP and Postfix accept XOAUTH2 and OAUTHBEARER with its tokens. IDP_PORT (default 9096)
#     and IDP_TOKEN_TTL (default 1h) set its port and token lifetime.
# Everything listens on 127.0.0.1 only. No systemd, no Docker. Needs root (apt-get; Dovecot
# drops to the 'mail' user for mailbox access).
# All pids go to $MAILSTACK_DIR/pids/*.pid; mailstack-down.sh stops exactly those.
# Variables for tests are written to $MAILSTACK_DIR/mailstack.env (source it).
set -euo pipefail

MAILSTACK_DIR=${MAILSTACK_DIR:-/tmp/digihjelpen-mailstack}
MAILSTACK_USERS=${MAILSTACK_USERS:-"helpdesk:secret"}   # space separated user:password pairs
MAILSTACK_DOMAIN=${MAILSTACK_DOMAIN:-example.test}      # domain Postfix delivers into Dovecot
IMAP_PORT=${IMAP_PORT:-1143}
MAILSTACK_IMAPS=${MAILSTACK_IMAPS:-0}                   # 1 = also IMAPS + STARTTLS with a self-signed cert
IMAPS_PORT=${IMAPS_PORT:-1993}
MAILSTACK_MAILPIT=${MAILSTACK_MAILPIT:-1}
SMTP_PORT=${SMTP_PORT:-1025}                            # Mailpit SMTP
MAILPIT_HTTP_PORT=${MAILPIT_HTTP_PORT:-8025}            # Mailpit web UI + REST API
MAILPIT_VERSION=${MAILPIT_VERSION:-v1.27.11}
MAILSTACK_POSTFIX=${MAILSTACK_POSTFIX:-0}
POSTFIX_PORT=${POSTFIX_PORT:-2525}
MAILSTACK_IDP=${MAILSTACK_IDP:-0}
IDP_PORT=${IDP_PORT:-9096}                              # test OpenID provider (cmd/testidp)
IDP_TOKEN_TTL=${IDP_TOKEN_TTL:-1h}
# Exchange Online: its scope for app-only IMAP and SMTP is https://outlook.office365.com/.default,
# which Dovecot's oauth2 passdb requires in a token's scope claim.
IDP_RESOURCE=https://outlook.office365.com
REPO=$(cd "$(dirname "$0")/.." && pwd)
MAILSTACK_SKIP_INSTALL=${MAILSTACK_SKIP_INSTALL:-0}
MAILSTACK_DEBUG=${MAILSTACK_DEBUG:-0}
HOST=127.0.0.1                                          # never anything but loopback

log() { printf '[mailstack %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1fs", b-a}'; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get, and Dovecot switches to the 'mail' user)"
case "$MAILSTACK_DIR" in /*) ;; *) die "MAILSTACK_DIR must be absolute" ;; esac

PIDDIR=$MAILSTACK_DIR/pids
for f in "$PIDDIR"/*.pid; do
  [ -e "$f" ] || continue
  p=$(tr -dc 0-9 <"$f")
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    die "already running ($f, pid $p); run mailstack-down.sh first"
  fi
done

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
check_port() { port_busy "$1" && die "port $HOST:$1 ($2) already in use"; return 0; }

# ---------------------------------------------------------------- install
MAILPIT_BIN=${MAILPIT_BIN:-}
if [ -z "$MAILPIT_BIN" ]; then
  MAILPIT_BIN=$(command -v mailpit || true)
  [ -n "$MAILPIT_BIN" ] || MAILPIT_BIN="$(go env GOPATH 2>/dev/null || echo /root/go)/bin/mailpit"
fi

install_debs() {
  local pkgs=()
  command -v dovecot >/dev/null || pkgs+=(dovecot-imapd)
  if [ "$MAILSTACK_POSTFIX" = 1 ]; then
    command -v postfix >/dev/null || pkgs+=(postfix)
    [ -x /usr/lib/dovecot/lmtp ] || pkgs+=(dovecot-lmtpd)
  fi
  [ "${#pkgs[@]}" -gt 0 ] || return 0
  log "apt-get install ${pkgs[*]}"
  # Keep the packages' init scripts from starting system-wide daemons (they would bind
  # 0.0.0.0:143/25).  Debian container images usually ship a policy-rc.d that says 101.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; own_policy=1
  fi
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  mkdir -p "$MAILSTACK_DIR"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$MAILSTACK_DIR/apt.log" 2>&1 \
    || { cat "$MAILSTACK_DIR/apt.log" >&2; die "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}" \
    >>"$MAILSTACK_DIR/apt.log" 2>&1 || { tail -30 "$MAILSTACK_DIR/apt.log" >&2; die "apt-get install failed"; }
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  log "apt done ($(elapsed))"
}

install_mailpit() {
  [ "$MAILSTACK_MAILPIT" = 1 ] || return 0
  [ -x "$MAILPIT_BIN" ] && return 0
  log "go install github.com/axllent/mailpit@$MAILPIT_VERSION (about 45 s cold on 2 cores)"
  GOBIN=$(dirname "$MAILPIT_BIN") CGO_ENABLED=0 go install "github.com/axllent/mailpit@$MAILPIT_VERSION"
  log "mailpit built ($(elapsed))"
}

if [ "$MAILSTACK_SKIP_INSTALL" != 1 ]; then
  install_debs
  install_mailpit
fi
command -v dovecot >/dev/null || die "dovecot not installed"
[ "$MAILSTACK_MAILPIT" != 1 ] || [ -x "$MAILPIT_BIN" ] || die "mailpit binary not found at $MAILPIT_BIN"
[ "$MAILSTACK_POSTFIX" != 1 ] || command -v postfix >/dev/null || die "postfix not installed"
[ "$MAILSTACK_IDP" != 1 ] || command -v go >/dev/null || die "go is needed to build cmd/testidp (MAILSTACK_IDP=1)"
# If a later step fails, what was already started is in $PIDDIR: run mailstack-down.sh.

check_port "$IMAP_PORT" imap
[ "$MAILSTACK_IMAPS" = 1 ] && check_port "$IMAPS_PORT" imaps
if [ "$MAILSTACK_MAILPIT" = 1 ]; then check_port "$SMTP_PORT" mailpit-smtp; check_port "$MAILPIT_HTTP_PORT" mailpit-http; fi
[ "$MAILSTACK_POSTFIX" = 1 ] && check_port "$POSTFIX_PORT" postfix-smtp
[ "$MAILSTACK_IDP" = 1 ] && check_port "$IDP_PORT" testidp

# ---------------------------------------------------------------- layout
D=$MAILSTACK_DIR
mkdir -p "$D" "$PIDDIR" "$D/dovecot/run" "$D/dovecot/state" "$D/mail" "$D/mailpit"
# Dovecot's auth and mail processes run as other users: every folder above $D must be traversable by them.
# mktemp -d and Go's t.TempDir() make 0700 folders, which fails with "auth service reported temporary failure".
p=$D; while [ "$p" != / ]; do p=$(dirname "$p"); m=$(stat -c %a "$p"); [ $(( ${m: -1} & 1 )) -eq 1 ] || die "$p is not traversable by other users (mode $m): chmod o+x it, or use another MAILSTACK_DIR"; done
chmod 755 "$D"
chown mail:mail "$D/mail"   # mailbox owner; Dovecot refuses uid 0 for mail access
: >"$D/dovecot/users"
# user:password:uid:gid::home - the file is the userdb as well, and the mail user owns the mail
for up in $MAILSTACK_USERS; do
  printf '%s:{PLAIN}%s:%s:%s::%s\n' "${up%%:*}" "${up#*:}" "$(id -u mail)" "$(id -g mail)" "$D/mail/${up%%:*}" >>"$D/dovecot/users"
done
chmod 640 "$D/dovecot/users"; chgrp dovecot "$D/dovecot/users"
FIRST_USER=${MAILSTACK_USERS%% *}

# ---------------------------------------------------------------- TLS (optional)
SSL_BLOCK="ssl = no"
IMAPS_LISTENER="port = 0"
if [ "$MAILSTACK_IMAPS" = 1 ]; then
  mkdir -p "$D/tls"
  if [ ! -s "$D/tls/cert.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$D/tls/key.pem" -out "$D/tls/cert.pem" >/dev/null 2>&1 || die "openssl failed"
  fi
  SSL_BLOCK="ssl = yes
ssl_cert = <$D/tls/cert.pem
ssl_key = <$D/tls/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2"
  IMAPS_LISTENER="address = $HOST
    port = $IMAPS_PORT
    ssl = yes"
fi

PROTOCOLS="imap"
LMTP_BLOCK=""
if [ "$MAILSTACK_POSTFIX" = 1 ]; then
  PROTOCOLS="imap lmtp"
  # auth-postfix: Postfix's smtpd asks Dovecot to check SMTP AUTH (smtpd_sasl_type = dovecot)
  LMTP_BLOCK="service lmtp {
  unix_listener lmtp-postfix {
    mode = 0666
  }
}
protocol lmtp {
  postmaster_address = postmaster@$MAILSTACK_DOMAIN
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}"
fi
# ---------------------------------------------------------------- OAuth2 (optional)
# The password users keep PLAIN and LOGIN; XOAUTH2 and OAUTHBEARER go to the oauth2 passdb,
# which checks the JWT's signature with the provider's public key (looked up by kid in the
# key folder), exp, the scope claim (Exchange Online's) and the email claim against the login
# name.
MECHANISMS="plain login"
PASSWD_MECHS=""
OAUTH2_PASSDB=""
if [ "$MAILSTACK_IDP" = 1 ]; then
  mkdir -p "$D/idp/keys"
  chmod 755 "$D/idp" "$D/idp/keys"
  MECHANISMS="plain login xoauth2 oauthbearer"
  PASSWD_MECHS="mechanisms = plain login"
  cat >"$D/dovecot/oauth2.conf.ext" <<EOF
introspection_mode = local
local_validation_key_dict = fs:posix:prefix=$D/idp/keys/
username_attribute = email
username_format = %Ln
scope = $IDP_RESOURCE/.default
active_attribute =
active_value =
EOF
  OAUTH2_PASSDB="passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $D/dovecot/oauth2.conf.ext
}"
fi
DEBUG_BLOCK=""
[ "$MAILSTACK_DEBUG" = 1 ] && DEBUG_BLOCK="auth_verbose = yes
auth_debug = yes
mail_debug = yes
verbose_ssl = yes"

# ---------------------------------------------------------------- dovecot.conf
cat >"$D/dovecot/dovecot.conf" <<EOF
# generated by mailstack-up.sh - standalone instance, does not read /etc/dovecot
base_dir = $D/dovecot/run
state_dir = $D/dovecot/state
instance_name = mailstack
log_path = $D/dovecot/dovecot.log
protocols = $PROTOCOLS
listen = $HOST
$SSL_BLOCK
disable_plaintext_auth = no
auth_mechanisms = $MECHANISMS
auth_username_format = %Ln
auth_failure_delay = 0
first_valid_uid = 8
mail_location = maildir:~/Maildir
mail_max_userip_connections = 200
verbose_proctitle = yes
$DEBUG_BLOCK
passdb {
  driver = passwd-file
  $PASSWD_MECHS
  args = scheme=PLAIN username_format=%n $D/dovecot/users
}
$OAUTH2_PASSDB
# The users file is the userdb too (not static): a static userdb asks the passdbs whether a user
# exists, and with mechanisms filters on them (the OAuth2 setup) that lookup skips them all.
userdb {
  driver = passwd-file
  args = username_format=%n $D/dovecot/users
}
# No growing delay after failed logins (up to 15 s for every login from 127.0.0.1): the tests
# refuse passwords and tokens on purpose. Without its socket, Dovecot's auth turns it off.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = $HOST
    port = $IMAP_PORT
  }
  inet_listener imaps {
    $IMAPS_LISTENER
  }
}
$LMTP_BLOCK
EOF
dovecot -c "$D/dovecot/dovecot.conf" -n >/dev/null 2>"$D/dovecot/config-check.log" \
  || { cat "$D/dovecot/config-check.log" >&2; die "dovecot config invalid"; }

T1=$(date +%s.%N)
# ---------------------------------------------------------------- start the test OpenID provider
if [ "$MAILSTACK_IDP" = 1 ]; then
  IDP_BIN=${IDP_BIN:-$D/idp/testidp}
  log "go build ./cmd/testidp"
  (cd "$REPO" && go build -o "$IDP_BIN" ./cmd/testidp) || die "go build ./cmd/testidp failed"
  rm -f "$D/idp/keys/default/RS256/"*   # keys of an earlier run: their provider is gone
  nohup "$IDP_BIN" -addr "$HOST:$IDP_PORT" -dovecot-keys "$D/idp/keys" -token-ttl "$IDP_TOKEN_TTL" \
    -mailbox "${FIRST_USER%%:*}@$MAILSTACK_DOMAIN" >"$D/idp/idp.log" 2>&1 </dev/null &
  echo $! >"$PIDDIR/idp.pid"
fi

# ---------------------------------------------------------------- start dovecot
# A penalty socket left by an earlier run would make every auth process wait 5 s for it.
rm -f "$D/dovecot/run/anvil-auth-penalty"
# stdio redirected: the daemonised master otherwise keeps the caller's stderr open, and
# `mailstack-up.sh | tee log` (or any pipe in CI) would never see EOF
dovecot -c "$D/dovecot/dovecot.conf" </dev/null >/dev/null 2>>"$D/dovecot/stderr.log" || die "dovecot failed to start: $(tail -5 "$D/dovecot/dovecot.log" 2>/dev/null)"
for _ in $(seq 100); do [ -s "$D/dovecot/run/master.pid" ] && break; sleep 0.05; done
cp "$D/dovecot/run/master.pid" "$PIDDIR/dovecot.pid"

# ---------------------------------------------------------------- start mailpit
if [ "$MAILSTACK_MAILPIT" = 1 ]; then
  nohup "$MAILPIT_BIN" \
    --listen "$HOST:$MAILPIT_HTTP_PORT" --smtp "$HOST:$SMTP_PORT" \
    --database "$D/mailpit/mailpit.db" --max 0 \
    --smtp-auth-accept-any --smtp-auth-allow-insecure --smtp-disable-rdns \
    --disable-version-check \
    >"$D/mailpit/mailpit.log" 2>&1 </dev/null &
  echo $! >"$PIDDIR/mailpit.pid"
fi

# ---------------------------------------------------------------- start postfix (optional)
if [ "$MAILSTACK_POSTFIX" = 1 ]; then
  P=$D/postfix
  mkdir -p "$P/etc" "$P/spool" "$P/data"
  chown postfix "$P/data"
  if [ "$MAILSTACK_MAILPIT" = 1 ]; then
    OUTBOUND="relayhost = [$HOST]:$SMTP_PORT
default_transport = smtp
relay_transport = smtp"
  else
    OUTBOUND="relayhost =
default_transport = error:outbound delivery disabled in mailstack
relay_transport = error:outbound delivery disabled in mailstack"
  fi
  cat >"$P/etc/main.cf" <<EOF
# generated by mailstack-up.sh - standalone instance (postfix -c $P/etc)
compatibility_level = 3.6
queue_directory = $P/spool
data_directory = $P/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mailstack.localhost
mydomain = localhost
myorigin = \$myhostname
mydestination =
inet_interfaces = $HOST
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtputf8_enable = yes
message_size_limit = 52428800
smtpd_banner = \$myhostname ESMTP mailstack
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = $MAILSTACK_DOMAIN
virtual_mailbox_maps =
virtual_transport = lmtp:unix:$D/dovecot/run/lmtp-postfix
$OUTBOUND
# Mail for $MAILSTACK_DOMAIN is taken from anyone on 127.0.0.1; relaying elsewhere (to Mailpit)
# only after SMTP AUTH, which Dovecot checks: a password, or an OAuth2 token it validates.
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $D/dovecot/run/auth-postfix
smtpd_sasl_security_options = noanonymous
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = permit_sasl_authenticated, permit_mynetworks, reject
disable_dns_lookups = yes
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
smtp_tls_security_level = none
maillog_file_prefixes = $P
maillog_file = $P/maillog
EOF
  cat >"$P/etc/master.cf" <<EOF
$HOST:$POSTFIX_PORT inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
lmtp      unix  - - n -  - lmtp
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
  # (no separate `postfix check`: it costs ~2 s, and `start` runs check-fatal itself)
  postfix -c "$P/etc" start </dev/null >/dev/null 2>>"$P/stderr.log" || die "postfix failed to start: $(tail -5 "$P/maillog" 2>/dev/null)"
  for _ in $(seq 100); do [ -s "$P/spool/pid/master.pid" ] && break; sleep 0.05; done
  tr -dc 0-9 <"$P/spool/pid/master.pid" >"$PIDDIR/postfix.pid"
fi

# ---------------------------------------------------------------- readiness
wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  die "$name not ready after 10 s"
}
U=${FIRST_USER%%:*}; PW=${FIRST_USER#*:}
wait_for dovecot curl -fsS --max-time 2 "imap://$HOST:$IMAP_PORT/" -u "$U:$PW"
[ "$MAILSTACK_IMAPS" = 1 ] && wait_for dovecot-imaps curl -fsS --max-time 2 --cacert "$D/tls/cert.pem" "imaps://$HOST:$IMAPS_PORT/" -u "$U:$PW"
[ "$MAILSTACK_MAILPIT" = 1 ] && wait_for mailpit curl -fsS --max-time 2 "http://$HOST:$MAILPIT_HTTP_PORT/readyz"
[ "$MAILSTACK_POSTFIX" = 1 ] && wait_for postfix bash -c "exec 3<>/dev/tcp/$HOST/$POSTFIX_PORT; head -c 3 <&3 | grep -q 220"
[ "$MAILSTACK_IDP" = 1 ] && wait_for testidp curl -fsS --max-time 2 "http://$HOST:$IDP_PORT/.well-known/openid-configuration"

# ---------------------------------------------------------------- env file for tests
{
  echo "export MAILSTACK_DIR='$D'"
  echo "export MAILSTACK_IMAP_ADDR='$HOST:$IMAP_PORT'"
  echo "export MAILSTACK_IMAP_USER='$U'"
  echo "export MAILSTACK_IMAP_PASS='$PW'"
  echo "export MAILSTACK_MAILDIR='$D/mail/$U/Maildir'"
  echo "export MAILSTACK_DOVECOT_CONF='$D/dovecot/dovecot.conf'"
  if [ "$MAILSTACK_IMAPS" = 1 ]; then
    echo "export MAILSTACK_IMAPS_ADDR='$HOST:$IMAPS_PORT'"
    echo "export MAILSTACK_CA_CERT='$D/tls/cert.pem'"
  fi
  if [ "$MAILSTACK_MAILPIT" = 1 ]; then
    echo "export MAILSTACK_SMTP_ADDR='$HOST:$SMTP_PORT'"
    echo "export MAILSTACK_MAILPIT_URL='http://$HOST:$MAILPIT_HTTP_PORT'"
  fi
  [ "$MAILSTACK_POSTFIX" = 1 ] && echo "export MAILSTACK_MTA_ADDR='$HOST:$POSTFIX_PORT'"
  [ "$MAILSTACK_POSTFIX" = 1 ] && echo "export MAILSTACK_DOMAIN='$MAILSTACK_DOMAIN'"
  if [ "$MAILSTACK_IDP" = 1 ]; then
    echo "export MAILSTACK_IDP_URL='http://$HOST:$IDP_PORT'"
    echo "export MAILSTACK_IDP_TOKEN_URL='http://$HOST:$IDP_PORT/oauth/token'"
    echo "export MAILSTACK_IDP_MAIL_CLIENT_ID='digihjelpen-mail'"
    echo "export MAILSTACK_IDP_MAIL_CLIENT_SECRET='mail-secret'"
    echo "export MAILSTACK_IDP_MAIL_SCOPE='$IDP_RESOURCE/.default'"
    echo "export MAILSTACK_IDP_WEB_CLIENT_ID='digihjelpen-web'"
    echo "export MAILSTACK_IDP_WEB_CLIENT_SECRET='web-secret'"
    echo "export MAILSTACK_IDP_KEYS='$D/idp/keys'"
    echo "export MAILSTACK_IDP_BIN='$IDP_BIN'"
  fi
  true
} >"$D/mailstack.env"

log "up in $(elapsed) (services started in $(awk -v a="$T1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2fs", b-a}'))"
log "IMAP  $HOST:$IMAP_PORT  user $U / $PW   Maildir $D/mail/$U/Maildir"
[ "$MAILSTACK_IMAPS" = 1 ] && log "IMAPS $HOST:$IMAPS_PORT  CA $D/tls/cert.pem"
[ "$MAILSTACK_MAILPIT" = 1 ] && log "SMTP sink (mailpit) $HOST:$SMTP_PORT   API http://$HOST:$MAILPIT_HTTP_PORT/api/v1/messages"
[ "$MAILSTACK_POSTFIX" = 1 ] && log "MTA (postfix) $HOST:$POSTFIX_PORT  -> *@$MAILSTACK_DOMAIN into Dovecot; other domains -> mailpit (after SMTP AUTH)"
[ "$MAILSTACK_IDP" = 1 ] && log "OpenID provider (testidp) http://$HOST:$IDP_PORT  mail client digihjelpen-mail / mail-secret"
log "env: source $D/mailstack.env ; stop: mailstack-down.sh"
