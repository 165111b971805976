package org.postern.wire.mime;

/**
 * Limits of the MIME parser. Each is a constant so tests can hit it exactly (value, value + 1). None of them
 * makes parsing fail: past a limit the parser degrades as described, and byte offsets stay exact.
 */
public final class MimeLimits {
    private MimeLimits() {}

    /**
     * Parts are expanded down to this depth (the message itself is depth 0). A multipart or message/rfc822 part
     * at this depth is kept as an opaque leaf, not an error: IMAP clients and our encoder recurse on the tree,
     * and no real mail nests 32 deep (Dovecot's message parser uses a similar cap).
     */
    public static final int MAX_DEPTH = 32;

    /**
     * Parts per message, counting the message itself and every encapsulated message. Past it, a delimiter that
     * would open another part is treated as an ordinary line, so the rest is folded into the body of the part
     * being read. Bounds the stored structure and BODYSTRUCTURE size against a hostile message of empty parts.
     */
    public static final int MAX_PARTS = 10_000;

    /**
     * Header block bytes kept per part, counted from the start of the block to the end of a field. A field
     * ending past it is skipped with every later field of that block; offsets stay exact. RFC 5322 sets no
     * limit; 256 KiB is far beyond real headers (a few KiB) and bounds the memory one header can take.
     */
    public static final int MAX_HEADER_BYTES = 256 * 1024;

    /**
     * Header bytes kept over all parts of one message together. Past it, later fields are skipped (parts get
     * default types). Bounds the retained structure for a message with many parts with large headers:
     * {@link #MAX_PARTS} times {@link #MAX_HEADER_BYTES} would be gigabytes.
     */
    public static final int MAX_MESSAGE_HEADER_BYTES = 4 * 1024 * 1024;

    /**
     * Bytes kept of one physical header line (without its line ending); the rest of a longer line is dropped
     * from the field's value. RFC 5322 §2.1.1 limits lines to 998 characters, but unfolded recipient lists
     * of real mail can be tens of KiB long.
     */
    public static final int MAX_HEADER_LINE_BYTES = 64 * 1024;

    /**
     * Characters of body search text kept per message (decoded text parts, file names, headers of attached
     * messages). Bounds the search index row (SQLite FTS) and the memory of a delivery; more than a million
     * characters of text is rare, and SEARCH past it is best effort.
     */
    public static final int MAX_SEARCH_TEXT_CHARS = 1024 * 1024;

    /**
     * Decoded bytes of one text part kept for search text, before charset decoding and HTML stripping. Four
     * times {@link #MAX_SEARCH_TEXT_CHARS}, so a full quota of characters fits even in 4-byte UTF-8 or behind
     * HTML markup, while a 50 MB text part is never held in memory.
     */
    public static final int MAX_TEXT_PART_BYTES = 4 * MAX_SEARCH_TEXT_CHARS;
}
