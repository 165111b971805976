#!/usr/bin/env python3
"""How soon a session in IDLE hears of a delivery (issue 4: "within a second").

usage: idle_latency.py IMAP_PORT SMTP_PORT USER PASSWORD [COUNT]

One IMAP session (imaplib's socket, read by hand) logs in, selects INBOX and sends IDLE. Then COUNT times: an
SMTP client (smtplib) delivers a small message to USER; the clock starts when the server answers 250 to the end of
DATA (the message is committed) and stops when the IDLE session reads the `* n EXISTS` for it; the EXISTS often comes
before smtplib has read the 250, which counts as 0. Prints those latencies (ms: min, median, p90, max) and, for scale,
the time from the start of the SMTP transaction to the EXISTS. Host 127.0.0.1; the server must allow plaintext LOGIN (bench/bench.toml does).
"""
import imaplib
import smtplib
import socket
import statistics
import sys
import time


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    imap_port, smtp_port, user, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    m = imaplib.IMAP4("127.0.0.1", imap_port, timeout=30)
    m.login(user, password)
    typ, data = m.select("INBOX")
    exists = int(data[0])
    m.send(b"i1 IDLE\r\n")
    if not m.readline().startswith(b"+"):
        sys.exit("IDLE was not accepted")
    lat, whole = [], []
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as s:
        s.ehlo("bench.client.test")
        for i in range(count):
            body = f"From: a@client.test\r\nTo: {user}\r\nSubject: idle {i}\r\n\r\nhello {i}\r\n"
            t_mail = time.perf_counter()
            s.sendmail("a@client.test", [user], body)
            t0 = time.perf_counter()
            exists += 1
            want = f"* {exists} EXISTS".encode()
            while True:
                line = m.readline()
                if not line:
                    sys.exit("the IDLE session was closed")
                if line.rstrip() == want:
                    break
            now = time.perf_counter()
            lat.append((now - t0) * 1000)
            whole.append((now - t_mail) * 1000)
            time.sleep(0.05)
    m.send(b"DONE\r\n")
    while not m.readline().startswith(b"i1 "):   # the IDLE's tagged OK, after any untagged lines still coming
        pass
    m.logout()
    lat.sort()
    p90 = lat[min(len(lat) - 1, int(len(lat) * 0.9))]
    print(f"{count} deliveries: IDLE heard EXISTS after min {lat[0]:.1f} ms, median {statistics.median(lat):.1f} ms, "
          f"p90 {p90:.1f} ms, max {lat[-1]:.1f} ms after the 250 (0 when it came first); from MAIL FROM: median "
          f"{statistics.median(whole):.1f} ms, max {max(whole):.1f} ms")


if __name__ == "__main__":
    main()
