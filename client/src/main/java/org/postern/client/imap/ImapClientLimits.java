package org.postern.client.imap;

/**
 * What the IMAP client accepts from a server, each bound a named constant with its reason, so a broken or hostile
 * server gets a clear error instead of making the client allocate or wait without end. Tests hit each at the
 * limit and one past it.
 */
public final class ImapClientLimits {
    private ImapClientLimits() {}

    /**
     * One response line (up to a literal or CRLF). Untagged SEARCH answers list every matching UID on one line: a
     * million UIDs of up to 10 digits are about 11 MB (RFC 9051 §7.3.4 sets no bound), so 16 MiB leaves room and
     * still stops a server that never sends CRLF.
     */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    /**
     * A literal held in memory (a mailbox name, an address, any string other than a message body). Names and
     * header fields are far shorter; 1 MiB refuses a server that tries to make us buffer a message where a string
     * goes.
     */
    public static final long MAX_STRING_LITERAL = 1024 * 1024;

    /**
     * A literal that is streamed (BODY[], or one skipped unread). Never allocated, but its size is checked: 2 GiB
     * is beyond any server's message size limit (Postern's default is 50 MiB, Gmail's 35 MB) and keeps sizes
     * within what a file system or a Java array offset handles without surprise.
     */
    public static final long MAX_STREAMED_LITERAL = 2L * 1024 * 1024 * 1024;

    /** Literals in one response: a FETCH with envelope fields has a few; thousands means a server gone wrong. */
    public static final int MAX_LITERALS_PER_RESPONSE = 1000;

    /**
     * Nesting of parenthesised lists (BODYSTRUCTURE of a deeply nested message is the deepest legitimate case;
     * wire's MIME parser stops at 100 levels), so skipping a value cannot recurse without end.
     */
    public static final int MAX_NESTING = 120;

    /**
     * Unsolicited responses (EXISTS/EXPUNGE/VANISHED/FETCH) kept for {@link ImapClient#drainUnsolicited()}. A sync
     * of a huge mailbox may see one per message; past a million without a drain the client stops rather than
     * grow without bound.
     */
    public static final int MAX_UNSOLICITED = 1_000_000;

    /**
     * UID set text per command: RFC 7162 §4 asks servers to accept command lines of at least 8192 octets, so a
     * long UID set is sent in chunks that fit with the rest of the command.
     */
    public static final int MAX_UID_SET_CHARS = 7000;
}
