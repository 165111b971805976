package org.postern.server.imap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A header block reduced to the fields HEADER.FIELDS names, or to all others for HEADER.FIELDS.NOT (RFC 9051
 * §6.4.5), read as a stream so a header of any size is filtered in bounded memory.
 *
 * <p>Field names match without regard to case (RFC 5322 §1.2.2); white space before the colon (the obsolete
 * syntax of RFC 5322 §4.5) is ignored when matching. A kept field keeps its folded continuation lines, its
 * original bytes and its place in the header's order. The result ends with a blank line (CRLF), as RFC 9051
 * §6.4.5 requires ("the blank line between the header and the body is not affected by header line subsetting",
 * and it is returned); a kept last field that the header did not terminate gets a CRLF first, so the result is
 * always a well-formed header. A line that is not a field (no colon, or a continuation with no field before it)
 * is dropped either way: it is not a field, so it is not one of "all fields except" the named ones either.
 */
final class FetchHeaderFilter extends InputStream {
    /**
     * Bytes of a field name kept for matching: RFC 5322 §2.1.1's line limit (998 characters). A longer name
     * cannot be one a client asked for in practice; it is treated as matching nothing.
     */
    static final int MAX_FIELD_NAME_BYTES = 998;

    private static final int LINE_START = 0;
    private static final int NAME = 1;
    private static final int VALUE = 2;
    private static final int CR_AT_LINE_START = 3;
    private static final int DONE = 4;

    private final InputStream in;
    private final Set<String> names;
    private final boolean not;
    private final byte[] inBuf = new byte[8192];
    private int inPos;
    private int inLim;
    private final byte[] name = new byte[MAX_FIELD_NAME_BYTES];
    private int nameLen;
    /** Output not yet handed out: a held-back field name, or the final line endings. */
    private final byte[] pending = new byte[MAX_FIELD_NAME_BYTES + 1];
    private final byte[] one = new byte[1];
    private int pendPos;
    private int pendLen;
    private int state = LINE_START;
    private boolean keep;
    /** Whether the last byte handed out of a kept field ended its line. */
    private boolean atLineEnd = true;

    /** {@code fieldNames} as the client sent them; {@code not} for HEADER.FIELDS.NOT. */
    FetchHeaderFilter(InputStream header, List<String> fieldNames, boolean not) {
        this.in = header;
        this.not = not;
        this.names = new HashSet<>();
        for (String n : fieldNames) names.add(FetchSections.upperAscii(n));
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        int n = 0;
        while (n < len) {
            if (pendPos < pendLen) {
                b[off + n++] = pending[pendPos++];
                continue;
            }
            if (state == DONE) break;
            if (inPos == inLim) {
                if (n > 0) break;           // hand out what we have before blocking on more input
                int r = in.read(inBuf, 0, inBuf.length);
                if (r < 0) {
                    finish();
                    continue;
                }
                inPos = 0;
                inLim = r;
            }
            int c = inBuf[inPos++] & 0xFF;
            int out = step(c);
            if (out >= 0) {
                b[off + n++] = (byte) out;
                atLineEnd = out == '\n';
            }
        }
        return n == 0 && state == DONE && pendPos == pendLen ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Consumes one input byte; returns the byte to hand out, or -1 (dropped, or queued in {@link #pending}). */
    private int step(int c) {
        switch (state) {
            case LINE_START -> {
                if (c == '\n') {
                    end();
                    return -1;
                }
                if (c == '\r') {
                    state = CR_AT_LINE_START;
                    return -1;
                }
                if (c == ' ' || c == '\t') {         // RFC 5322 §2.2.3: a continuation of the field before
                    state = VALUE;
                    return keep ? c : -1;
                }
                state = NAME;
                nameLen = 0;
                return name(c);
            }
            case CR_AT_LINE_START -> {
                if (c == '\n') {                     // the blank line: the header ends
                    end();
                    return -1;
                }
                keep = false;                        // a line starting with a lone CR is no field
                state = c == '\r' ? CR_AT_LINE_START : VALUE;
                return -1;
            }
            case NAME -> {
                return name(c);
            }
            case VALUE -> {
                if (c == '\n') state = LINE_START;
                return keep ? c : -1;
            }
            default -> throw new IllegalStateException("input after the end of the header");
        }
    }

    private int name(int c) {
        if (c == ':') {
            keep = names.contains(fieldName()) != not;
            state = VALUE;
            if (keep) queue(c);
            return -1;
        }
        if (c == '\n') {                             // a line without a colon is no field
            keep = false;
            state = LINE_START;
            return -1;
        }
        if (nameLen == name.length) {                // too long to be a name anyone asked for
            keep = not;
            state = VALUE;
            if (keep) queue(c);
            return -1;
        }
        name[nameLen++] = (byte) c;
        return -1;
    }

    /** The name before the colon, white space before the colon removed, upper case. */
    private String fieldName() {
        int n = nameLen;
        while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t')) n--;
        return FetchSections.upperAscii(new String(name, 0, n, StandardCharsets.ISO_8859_1));
    }

    /** Hands out the held-back name of a kept field, then {@code c}, the byte after it. */
    private void queue(int c) {
        System.arraycopy(name, 0, pending, 0, nameLen);
        pending[nameLen] = (byte) c;
        pendPos = 0;
        pendLen = nameLen + 1;
        atLineEnd = false;
    }

    /** The header ended (blank line or end of input): terminate a kept last line, then the blank line. */
    private void end() {
        pendPos = 0;
        pendLen = 0;
        if (keep && state == VALUE && !atLineEnd) {
            pending[pendLen++] = '\r';
            pending[pendLen++] = '\n';
        }
        pending[pendLen++] = '\r';
        pending[pendLen++] = '\n';
        state = DONE;
    }

    private void finish() {
        if (state != DONE) end();
    }
}
