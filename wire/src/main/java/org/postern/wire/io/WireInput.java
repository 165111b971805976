package org.postern.wire.io;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.EOFException;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The buffered input side of one protocol connection: bounded lines, exact byte counts (BDAT, literals), and
 * what pipelining and STARTTLS need to know about the buffer.
 *
 * <p>Before each read that would block on the socket, {@code beforeBlocking} is flushed: replies to pipelined
 * commands (RFC 2920 §3) then go out in one batch once every buffered command is answered, never one
 * write per reply, and never with a reply held back while we wait for the client.
 */
public final class WireInput {
    private static final int BUFFER = 8192;

    private final InputStream in;
    private final Flushable beforeBlocking;
    private final byte[] buf = new byte[BUFFER];
    private final byte[] line;
    private int pos, end;

    /** @param maxLineBytes the longest line {@link #readLine()} accepts, its CRLF included */
    public WireInput(InputStream in, int maxLineBytes, Flushable beforeBlocking) {
        if (maxLineBytes < 3) throw new IllegalArgumentException("line limit too small");
        this.in = in;
        this.beforeBlocking = beforeBlocking;
        this.line = new byte[maxLineBytes];
    }

    public int maxLineBytes() {
        return line.length;
    }

    /**
     * Reads one line ending in CRLF (a bare LF is accepted as the end of a command line; a CR elsewhere is
     * left in the text for the parser to refuse). At most {@link #maxLineBytes()} bytes, terminator included,
     * are buffered: past that {@link LineTooLongException} is thrown and nothing more is read.
     * Invalid UTF-8 becomes U+FFFD, which parsers refuse.
     */
    public String readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = read();
            if (b < 0) throw new EOFException("connection closed after " + n + " bytes of a line");
            if (b == '\n') return new String(line, 0, n > 0 && line[n - 1] == '\r' ? n - 1 : n, UTF_8);
            if (n == line.length - 1) throw new LineTooLongException(line.length);
            line[n++] = (byte) b;
        }
    }

    /** One byte, or -1 at end of stream. */
    public int read() throws IOException {
        if (pos == end && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    /** The next byte without consuming it, or -1 at end of stream. */
    public int peek() throws IOException {
        if (pos == end && !fill()) return -1;
        return buf[pos] & 0xff;
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

    /** Copies exactly {@code count} bytes to {@code out} (RFC 3030 BDAT), through the buffer only. */
    public void transfer(long count, OutputStream out) throws IOException {
        long left = count;
        while (left > 0) {
            if (pos == end && !fill()) throw new EOFException("connection closed with " + left + " of " + count + " bytes unread");
            int n = (int) Math.min(left, end - pos);
            out.write(buf, pos, n);
            pos += n;
            left -= n;
        }
    }

    /** Whether bytes the client already sent are waiting in the buffer. */
    public boolean hasBuffered() {
        return pos < end;
    }

    /**
     * Drops whatever is buffered and returns how many bytes that was. Called right after STARTTLS is accepted:
     * anything sent in plaintext behind the command must not be taken as coming over TLS
     * (RFC 3207 §4, CVE-2011-0411).
     */
    public int discardBuffered() {
        int n = end - pos;
        pos = end = 0;
        return n;
    }

    private boolean fill() throws IOException {
        beforeBlocking.flush();
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) return false;
        pos = 0;
        end = n;
        return true;
    }
}
