#!/usr/bin/env bash
# The mail client against mbsync (isync): initial sync of an N-message INBOX (default 10,000) and a no-change
# resync, both clients against the same Postern (./postern serve on 127.0.0.1, plaintext login on loopback, so
# neither pays for TLS), the mailbox filled once via IMAP APPEND by a python3 script. Prints a Markdown table of
# wall-clock seconds (each figure includes the client's process start: what a person or a cron job waits for).
#
# usage: bench/client-sync.sh [MESSAGES] [RUNS]      e.g. bench/client-sync.sh 10000 3
# Needs: python3, mbsync (apt-get install isync). State under $CLIENT_BENCH_DIR (default /tmp/postern-client-bench).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
messages=${1:-10000}
runs=${2:-1}
state=${CLIENT_BENCH_DIR:-/tmp/postern-client-bench}
port=${CLIENT_BENCH_IMAP_PORT:-2243}
smtp_port=${CLIENT_BENCH_SUBMISSION_PORT:-2587}
user=bench@bench.test
pass=bench-client-pw

command -v mbsync >/dev/null || { echo "client-sync.sh: mbsync not found (apt-get install isync)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "client-sync.sh: python3 not found" >&2; exit 1; }

stop_server() {
    local pid
    pid=$(cat "$state/postern.pid" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null || true
    while [ -e "/proc/$pid" ]; do sleep 0.1; done
    rm -f "$state/postern.pid"
}
trap stop_server EXIT

stop_server
rm -rf "$state"
mkdir -p "$state"
"$root/postern" --help >/dev/null          # build before measuring, not during the first run

cat >"$state/postern.toml" <<TOML
hostname = "bench.postern.test"
data_dir = "$state/store"

[listeners]
imap = ["127.0.0.1:$port"]
submission = ["127.0.0.1:$smtp_port"]

[security]
allow_plaintext_auth = true     # loopback only: the bench measures sync, not TLS
TOML
"$root/postern" domain add bench.test --config "$state/postern.toml" >/dev/null
printf '%s\n' "$pass" | "$root/postern" user add "$user" --config "$state/postern.toml" >/dev/null
nohup "$root/postern" serve --config "$state/postern.toml" --pid-file "$state/postern.pid" </dev/null >>"$state/postern.log" 2>&1 &
for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

echo "filling INBOX with $messages messages (IMAP APPEND)..." >&2
python3 - "$port" "$user" "$pass" "$messages" <<'PY'
import imaplib, sys, time
port, user, pw, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
m = imaplib.IMAP4("127.0.0.1", port)
# imaplib writes a literal and its CRLF in two sends: without TCP_NODELAY, Nagle holds the second until the server's
# delayed ACK (40 ms), twice per APPEND (13 minutes for 10,000 messages instead of about 15 s)
import socket
m.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
m.login(user, pw)
body = ("A line of text for the benchmark message, long enough to look like mail.\r\n" * 40).encode()
for i in range(n):
    msg = (f"From: Sender {i % 97} <sender{i % 97}@example.net>\r\nTo: {user}\r\nSubject: benchmark message {i}\r\n"
           f"Message-ID: <bench-{i}@example.net>\r\nDate: Fri, 04 Dec 2026 10:{i % 60:02d}:00 +0000\r\n\r\n").encode() + body
    typ, _ = m.append("INBOX", "(\\Seen)" if i % 3 else None, None, msg)
    if typ != "OK":
        sys.exit(f"APPEND {i} failed: {typ}")
m.logout()
PY

# Postern's client: its own home, the password in a 0600 file.
export POSTERN_CLIENT_HOME=$state/client-home
printf '%s\n' "$pass" >"$state/pw" && chmod 600 "$state/pw"
"$root/postern" client account add bench --address "$user" --host 127.0.0.1 --port "$port" --security plaintext \
    --smtp-port "$smtp_port" --password-file "$state/pw" >/dev/null

# mbsync: the same server, INBOX and every other folder into a Maildir, both directions.
mkdir -p "$state/mbsync-mail"
cat >"$state/mbsyncrc" <<RC
IMAPAccount bench
Host 127.0.0.1
Port $port
User $user
PassCmd "cat $state/pw"
SSLType None
AuthMechs LOGIN

IMAPStore bench-remote
Account bench

MaildirStore bench-local
Path $state/mbsync-mail/
Inbox $state/mbsync-mail/INBOX
SubFolders Verbatim

Channel bench
Far :bench-remote:
Near :bench-local:
Patterns *
Create Near
Sync All
SyncState *
RC

seconds() {   # seconds(command...): wall-clock seconds of one run, 2 decimals; stops the script if it fails
    local start end
    start=$(date +%s.%N)
    "$@" >"$state/last.out" 2>&1 || { echo "failed: $*" >&2; cat "$state/last.out" >&2; exit 1; }
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.2f}')"
}

declare -a p_init p_resync m_init m_resync
for r in $(seq "$runs"); do
    rm -rf "$state/client-home/bench" "$state/mbsync-mail" && mkdir -p "$state/mbsync-mail"
    p_init+=("$(seconds "$root/postern" client sync bench)")
    p_resync+=("$(seconds "$root/postern" client sync bench)")
    m_init+=("$(seconds mbsync -q -c "$state/mbsyncrc" bench)")
    m_resync+=("$(seconds mbsync -q -c "$state/mbsyncrc" bench)")
    echo "run $r: postern ${p_init[-1]} / ${p_resync[-1]} s, mbsync ${m_init[-1]} / ${m_resync[-1]} s" >&2
done

local_count=$(find "$state/client-home/bench/mail/INBOX/cur" "$state/client-home/bench/mail/INBOX/new" -type f | wc -l)
mbsync_count=$(find "$state/mbsync-mail/INBOX/cur" "$state/mbsync-mail/INBOX/new" -type f | wc -l)
[ "$local_count" -eq "$messages" ] || { echo "postern client holds $local_count messages, not $messages" >&2; exit 1; }
[ "$mbsync_count" -eq "$messages" ] || { echo "mbsync holds $mbsync_count messages, not $messages" >&2; exit 1; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo
echo "Client sync of a $messages-message INBOX on $(hostname) ($(nproc) CPUs), median of $runs run(s), seconds:"
echo
echo "| step | postern client sync | mbsync $(mbsync --version | awk '{print $2}') |"
echo "|---|---:|---:|"
echo "| initial sync ($messages messages) | $(median "${p_init[@]}") | $(median "${m_init[@]}") |"
echo "| no-change resync | $(median "${p_resync[@]}") | $(median "${m_resync[@]}") |"
