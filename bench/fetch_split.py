#!/usr/bin/env python3
"""FETCH 1:* (FLAGS ENVELOPE) on two IMAP servers, alternating, timed two ways per repetition:

  wire     bytes read off the socket until the tagged OK, nothing parsed: the server's own time to answer
  imaplib  what ../shared/bench/workloads/imap_fetch_search.py times: Python's imaplib reading and
           splitting every response line (on a 2-CPU machine its parsing, ~60 ms for 10,000 lines, is
           often the slower side, so this figure can be the client's rather than the server's)

Each repetition is a fresh connection per server (LOGIN, EXAMINE INBOX, FETCH, LOGOUT). Both servers must
already hold the same mailbox. The first WARMUP repetitions of each are dropped (the servers' caches, and the
JVM's compiler for Postern), then the two servers alternate so both see the same machine noise.

usage: fetch_split.py NAME=HOST:PORT NAME=HOST:PORT USER PASS [--reps 15] [--warmup 5]
Prints a Markdown table: median [min-max] of each, and the ratio first/second.
"""
import argparse
import imaplib
import socket
import statistics
import time


def tagged_ok(sock, tag):
    """Reads until the line tagged `tag` arrives; returns the number of bytes read."""
    tail, n, want = b"\r\n", 0, b"\r\n" + tag + b" "
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise SystemExit(f"connection closed before the {tag.decode()} reply")
        n += len(chunk)
        tail = (tail + chunk)[-4096:]
        if tail.endswith(b"\r\n"):
            last = tail[:-2].rsplit(b"\r\n", 1)[-1]
            if last.startswith(tag + b" "):
                if not last.startswith(tag + b" OK"):
                    raise SystemExit(f"{tag.decode()} failed: {last!r}")
                return n


def wire_rep(host, port, user, password):
    s = socket.create_connection((host, port), timeout=600)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.recv(4096)   # greeting
    s.sendall(b"a LOGIN \"%s\" \"%s\"\r\n" % (user.encode(), password.encode()))
    tagged_ok(s, b"a")
    s.sendall(b"b EXAMINE INBOX\r\n")
    tagged_ok(s, b"b")
    t0 = time.perf_counter()
    s.sendall(b"c FETCH 1:* (FLAGS ENVELOPE)\r\n")
    size = tagged_ok(s, b"c")
    elapsed = time.perf_counter() - t0
    s.sendall(b"d LOGOUT\r\n")
    s.close()
    return elapsed, size


def imaplib_rep(host, port, user, password):
    m = imaplib.IMAP4(host, port, timeout=600)
    m.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    m.login(user, password)
    m.select("INBOX", readonly=True)
    t0 = time.perf_counter()
    typ, data = m.fetch("1:*", "(FLAGS ENVELOPE)")
    elapsed = time.perf_counter() - t0
    if typ != "OK":
        raise SystemExit(f"FETCH failed: {data}")
    m.logout()
    return elapsed


def summary(xs):
    ms = [x * 1000 for x in xs]
    return statistics.median(ms), min(ms), max(ms)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("first")
    ap.add_argument("second")
    ap.add_argument("user")
    ap.add_argument("password")
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--warmup", type=int, default=5)
    a = ap.parse_args()
    servers = []
    for spec in (a.first, a.second):
        name, _, addr = spec.partition("=")
        host, _, port = addr.rpartition(":")
        servers.append((name, host, int(port)))
    results = {name: {"wire": [], "imaplib": [], "bytes": 0} for name, _, _ in servers}
    for rep in range(a.warmup + a.reps):
        for name, host, port in servers:
            w, size = wire_rep(host, port, a.user, a.password)
            i = imaplib_rep(host, port, a.user, a.password)
            if rep >= a.warmup:
                results[name]["wire"].append(w)
                results[name]["imaplib"].append(i)
                results[name]["bytes"] = size
    (n1, _, _), (n2, _, _) = servers
    print(f"FETCH 1:* (FLAGS ENVELOPE), {a.reps} alternating repetitions after {a.warmup} dropped; "
          f"ms, median [min-max]; ratio = {n1} / {n2} of the medians\n")
    print(f"| timed | {n1} | {n2} | {n1} / {n2} |")
    print("|---|---|---|---|")
    for key, label in (("wire", "until the tagged OK, raw socket"), ("imaplib", "imaplib fetch()")):
        s1, s2 = summary(results[n1][key]), summary(results[n2][key])
        print(f"| {label} | {s1[0]:.1f} [{s1[1]:.1f}-{s1[2]:.1f}] | {s2[0]:.1f} [{s2[1]:.1f}-{s2[2]:.1f}] "
              f"| {s1[0] / s2[0]:.2f} |")
    print(f"| response bytes | {results[n1]['bytes']:,} | {results[n2]['bytes']:,} | |")


if __name__ == "__main__":
    main()
