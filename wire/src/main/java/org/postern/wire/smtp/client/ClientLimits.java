package org.postern.wire.smtp.client;

import java.time.Duration;

/**
 * What the outbound client accepts from a remote server. Each is a constant so tests can hit it exactly
 * (value, value + 1); a server past any of them gets a clean temporary failure and the connection is closed.
 */
public final class ClientLimits {
    private ClientLimits() {}

    /**
     * Longest reply line, CRLF included. RFC 5321 §4.5.3.1.5 says 512; real servers (long banners, verbose
     * rejection texts with URLs) exceed it, so we allow four times that. A longer line cannot be
     * resynchronised, so it ends the session.
     */
    public static final int MAX_REPLY_LINE = 2048;

    /**
     * Lines in one multi-line reply (RFC 5321 §4.2.1). An EHLO reply lists one extension per line and real
     * ones have about 15; 100 is far above that and stops a server that sends continuation lines forever.
     */
    public static final int MAX_REPLY_LINES = 100;

    /**
     * Total bytes of one reply, EHLO's included (the largest we normally see is under 1 KiB): a budget that
     * stops many long lines well before {@code MAX_REPLY_LINES * MAX_REPLY_LINE}.
     */
    public static final int MAX_REPLY_BYTES = 16 * 1024;

    /**
     * Commands written before their replies are read when the server offers PIPELINING. RFC 2920 §3.5 warns
     * that a client writing without reading can deadlock against a server blocked writing replies; 100
     * replies (a few KiB) always fit in the socket buffers, so a larger transaction goes in several groups.
     */
    public static final int MAX_PIPELINED_COMMANDS = 100;

    /** RFC 3461 §4.4: the ENVID parameter is at most 100 characters, after xtext encoding. */
    public static final int MAX_ENVID = 100;

    /** RFC 3461 §4.2: the ORCPT parameter is at most 500 characters, after xtext encoding. */
    public static final int MAX_ORCPT = 500;

    /**
     * How long {@code close()} waits for the reply to QUIT (at most the command timeout). RFC 5321 §4.1.1.10
     * asks the client to wait for 221, but nothing depends on it: the message is already delivered or not.
     */
    public static final Duration MAX_QUIT_WAIT = Duration.ofSeconds(10);

    /** Bytes copied from the message to the socket per write (RFC 5321 §4.5.3.2.5's "data block"). */
    public static final int DATA_BLOCK = 16 * 1024;
}
