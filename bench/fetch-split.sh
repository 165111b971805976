#!/usr/bin/env bash
# FETCH 1:* (FLAGS ENVELOPE) on a 10,000-message INBOX, Postern against Dovecot, timed at the socket and through
# imaplib (bench/fetch_split.py): which part of the kit's "FETCH 1:* warm" figure is the server and which is the
# kit's own client. Both servers are started fresh and filled by the kit's imap_seed.py (APPEND), as in `-w imap`.
#
# usage (as root, after ../shared/bench/setup.sh): bench/fetch-split.sh [REPS] [WARMUP]     e.g. bench/fetch-split.sh 15 5
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
kit=${BENCH_KIT:-$root/../shared/bench}
reps=${1:-15}
warmup=${2:-5}
state=/tmp/postern-bench
mkdir -p "$state"
"$root/postern" --help >/dev/null      # build before measuring

stop_postern() {
  local pid
  pid=$(cat "$state/postern.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  while [ -e "/proc/$pid" ]; do sleep 0.1; done
  rm -f "$state/postern.pid"
}
trap 'stop_postern; "$kit/peers/dovecot.sh" stop >/dev/null 2>&1 || true' EXIT

stop_postern
rm -rf "$state/postern-store"
"$root/postern" domain add bench.test --config "$here/bench.toml" >/dev/null
printf 'benchpass\n' | "$root/postern" user add imapuser@bench.test --config "$here/bench.toml" >/dev/null
nohup "$root/postern" serve --config "$here/bench.toml" --pid-file "$state/postern.pid" </dev/null >>"$state/postern.log" 2>&1 &
until [ -s "$state/postern.pid" ] && (exec 3<>/dev/tcp/127.0.0.1/2143) 2>/dev/null; do sleep 0.1; done
"$kit/peers/dovecot.sh" reset imapuser >/dev/null

echo "filling both INBOXes with 10,000 messages (APPEND)..." >&2
python3 "$kit/workloads/imap_seed.py" 127.0.0.1 2143 imapuser@bench.test benchpass --count 10000 >/dev/null
python3 "$kit/workloads/imap_seed.py" 127.0.0.1 20143 imapuser@bench.test benchpass --count 10000 >/dev/null
python3 "$here/fetch_split.py" Postern=127.0.0.1:2143 Dovecot=127.0.0.1:20143 imapuser@bench.test benchpass \
    --reps "$reps" --warmup "$warmup"
