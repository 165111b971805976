package org.postern.wire.mime;

/**
 * Streaming, tolerant quoted-printable (RFC 2045 §6.7), fed a line at a time (possibly in segments): "=XX"
 * decodes, '=' at the end of a line (trailing white space allowed) is a soft line break, any other '=' is
 * kept as it is. White space at the end of a line is deleted (RFC 2045 §6.7 rule 3: transports may have added
 * it); a run of it is held back until the line goes on or ends, at most {@link #MAX_HELD_WHITE_SPACE} bytes.
 */
final class QuotedPrintableDecoder {
    private static final int TEXT = 0;
    private static final int EQUALS = 1;       // after '='
    private static final int EQUALS_HEX = 2;   // after '=' and one hex digit
    private static final int EQUALS_SPACE = 3; // after '=' and white space: a soft break if the line ends

    /**
     * White space held back in case the line ends after it. A longer run is passed on as content, so a hostile
     * line of megabytes of spaces cannot grow memory; RFC 2045 §6.7 rule 5 limits encoded lines to 76
     * characters, so a real line's trailing white space is always far shorter.
     */
    static final int MAX_HELD_WHITE_SPACE = 1024;

    private int state = TEXT;
    private int firstHex;
    private final ByteBuf white = new ByteBuf(16);

    void decode(byte[] b, int off, int len, ByteBuf out, int max) {
        for (int i = off, end = off + len; i < end; i++) {
            int c = b[i] & 0xFF;
            switch (state) {
                case TEXT -> {
                    if (c == ' ' || c == '\t') {
                        if (white.size() == MAX_HELD_WHITE_SPACE) releaseWhite(out, max);
                        white.append(c);
                        continue;
                    }
                    releaseWhite(out, max);      // not trailing: the line goes on
                    if (c == '=') state = EQUALS;
                    else put(out, max, c);
                }
                case EQUALS -> {
                    if (hex(c) >= 0) {
                        firstHex = c;
                        state = EQUALS_HEX;
                    } else if (c == ' ' || c == '\t') {
                        state = EQUALS_SPACE;
                    } else {
                        put(out, max, '=');
                        state = TEXT;
                        i--; // reconsider c as text
                    }
                }
                case EQUALS_HEX -> {
                    if (hex(c) >= 0) {
                        put(out, max, hex(firstHex) << 4 | hex(c));
                    } else {
                        put(out, max, '=');
                        put(out, max, firstHex);
                        i--;
                    }
                    state = TEXT;
                }
                case EQUALS_SPACE -> {
                    if (c != ' ' && c != '\t') { // not a soft break after all: keep "= " (spaces folded)
                        put(out, max, '=');
                        put(out, max, ' ');
                        state = TEXT;
                        i--;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /**
     * The line ended; {@code terminated} says whether by a line break (else by the end of the body). A hard
     * line break is written as LF when {@code terminated}. Returns whether the break was hard (false for a soft
     * line break), so a caller that wants CRLF (RFC 2045 §6.7 rule 4, the canonical form) can pass
     * {@code terminated = false} and write its own.
     */
    boolean endLine(boolean terminated, ByteBuf out, int max) {
        white.clear();                           // RFC 2045 §6.7 rule 3: trailing white space is deleted
        switch (state) {
            case EQUALS, EQUALS_SPACE -> {
                state = TEXT; // soft line break: the lines join
                return false;
            }
            case EQUALS_HEX -> {
                put(out, max, '=');
                put(out, max, firstHex);
            }
            default -> {
            }
        }
        state = TEXT;
        if (terminated) put(out, max, '\n');
        return true;
    }

    private void releaseWhite(ByteBuf out, int max) {
        for (int i = 0; i < white.size(); i++) put(out, max, white.array()[i]);
        white.clear();
    }

    private static void put(ByteBuf out, int max, int c) {
        if (out.size() < max) out.append(c);
    }

    static int hex(int c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    }
}
