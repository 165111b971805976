package org.postern.server.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a message with Unix line ends (CRLF becomes LF; a lone CR stays), and for mboxrd also quotes
 * {@code From } lines: a line matching {@code ^>*From } gets one more {@code >} in front, so a reader can
 * undo it exactly (mboxrd, as in https://www.loc.gov/preservation/digital/formats/fdd/fdd000385.shtml).
 * Works byte by byte with constant memory, however long the lines.
 */
final class LfOutputStream extends FilterOutputStream {
    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    private final boolean quoteFrom;
    private boolean pendingCr;
    private boolean atLineStart = true;   // collecting a possible ">*From " prefix
    private long quotes;                  // '>' seen at the start of this line
    private int matched;                  // bytes of "From " matched after them
    private int last = -1;                // last byte written downstream

    LfOutputStream(OutputStream out, boolean quoteFrom) {
        super(out);
        this.quoteFrom = quoteFrom;
    }

    @Override
    public void write(int b) throws IOException {
        b &= 0xff;
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                body('\n');   // CRLF -> LF
                return;
            }
            emit('\r');
        }
        if (quoteFrom && atLineStart) {
            if (matched == 0 && b == '>') {
                quotes++;
                return;
            }
            if (b == FROM[matched]) {
                if (++matched == FROM.length) {
                    emit('>');
                    flushPrefix();
                    atLineStart = false;
                }
                return;
            }
            flushPrefix();
            atLineStart = false;
        }
        if (b == '\r') pendingCr = true;
        else body(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    /** Writes what is still held back (a trailing CR, a partial prefix); true when the output ends with LF. */
    boolean finish() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            emit('\r');
        }
        if (atLineStart) flushPrefix();
        return last == '\n';
    }

    private void body(int b) throws IOException {
        emit(b);
        if (b == '\n') {
            atLineStart = true;
            quotes = 0;
            matched = 0;
        }
    }

    private void flushPrefix() throws IOException {
        for (long i = 0; i < quotes; i++) emit('>');
        for (int i = 0; i < matched; i++) emit(FROM[i]);
        quotes = 0;
        matched = 0;
    }

    private void emit(int b) throws IOException {
        out.write(b);
        last = b;
    }

    /** Does not close the underlying stream: the writer owns it. */
    @Override
    public void close() throws IOException {
        finish();
        flush();
    }
}
