#!/usr/bin/env python3
"""Median round trip of each SMTP step (connect+greeting, HELO, MAIL, RCPT, DATA, end of data, QUIT) for N
one-message sessions, one after another: where a single session's time goes. The first fifth is warm-up.
usage: bench/smtp_phases.py PORT N RCPT   (e.g. 2525 4000 smtpuser@bench.test; Postfix peer: 20025)"""
import socket, time, sys, statistics
port=int(sys.argv[1]); n=int(sys.argv[2]); rcpt=sys.argv[3]
body=("X"*76+"\r\n")*50
msg=("From: a@source.test\r\nTo: %s\r\nSubject: t\r\n\r\n"%rcpt + body + ".\r\n").encode()
ph={k:[] for k in ["connect+greet","helo","mail","rcpt","data","dot","quit"]}
def rd(f):
    while True:
        l=f.readline()
        if l[3:4]!=b'-': return l
for i in range(n):
    t=time.perf_counter(); s=socket.create_connection(("127.0.0.1",port)); f=s.makefile('rb'); rd(f); t1=time.perf_counter(); ph["connect+greet"].append(t1-t)
    for k,c in [("helo",b"HELO x.test\r\n"),("mail",b"MAIL FROM:<bench@source.test>\r\n"),("rcpt",("RCPT TO:<%s>\r\n"%rcpt).encode()),("data",b"DATA\r\n"),("dot",msg),("quit",b"QUIT\r\n")]:
        t=time.perf_counter(); s.sendall(c); r=rd(f); ph[k].append(time.perf_counter()-t)
    s.close()
for k,v in ph.items():
    v=v[n//5:]; print(f"{k:14s} median {1e6*statistics.median(v):7.0f} us  mean {1e6*statistics.mean(v):7.0f} us")
