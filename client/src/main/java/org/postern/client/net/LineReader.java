package org.postern.client.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.postern.wire.io.LineTooLongException;

/**
 * The buffered input side of one client connection: lines bounded by the caller's named limit, and exact byte
 * counts (IMAP literals) streamed through the buffer, never allocated from a size the server announced. The line
 * buffer grows as a line gets longer, up to the limit, so a connection that only ever sees short lines keeps a
 * small one.
 */
public final class LineReader {
    private static final int BUFFER = 16 * 1024;
    private static final int FIRST_LINE_BUFFER = 512;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private byte[] line = new byte[FIRST_LINE_BUFFER];
    private int pos, end;

    public LineReader(InputStream in) {
        this.in = in;
    }

    /**
     * One line without its CRLF (a bare LF also ends a line; a CR before it is dropped, a CR elsewhere stays in
     * the bytes for the parser to judge). At most {@code maxBytes} bytes before the line end are buffered; past
     * that {@link LineTooLongException} is thrown and the connection is no longer in step.
     */
    public byte[] readLine(int maxBytes) throws IOException {
        int n = 0;
        while (true) {
            if (pos == end && !fill()) throw new EOFException("connection closed by the server after " + n + " bytes of a line");
            int b = buf[pos++] & 0xff;
            if (b == '\n') return Arrays.copyOf(line, n > 0 && line[n - 1] == '\r' ? n - 1 : n);
            if (n == maxBytes + 1 || n == maxBytes && b != '\r') throw new LineTooLongException(maxBytes);
            if (n == line.length) line = Arrays.copyOf(line, (int) Math.min((long) line.length * 2, maxBytes + 1L));
            line[n++] = (byte) b;
        }
    }

    /** One byte, or -1 at end of stream. */
    public int read() throws IOException {
        if (pos == end && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    /** Up to {@code len} bytes (at least one unless at end of stream, then -1). */
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == end && !fill()) return -1;
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Reads exactly {@code b.length} bytes. */
    public void readFully(byte[] b) throws IOException {
        for (int off = 0; off < b.length; ) {
            int n = read(b, off, b.length - off);
            if (n < 0) throw new EOFException("connection closed by the server with " + (b.length - off) + " of "
                    + b.length + " announced bytes unread");
            off += n;
        }
    }

    /**
     * A stream of exactly the next {@code count} bytes. Closing it skips what the reader left, so the connection
     * stays in step whatever the consumer read; the end of the connection before {@code count} is an
     * {@link EOFException}.
     */
    public InputStream exactly(long count) {
        return new InputStream() {
            long left = count;

            @Override
            public int read() throws IOException {
                if (left == 0) return -1;
                int b = LineReader.this.read();
                if (b < 0) throw eof();
                left--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                if (left == 0) return -1;
                int n = LineReader.this.read(b, off, (int) Math.min(len, left));
                if (n < 0) throw eof();
                left -= n;
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = 0;
                while (skipped < n && left > 0) {
                    if (pos == end && !fill()) throw eof();
                    int k = (int) Math.min(Math.min(n - skipped, left), end - pos);
                    pos += k;
                    left -= k;
                    skipped += k;
                }
                return skipped;
            }

            @Override
            public int available() {
                return (int) Math.min(left, end - pos);
            }

            @Override
            public void close() throws IOException {
                skip(left);
            }

            private EOFException eof() {
                return new EOFException("connection closed by the server with " + left + " of " + count
                        + " announced bytes unread");
            }
        };
    }

    /** Whether bytes the server already sent are waiting in the buffer (before STARTTLS: an injection). */
    public boolean hasBuffered() {
        return pos < end;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) return false;
        pos = 0;
        end = n;
        return true;
    }
}
