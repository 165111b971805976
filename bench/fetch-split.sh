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
state=/tmp/postern-fetch-split    # not bench/run.sh's: running both at once must not stop the other's server
port=2143
source "$kit/lib/common.sh"         # BENCH_ADDR, PEER_IMAP_PORT: where the kit's Dovecot listens
mkdir -p "$state"
"$root/postern" --help >/dev/null      # build before measuring

stop_postern() {
  local pid
  pid=$(cat "$state/postern.pid" 2>/dev/null) || return 0
  [ -n "$pid" ] && grep -q java "/proc/$pid/comm" 2>/dev/null || { rm -f "$state/postern.pid"; return 0; }
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 300); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
  rm -f "$state/postern.pid"
}
# the kit's Dovecot is stopped at the end, as compare.sh leaves it
trap 'stop_postern; "$kit/peers/dovecot.sh" stop >/dev/null 2>&1 || true' EXIT

stop_postern
rm -rf "$state/store"
# bench.toml with this script's own store; IMAP only
sed -e "s#^data_dir = .*#data_dir = \"$state/store\"#" -e '/^smtp = \|^pop3 = /d' "$here/bench.toml" >"$state/bench.toml"
"$root/postern" domain add bench.test --config "$state/bench.toml" >/dev/null
printf 'benchpass\n' | "$root/postern" user add imapuser@bench.test --config "$state/bench.toml" >/dev/null
nohup "$root/postern" serve --config "$state/bench.toml" --pid-file "$state/postern.pid" </dev/null >>"$state/postern.log" 2>&1 &
server=$!
for _ in $(seq 600); do
  [ -s "$state/postern.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "fetch-split.sh: postern serve stopped; see $state/postern.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$state/postern.pid" ] || { echo "fetch-split.sh: postern did not open 127.0.0.1:$port in 60 s; see $state/postern.log" >&2; exit 1; }
"$kit/peers/dovecot.sh" reset imapuser >/dev/null

echo "filling both INBOXes with 10,000 messages (APPEND)..." >&2
python3 "$kit/workloads/imap_seed.py" 127.0.0.1 "$port" imapuser@bench.test benchpass --count 10000 >/dev/null
python3 "$kit/workloads/imap_seed.py" "$BENCH_ADDR" "$PEER_IMAP_PORT" imapuser@bench.test benchpass --count 10000 >/dev/null
python3 "$here/fetch_split.py" "Postern=127.0.0.1:$port" "Dovecot=$BENCH_ADDR:$PEER_IMAP_PORT" imapuser@bench.test benchpass \
    --reps "$reps" --warmup "$warmup"
