#!/usr/bin/env bash
# Runs ../shared/bench/compare.sh against Postern and the peers, Postern restarted cold with an empty store
# before every measured run (as the peers are). Usage: bench/run.sh [compare.sh options], e.g.
#   bench/run.sh -w smtp            (full sizes)       bench/run.sh -w smtp --quick
#   bench/run.sh -w pop3 -n 3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
kit=${BENCH_KIT:-$root/../shared/bench}
state=/tmp/postern-bench
mkdir -p "$state"
"$root/postern" --help >/dev/null      # build before measuring, not during the first run

export POSTERN_SMTP_PORT=2525 POSTERN_POP3_PORT=2110 POSTERN_IMAP_PORT=2143 POSTERN_DATA_DIR=$state/postern-store
export POSTERN_PID_CMD="cat $state/postern.pid"
export POSTERN_RESET="
  set -e
  pid=\$(cat $state/postern.pid 2>/dev/null) && kill \"\$pid\" 2>/dev/null && while [ -e /proc/\$pid ]; do sleep 0.1; done
  rm -rf $state/postern-store $state/postern.pid
  $root/postern domain add bench.test --config $here/bench.toml >/dev/null
  printf '%s\n' \"\$3\" | $root/postern user add \"\$2\" --config $here/bench.toml >/dev/null
  nohup $root/postern serve --config $here/bench.toml --pid-file $state/postern.pid </dev/null >>$state/postern.log 2>&1 &
  until [ -s $state/postern.pid ] && (exec 3<>/dev/tcp/127.0.0.1/2525) 2>/dev/null; do sleep 0.1; done"
# Both hooks wait for the pid file as well as the port: the server opens its listeners before it writes the file, and
# a hook that read no pid could not stop the server it replaces.
# The relay workload (compare.sh -w relay): after POSTERN_RESET, restart Postern with bench.toml plus a smarthost
# pointing at the kit's smtp-sink ($1:$2), plaintext as the sink speaks no TLS (bench/README: "Relay").
export POSTERN_RELAY_SETUP="
  set -e
  { cat $here/bench.toml; printf '\n[relay]\nsmarthost = \"%s:%s\"\nsmarthost_require_tls = false\n' \"\$1\" \"\$2\"; } >$state/bench-relay.toml
  pid=\$(cat $state/postern.pid) && kill \"\$pid\" && while [ -e /proc/\$pid ]; do sleep 0.1; done
  rm -f $state/postern.pid
  nohup $root/postern serve --config $state/bench-relay.toml --pid-file $state/postern.pid </dev/null >>$state/postern.log 2>&1 &
  until [ -s $state/postern.pid ] && (exec 3<>/dev/tcp/127.0.0.1/2525) 2>/dev/null; do sleep 0.1; done"
trap 'pid=$(cat $state/postern.pid 2>/dev/null) && kill "$pid" 2>/dev/null || true' EXIT
"$kit/compare.sh" "$@"
