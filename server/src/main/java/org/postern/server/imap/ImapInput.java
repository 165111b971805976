package org.postern.server.imap;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import org.postern.server.net.SessionIo;
import org.postern.wire.imap.ImapLimits;
import org.postern.wire.imap.ImapSource;
import org.postern.wire.imap.ImapWriter;
import org.postern.wire.io.LineTooLongException;
import org.postern.wire.io.WireInput;

/**
 * The parser's {@link ImapSource} over the connection. Lines are bounded by the state: before login
 * {@link ImapLimits#MAX_LINE_BYTES_UNAUTHENTICATED}, afterwards {@link ImapLimits#MAX_LINE_BYTES} (CRLF not
 * counted). The line buffer grows only as far as a line needs, so an idle connection holds a few hundred bytes,
 * not the 64 KiB limit. A synchronizing literal is preceded by {@code + Ready} (RFC 9051 §7.5); the parser has
 * checked its size before asking for it.
 *
 * <p>It always reads from the session's current input, so it keeps working after STARTTLS replaced it.
 */
final class ImapInput implements ImapSource {
    /** A line buffer that grew past this is dropped after use, so one long line does not stay in memory. */
    private static final int KEEP_BUFFER = 1024;

    private final SessionIo io;
    private final ImapWriter out;
    private byte[] buf = new byte[256];
    private volatile boolean authenticated;

    ImapInput(SessionIo io, ImapWriter out) {
        this.io = io;
        this.out = out;
    }

    void authenticated(boolean v) {
        authenticated = v;
    }

    boolean authenticated() {
        return authenticated;
    }

    /** The line limit of the current state, in bytes without CRLF. */
    int maxLine() {
        return authenticated ? ImapLimits.MAX_LINE_BYTES : ImapLimits.MAX_LINE_BYTES_UNAUTHENTICATED;
    }

    @Override
    public byte[] readLine() throws IOException {
        WireInput in = io.input();
        int max = maxLine(), n = 0;
        try {
            while (true) {
                int b = in.read();
                if (b < 0) throw new EOFException("connection closed after " + n + " bytes of a line");
                if (b == '\n') {
                    if (n > 0 && buf[n - 1] == '\r') n--;
                    return java.util.Arrays.copyOf(buf, n);
                }
                // a CR is part of the count only until we know it belongs to the line end
                if (n == max + 1 || (n == max && b != '\r')) throw new LineTooLongException(max);
                if (n == buf.length) buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 2, max + 2));
                buf[n++] = (byte) b;
            }
        } finally {
            if (buf.length > KEEP_BUFFER) buf = new byte[256];
        }
    }

    @Override
    public byte[] readLiteral(long size, boolean synchronizing) throws IOException {
        if (synchronizing) out.continuation("Ready");
        byte[] b = new byte[Math.toIntExact(size)];
        WireInput in = io.input();
        for (int off = 0; off < b.length; ) {
            int r = in.read(b, off, b.length - off);
            if (r < 0) throw new EOFException("connection closed inside a literal");
            off += r;
        }
        return b;
    }

    /** Copies exactly {@code size} bytes of a literal to {@code to} (APPEND's message, or discarding one). */
    void transfer(long size, OutputStream to) throws IOException {
        io.input().transfer(size, to);
    }
}
