package org.postern.wire.imap;

/**
 * Limits of the IMAP command parser. Each is a constant so tests can hit it exactly (value, value + 1). Past a
 * limit the command is refused with BAD (a synchronizing literal with {@code BAD [TOOBIG]}); a non-synchronizing
 * literal over its limit ends the connection, because the client is already sending its bytes (mox does the same).
 */
public final class ImapLimits {
    private ImapLimits() {}

    /**
     * Bytes of one command line (without CRLF) once logged in. RFC 7162 §4 asks clients to keep lines under
     * 8192 octets and servers to accept at least that; long UID sets from Thunderbird and mbsync reach tens of
     * KiB, so we allow 64 KiB as Dovecot does ({@code imap_max_line_length}).
     */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    /**
     * Bytes of one command line before login. LOGIN, AUTHENTICATE with an initial response (RFC 4959; XOAUTH2
     * tokens are a few KiB), ID, CAPABILITY, STARTTLS: nothing legitimate comes near 16 KiB.
     */
    public static final int MAX_LINE_BYTES_UNAUTHENTICATED = 16 * 1024;

    /** Bytes of one literal other than APPEND's message, once logged in (mox parse.go uses 100 KiB). */
    public static final long MAX_LITERAL = 100 * 1024;

    /** Bytes of one literal before login: a user name or password (James ImapRequestFrameDecoder). */
    public static final long MAX_LITERAL_UNAUTHENTICATED = 8 * 1024;

    /** Literal bytes of one command together (APPEND's message excluded), counted by the lexer's budget. */
    public static final long MAX_LITERALS_TOTAL = 1024 * 1024;

    /** Literals in one command; each one means another line to read, so this also bounds the line count. */
    public static final int MAX_LITERALS_PER_COMMAND = 1000;

    /**
     * Nesting of SEARCH keys: each parenthesis, NOT and OR opens a level. The parser recurses per level, so this
     * bounds stack use against {@code NOT NOT NOT ...} (James SearchCommandParser).
     */
    public static final int MAX_SEARCH_DEPTH = 32;

    /**
     * Ranges in one sequence set. A 64 KiB line holds at most about 13,000 "n," elements; this keeps the memory
     * and the work a server does per set bounded (RFC 9051 §9 sets no limit).
     */
    public static final int MAX_SEQUENCE_RANGES = 10_000;

    /** RFC 2971 §3.3: "no more than 30 field-value pairs". */
    public static final int MAX_ID_FIELDS = 30;

    /** Elements in any other parenthesized list (flags, fetch items, status items, ENABLE, LIST patterns). */
    public static final int MAX_LIST_ELEMENTS = 1000;
}
