package org.postern.server.imap;

import java.time.Duration;

/**
 * IMAP session limits that are not configuration (the parser's own line and literal limits are
 * {@link org.postern.wire.imap.ImapLimits}). Each is a constant so tests can hit it exactly (value, value + 1).
 * The configurable ones (connections, bad commands, failed logins, message size) come from {@code [limits]}
 * through {@link ImapSettings}.
 */
public final class ImapServerLimits {
    private ImapServerLimits() {}

    /**
     * RFC 9051 §5.4: "If a server has an inactivity autologout timer that applies to sessions after
     * authentication, the duration of that timer MUST be at least 30 minutes." It also bounds IDLE (RFC 2177 §3:
     * clients re-issue IDLE at least every 29 minutes) and each wait for a literal or a SASL response.
     */
    public static final Duration AUTOLOGOUT = Duration.ofMinutes(30);

    /**
     * How long a client that has not logged in may stay silent. RFC 9051 §5.4 allows a shorter timer before
     * authentication; one minute is ample for a person's client and short for a scanner holding a slot.
     */
    public static final Duration LOGIN_TIMEOUT = Duration.ofMinutes(1);

    /**
     * How long one socket write may block before the connection is closed (a client that stops reading while we
     * stream a large FETCH or push IDLE updates). Five minutes moves a 50 MiB body over a slow link.
     */
    public static final Duration WRITE_TIMEOUT = Duration.ofMinutes(5);

    /** A STARTTLS handshake must finish within this, or the connection is closed without a reply. */
    public static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Messages read from the store per read transaction while answering FETCH: a 10,000-message FETCH holds at
     * most this many message records (and their structures) in memory at once, and never a transaction while
     * writing to the socket.
     */
    public static final int FETCH_BATCH = 256;
}
