package org.postern.server.pop3;

import java.time.Duration;

/**
 * POP3 limits that are not configuration. Each is a constant so tests can hit it exactly (value, value + 1).
 * The configurable ones (connections, bad commands, failed logins) come from {@code [limits]} through
 * {@link Pop3Settings}.
 */
public final class Pop3Limits {
    private Pop3Limits() {}

    /**
     * Longest command line, CRLF included. RFC 2449 §4 raises RFC 1939's 47 octets to 255 for commands; a SASL
     * response line (RFC 5034 §4) may be longer: PLAIN with a 255-octet name and password is about 700 octets
     * of base64. 1024 holds that and nothing absurd.
     */
    public static final int MAX_LINE = 1024;

    /**
     * RFC 1939 §3: "an autologout timer ... of at least 10 minutes". Each wait for a command (and each wait
     * for a SASL response) may last this long; then the connection is closed without entering UPDATE, so
     * nothing is deleted.
     */
    public static final Duration AUTOLOGOUT = Duration.ofMinutes(10);

    /**
     * Messages read ahead in one store read when a RETR or TOP misses (clients download 1, 2, 3 …): one query
     * instead of sixteen. With {@link #READ_AHEAD_BYTES} it bounds what a session holds in memory.
     */
    public static final int READ_AHEAD_MESSAGES = 16;

    /** Bytes read ahead at most per session (the first message always, whatever its size up to 128 KiB). */
    public static final long READ_AHEAD_BYTES = 256 * 1024;

    /** A STLS handshake must finish within this (or the autologout timer, if that is shorter); else the
     *  connection is closed without a reply, since the client is no longer reading plaintext. */
    public static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
}
