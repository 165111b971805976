package org.postern.server.smtp;

import java.time.Duration;

/**
 * SMTP limits that are not configuration. Each is a constant so tests can hit it exactly (value, value + 1).
 * The configurable ones, with their defaults, are in {@link SmtpSettings}.
 */
public final class SmtpLimits {
    private SmtpLimits() {}

    /**
     * Longest command line, CRLF included: 512 per RFC 5321 §4.5.3.1.4, plus room for extension parameters
     * (§4.5.3.1.4 allows extensions to raise it: SIZE, BODY, SMTPUTF8, AUTH= together stay far below) and for
     * AUTH PLAIN's initial response (three 255-octet fields in base64 is about 1 KiB).
     */
    public static final int MAX_COMMAND_LINE = 2048;

    /**
     * Longest text line in DATA or BDAT, CRLF included. RFC 5321 §4.5.3.1.6 says 1000, but real mail (HTML
     * newsletters, long base64 without folding) exceeds it, and refusing it helps no one: we store lines
     * unchanged and never buffer a line, so a long line costs us nothing. 64 KiB still stops absurd input
     * that would choke IMAP clients and parsers downstream.
     */
    public static final int MAX_TEXT_LINE = 64 * 1024;

    /**
     * Recipients per transaction by default: at least 100 per RFC 5321 §4.5.3.1.8; more than 1000 is a mailing
     * list's job. The same number as {@code Config.Limits.DEFAULT_MAX_RECIPIENTS}, which {@code max_recipients}
     * in postern.toml overrides.
     */
    public static final int MAX_RCPT = 1000;

    /** RFC 5321 §4.5.3.2.7: the server waits at least 5 minutes for the next command (and the greeting's reply). */
    public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    /** RFC 5321 §4.5.3.2.5: at least 3 minutes for each block of DATA (each socket read while receiving mail). */
    public static final Duration DATA_BLOCK_TIMEOUT = Duration.ofMinutes(3);

    /**
     * RFC 5321 §4.5.3.2.6: the client waits 10 minutes for our reply to the final dot. Our delivery (fsync and
     * one store transaction) must finish well within that; a slower one is logged as a warning.
     */
    public static final Duration DATA_TERMINATION_TIMEOUT = Duration.ofMinutes(10);
}
