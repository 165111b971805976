package org.postern.wire.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into lines, handing them out as segments of an internal buffer, so memory stays bounded
 * however long a line is. A line ends at LF (the CR of a CRLF is not content; a lone CR is). A line longer
 * than the buffer comes in several segments: only the first has {@link #lineStarts}, only the last
 * {@link #lineEnds}. Offsets are absolute octet offsets in the stream.
 */
final class LineReader {
    /** Buffer size: longer than any boundary line (RFC 2046 §5.1.1: boundaries are at most 70 characters). */
    static final int BUFFER_BYTES = 16 * 1024;

    private final InputStream in;
    final byte[] buf;
    private int pos;
    private int lim;
    private long base; // absolute offset of buf[0]
    private boolean eof;
    private boolean midLine;

    // the current segment, valid after next() returned true
    int start;
    int length;
    /** Octets of the line ending: 2 (CRLF), 1 (LF) or 0 (end of input, or a segment that does not end the line). */
    int terminator;
    boolean lineStarts;
    boolean lineEnds;
    long offset;

    LineReader(InputStream in) {
        this(in, BUFFER_BYTES);
    }

    LineReader(InputStream in, int bufferBytes) {
        this.in = in;
        this.buf = new byte[bufferBytes];
    }

    /** Moves to the next segment; false at the end of input. */
    boolean next() throws IOException {
        for (;;) {
            byte[] b = buf;
            int i = pos;
            int l = lim;
            while (i < l && b[i] != '\n') i++;
            if (i < l) {
                int contentEnd = i > pos && b[i - 1] == '\r' ? i - 1 : i;
                emit(pos, contentEnd - pos, i + 1 - contentEnd, true);
                pos = i + 1;
                return true;
            }
            if (eof) {
                if (pos == lim) return false;
                emit(pos, lim - pos, 0, true);
                pos = lim;
                return true;
            }
            if (pos == 0 && lim == b.length) { // a line longer than the buffer: hand out what we have
                int n = b[lim - 1] == '\r' ? lim - 1 : lim; // keep a CR that may start a CRLF
                emit(0, n, 0, false);
                pos = n;
                return true;
            }
            if (pos > 0) {
                System.arraycopy(b, pos, b, 0, lim - pos);
                base += pos;
                lim -= pos;
                pos = 0;
            }
            int r = in.read(b, lim, b.length - lim);
            if (r < 0) eof = true;
            else lim += r;
        }
    }

    private void emit(int s, int len, int term, boolean ends) {
        start = s;
        length = len;
        terminator = term;
        lineStarts = !midLine;
        lineEnds = ends;
        offset = base + s;
        midLine = !ends;
    }

    /** Octets read so far; after {@link #next()} returned false, the size of the whole input. */
    long position() {
        return base + pos;
    }
}
