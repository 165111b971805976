package org.postern.client.pop3;

/** What the POP3 client accepts from a server; each a named constant with its reason, tested at N and N + 1. */
public final class Pop3ClientLimits {
    private Pop3ClientLimits() {}

    /**
     * A status line or a line of a CAPA/UIDL/LIST answer: RFC 2449 §4 limits responses to 512 octets with CRLF; 8 KiB
     * leaves room for servers that write long texts and still stops one that never sends CRLF.
     */
    public static final int MAX_LINE_BYTES = 8 * 1024;

    /**
     * Lines of one UIDL, LIST or CAPA answer: a maildrop of a million messages is far past what POP3 is used for, and
     * the listing is held in memory.
     */
    public static final int MAX_LISTING_LINES = 1_000_000;

    /**
     * Octets of one RETR answer, streamed: a server that never sends the terminating "." is stopped here. Beyond
     * any server's message limit (Postern's default is 50 MiB).
     */
    public static final long MAX_MESSAGE_BYTES = 2L * 1024 * 1024 * 1024;

    /** RFC 1939 §7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E. */
    public static final int MAX_UID_CHARS = 70;
}
